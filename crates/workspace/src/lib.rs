//! The file system around a packet: finding and loading `packet.toml`,
//! deciding whether a file is a packet, the workspace root, and the letters
//! read race-free beneath it. The analysis (`packet-ls-core`) does no I/O;
//! this crate looks up what it needs, and [`load`] is the one path from a
//! file and its text to its analysis that `check`, `bundle`, `report`, the
//! server and the tests all take.

pub mod beneath;
pub mod load;
pub mod owner;

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use packet_ls_core::analysis::{Env, LetterStatus};
use packet_ls_core::config::{Config, ConfigError, EditorOverrides, Settings};
use packet_ls_core::document::{front_matter, Document};

pub const CONFIG_FILE: &str = "packet.toml";

/// A `packet.toml` read from disk.
#[derive(Debug, Clone)]
pub struct LoadedConfig {
    pub path: PathBuf,
    pub text: String,
    pub config: Config,
    pub errors: Vec<ConfigError>,
}

impl LoadedConfig {
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// Parses `packet.toml` text that lives at `path`.
    pub fn from_text(path: PathBuf, text: String) -> LoadedConfig {
        let (config, errors) = Config::parse(&text);
        LoadedConfig { path, text, config, errors }
    }

    /// Reads `packet.toml`. A file that is not UTF-8 (saved as Latin-1 or
    /// UTF-16, say) loads as one `config-invalid` error and the defaults, so
    /// it is reported instead of silently ignored.
    pub fn load(path: &Path) -> io::Result<LoadedConfig> {
        let bytes = fs::read(path)?;
        Ok(match String::from_utf8(bytes) {
            Ok(text) => LoadedConfig::from_text(path.to_path_buf(), text),
            Err(_) => LoadedConfig {
                path: path.to_path_buf(),
                text: String::new(),
                config: Config::default(),
                errors: vec![ConfigError {
                    range: 0..0,
                    message: format!("{CONFIG_FILE} is not UTF-8 text (save it as UTF-8): it is ignored and the defaults apply"),
                }],
            },
        })
    }

    /// Whether the config's `include` globs list `file` (relative to the config's folder).
    pub fn includes(&self, file: &Path) -> bool {
        relative_slash(file, self.dir()).is_some_and(|rel| self.config.includes(&rel))
    }
}

/// Whether a path names a Markdown file (`.md` or `.markdown`, any case): what
/// `check` collects from folders, what a letter file is, what the server watches.
pub fn is_markdown(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// Makes a path absolute (relative to the current directory) and removes `.`
/// and `..` components without touching the file system.
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    normalize(&joined)
}

/// Removes `.` and `..` components lexically.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `file` relative to `base`, with `/` separators, if it is inside `base`.
pub fn relative_slash(file: &Path, base: &Path) -> Option<String> {
    let rel = absolute(file).strip_prefix(absolute(base)).ok()?.to_path_buf();
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    Some(parts.join("/"))
}

/// The nearest `packet.toml` in `dir` or a parent folder.
pub fn find_config(dir: &Path) -> Option<PathBuf> {
    let dir = absolute(dir);
    dir.ancestors().map(|d| d.join(CONFIG_FILE)).find(|p| p.is_file())
}

/// The workspace root for a packet: the folder of the nearest `packet.toml`,
/// else the nearest folder holding `.git`, else the packet's own folder.
pub fn workspace_root(packet: &Path) -> PathBuf {
    let packet = absolute(packet);
    let dir = packet.parent().map(Path::to_path_buf).unwrap_or_default();
    if let Some(cfg) = find_config(&dir) {
        if let Some(p) = cfg.parent() {
            return p.to_path_buf();
        }
    }
    dir.ancestors().find(|d| d.join(".git").exists()).map(Path::to_path_buf).unwrap_or(dir)
}

/// Whether `path` with contents `text` is a packet, given its nearest config.
pub fn is_packet_file(path: &Path, text: &str, config: Option<&LoadedConfig>) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
    packet_ls_core::analysis::is_packet(&name, text, config.is_some_and(|c| c.includes(path)))
}

/// The settings for a packet's text under a config (or the defaults).
pub fn settings_for(text: &str, config: Option<&LoadedConfig>, editor: &EditorOverrides) -> Settings {
    let fm_rubric = front_matter_rubric(text);
    match config {
        Some(c) => c.config.settings(fm_rubric.as_deref(), editor),
        None => Config::default().settings(fm_rubric.as_deref(), editor),
    }
}

/// The rubric a packet names in its front matter (`packet: NAME`).
pub fn front_matter_rubric(text: &str) -> Option<String> {
    front_matter(text).and_then(|f| f.packet_value)
}

