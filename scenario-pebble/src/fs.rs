//! A container's filesystem: real files under a host root, plus mounts, with Pebble's
//! file operations and their errors.
//!
//! Every charm-given path goes through the [`Resolver`] first; this module then works
//! only on the host path it returns. The file operations are crate-private: the runtime
//! reaches them through [`crate::Pebble`], which checks the connection first.

use std::ffi::OsString;
use std::fs::{self, Metadata, Permissions};
use std::io::{self, ErrorKind};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use indexmap::IndexMap;
use scenario_model::Mount;

use crate::error::PebbleError;
use crate::file_info::{FileInfo, FileType};
use crate::glob::fnmatch;
use crate::owners::Owners;
use crate::path_errors::{check_absolute, check_permissions, io_error, is_missing, strerror};
use crate::resolve::{self, ContainerPath, Follow, ResolveError, Resolved, Resolver};

/// The mode of files pushed without `permissions`.
const DEFAULT_FILE_MODE: u32 = 0o644;
/// The mode of directories made without `permissions`, and of `push`'s parents.
const DEFAULT_DIR_MODE: u32 = 0o755;

/// The filesystem of one container: a host root (created when first needed) and the
/// container's mounts.
#[derive(Debug)]
pub struct ContainerFs {
    resolver: Resolver,
    /// Set once the root and the directories leading to mount points exist.
    prepared: AtomicBool,
}

impl ContainerFs {
    /// A filesystem rooted at `root`, which the caller owns. Nothing is created until an
    /// operation needs it.
    pub fn new(root: PathBuf, mounts: &IndexMap<String, Mount>) -> Self {
        Self::with_unmounted(root, mounts, &[])
    }

    /// As [`ContainerFs::new`], without the mounts at `unmounted` (locations as the State
    /// gives them): files mounted alone that the charm removed earlier in the run.
    pub fn with_unmounted(
        root: PathBuf,
        mounts: &IndexMap<String, Mount>,
        unmounted: &[String],
    ) -> Self {
        ContainerFs {
            resolver: Resolver::new(root, mounts, unmounted),
            prepared: AtomicBool::new(false),
        }
    }

    /// The locations of the mounts taken away so far: a file mounted alone that the charm
    /// removed no longer exists (its source, the test's file, stays).
    pub fn unmounted(&self) -> Vec<String> {
        self.resolver.unmounted()
    }

    /// The host directory that is the container's `/`.
    pub fn root(&self) -> &Path {
        self.resolver.root()
    }

    /// Reads a regular file (Pebble's `pull`).
    pub(crate) fn pull(&self, path: &str) -> Result<Vec<u8>, PebbleError> {
        check_absolute(path)?;
        self.prepare()?;
        let r = self.resolve("open", path, Follow::Final)?;
        let meta = match fs::metadata(&r.host) {
            Ok(meta) => meta,
            Err(e) if is_missing(&e) => {
                return Err(PebbleError::not_found(format!(
                    "stat {path}: no such file or directory"
                )));
            }
            Err(e) => return Err(io_error("stat", path, &e)),
        };
        if !meta.is_file() {
            return Err(PebbleError::generic(format!(
                "can only read a regular file: \"{path}\""
            )));
        }
        fs::read(&r.host).map_err(|e| io_error("open", path, &e))
    }

