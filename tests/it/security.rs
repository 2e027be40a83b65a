//! What a hostile `packet.toml` or front matter can make the checker do: it
//! must not read or write files outside the folder being checked, follow
//! symlinks out of it, load a rubric from a path, run a program or reach the
//! network. (Letters' `file:` fields and the server's workspace root are
//! covered where those are built; see docs/reliability.md.)

use std::fs;
use std::path::Path;

use packet_ls::cli::check_paths;

fn write(p: &Path, s: &str) {
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, s).unwrap();
}

const MISSING_ALL: &str = "# Overview\n\nSome text.\n";

#[test]
fn include_globs_cannot_pull_in_files_outside_the_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    let outside = tmp.path().join("outside.md");
    let outside_packet = tmp.path().join("other").join("secret.packet.md");
    write(&outside, MISSING_ALL);
    write(&outside_packet, MISSING_ALL);
    write(
        &ws.join("packet.toml"),
        "include = [\"../**\", \"../*.md\", \"/**\", \"**/../outside.md\", \"**\"]\n",
    );
    write(&ws.join("mine.md"), MISSING_ALL);
    for fix in [false, true] {
        let reports = check_paths(std::slice::from_ref(&ws), fix);
        let paths: Vec<_> = reports.iter().map(|r| r.path.clone()).collect();
        assert_eq!(paths, vec![ws.join("mine.md")], "only the file inside the folder (fix: {fix})");
        assert!(reports[0].is_packet, "`**` includes it");
    }
    // --fix wrote the file inside, and nothing outside.
    assert_ne!(fs::read_to_string(ws.join("mine.md")).unwrap(), MISSING_ALL);
    assert_eq!(fs::read_to_string(&outside).unwrap(), MISSING_ALL);
    assert_eq!(fs::read_to_string(&outside_packet).unwrap(), MISSING_ALL);
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_folder_are_not_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    let secret_dir = tmp.path().join("secret");
    write(&secret_dir.join("a.packet.md"), MISSING_ALL);
    write(&ws.join("packet.toml"), "include = [\"**\"]\n");
    write(&ws.join("real.packet.md"), MISSING_ALL);
    std::os::unix::fs::symlink(secret_dir.join("a.packet.md"), ws.join("link.packet.md")).unwrap();
    std::os::unix::fs::symlink(&secret_dir, ws.join("linkdir")).unwrap();
    let reports = check_paths(std::slice::from_ref(&ws), true);
    let paths: Vec<_> = reports.iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths, vec![ws.join("real.packet.md")]);
    assert_eq!(fs::read_to_string(secret_dir.join("a.packet.md")).unwrap(), MISSING_ALL, "not fixed through the link");
}

#[test]
fn a_rubric_name_is_never_a_path() {
    // A front-matter `packet:` value or `[rubric] name` naming a file: the
    // file's content is never loaded as a rubric (rubrics are built in or
    // defined inside packet.toml itself).
    let tmp = tempfile::tempdir().unwrap();
    let evil = tmp.path().join("evil.toml");
    write(&evil, "[rubric]\nmin-initiatives = 0\n[[rubric.sections]]\nid = \"x\"\ntitle = \"Pwned\"\n");
    let ws = tmp.path().join("ws");
    let fm = format!("---\npacket: {}\n---\n# Overview\n", evil.display());
    write(&ws.join("a.packet.md"), &fm);
    write(&ws.join("b.packet.md"), "---\npacket: ../evil.toml\n---\n# Overview\n");
    let reports = check_paths(std::slice::from_ref(&ws), false);
    assert_eq!(reports.len(), 2);
    for r in &reports {
        let msgs: Vec<&str> = r.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert!(!msgs.iter().any(|m| m.contains("Pwned")), "{msgs:?}");
        assert!(
            msgs.iter().any(|m| m.contains("Missing required section \"Summary\"")),
            "the built-in rubric applies: {msgs:?}"
        );
    }
}

/// Every `.rs` file below `dir`, with its text.
fn walk(dir: &Path, out: &mut Vec<(String, String)>) {
    for e in fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push((p.display().to_string(), fs::read_to_string(&p).unwrap()));
        }
    }
}

#[test]
fn the_library_has_no_process_or_network_code() {
    // A tripwire: the checker and analysis never spawn programs or open
    // sockets. (The language server's stdio transport is not a socket.)
    let mut files = Vec::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["src", "crates/core/src", "crates/workspace/src"] {
        walk(&root.join(dir), &mut files);
    }
    assert!(files.len() > 50);
    for (name, text) in &files {
        for bad in ["process::Command", "std::net", "TcpStream", "UdpSocket", "libc::exec", "ToSocketAddrs"] {
            assert!(!text.contains(bad), "{name} uses {bad}");
        }
    }
    let lock = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock")).unwrap();
    for krate in ["reqwest", "ureq", "curl", "hyper", "isahc", "attohttpc"] {
        assert!(!lock.contains(&format!("name = \"{krate}\"")), "Cargo.lock pulls in {krate}");
    }
}

#[test]
fn the_core_crate_does_no_io_and_knows_no_protocol() {
    // Cargo enforces the edge: the core's manifest names none of the crates
    // for the runtime, the protocol, the command line or walking folders...
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest: toml::Table = fs::read_to_string(root.join("crates/core/Cargo.toml")).unwrap().parse().unwrap();
    let deps = manifest["dependencies"].as_table().unwrap();
    assert!(deps.contains_key("pulldown-cmark"), "{deps:?}");
    for krate in ["tokio", "tower-lsp-server", "clap", "ignore", "rayon", "packet-ls-workspace", "libc", "rustix", "tempfile"] {
        assert!(!deps.contains_key(krate), "the core depends on {krate}");
    }
    // ...and its sources reach neither the file system nor the environment.
    let mut files = Vec::new();
    walk(&root.join("crates/core/src"), &mut files);
    assert!(files.len() > 40, "{}", files.len());
    for (name, text) in &files {
        for bad in ["std::fs", "fs::read", "File::open", "std::env", "std::io::stdin", "canonicalize", "std::thread"] {
            assert!(!text.contains(bad), "{name} uses {bad}");
        }
    }
}
