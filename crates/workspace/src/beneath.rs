//! Reading a file beneath a folder without a time-of-check/time-of-use gap:
//! the path is walked from the folder one component at a time, each opened
//! relative to the descriptor of the one before (`openat`) with `O_NOFOLLOW`,
//! so a folder or the file swapped for a symlink after the path was checked
//! is refused instead of followed out of the folder. The file is then read
//! from its own descriptor, after checking on that descriptor that it is a
//! regular file within the size cap.
//!
//! Policy: the walk follows no symlink at all. Callers pass a path that was
//! resolved (canonicalised and checked to be inside the folder) beforehand,
//! so a symlink that pointed inside the folder at that time is already
//! resolved away; any symlink met now was swapped in since and is refused,
//! wherever it points.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Component, Path};

fn refused(why: &str) -> io::Error {
    io::Error::new(io::ErrorKind::PermissionDenied, why.to_string())
}

/// Opens `rel` (relative, made of plain names: no `..`, no root) beneath the
/// folder `root` without following any symlink on the way or at the end, and
/// without blocking on a FIFO. `root` itself is trusted (opened normally).
#[cfg(unix)]
pub fn open_beneath(root: &Path, rel: &Path) -> io::Result<File> {
    use rustix::fs::{openat, Mode, OFlags, CWD};
    #[cfg(any(target_os = "linux", target_os = "android"))]
    let dir_flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    let dir_flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let names = names(rel)?;
    let Some((last, folders)) = names.split_last() else {
        return Err(refused("an empty path names no file"));
    };
    let mut dir = openat(CWD, root, OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty())?;
    for name in folders {
        dir = openat(&dir, *name, dir_flags, Mode::empty()).map_err(|e| on_the_way(e, name))?;
    }
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC;
    let fd = openat(&dir, *last, flags, Mode::empty()).map_err(|e| on_the_way(e, last))?;
    Ok(File::from(fd))
}

/// The error for a component that could not be opened: a symlink (`ELOOP`
/// from `O_NOFOLLOW`; `ENOTDIR` for a symlink opened as a folder on some
/// systems) says so.
#[cfg(unix)]
fn on_the_way(e: rustix::io::Errno, name: &std::ffi::OsStr) -> io::Error {
    if e == rustix::io::Errno::LOOP || e == rustix::io::Errno::NOTDIR {
        return refused(&format!("{} is a symlink or not a folder; not followed", name.to_string_lossy()));
    }
    e.into()
}

/// Where `openat` is not available: open the joined path (the race this
/// module closes stays open there).
#[cfg(not(unix))]
pub fn open_beneath(root: &Path, rel: &Path) -> io::Result<File> {
    names(rel)?;
    File::open(root.join(rel))
}

/// `rel`'s components, each a plain name.
fn names(rel: &Path) -> io::Result<Vec<&std::ffi::OsStr>> {
    rel.components()
        .filter(|c| *c != Component::CurDir)
        .map(|c| match c {
            Component::Normal(n) => Ok(n),
            _ => Err(refused("the path leaves the folder it is read beneath")),
        })
        .collect()
}

/// Reads the regular file `path` (absolute and resolved, inside `root`) of at
/// most `max` bytes, opened beneath `root` (see [`open_beneath`]). `root` is
/// canonicalised first, so a `path` from `fs::canonicalize` lines up with it.
pub fn read_beneath(root: &Path, path: &Path, max: u64) -> io::Result<Vec<u8>> {
    let real_root = std::fs::canonicalize(root)?;
    let rel = path.strip_prefix(&real_root).map_err(|_| refused("the file is not inside the workspace root"))?;
    let f = open_beneath(&real_root, rel)?;
    read_open(f, max)
}

/// Reads an open file: it must be a regular file (checked on the descriptor)
/// of at most `max` bytes, also if it grows while being read.
pub fn read_open(f: File, max: u64) -> io::Result<Vec<u8>> {
    let meta = f.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "not a regular file"));
    }
    if meta.len() > max {
        return Err(io::Error::new(io::ErrorKind::InvalidData, format!("larger than {max} bytes")));
    }
    let mut buf = Vec::with_capacity(meta.len() as usize);
    f.take(max + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > max {
        return Err(io::Error::new(io::ErrorKind::InvalidData, format!("larger than {max} bytes")));
    }
    Ok(buf)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn reads_plain_paths_and_refuses_symlinks_and_dotdot() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("root");
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::write(root.join("a/b/f.md"), "inside").unwrap();
        std::fs::write(tmp.path().join("secret.md"), "outside").unwrap();
        std::os::unix::fs::symlink(tmp.path(), root.join("up")).unwrap();
        std::os::unix::fs::symlink(root.join("a/b/f.md"), root.join("a/link.md")).unwrap();
        let read = |rel: &str| read_open(open_beneath(&root, Path::new(rel))?, 100);
        assert_eq!(read("a/b/f.md").unwrap(), b"inside");
        assert_eq!(read("./a/b/f.md").unwrap(), b"inside");
        let e = read("up/secret.md").unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::PermissionDenied, "{e}");
        assert!(e.to_string().contains("up is a symlink"), "{e}");
        assert!(read("a/link.md").unwrap_err().to_string().contains("link.md is a symlink"));
        assert_eq!(read("a/../../secret.md").unwrap_err().kind(), io::ErrorKind::PermissionDenied);
        assert_eq!(read("a/b").unwrap_err().kind(), io::ErrorKind::InvalidInput, "a folder is not a regular file");
        assert_eq!(read("").unwrap_err().kind(), io::ErrorKind::PermissionDenied);
        assert_eq!(read_open(open_beneath(&root, Path::new("a/b/f.md")).unwrap(), 3).unwrap_err().kind(), io::ErrorKind::InvalidData);
        // Through read_beneath: an absolute resolved path inside the root.
        let real = std::fs::canonicalize(root.join("a/b/f.md")).unwrap();
        assert_eq!(read_beneath(&root, &real, 100).unwrap(), b"inside");
        let outside = std::fs::canonicalize(tmp.path().join("secret.md")).unwrap();
        assert_eq!(read_beneath(&root, &outside, 100).unwrap_err().kind(), io::ErrorKind::PermissionDenied);
    }

    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let tmp = tempfile::tempdir().unwrap();
        let fifo = std::ffi::CString::new(tmp.path().join("p.md").as_os_str().as_encoded_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
        let e = read_open(open_beneath(tmp.path(), Path::new("p.md")).unwrap(), 100).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
    }
}
