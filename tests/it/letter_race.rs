//! Letter files are read race-free beneath the workspace root (issue 12):
//! a letter's path is resolved (and checked to be inside the root) before it
//! is read, so a folder or the file swapped for a symlink in between used to
//! embed a file from outside the root in the bundle (15 of 400 bundles). The
//! read now walks from the root one component at a time and refuses any
//! symlink it meets, so what was checked is what is read.
#![cfg(target_os = "linux")]

use std::ffi::CString;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use packet_ls::workspace::{env_for, read_letters};
use packet_ls::LetterStatus;

const SECRET: &str = "SECRET-MARKER-7f3a outside the root";
const INSIDE: &str = "Dana is the best manager I have worked with (inside the root).";

fn write(p: &Path, s: &str) {
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, s).unwrap();
}

/// `ws/` (the root, with `packet.toml`) holding a packet whose letters are
/// `letters/a.md` (swapped as a folder) and `files/b.md` (swapped as a
/// file); `outside/` holding files of the same names with the secret.
fn workspace() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("ws");
    let outside = tmp.path().join("outside");
    write(&root.join("packet.toml"), "");
    write(&root.join("letters/a.md"), INSIDE);
    write(&root.join("files/b.md"), INSIDE);
    write(&outside.join("letters/a.md"), SECRET);
    write(&outside.join("b.md"), SECRET);
    let packet = root.join("dana.packet.md");
    write(
        &packet,
        "---
packet: senior-em
candidate: Dana
letters:
  - { name: A, role: staff-engineer, relation: same-team, file: letters/a.md }
  - { name: B, role: product-manager, file: files/b.md }
---
# Overview
",
    );
    (tmp, root, packet)
}

/// Atomically exchanges two paths (`renameat2(RENAME_EXCHANGE)`), so the
/// name is never missing: it is the real thing or the symlink.
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    let a = CString::new(a.as_os_str().as_bytes()).unwrap();
    let b = CString::new(b.as_os_str().as_bytes()).unwrap();
    let r = unsafe { libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE) };
    if r == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Swaps `real` and `link` (or, where the file system cannot exchange, two
/// renames) as fast as it can until `stop`.
fn swapper(real: PathBuf, link: PathBuf, stop: Arc<AtomicBool>, swaps: Arc<AtomicUsize>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let spare = real.with_extension("spare");
        while !stop.load(Ordering::Relaxed) {
            if exchange(&real, &link).is_err() {
                // real ↔ link through a spare name; for a moment neither is there.
                let _ = fs::rename(&real, &spare);
                let _ = fs::rename(&link, &real);
                let _ = fs::rename(&spare, &link);
            }
            swaps.fetch_add(1, Ordering::Relaxed);
        }
        // Leave the real one in place.
        if fs::symlink_metadata(&real).is_ok_and(|m| m.file_type().is_symlink()) {
            let _ = exchange(&real, &link);
        }
    })
}

#[test]
fn a_folder_swapped_for_a_symlink_after_resolving_is_refused() {
    let (tmp, root, packet) = workspace();
    let text = fs::read_to_string(&packet).unwrap();
    // Resolved while `letters/` is a real folder inside the root...
    let env = env_for(&packet, &text);
    assert!(matches!(env.letters["letters/a.md"], LetterStatus::Found(_)), "{:?}", env.letters);
    // ...then `letters/` becomes a symlink to a folder outside the root, and
    // `files/b.md` a symlink to a file outside it.
    fs::rename(root.join("letters"), root.join("letters.real")).unwrap();
    std::os::unix::fs::symlink(tmp.path().join("outside/letters"), root.join("letters")).unwrap();
    fs::rename(root.join("files/b.md"), root.join("files/b.real")).unwrap();
    std::os::unix::fs::symlink(tmp.path().join("outside/b.md"), root.join("files/b.md")).unwrap();
    let letters = read_letters(&env);
    for (file, text) in &letters {
        let shown = format!("{text:?}");
        assert!(!shown.contains("SECRET-MARKER"), "{file}: {shown}");
        assert!(matches!(text, packet_ls::bundle::LetterText::Unavailable(why) if why.contains("could not be read")), "{file}: {shown}");
    }
    // A symlinked folder inside the root that points inside it is fine when
    // it was there at resolving time: the path read is the resolved one.
    fs::remove_file(root.join("letters")).unwrap();
    std::os::unix::fs::symlink("letters.real", root.join("letters")).unwrap();
    let env = env_for(&packet, &text);
    let letters = read_letters(&env);
    assert_eq!(letters["letters/a.md"], packet_ls::bundle::LetterText::Text(INSIDE.into()));
}

#[test]
fn swapping_a_folder_or_the_file_while_bundling_never_embeds_an_outside_file() {
    let (tmp, root, packet) = workspace();
    // The symlinks that are swapped in: `letters` ↔ `letters.link` (a folder
    // for a symlink to `outside/letters`), `files/b.md` ↔ `files/b.link`.
    std::os::unix::fs::symlink(tmp.path().join("outside/letters"), root.join("letters.link")).unwrap();
    std::os::unix::fs::symlink(tmp.path().join("outside/b.md"), root.join("files/b.link")).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let swaps = Arc::new(AtomicUsize::new(0));
    let threads = [
        swapper(root.join("letters"), root.join("letters.link"), stop.clone(), swaps.clone()),
        swapper(root.join("files/b.md"), root.join("files/b.link"), stop.clone(), swaps.clone()),
    ];
    let runs = 400;
    let (mut leaked, mut included) = (0, 0);
    for _ in 0..runs {
        // The packet itself is never swapped; only its letters are.
        let html = packet_ls::cli::bundle_html(&packet).expect("bundle");
        if html.contains("SECRET-MARKER") {
            leaked += 1;
        }
        included += html.matches("best manager I have worked with").count();
    }
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.join().unwrap();
    }
    eprintln!("{runs} bundles, {} swaps, {included} letters included, {leaked} bundles with the outside file", swaps.load(Ordering::Relaxed));
    assert!(swaps.load(Ordering::Relaxed) > runs, "the swapping ran all along");
    assert_eq!(leaked, 0, "no bundle embeds a file from outside the root");
}
