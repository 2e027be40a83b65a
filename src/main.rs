use clap::Parser;

fn main() -> std::process::ExitCode {
    packet_ls::cli::run(packet_ls::cli::Cli::parse())
}
