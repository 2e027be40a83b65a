//! `packet-ls bundle PACKET -o OUT.html`: reads the packet, its config and
//! the letter files inside the workspace root, renders with
//! [`crate::bundle::render`] and writes one HTML file. Exit 0, or 2 on a
//! usage or I/O error.

use std::path::Path;
use std::process::ExitCode;

use crate::analysis::analyze;
use crate::bundle::{render, BundleInput};
use crate::config::EditorOverrides;
use crate::workspace::{self, LoadedConfig};

/// Builds the bundle's HTML for a packet on disk.
pub fn bundle_html(packet: &Path) -> Result<String, String> {
    let bytes = std::fs::read(packet).map_err(|e| format!("cannot read {}: {e}", packet.display()))?;
    let text = String::from_utf8(bytes).map_err(|_| format!("{} is not valid UTF-8 text", packet.display()))?;
    let dir = workspace::absolute(packet).parent().map(Path::to_path_buf).unwrap_or_default();
    let config = workspace::find_config(&dir).and_then(|c| LoadedConfig::load(&c).ok());
    let settings = workspace::settings_for(&text, config.as_ref(), &EditorOverrides::default());
    let env = workspace::env_for(packet, &text);
    let letters = workspace::read_letters(&env);
    let a = analyze(&text, &settings, &env);
    let name = packet.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(render(&BundleInput { analysis: &a, packet_name: &name, letters: &letters }))
}

pub fn run(packet: &Path, output: &Path) -> ExitCode {
    let html = match bundle_html(packet) {
        Ok(h) => h,
        Err(e) => {
            eprintln!("packet-ls: {e}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = std::fs::write(output, html) {
        eprintln!("packet-ls: cannot write {}: {e}", super::output::shown_path(&output));
        return ExitCode::from(2);
    }
    println!("Wrote {} (packet {} and its letters).", super::output::shown_path(&output), super::output::shown_path(&packet));
    ExitCode::SUCCESS
}
