//! The command line: `check`, `init`, `explain`, `bundle`, `report` (and `server`, the default).

mod bundle;
mod check;
pub mod fix;
mod init_letter;
pub(crate) mod output;
mod report;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

pub use bundle::bundle_html;
pub use check::{check_paths, CheckOptions, FileReport};
pub use report::{report_rows, ReportFormat};

#[derive(Parser, Debug)]
#[command(name = "packet-ls", version, about = "Language server and checker for promotion packets")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Run the language server on stdio (what `vscode-languageclient` and others append).
    #[arg(long)]
    pub stdio: bool,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Sarif,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the language server on stdio (the default without a command).
    Server {
        /// Accepted for compatibility with clients that pass it; stdio is the only transport.
        #[arg(long)]
        stdio: bool,
    },
    /// Check packets (files or folders; folders are searched for packets).
    Check {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Apply every fix that only inserts text, then report what remains.
        #[arg(long)]
        fix: bool,
        /// Colour the human output (default: when stdout is a terminal).
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
        /// Also exit 1 when there are warnings (`--deny warnings`), for CI gates.
        #[arg(long, value_enum, value_name = "LEVEL")]
        deny: Option<Deny>,
        /// Also exit 1 when there are more than N warnings in all (0 is `--deny warnings`).
        #[arg(long, value_name = "N")]
        max_warnings: Option<usize>,
    },
    /// Write a new packet from the template, or with --letter the letter file of an entry (refuses to overwrite).
    Init {
        /// Where to write it (default: promotion.packet.md); with --letter, the packet
        /// (default: promotion.packet.md, or the only *.packet.md here).
        path: Option<PathBuf>,
        /// Create `letters/<writer>.md` for the sponsor or letter entry with this name,
        /// from the letter template, and add `file:` to the entry.
        #[arg(long, value_name = "NAME")]
        letter: Option<String>,
    },
    /// Print a rule's documentation.
    Explain {
        /// The rule code, e.g. missing-section.
        rule: Option<String>,
        /// Print every rule's documentation (the text of docs/rules.md).
        #[arg(long)]
        all: bool,
    },
    /// One row per packet: candidate, sections, initiatives, mentoring, letters,
    /// the sponsor's letter, errors/warnings and whether it is ready to submit.
    Report {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = report::ReportFormat::Human)]
        format: report::ReportFormat,
        /// Write the report to this file instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Write the complete package (cover, readiness, contents, packet, letters) as one sanitised HTML file.
    Bundle {
        /// The packet to bundle.
        packet: PathBuf,
        /// The HTML file to write (never the packet or one of its letters).
        #[arg(short, long)]
        output: PathBuf,
        /// Replace the output file if it exists.
        #[arg(long)]
        force: bool,
    },
}

/// What `check --deny` turns into a failing exit status besides errors.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    Warnings,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

pub use packet_ls_core::template::TEMPLATE;

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        None | Some(Command::Server { .. }) => crate::server_main(),
        Some(Command::Check { paths, format, fix, color, deny, max_warnings }) => {
            let color = match color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    use std::io::IsTerminal;
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
                }
            };
            // `--deny warnings` is `--max-warnings 0`; with both, the stricter wins.
            let deny_warnings = deny.map(|Deny::Warnings| 0);
            let max_warnings = match (deny_warnings, max_warnings) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            check::run(&paths, CheckOptions { format, fix, color, max_warnings })
        }
        Some(Command::Init { path, letter: Some(name) }) => init_letter::run(&name, path),
        Some(Command::Init { path, letter: None }) => init(path.unwrap_or_else(|| PathBuf::from("promotion.packet.md"))),
        Some(Command::Explain { rule, all }) => explain(rule, all),
        Some(Command::Bundle { packet, output, force }) => bundle::run(&packet, &output, force),
        Some(Command::Report { paths, format, output }) => report::run(&paths, format, output.as_deref()),
    }
}

fn init(path: PathBuf) -> ExitCode {
    let file = std::fs::OpenOptions::new().write(true).create_new(true).open(&path);
    match file {
        Ok(mut f) => {
            use std::io::Write;
            if let Err(e) = f.write_all(TEMPLATE.as_bytes()) {
                eprintln!("packet-ls: cannot write {}: {e}", output::shown_path(&path));
                return ExitCode::from(2);
            }
            println!("Wrote {} from the senior-em template.", output::shown_path(&path));
            println!("Next: fill it in, then run `packet-ls check {}`.", output::shown_path(&path));
            ExitCode::SUCCESS
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!("packet-ls: {} already exists; not overwriting it", output::shown_path(&path));
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("packet-ls: cannot create {}: {e}", output::shown_path(&path));
            ExitCode::from(2)
        }
    }
}

fn explain(rule: Option<String>, all: bool) -> ExitCode {
    use crate::rules::{explain, rules_markdown, RuleCode};
    if all {
        print!("{}", rules_markdown());
        return ExitCode::SUCCESS;
    }
    let Some(rule) = rule else {
        eprintln!("packet-ls: name a rule (or --all). Rules:");
        for c in RuleCode::ALL {
            eprintln!("  {:<30} {}", c.as_str(), crate::rules::info(*c).summary);
        }
        return ExitCode::from(2);
    };
    match RuleCode::parse(rule.trim()) {
        Some(c) => {
            print!("{}", explain(c));
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("packet-ls: unknown rule \"{}\". Known rules:", output::visible(&rule));
            for c in RuleCode::ALL {
                eprintln!("  {}", c.as_str());
            }
            ExitCode::from(2)
        }
    }
}
