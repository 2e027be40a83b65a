//! The distribution metadata as data: the crate, the Python wheel and the VS
//! Code extension name the same repository (the one the rule documentation
//! links use), and each package carries what its registry expects. The builds
//! themselves run in scripts/wheel-test.sh, `cargo package` (scripts/test-all.sh)
//! and scripts/editor-tests.sh.

use std::path::Path;

use serde_json::Value;

const REPO_URL: &str = "https://github.com/packet-ls/packet-ls";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn toml_of(rel: &str) -> toml::Table {
    read(rel).parse().unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// A `[package]` field of a crate's manifest, following `field.workspace = true`
/// to the root manifest's `[workspace.package]`.
fn package_field(manifest: &str, key: &str) -> toml::Value {
    let m = toml_of(manifest);
    let v = m["package"].get(key).cloned().unwrap_or_else(|| panic!("{manifest}: no package.{key}"));
    if v.get("workspace").and_then(toml::Value::as_bool) == Some(true) {
        return toml_of("Cargo.toml")["workspace"]["package"][key].clone();
    }
    v
}

#[test]
fn the_rule_links_point_at_the_repository_every_package_names() {
    assert!(packet_ls::rules::DOCS_URL.starts_with(&format!("{REPO_URL}/")), "{}", packet_ls::rules::DOCS_URL);
}

#[test]
fn the_crate_has_registry_metadata_and_an_include_list() {
    let cargo = toml_of("Cargo.toml");
    let p = cargo["package"].as_table().unwrap();
    for manifest in ["Cargo.toml", "crates/core/Cargo.toml", "crates/workspace/Cargo.toml"] {
        assert_eq!(package_field(manifest, "repository").as_str(), Some(REPO_URL), "{manifest}");
        assert_eq!(package_field(manifest, "license").as_str(), Some("MIT OR Apache-2.0"), "{manifest}");
        assert_eq!(package_field(manifest, "version"), package_field("Cargo.toml", "version"), "{manifest}: one version");
    }
    assert_eq!(p["readme"].as_str(), Some("README.md"));
    let keywords = p["keywords"].as_array().unwrap();
    assert!(keywords.len() <= 5 && keywords.iter().all(|k| k.as_str().unwrap().len() <= 20), "crates.io: at most 5 keywords of 20 chars");
    assert!(!p["categories"].as_array().unwrap().is_empty());
    let include: Vec<&str> = p["include"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    // What the binary embeds must be in the crate, or `cargo install` cannot build it.
    for needed in ["/src/**/*.rs", "/Cargo.lock", "/README.md"] {
        assert!(include.contains(&needed), "{needed} missing from include: {include:?}");
    }
    // The template the core embeds travels in the core's crate.
    let core = toml_of("crates/core/Cargo.toml");
    let core_include: Vec<&str> = core["package"]["include"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(core_include.contains(&"/templates/*.md") && core_include.contains(&"/src/**/*.rs"), "{core_include:?}");
    assert!(!include.iter().any(|i| i.starts_with("/tests") || i.starts_with("/fuzz") || i.starts_with("/editors")), "{include:?}");
}

#[test]
fn the_wheel_is_a_maturin_bin_wheel_with_the_crate_version() {
    let py = toml_of("pyproject.toml");
    assert_eq!(py["build-system"]["build-backend"].as_str(), Some("maturin"));
    assert_eq!(py["tool"]["maturin"]["bindings"].as_str(), Some("bin"));
    let project = py["project"].as_table().unwrap();
    assert_eq!(project["name"].as_str(), Some("packet-ls"));
    // The version comes from Cargo.toml, so the two never disagree.
    assert!(project.get("version").is_none());
    assert_eq!(project["dynamic"].as_array().unwrap()[0].as_str(), Some("version"));
    assert_eq!(project["urls"]["Repository"].as_str(), Some(REPO_URL));
    assert_eq!(project["readme"].as_str(), Some("README.md"));
}

#[test]
fn the_extension_is_marketplace_ready_and_carries_the_server() {
    let pkg: Value = serde_json::from_str(&read("editors/vscode/package.json")).unwrap();
    assert!(pkg.get("private").is_none(), "a private package cannot be published");
    assert_eq!(pkg["repository"]["url"], format!("{REPO_URL}.git"));
    assert_eq!(pkg["version"].as_str(), package_field("Cargo.toml", "version").as_str(), "extension and server versions");
    let icon = pkg["icon"].as_str().unwrap();
    let png = std::fs::read(root().join("editors/vscode").join(icon)).unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "the icon is a PNG");
    let (w, h) = (u32::from_be_bytes(png[16..20].try_into().unwrap()), u32::from_be_bytes(png[20..24].try_into().unwrap()));
    assert!(w >= 128 && w == h, "the Marketplace wants a square icon of at least 128 px: {w}x{h}");
    let license = read("editors/vscode/LICENSE.md");
    assert!(license.contains("Permission is hereby granted, free of charge"), "the MIT text");
    assert!(license.contains("TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION"), "the Apache-2.0 text");
    assert!(read("editors/vscode/CHANGELOG.md").contains(&format!("## {}", pkg["version"].as_str().unwrap())));
    // The server path is an executable setting: untrusted workspaces may not set it.
    let trust = &pkg["capabilities"]["untrustedWorkspaces"];
    assert_eq!(trust["supported"], "limited");
    assert!(trust["restrictedConfigurations"].as_array().unwrap().iter().any(|c| c == "packet-ls.server.path"));
    // `npm run package` builds the platform .vsix with the server inside, and packs it.
    assert_eq!(pkg["scripts"]["package"], "node scripts/package.mjs");
    let ignore = read("editors/vscode/.vscodeignore");
    for kept in ["!server/packet-ls", "!images/icon.png", "!LICENSE.md", "!CHANGELOG.md", "!dist/extension.js"] {
        assert!(ignore.lines().any(|l| l.trim() == kept), "{kept} missing from .vscodeignore");
    }
    let ext = read("editors/vscode/src/extension.ts");
    assert!(ext.contains("path.join(extensionDir, 'server',"), "the extension looks for its bundled server");
}
