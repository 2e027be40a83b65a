//! `check --fix` on a full disk (issue 12): the packet lives on a 64 KB
//! tmpfs that is filled so that a copy of the original would still fit but
//! the fixed text does not. The built binary must leave the original byte for
//! byte, leave no temporary file, still print the diagnostics, and exit 2
//! saying why nothing was written.
//!
//! The tmpfs is mounted in a private mount namespace (`unshare -rm`, any
//! user; as root `unshare -m`, or a plain `mount` undone on exit), so it
//! disappears with the run. Where none of these works the test fails, loudly:
//! set `PACKET_LS_SKIP_MOUNT_TESTS=1` to skip it on such machines.
#![cfg(target_os = "linux")]

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_packet-ls");

/// Runs in the namespace (or as root): mounts the tmpfs on `$D`, copies the
/// packet, fills the disk and leaves `$FREE` bytes, runs the checker and
/// copies what is left out to `$OUT` (the mount is gone afterwards).
const SCRIPT: &str = r#"
set -e
mount -t tmpfs -o size=64k,mode=0755 tmpfs "$D"
[ -n "$UMOUNT" ] && trap 'umount "$D"' EXIT
: > "$OUT/mounted"
cp "$SRC" "$D/a.packet.md"
dd if=/dev/zero of="$D/filler" bs=4096 2>/dev/null || true
truncate -s "-$FREE" "$D/filler"
stat -f -c '%a %S' "$D" > "$OUT/statfs"
set +e
"$BIN" check --fix "$D/a.packet.md" > "$OUT/stdout" 2> "$OUT/stderr"
echo $? > "$OUT/rc"
cp "$D/a.packet.md" "$OUT/after"
ls -A "$D" > "$OUT/names"
"#;

/// A packet of a few KB (so the fix inserts text after a real body): the
/// Overview is written, everything else is missing.
fn packet() -> String {
    let mut s = String::from("---\npacket: senior-em\ncandidate: Dana Example\n---\n# Overview\n\n## Background\n\n");
    for i in 0..40 {
        s.push_str(&format!("Paragraph {i}: I led the migration of the billing pipeline with the team.\n"));
    }
    s
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_default()
}

/// Tries each way to mount a tmpfs privately; true when the script ran.
fn run_script(env: &[(&str, String)], out: &Path) -> bool {
    let root = unsafe { libc::geteuid() } == 0;
    let mut ways: Vec<(Vec<&str>, bool)> = vec![(vec!["unshare", "-rm", "sh", "-c", SCRIPT], false)];
    if root {
        ways.push((vec!["unshare", "-m", "sh", "-c", SCRIPT], false));
        ways.push((vec!["sh", "-c", SCRIPT], true));
    }
    for (argv, umount) in ways {
        let mut c = Command::new(argv[0]);
        c.args(&argv[1..]).env("NO_COLOR", "1").env("UMOUNT", if umount { "1" } else { "" });
        for (k, v) in env {
            c.env(k, v);
        }
        match c.output() {
            Ok(o) if out.join("mounted").exists() => {
                assert!(o.status.success(), "the script failed after mounting: {}", String::from_utf8_lossy(&o.stderr));
                return true;
            }
            Ok(o) => eprintln!("{argv:?}: {}", String::from_utf8_lossy(&o.stderr).trim()),
            Err(e) => eprintln!("{argv:?}: {e}"),
        }
    }
    false
}

#[test]
fn fix_on_a_full_disk_keeps_the_original_and_reports_it() {
    let tmp = tempfile::tempdir().unwrap();
    let original = packet();
    let src = tmp.path().join("src.packet.md");
    std::fs::write(&src, &original).unwrap();
    // What the fix would write, found on a disk with room.
    let roomy = tmp.path().join("roomy");
    std::fs::create_dir(&roomy).unwrap();
    std::fs::write(roomy.join("a.packet.md"), &original).unwrap();
    let o = Command::new(BIN).args(["check", "--fix"]).arg(roomy.join("a.packet.md")).output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stdout));
    let fixed_len = read(&roomy.join("a.packet.md")).len();
    // Room for a copy of the original (in whole 4 KB pages), not for the fixed text.
    let free = original.len().div_ceil(4096) * 4096;
    assert!(original.len() <= free && fixed_len > free, "original {} B, fixed {fixed_len} B", original.len());

    let mnt = tmp.path().join("mnt");
    let out = tmp.path().join("out");
    std::fs::create_dir(&mnt).unwrap();
    std::fs::create_dir(&out).unwrap();
    let env = [
        ("D", mnt.display().to_string()),
        ("OUT", out.display().to_string()),
        ("SRC", src.display().to_string()),
        ("BIN", BIN.to_string()),
        ("FREE", free.to_string()),
    ];
    if !run_script(&env, &out) {
        if std::env::var("PACKET_LS_SKIP_MOUNT_TESTS").is_ok_and(|v| v == "1") {
            eprintln!("skipped: cannot mount a tmpfs here (PACKET_LS_SKIP_MOUNT_TESTS=1)");
            return;
        }
        panic!(
            "cannot mount a tmpfs: neither `unshare -rm` nor root is available. \
             Set PACKET_LS_SKIP_MOUNT_TESTS=1 to skip this test on such a machine."
        );
    }

    // The disk was as full as meant: the original fits, the fix does not.
    let statfs = read(&out.join("statfs"));
    let avail: Vec<usize> = statfs.split_whitespace().map(|n| n.parse().unwrap()).collect();
    let avail = avail[0] * avail[1];
    assert!(avail >= original.len() && avail < fixed_len, "free {avail} B, original {} B, fixed {fixed_len} B", original.len());

    let stdout = read(&out.join("stdout"));
    let stderr = read(&out.join("stderr"));
    assert_eq!(read(&out.join("rc")).trim(), "2", "exit status 2\nstdout: {stdout}\nstderr: {stderr}");
    assert_eq!(std::fs::read(out.join("after")).unwrap(), original.as_bytes(), "the original, byte for byte");
    assert_eq!(read(&out.join("names")).lines().collect::<Vec<_>>(), ["a.packet.md", "filler"], "no temporary file left");
    assert!(stdout.contains("error[missing-section]"), "diagnostics printed: {stdout}");
    assert!(stdout.contains("a.packet.md: cannot write fixes: "), "{stdout}");
    assert!(stdout.contains("No space left on device"), "{stdout}");
    assert!(stdout.contains("the file is unchanged"), "{stdout}");
    assert!(!stdout.contains(": fixed: "), "{stdout}");
}
