//! A client that cannot watch files (no dynamic registration of
//! `workspace/didChangeWatchedFiles`, as Neovim 0.11 on Linux) still sees
//! packet.toml created, changed and deleted on disk: the server looks at the
//! open documents' packet.toml files itself (`handlers::configuration`).

use crate::lsp::{file_uri, has_code, wait_publish, Lsp};
use serde_json::json;

const MINIMAL: &str = "---\npacket: senior-em\n---\n\n# Overview\n\n## Background\n\nI lead two teams.\n\nTODO\n";



#[test]
fn packet_toml_on_disk_is_picked_up_without_a_client_watcher() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Lsp::start_in(dir.path());
    // No `didChangeWatchedFiles` capability at all.
    s.initialize(json!({"general": {"positionEncodings": ["utf-16"]}}), json!({"debounceMs": 0}));
    let uri = file_uri(&dir.path().join("p.packet.md"));
    s.open(&uri, MINIMAL, 1);
    let d = s.diagnostics(&uri, 1);
    assert!(has_code(&d, "placeholder"), "{d:#?}");
    let toml = dir.path().join("packet.toml");

    // Created: the rule it turns off goes (no notification from the client).
    std::fs::write(&toml, "[rules]\nplaceholder = \"off\"\n").unwrap();
    let d = wait_publish(&mut s, &uri, |d| !has_code(d, "placeholder"));
    assert!(has_code(&d, "missing-section"), "{d:#?}");

    // Changed: a level applies.
    std::fs::write(&toml, "[rules]\nplaceholder = \"off\"\nmissing-section = \"hint\"\n").unwrap();
    let d = wait_publish(&mut s, &uri, |d| d.iter().any(|x| x["code"] == "missing-section" && x["severity"] == 4));
    assert!(d.iter().filter(|x| x["code"] == "missing-section").all(|x| x["severity"] == 4), "{d:#?}");

    // Deleted: the defaults again.
    std::fs::remove_file(&toml).unwrap();
    let d = wait_publish(&mut s, &uri, |d| has_code(d, "placeholder"));
    assert!(d.iter().filter(|x| x["code"] == "missing-section").all(|x| x["severity"] == 1), "{d:#?}");
    assert!(!s.backlog.iter().any(|m| m["method"] == "client/registerCapability"), "no watcher was asked for");
    assert_eq!(s.shutdown(), 0);
}

/// A packet.toml that is not UTF-8 is reported (`config-invalid`, the
/// defaults apply) and the poll does not take it for a change every time it
/// looks (it re-checked and re-published every 2 s before).
#[test]
fn a_packet_toml_that_is_not_utf8_is_reported_once_and_not_polled_as_a_change() {
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("packet.toml");
    std::fs::write(&toml, b"# caf\xe9\n[rules]\nplaceholder = \"off\"\n").unwrap();
    let mut s = Lsp::start_in(dir.path());
    s.initialize(json!({"general": {"positionEncodings": ["utf-16"]}}), json!({"debounceMs": 0}));
    let uri = file_uri(&dir.path().join("p.packet.md"));
    s.open(&uri, MINIMAL, 1);
    let d = s.diagnostics(&uri, 1);
    assert!(has_code(&d, "placeholder"), "the defaults apply: {d:#?}");
    let c = wait_publish(&mut s, &file_uri(&toml), |d| !d.is_empty());
    assert_eq!(c.len(), 1, "{c:#?}");
    assert_eq!(c[0]["code"], "config-invalid");
    assert_eq!(c[0]["message"], "packet.toml is not UTF-8 text (save it as UTF-8): it is ignored and the defaults apply");
    // The poll is time-based, so this looks over two of its rounds: nothing
    // changed on disk, so nothing is published again.
    s.drain(std::time::Duration::from_millis(4500));
    assert_eq!(s.published_versions(&uri), Vec::<i64>::new(), "re-published without a change");
    assert_eq!(s.shutdown(), 0);
}
