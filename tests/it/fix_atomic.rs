//! `check --fix` replaces files atomically (temporary file in the same
//! folder, synced, renamed over) and keeps what the user set up around the
//! file: its permissions, a symlink to it. A file it cannot write is reported,
//! and its diagnostics are still printed. (The race cases, a file changed or
//! deleted between reading and replacing, are unit tests of
//! `cli::check::write_fixed`.)
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_packet-ls");
const MISSING: &str = "---\npacket: senior-em\n---\n# Overview\n\nSome text.\n";

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN).args(args).current_dir(dir).env("NO_COLOR", "1").output().expect("run packet-ls")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o7777
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

#[test]
fn fix_keeps_the_file_mode_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.packet.md");
    std::fs::write(&p, MISSING).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
    let o = run_in(dir.path(), &["check", "--fix", "a.packet.md"]);
    assert!(stdout(&o).contains("a.packet.md: fixed: "), "{}", stdout(&o));
    assert!(std::fs::read_to_string(&p).unwrap().contains("# Summary"));
    assert_eq!(mode(&p), 0o640);
    assert_eq!(names(dir.path()), vec!["a.packet.md"]);
}

#[test]
fn fix_through_a_symlink_writes_its_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("real")).unwrap();
    let target = dir.path().join("real/a.packet.md");
    std::fs::write(&target, MISSING).unwrap();
    let link = dir.path().join("link.packet.md");
    std::os::unix::fs::symlink("real/a.packet.md", &link).unwrap();
    let o = run_in(dir.path(), &["check", "--fix", "link.packet.md"]);
    assert!(stdout(&o).contains("link.packet.md: fixed: "), "{}", stdout(&o));
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "still a link");
    assert_eq!(std::fs::read_link(&link).unwrap(), Path::new("real/a.packet.md"));
    assert!(std::fs::read_to_string(&target).unwrap().contains("# Summary"));
    assert_eq!(names(&dir.path().join("real")), vec!["a.packet.md"]);
}

/// The diagnostics, the error and exit status 2, and the file untouched.
fn assert_reported_not_written(o: &Output, p: &Path, why: &str) {
    let out = stdout(o);
    assert_eq!(o.status.code(), Some(2), "{out}");
    assert!(out.contains("error[missing-section]"), "diagnostics printed: {out}");
    assert!(out.contains("a.packet.md: cannot write fixes: "), "{out}");
    assert!(out.contains(why), "{out}");
    assert!(!out.contains(": fixed: "), "{out}");
    assert_eq!(std::fs::read_to_string(p).unwrap(), MISSING);
}

#[test]
fn a_read_only_file_is_reported_with_its_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.packet.md");
    std::fs::write(&p, MISSING).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o444)).unwrap();
    let o = run_in(dir.path(), &["check", "--fix", "a.packet.md"]);
    assert_reported_not_written(&o, &p, "read-only");
    assert_eq!(mode(&p), 0o444);
    // JSON: the diagnostics and the error in the same entry.
    let o = run_in(dir.path(), &["check", "--fix", "--format", "json", "a.packet.md"]);
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(v[0]["error"].as_str().unwrap().contains("read-only"));
    assert!(!v[0]["diagnostics"].as_array().unwrap().is_empty());
}

#[test]
fn a_read_only_folder_is_reported_with_the_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let ro = dir.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    let p = ro.join("a.packet.md");
    std::fs::write(&p, MISSING).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    let privileged = std::fs::write(ro.join("probe"), "").is_ok();
    let o = if privileged {
        // Root ignores the folder's mode: run the checker as `nobody` instead
        // (setpriv, util-linux), where that is possible.
        std::fs::remove_file(ro.join("probe")).unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        // The file itself writable by anyone: only the folder is read-only.
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o666)).unwrap();
        let o = Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", BIN, "check", "--fix", "ro/a.packet.md"])
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .output();
        match o {
            Ok(o) if !String::from_utf8_lossy(&o.stderr).contains("setpriv:") => o,
            _ => {
                std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
                eprintln!("skipped: privileged, and cannot run as another user");
                return;
            }
        }
    } else {
        run_in(dir.path(), &["check", "--fix", "ro/a.packet.md"])
    };
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_reported_not_written(&o, &p, "cannot create a temporary file");
}