    /// Writes a file (Pebble's `push`). User and group are not modelled.
    pub(crate) fn push(
        &self,
        path: &str,
        data: &[u8],
        make_dirs: bool,
        permissions: Option<u32>,
    ) -> Result<(), PebbleError> {
        check_permissions(permissions)?;
        check_absolute(path)?;
        self.prepare()?;
        let r = self.resolve("open", path, Follow::NotFinal)?;
        let parent = parent_of(&r.container);
        if make_dirs {
            self.create_dirs(parent, DEFAULT_DIR_MODE)
                .map_err(|e| push_parent_error(path, &e))?;
        }
        let (parent_host, parent_is_mount) = self.resolver.host_of(parent);
        match stat_entry(&parent_host, parent_is_mount) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => return Err(push_parent_error(path, &ErrorKind::NotADirectory.into())),
            Err(e) => return Err(push_parent_error(path, &e)),
        }
        match stat_entry(&r.host, r.mount_point) {
            Ok(meta) if meta.is_dir() => {
                return Err(PebbleError::generic(format!("open {path}: is a directory")));
            }
            // Pebble writes a temporary file and renames it over the path, so a symlink
            // there is replaced, not written through.
            Ok(meta) if meta.file_type().is_symlink() => {
                fs::remove_file(&r.host).map_err(|e| io_error("open", path, &e))?;
            }
            _ => {}
        }
        fs::write(&r.host, data).map_err(|e| io_error("open", path, &e))?;
        let mode = permissions.unwrap_or(DEFAULT_FILE_MODE);
        fs::set_permissions(&r.host, Permissions::from_mode(mode))
            .map_err(|e| io_error("chmod", path, &e))
    }

    /// Lists a directory, or reports a file or the directory itself (Pebble's `list_files`).
    pub(crate) fn list_files(
        &self,
        path: &str,
        pattern: Option<&str>,
        itself: bool,
    ) -> Result<Vec<FileInfo>, PebbleError> {
        check_absolute(path)?;
        self.prepare()?;
        // Pebble stats the path itself (following a final symlink) and lstats the entries.
        let r = self.resolve("stat", path, Follow::Final)?;
        let meta = match fs::metadata(&r.host) {
            Ok(meta) => meta,
            Err(e) if is_missing(&e) => {
                return Err(PebbleError::api(
                    404,
                    format!("stat {path}: no such file or directory"),
                ));
            }
            Err(e) => return Err(io_error("stat", path, &e)),
        };
        let shown = resolve::lexical(path);
        let owners = read_owners();
        let mut infos = if meta.is_dir() && !itself {
            self.entries(&r, &shown, &owners)
                .map_err(|e| io_error("open", path, &e))?
        } else {
            let name = shown
                .last()
                .map_or_else(|| "/".to_owned(), |n| n.to_string_lossy().into_owned());
            vec![FileInfo::new(
                resolve::display(&shown),
                name,
                &meta,
                &owners,
            )]
        };
        if let Some(pattern) = pattern {
            infos.retain(|info| fnmatch(pattern, &info.name));
        }
        Ok(infos)
    }

    /// Makes a directory (Pebble's `make_dir`). User and group are not modelled.
    pub(crate) fn make_dir(
        &self,
        path: &str,
        make_parents: bool,
        permissions: Option<u32>,
    ) -> Result<(), PebbleError> {
        check_permissions(permissions)?;
        check_absolute(path)?;
        self.prepare()?;
        // ops's testing client treats 0 like "not given"; we keep that.
        let mode = match permissions {
            None | Some(0) => DEFAULT_DIR_MODE,
            Some(mode) => mode,
        };
        let r = self.resolve("mkdir", path, Follow::NotFinal)?;
        let parent = parent_of(&r.container);
        let not_a_dir = || PebbleError::generic(format!("mkdir {path}: not a directory"));
        if make_parents {
            self.create_dirs(parent, mode).map_err(|e| match e.kind() {
                ErrorKind::NotADirectory => not_a_dir(),
                _ => io_error("mkdir", path, &e),
            })?;
        } else {
            let (parent_host, parent_is_mount) = self.resolver.host_of(parent);
            match stat_entry(&parent_host, parent_is_mount) {
                Ok(meta) if meta.is_dir() => {}
                Ok(_) => return Err(not_a_dir()),
                Err(e) if e.kind() == ErrorKind::NotADirectory => return Err(not_a_dir()),
                Err(e) if e.kind() == ErrorKind::NotFound => {
                    return Err(PebbleError::not_found(format!(
                        "parent directory not found: {path}"
                    )));
                }
                Err(e) => return Err(io_error("mkdir", path, &e)),
            }
        }
        match stat_entry(&r.host, r.mount_point) {
            // With make_parents an existing path is accepted, whatever it is (ops's
            // testing client does so).
            Ok(_) if make_parents => return Ok(()),
            Ok(_) => return Err(PebbleError::generic(format!("mkdir {path}: file exists"))),
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => return Err(io_error("mkdir", path, &e)),
        }
        make_one_dir(&r.host, mode).map_err(|e| io_error("mkdir", path, &e))
    }

    /// Removes a file, a symlink or a directory (Pebble's `remove_path`).
    pub(crate) fn remove_path(&self, path: &str, recursive: bool) -> Result<(), PebbleError> {
        check_absolute(path)?;
        self.prepare()?;
        // Never follow the last component: removing a link removes the link.
        let r = self.resolve("remove", path, Follow::NotFinal)?;
        let busy = || PebbleError::generic(format!("remove {path}: device or resource busy"));
        let non_empty =
            || PebbleError::generic("cannot remove non-empty directory without recursive=True");
        // The root and mount points are not ours to delete; a directory holding a mount
        // point is refused before anything is removed, so nothing leaks into a mount's src.
        // A file mounted alone is taken away, its source kept (see `Resolver::unmount`).
        if r.mount_point && !r.host.is_dir() && self.resolver.unmount(&r.container) {
            // Where the mount was shown under the root (`show_mounts`), its link goes too.
            let (view, _) = self.resolver.host_of(&r.container);
            if fs::symlink_metadata(&view).is_ok_and(|m| m.file_type().is_symlink()) {
                fs::remove_file(&view).map_err(|e| io_error("remove", path, &e))?;
            }
            return Ok(());
        }
        if r.container.is_empty() || r.mount_point {
            return Err(busy());
        }
        if self.resolver.has_mount_below(&r.container) {
            return Err(if recursive { busy() } else { non_empty() });
        }
        let meta = match fs::symlink_metadata(&r.host) {
            Ok(meta) => meta,
            Err(e) if is_missing(&e) => {
                return if recursive {
                    Ok(())
                } else {
                    Err(PebbleError::not_found(format!(
                        "remove {path}: no such file or directory"
                    )))
                };
            }
            Err(e) => return Err(io_error("remove", path, &e)),
        };
        let result = if !meta.is_dir() {
            fs::remove_file(&r.host)
        } else if recursive {
            // std's remove_dir_all unlinks symlinks instead of descending into them.
            fs::remove_dir_all(&r.host)
        } else {
            fs::remove_dir(&r.host)
        };
        result.map_err(|e| match e.kind() {
            ErrorKind::DirectoryNotEmpty => non_empty(),
            _ => io_error("remove", path, &e),
        })
    }

    /// Whether `path` exists, as ops's `Container.exists` decides it (a 404 means no).
    pub(crate) fn exists(&self, path: &str) -> Result<bool, PebbleError> {
        match self.list_files(path, None, true) {
            Ok(_) => Ok(true),
            Err(PebbleError::Api { code: 404, .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Whether `path` is a directory, as ops's `Container.isdir` decides it.
    pub(crate) fn is_dir(&self, path: &str) -> Result<bool, PebbleError> {
        match self.list_files(path, None, true) {
            Ok(infos) => Ok(infos
                .first()
                .is_some_and(|i| i.file_type == FileType::Directory)),
            Err(PebbleError::Api { code: 404, .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    fn resolve(&self, op: &str, path: &str, follow: Follow) -> Result<Resolved, PebbleError> {
        self.resolver.resolve(path, follow).map_err(|e| match e {
            ResolveError::TooManyLinks => {
                PebbleError::generic(format!("{op} {path}: too many levels of symbolic links"))
            }
            ResolveError::ReadLink(e) => io_error(op, path, &e),
        })
    }

    /// Creates the root and, inside it, the directories leading to each mount point, as a
    /// container runtime would have them. Done once, on first use.
    fn prepare(&self) -> Result<(), PebbleError> {
        if self.prepared.load(Ordering::Acquire) {
            return Ok(());
        }
        fs::create_dir_all(self.root()).map_err(|e| {
            PebbleError::generic(format!(
                "cannot create container root {}: {}",
                self.root().display(),
                strerror(&e)
            ))
        })?;
        // Ancestors come shortest first, so each one's parent is handled before it. They
        // go through the resolver like any path; one that lands in a mount is skipped so
        // that nothing is created in a mount's src. Failures are left for the operations
        // that later touch those paths to report.
        for ancestor in self.resolver.mount_ancestors() {
            let Ok(r) = self
                .resolver
                .resolve(&resolve::display(&ancestor), Follow::Final)
            else {
                continue;
            };
            if !self.resolver.in_mount(&r.container) && fs::symlink_metadata(&r.host).is_err() {
                let _ = make_one_dir(&r.host, DEFAULT_DIR_MODE);
            }
        }
        self.prepared.store(true, Ordering::Release);
        Ok(())
    }

    /// Shows every mount at its location under the root, so that a test reads mounted files
    /// under `get_filesystem(ctx)` as Scenario showed them: a symlink to the mount's source
    /// or, where other mounts lie inside it, a directory of links to the source's entries and
    /// to the inner mounts. Idempotent: called again after a run, it shows what the run added
    /// to a source that way.
    ///
    /// The charm never meets these links: the resolver maps a mount's location onto its
    /// source before it looks at the root, so nothing a charm can reach changes. The views
    /// are best effort (a source missing on the host shows nothing); no file of a source is
    /// ever created, changed or removed here.
    pub fn show_mounts(&self) -> Result<(), PebbleError> {
        self.prepare()?;
        let mounts: Vec<(&[OsString], &Path)> = self.resolver.mount_points().collect();
        for (location, src) in &mounts {
            // A mount inside another is shown by the outer one's view.
            let is_inner = mounts
                .iter()
                .any(|(outer, _)| outer.len() < location.len() && location.starts_with(outer));
            if is_inner || location.is_empty() {
                continue;
            }
            let inner: Vec<(&[OsString], &Path)> = mounts
                .iter()
                .filter(|(l, _)| l.len() > location.len() && l.starts_with(location))
                .map(|(l, s)| (&l[location.len()..], *s))
                .collect();
            let view = location
                .iter()
                .fold(self.root().to_path_buf(), |p, n| p.join(n));
            show_at(&view, src, &inner);
        }
        Ok(())
    }

    /// Creates every missing directory of the canonical `container` path, top down.
    fn create_dirs(&self, container: &[OsString], mode: u32) -> io::Result<()> {
        for len in 1..=container.len() {
            let (host, mount_point) = self.resolver.host_of(&container[..len]);
            match stat_entry(&host, mount_point) {
                Ok(meta) if meta.is_dir() => {}
                Ok(_) => return Err(ErrorKind::NotADirectory.into()),
                Err(e) if e.kind() == ErrorKind::NotFound => make_one_dir(&host, mode)?,
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// The entries of the directory `r`, shown under the container path `shown`, sorted
    /// by name as Pebble sorts them. Mount points appear as what their `src` is.
    fn entries(
        &self,
        r: &Resolved,
        shown: &[OsString],
        owners: &Owners,
    ) -> io::Result<Vec<FileInfo>> {
        let mut found: Vec<(OsString, Metadata)> = Vec::new();
        for entry in fs::read_dir(&r.host)? {
            let entry = entry?;
            let name = entry.file_name();
            if is_child_mount(&self.resolver, &r.container, &name) {
                continue;
            }
            found.push((name, fs::symlink_metadata(entry.path())?));
        }
        for (name, src) in self.resolver.mounts_in(&r.container) {
            if let Ok(meta) = fs::metadata(src) {
                found.push((name.to_owned(), meta));
            }
        }
        found.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(found
            .into_iter()
            .map(|(name, meta)| {
                let mut child: ContainerPath = shown.to_vec();
                child.push(name.clone());
                FileInfo::new(
                    resolve::display(&child),
                    name.to_string_lossy().into_owned(),
                    &meta,
                    owners,
                )
            })
            .collect())
    }
}

fn is_child_mount(resolver: &Resolver, dir: &[OsString], name: &OsString) -> bool {
    let mut child = dir.to_vec();
    child.push(name.clone());
    resolver.is_mount_point(&child)
}

fn parent_of(container: &[OsString]) -> &[OsString] {
    container
        .split_last()
        .map_or(container, |(_, parent)| parent)
}

/// `lstat`, except at a mount point, which is whatever its `src` is.
/// Shows `src` at `view` (a path under the container root): a link to it, or, with mounts
/// inside it (`inner`, their locations relative to `view`), a directory of links.
fn show_at(view: &Path, src: &Path, inner: &[(&[OsString], &Path)]) {
    if inner.is_empty() {
        link_view(view, src);
        return;
    }
    if fs::symlink_metadata(view).is_ok_and(|m| !m.is_dir()) {
        let _ = fs::remove_file(view);
    }
    if fs::create_dir_all(view).is_err() {
        return;
    }
    let firsts: Vec<&OsString> = inner.iter().fold(Vec::new(), |mut acc, (rel, _)| {
        if !acc.contains(&&rel[0]) {
            acc.push(&rel[0]);
        }
        acc
    });
    for entry in fs::read_dir(src).into_iter().flatten().flatten() {
        let name = entry.file_name();
        if !firsts.contains(&&name) {
            link_view(&view.join(&name), &src.join(&name));
        }
    }
    for first in firsts {
        let here: Vec<&(&[OsString], &Path)> =
            inner.iter().filter(|(rel, _)| rel[0] == *first).collect();
        let deeper: Vec<(&[OsString], &Path)> = here
            .iter()
            .filter(|(rel, _)| rel.len() > 1)
            .map(|(rel, s)| (&rel[1..], *s))
            .collect();
        let own = here
            .iter()
            .find(|(rel, _)| rel.len() == 1)
            .map(|(_, s)| s.to_path_buf());
        show_at(
            &view.join(first),
            &own.unwrap_or_else(|| src.join(first)),
            &deeper,
        );
    }
}

/// Makes `view` a symlink to `target`, replacing what a previous view left there.
fn link_view(view: &Path, target: &Path) {
    match fs::symlink_metadata(view) {
        Ok(meta) if meta.file_type().is_symlink() => {
            if fs::read_link(view).is_ok_and(|t| t == target) {
                return;
            }
            let _ = fs::remove_file(view);
        }
        // A directory an earlier view made (its mounts have changed since): only views
        // live there, and removing them does not follow their links.
        Ok(meta) if meta.is_dir() => {
            let _ = fs::remove_dir_all(view);
        }
        Ok(_) => {
            let _ = fs::remove_file(view);
        }
        Err(_) => {}
    }
    let _ = std::os::unix::fs::symlink(target, view);
}

fn stat_entry(host: &Path, mount_point: bool) -> io::Result<Metadata> {
    if mount_point {
        fs::metadata(host)
    } else {
        fs::symlink_metadata(host)
    }
}

/// `mkdir` with an exact mode, whatever the umask.
fn make_one_dir(host: &Path, mode: u32) -> io::Result<()> {
    fs::create_dir(host)?;
    fs::set_permissions(host, Permissions::from_mode(mode))
}

fn read_owners() -> Owners {
    // Host account databases, not charm-influenced paths.
    let passwd = fs::read_to_string("/etc/passwd").unwrap_or_default();
    let group = fs::read_to_string("/etc/group").unwrap_or_default();
    Owners::parse(&passwd, &group)
}

fn push_parent_error(path: &str, e: &io::Error) -> PebbleError {
    match e.kind() {
        ErrorKind::NotFound => {
            let parent = resolve::lexical(path);
            let parent = parent_of(&parent);
            PebbleError::not_found(format!(
                "parent directory not found: {}",
                resolve::display(parent)
            ))
        }
        ErrorKind::NotADirectory => PebbleError::generic(format!("open {path}.~: not a directory")),
        _ => io_error("open", path, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fs_at(root: &Path) -> ContainerFs {
        ContainerFs::new(root.join("c"), &IndexMap::new())
    }

    #[test]
    fn root_is_created_lazily() {
        let dir = tempfile::tempdir().unwrap();
        let cfs = fs_at(dir.path());
        assert!(!cfs.root().exists());
        assert!(!cfs.exists("/x").unwrap());
        assert!(cfs.root().is_dir());
    }

    #[test]
    fn mount_ancestors_are_scaffolded_but_not_inside_mounts() {
        let dir = tempfile::tempdir().unwrap();
        let src = tempfile::tempdir().unwrap();
        let mounts = IndexMap::from([
            (
                "a".to_owned(),
                Mount {
                    location: "/srv/data".into(),
                    src: src.path().to_string_lossy().into_owned(),
                },
            ),
            (
                "b".to_owned(),
                Mount {
                    location: "/srv/data/sub/deeper".into(),
                    src: dir.path().join("elsewhere").to_string_lossy().into_owned(),
                },
            ),
        ]);
        let cfs = ContainerFs::new(dir.path().join("c"), &mounts);
        cfs.prepare().unwrap();
        assert!(dir.path().join("c/srv").is_dir());
        assert!(!dir.path().join("c/srv/data").exists());
        // The nested mount's ancestor lies in the first mount's src: left alone.
        assert!(!src.path().join("sub").exists());
    }

    #[test]
    fn mkdir_on_root_reports_existing() {
        let dir = tempfile::tempdir().unwrap();
        let cfs = fs_at(dir.path());
        assert_eq!(
            cfs.make_dir("/", false, None).unwrap_err(),
            PebbleError::generic("mkdir /: file exists")
        );
        cfs.make_dir("/", true, None).unwrap();
    }
}
