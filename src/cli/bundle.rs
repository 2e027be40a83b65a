//! `packet-ls bundle PACKET -o OUT.html`: reads the packet, its config and
//! the letter files inside the workspace root, renders with
//! [`crate::bundle::render`] and writes one HTML file. Exit 0, or 2 on a
//! usage or I/O error.
//!
//! Inputs must be regular files (a FIFO or a device is refused without
//! blocking on it). The output must not be the packet or one of its letters,
//! and an existing output is replaced only with `--force`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use base64::Engine as _;

use super::output::shown_path;
use crate::analysis::{Env, LetterStatus};
use crate::bundle::{render, BundleInput, ImageLoader};
use crate::config::EditorOverrides;
use crate::workspace::{self, load::Packet};

/// The largest packet `bundle` reads.
pub const MAX_PACKET_BYTES: u64 = 16 * 1024 * 1024;

/// The MIME type of an image file that is inlined, by its extension.
fn image_type(p: &Path) -> Option<&'static str> {
    let ext = p.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        // SVG is a document of its own (scripts, external references): not inlined.
        _ => return None,
    })
}

/// Inlines images that are files inside the workspace root (relative to the
/// packet's folder, or to the letter's), of at most
/// [`workspace::MAX_IMAGE_BYTES`]. A URL with a scheme (`http:`, `data:`,
/// `file:`…) or `//host` is never loaded.
fn image_loader(env: &Env) -> Option<ImageLoader> {
    let root = env.root.clone()?;
    let packet_dir = env.path.as_ref()?.parent()?.to_path_buf();
    let letters = env.letters.clone();
    Some(Arc::new(move |letter: Option<&str>, src: &str| {
        let src = src.trim();
        let path = src.split(['?', '#']).next().unwrap_or("");
        let scheme = path.find(':').is_some_and(|i| path[..i].chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)));
        if path.is_empty() || scheme || path.starts_with("//") || path.starts_with("\\\\") {
            return None;
        }
        let dir = match letter {
            None => packet_dir.clone(),
            Some(f) => match letters.get(f) {
                Some(LetterStatus::Found(real)) => real.parent()?.to_path_buf(),
                _ => return None,
            },
        };
        let LetterStatus::Found(real) = workspace::resolve_letter(&dir, &root, path) else { return None };
        let mime = image_type(&real)?;
        // Read race-free beneath the root, like the letters.
        let bytes = workspace::read_resolved(&root, &real, workspace::MAX_IMAGE_BYTES).ok()?;
        Some(format!("data:{mime};base64,{}", base64::engine::general_purpose::STANDARD.encode(bytes)))
    }))
}

/// Reads an input of `bundle`: a regular file, checked before it is opened
/// (so a FIFO is refused, not waited on) and again on the open file.
fn read_input(path: &Path) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read {}: {e}", shown_path(path)))?;
    if !meta.is_file() {
        return Err(format!("cannot read {}: not a regular file", shown_path(path)));
    }
    // A symlink was followed by the check above; read what it points to.
    let real = std::fs::canonicalize(path).map_err(|e| format!("cannot read {}: {e}", shown_path(path)))?;
    let bytes = workspace::read_regular(&real, MAX_PACKET_BYTES).map_err(|e| format!("cannot read {}: {e}", shown_path(path)))?;
    String::from_utf8(bytes).map_err(|_| format!("{} is not valid UTF-8 text", shown_path(path)))
}

/// Builds the bundle's HTML for a packet on disk.
pub fn bundle_html(packet: &Path) -> Result<String, String> {
    bundle_parts(packet).map(|(html, _)| html)
}

/// The HTML and the files it was made from (the packet and its letters).
fn bundle_parts(packet: &Path) -> Result<(String, Vec<PathBuf>), String> {
    let text = read_input(packet)?;
    let config = workspace::load::nearest_config(packet);
    let settings = Arc::new(workspace::settings_for(&text, config.as_ref(), &EditorOverrides::default()));
    // Named on the command line: bundled as a packet even without the packet markers.
    let loaded = Packet::with_settings(packet, &text, settings, None);
    let env = &loaded.env;
    let letters = workspace::read_letters(env);
    let mut a = loaded.analyze(&text);
    crate::cap::cap_per_rule(&mut a.diagnostics);
    let name = packet.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let html = render(&BundleInput { analysis: &a, packet_name: &name, letters: &letters, images: image_loader(&env) });
    let mut inputs = vec![packet.to_path_buf()];
    inputs.extend(env.letters.values().filter_map(|s| match s {
        LetterStatus::Found(p) => Some(p.clone()),
        _ => None,
    }));
    Ok((html, inputs))
}

/// Whether two paths name the same file (same device and inode; on other
/// systems, the same canonical path).
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    matches!((std::fs::canonicalize(a), std::fs::canonicalize(b)), (Ok(x), Ok(y)) if x == y)
}

/// Writes the bundle: never over one of its inputs; over an existing file
/// only with `force`, and then atomically (temporary file, rename).
fn write_output(output: &Path, html: &str, inputs: &[PathBuf], force: bool) -> Result<(), String> {
    use std::io::Write;
    if let Some(i) = inputs.iter().find(|i| same_file(i, output)) {
        return Err(format!("refusing to write {}: it is an input of the bundle ({})", shown_path(output), shown_path(i)));
    }
    match std::fs::symlink_metadata(output) {
        Ok(_) if !force => Err(format!("{} already exists; not overwriting it (use --force)", shown_path(output))),
        Ok(m) if !m.is_file() && !m.file_type().is_symlink() => {
            Err(format!("refusing to write {}: not a regular file", shown_path(output)))
        }
        Ok(_) => {
            let dir = match output.parent() {
                Some(d) if !d.as_os_str().is_empty() => d,
                _ => Path::new("."),
            };
            let mut tmp = tempfile::Builder::new()
                .prefix(".packet-ls-bundle-")
                .tempfile_in(dir)
                .map_err(|e| format!("cannot write {}: {e}", shown_path(output)))?;
            tmp.write_all(html.as_bytes())
                .and_then(|_| tmp.as_file().sync_all())
                .map_err(|e| format!("cannot write {}: {e}", shown_path(output)))?;
            tmp.persist(output).map_err(|e| format!("cannot write {}: {}", shown_path(output), e.error))?;
            Ok(())
        }
        Err(_) => {
            // create_new: a file that appears meanwhile is not overwritten either.
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(output)
                .map_err(|e| format!("cannot write {}: {e}", shown_path(output)))?;
            f.write_all(html.as_bytes()).map_err(|e| format!("cannot write {}: {e}", shown_path(output)))
        }
    }
}

pub fn run(packet: &Path, output: &Path, force: bool) -> ExitCode {
    let (html, inputs) = match bundle_parts(packet) {
        Ok(h) => h,
        Err(e) => {
            eprintln!("packet-ls: {e}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = write_output(output, &html, &inputs, force) {
        eprintln!("packet-ls: {e}");
        return ExitCode::from(2);
    }
    println!("Wrote {} (packet {} and its letters).", shown_path(output), shown_path(packet));
    ExitCode::SUCCESS
}