/// Resolves each letter `file:` named in the packet's front matter (the
/// sponsor's own letter included; relative
/// to the packet's folder) and checks that it stays inside `root`: absolute
/// paths are refused, `..` that leaves the root is refused without touching
/// the file system, and symlinks are followed (canonicalised) and refused when
/// they lead out. Nothing outside the root is read.
pub fn resolve_letters(packet: &Path, root: &Path, text: &str) -> BTreeMap<String, LetterStatus> {
    // The front matter is all that is read: parse the text up to its end.
    let Some(end) = front_matter(text).map(|f| f.range.end) else {
        return BTreeMap::new();
    };
    let doc = Document::front_only(&text[..end]);
    let front = packet_ls_core::frontmatter::parse(&doc);
    let dir = absolute(packet).parent().map(Path::to_path_buf).unwrap_or_default();
    front
        .letter_files()
        .filter_map(|l| l.file_path())
        .map(|f| (f.to_string(), resolve_letter(&dir, root, f)))
        .collect()
}

/// Resolves one letter path written in a packet in folder `dir`.
pub fn resolve_letter(dir: &Path, root: &Path, file: &str) -> LetterStatus {
    let file = file.trim();
    let p = Path::new(file);
    if p.is_absolute() || p.has_root() || file.starts_with('/') || file.starts_with('\\') {
        return LetterStatus::Absolute;
    }
    let root = absolute(root);
    let joined = normalize(&absolute(dir).join(p));
    if !joined.starts_with(&root) {
        return LetterStatus::OutsideRoot;
    }
    let (Ok(real), Ok(real_root)) = (fs::canonicalize(&joined), fs::canonicalize(&root)) else {
        return LetterStatus::Missing;
    };
    if !real.starts_with(&real_root) {
        return LetterStatus::OutsideRoot;
    }
    if real.is_file() {
        LetterStatus::Found(real)
    } else {
        LetterStatus::Missing
    }
}

/// The analysis environment for a packet file on disk: its path, workspace
/// root and resolved letter files.
pub fn env_for(path: &Path, text: &str) -> Env {
    env_in_root(path, &workspace_root(path), text)
}

/// [`env_for`] under a given workspace root (the server's workspace folder):
/// the letters are resolved inside it, and the ones found are read
/// race-free beneath it ([`read_resolved`], at most [`MAX_LETTER_BYTES`]
/// each), so the analysis can check them as documents.
pub fn env_in_root(path: &Path, root: &Path, text: &str) -> Env {
    let letters = resolve_letters(path, root, text);
    let mut env = Env { path: Some(absolute(path)), root: Some(root.to_path_buf()), letters, ..Env::default() };
    env.letter_texts = read_letters(&env).into_iter().filter(|(f, _)| matches!(env.letters.get(f), Some(LetterStatus::Found(_)))).collect();
    env
}

/// The largest letter file `bundle` includes.
pub const MAX_LETTER_BYTES: u64 = 1024 * 1024;
/// The largest image `bundle` inlines as a `data:` URI.
pub const MAX_IMAGE_BYTES: u64 = 2 * 1024 * 1024;

/// Reads a regular file of at most `max` bytes (the packet `bundle` was given;
/// letters and images go through [`read_resolved`]), without blocking on what is
/// not one: the file is opened non-blocking (a FIFO swapped in after a check
/// does not hang the open), not through a symlink in its last component (one
/// swapped in after resolving is refused), and its type and size are checked
/// on the open file itself.
pub fn read_regular(path: &Path, max: u64) -> io::Result<Vec<u8>> {
    let mut opts = fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
    }
    crate::beneath::read_open(opts.open(path)?, max)
}

/// Reads a file that [`resolve_letter`] found inside `root` (its resolved
/// path), opened race-free beneath the root: walked from the root one
/// component at a time without following symlinks
/// ([`crate::beneath::read_beneath`]), so a folder or the file swapped for a
/// symlink since it was resolved is refused, not read. Not a regular file
/// (a FIFO: refused without blocking) or over `max` bytes: an error.
pub fn read_resolved(root: &Path, path: &Path, max: u64) -> io::Result<Vec<u8>> {
    crate::beneath::read_beneath(root, path, max)
}

/// Reads the letter files `env` resolved inside the workspace root, for
/// `packet-ls bundle`, race-free beneath the root ([`read_resolved`]), at
/// most [`MAX_LETTER_BYTES`] each. Refused and missing ones come back as the
/// reason.
pub fn read_letters(env: &Env) -> packet_ls_core::letters::Letters {
    use packet_ls_core::letters::{unavailable, LetterText};
    let root = env.root.clone().unwrap_or_default();
    env.letters
        .iter()
        .map(|(file, status)| {
            let text = match (unavailable(file, Some(status)), status) {
                (Some(why), _) => why,
                (None, LetterStatus::Found(path)) => match read_resolved(&root, path, MAX_LETTER_BYTES).map(String::from_utf8) {
                    Ok(Ok(t)) => LetterText::Text(t),
                    Ok(Err(_)) => LetterText::Unavailable(format!("Letter file {file} is not UTF-8 text.")),
                    Err(e) => LetterText::Unavailable(format!("Letter file {file} could not be read: {e}.")),
                },
                (None, _) => LetterText::Unavailable(format!("Letter file {file} is missing.")),
            };
            (file.clone(), text)
        })
        .collect()
}
