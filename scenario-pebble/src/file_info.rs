//! `FileInfo` and `FileType`: what `list_files` reports about one path, as Pebble does.

use std::fs::Metadata;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::time::SystemTime;

use crate::owners::Owners;

/// The type of a file, with the names of ops's `pebble.FileType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileType {
    File,
    Directory,
    Symlink,
    Socket,
    NamedPipe,
    Device,
    Unknown,
}

impl FileType {
    /// The value of the matching `pebble.FileType` member.
    pub fn as_str(self) -> &'static str {
        match self {
            FileType::File => "file",
            FileType::Directory => "directory",
            FileType::Symlink => "symlink",
            FileType::Socket => "socket",
            FileType::NamedPipe => "named-pipe",
            FileType::Device => "device",
            FileType::Unknown => "unknown",
        }
    }

    fn of(meta: &Metadata) -> Self {
        let t = meta.file_type();
        if t.is_symlink() {
            FileType::Symlink
        } else if t.is_dir() {
            FileType::Directory
        } else if t.is_file() {
            FileType::File
        } else if t.is_socket() {
            FileType::Socket
        } else if t.is_fifo() {
            FileType::NamedPipe
        } else if t.is_block_device() || t.is_char_device() {
            FileType::Device
        } else {
            FileType::Unknown
        }
    }
}

/// Stat-like information about one path, the fields of ops's `pebble.FileInfo`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileInfo {
    /// The container-absolute path, `/` for the root.
    pub path: String,
    /// The base name, `/` for the root.
    pub name: String,
    pub file_type: FileType,
    /// The size in bytes of a regular file; 0 for any other type, as Pebble documents.
    pub size: u64,
    /// The permission bits (`0o7777` at most).
    pub permissions: u32,
    pub last_modified: SystemTime,
    pub user_id: u32,
    /// The owner's name, `None` when the host has no name for `user_id`.
    pub user: Option<String>,
    pub group_id: u32,
    pub group: Option<String>,
}

impl FileInfo {
    pub(crate) fn new(path: String, name: String, meta: &Metadata, owners: &Owners) -> Self {
        let file_type = FileType::of(meta);
        FileInfo {
            path,
            name,
            file_type,
            size: if file_type == FileType::File {
                meta.len()
            } else {
                0
            },
            permissions: meta.permissions().mode() & 0o7777,
            last_modified: meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
            user_id: meta.uid(),
            user: owners.user(meta.uid()),
            group_id: meta.gid(),
            group: owners.group(meta.gid()),
        }
    }

    /// `last_modified` as seconds since the Unix epoch, for `datetime.fromtimestamp`.
    pub fn last_modified_timestamp(&self) -> f64 {
        match self.last_modified.duration_since(SystemTime::UNIX_EPOCH) {
            Ok(d) => d.as_secs_f64(),
            Err(before) => -before.duration().as_secs_f64(),
        }
    }
}
