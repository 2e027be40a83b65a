//! Letter files on disk: resolved relative to the packet, refused when they
//! leave the workspace root (`..`, absolute paths, symlinks out).

use std::fs;
use std::path::Path;

use packet_ls::workspace::{env_for, resolve_letter, resolve_letters, workspace_root};
use packet_ls::LetterStatus;

fn write(p: &Path, s: &str) {
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, s).unwrap();
}

const PACKET: &str = "---
packet: senior-em
sponsor: { name: Lee, relation: direct-manager, role: director }
letters:
  - { name: A, role: staff-engineer, relation: same-team, file: letters/ok.md }
  - { name: B, role: product-manager, file: ../shared.md }
  - { name: C, role: engineer, relation: other-team, file: ../../outside.md }
  - { name: D, role: engineer, file: /etc/hostname }
  - { name: E, role: engineer, file: letters/link-out.md }
  - { name: F, role: engineer, file: letters/dir-out/secret.md }
  - { name: G, role: engineer, file: letters/missing.md }
  - { name: H, role: engineer, file: letters/../letters/ok.md }
  - { name: I, role: engineer, file: letters/link-in.md }
  - { name: J, role: engineer, file: letters }
---
# Overview
";

#[test]
fn letter_paths_are_resolved_inside_the_root_only() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    let root = tmp.path().join("ws");
    write(&outside.join("outside.md"), "secret");
    write(&outside.join("secret.md"), "secret");
    write(&root.join("packet.toml"), "");
    write(&root.join("shared.md"), "shared letter");
    let packet = root.join("team/promo.packet.md");
    write(&packet, PACKET);
    write(&root.join("team/letters/ok.md"), "ok");
    // ws/../outside.md from team/: ../../outside.md leaves ws.
    write(&tmp.path().join("outside.md"), "secret");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(outside.join("outside.md"), root.join("team/letters/link-out.md")).unwrap();
        std::os::unix::fs::symlink(&outside, root.join("team/letters/dir-out")).unwrap();
        std::os::unix::fs::symlink(root.join("shared.md"), root.join("team/letters/link-in.md")).unwrap();
    }
    assert_eq!(workspace_root(&packet), root);
    let got = resolve_letters(&packet, &root, PACKET);
    let canon = |p: &Path| fs::canonicalize(p).unwrap();
    assert_eq!(got["letters/ok.md"], LetterStatus::Found(canon(&root.join("team/letters/ok.md"))));
    assert_eq!(got["../shared.md"], LetterStatus::Found(canon(&root.join("shared.md"))));
    assert_eq!(got["../../outside.md"], LetterStatus::OutsideRoot);
    assert_eq!(got["/etc/hostname"], LetterStatus::Absolute);
    assert_eq!(got["letters/missing.md"], LetterStatus::Missing);
    assert_eq!(got["letters/../letters/ok.md"], LetterStatus::Found(canon(&root.join("team/letters/ok.md"))));
    assert_eq!(got["letters"], LetterStatus::Missing, "a folder is not a letter");
    #[cfg(unix)]
    {
        assert_eq!(got["letters/link-out.md"], LetterStatus::OutsideRoot);
        assert_eq!(got["letters/dir-out/secret.md"], LetterStatus::OutsideRoot);
        assert_eq!(got["letters/link-in.md"], LetterStatus::Found(canon(&root.join("shared.md"))));
    }

    // The CLI reports them with exact positions.
    let reports = packet_ls::cli::check_paths(std::slice::from_ref(&packet), false);
    assert_eq!(reports.len(), 1);
    let got: Vec<(u32, u32, &str, String)> = reports[0]
        .diagnostics
        .iter()
        .filter(|d| d.code == packet_ls::RuleCode::LetterNotFound)
        .map(|d| (d.start.0, d.start.1, d.code.as_str(), d.message.clone()))
        .collect();
    let mut want = vec![
        (6, 59, "letter-not-found", "Letter file `../../outside.md` is outside the workspace root: keep letters inside the packet's workspace".to_string()),
        (7, 37, "letter-not-found", "Letter file `/etc/hostname` is an absolute path: name it relative to the packet, inside the workspace".to_string()),
    ];
    #[cfg(unix)]
    {
        want.push((8, 37, "letter-not-found", "Letter file `letters/link-out.md` is outside the workspace root: keep letters inside the packet's workspace".to_string()));
        want.push((9, 37, "letter-not-found", "Letter file `letters/dir-out/secret.md` is outside the workspace root: keep letters inside the packet's workspace".to_string()));
    }
    want.push((10, 37, "letter-not-found", "Letter file `letters/missing.md` not found (paths are relative to the packet)".to_string()));
    want.push((13, 37, "letter-not-found", "Letter file `letters` not found (paths are relative to the packet)".to_string()));
    assert_eq!(got, want);
}

#[test]
fn dotdot_is_refused_before_touching_the_file_system() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("ws");
    fs::create_dir_all(&root).unwrap();
    // The target exists, but lies outside the root: refused, not "found".
    fs::write(tmp.path().join("x.md"), "x").unwrap();
    assert_eq!(resolve_letter(&root, &root, "../x.md"), LetterStatus::OutsideRoot);
    assert_eq!(resolve_letter(&root, &root, "a/../../x.md"), LetterStatus::OutsideRoot);
    // A path that dips out and back in is fine when it ends inside.
    fs::write(root.join("y.md"), "y").unwrap();
    assert!(matches!(resolve_letter(&root, &root, "../ws/y.md"), LetterStatus::Found(_)));
    assert_eq!(resolve_letter(&root, &root, &tmp.path().join("x.md").to_string_lossy()), LetterStatus::Absolute);
}

#[test]
fn env_for_uses_the_git_folder_as_root_without_packet_toml() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir_all(tmp.path().join("repo/.git")).unwrap();
    let packet = tmp.path().join("repo/docs/p.packet.md");
    write(&packet, "---\nletters:\n  - { name: A, file: ../README.md }\n  - { name: B, file: ../../x.md }\n---\n");
    write(&tmp.path().join("repo/README.md"), "r");
    write(&tmp.path().join("x.md"), "x");
    let env = env_for(&packet, &fs::read_to_string(&packet).unwrap());
    assert_eq!(env.root.as_deref(), Some(tmp.path().join("repo").as_path()));
    assert!(matches!(env.letters["../README.md"], LetterStatus::Found(_)));
    assert_eq!(env.letters["../../x.md"], LetterStatus::OutsideRoot);
}
