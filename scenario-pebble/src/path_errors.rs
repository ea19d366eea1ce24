//! How Pebble words file errors: argument checks, and I/O errors turned into
//! `PathError`s with Go's `op path: reason` messages.

use std::io::{self, ErrorKind};

use crate::error::{PathErrorKind, PebbleError};

pub(crate) fn check_absolute(path: &str) -> Result<(), PebbleError> {
    if path.starts_with('/') {
        Ok(())
    } else {
        Err(PebbleError::generic(format!(
            "paths must be absolute, got {}",
            py_repr(path)
        )))
    }
}

pub(crate) fn check_permissions(permissions: Option<u32>) -> Result<(), PebbleError> {
    match permissions {
        Some(mode) if mode > 0o777 => Err(PebbleError::generic(format!(
            "permissions not within 0o000 to 0o777: {mode:#o}"
        ))),
        _ => Ok(()),
    }
}

/// A missing path, or one whose parent is not a directory: both are "not there".
pub(crate) fn is_missing(e: &io::Error) -> bool {
    matches!(e.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory)
}

/// An I/O error as Pebble reports it: Go's `op path: reason`, with the matching kind.
pub(crate) fn io_error(op: &str, path: &str, e: &io::Error) -> PebbleError {
    let kind = match e.kind() {
        ErrorKind::NotFound => PathErrorKind::NotFound,
        ErrorKind::PermissionDenied => PathErrorKind::PermissionDenied,
        _ => PathErrorKind::GenericFileError,
    };
    PebbleError::path(kind, format!("{op} {path}: {}", strerror(e)))
}

/// Go's lowercase `strerror` text for an I/O error.
pub(crate) fn strerror(e: &io::Error) -> String {
    let known = match e.kind() {
        ErrorKind::NotFound => "no such file or directory",
        ErrorKind::PermissionDenied => "permission denied",
        ErrorKind::AlreadyExists => "file exists",
        ErrorKind::NotADirectory => "not a directory",
        ErrorKind::IsADirectory => "is a directory",
        ErrorKind::DirectoryNotEmpty => "directory not empty",
        ErrorKind::ResourceBusy => "device or resource busy",
        ErrorKind::ReadOnlyFilesystem => "read-only file system",
        ErrorKind::StorageFull => "no space left on device",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_owned();
    }
    let text = e.to_string();
    let text = text.split(" (os error").next().unwrap_or(&text);
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(chars).collect()
    })
}

/// Python's `repr` of a str, as ops's testing client puts paths into messages.
fn py_repr(s: &str) -> String {
    if s.contains('\'') && !s.contains('"') {
        format!("\"{s}\"")
    } else {
        format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strerror_is_go_style() {
        assert_eq!(
            strerror(&io::Error::from(ErrorKind::NotFound)),
            "no such file or directory"
        );
        assert_eq!(
            strerror(&io::Error::from_raw_os_error(36)),
            "file name too long"
        );
    }

    #[test]
    fn py_repr_quotes_like_python() {
        assert_eq!(py_repr("a/b"), "'a/b'");
        assert_eq!(py_repr("it's"), "\"it's\"");
        assert_eq!(py_repr("it's \"x\""), "'it\\'s \"x\"'");
    }
}
