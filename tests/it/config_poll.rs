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
