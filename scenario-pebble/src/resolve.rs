//! The one resolver that turns a charm-given container path into a host path confined to
//! the container root or to a mount's source.
//!
//! Invariant: every host path this crate touches on a charm's behalf comes out of
//! [`Resolver::resolve`] or [`Resolver::host_of`], and lies under the root or under a
//! mount's `src`. The walk works like a chroot: `/` is the root, `..` stops at `/`,
//! mounts map a container location onto their host `src`, and symlinks found on the host
//! are read and re-interpreted inside the container (an absolute target starts again at
//! the container's `/`), one component at a time.

use std::collections::VecDeque;
use std::ffi::{OsStr, OsString};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use indexmap::IndexMap;
use scenario_model::Mount;

/// Linux's limit on symlinks followed while resolving one path (`MAXSYMLINKS`).
const MAX_SYMLINKS: usize = 40;

/// A path inside the container, as its components below `/`. Empty means `/` itself.
pub(crate) type ContainerPath = Vec<OsString>;

/// Whether the last component is followed when it is a symlink.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Follow {
    /// Follow it, like `stat` and `open` do.
    Final,
    /// Leave it, like `lstat`, `unlink` and `mkdir` do.
    NotFinal,
}

/// Where a container path lives, once every symlink on the way has been followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resolved {
    /// The canonical container path: no `..`, no symlinks before the last component.
    pub(crate) container: ContainerPath,
    /// The host path it maps to, under the root or a mount's source.
    pub(crate) host: PathBuf,
    /// True when `container` is exactly a mount's location, so `host` is its `src`.
    pub(crate) mount_point: bool,
}

/// Why a path could not be resolved.
#[derive(Debug)]
pub(crate) enum ResolveError {
    /// More than [`MAX_SYMLINKS`] links on the way, as `ELOOP`.
    TooManyLinks,
    /// A symlink on the way could not be read.
    ReadLink(std::io::Error),
}

#[derive(Debug, Clone)]
struct MountPoint {
    /// The location as the State gives it.
    given: String,
    location: ContainerPath,
    src: PathBuf,
    /// Set when the charm removed a file mounted alone (see [`Resolver::unmount`]).
    unmounted: Arc<AtomicBool>,
}

/// One step of a path walk.
#[derive(Debug)]
enum Step {
    Up,
    Name(OsString),
}

/// Maps container paths to host paths for one container.
#[derive(Debug, Clone)]
pub(crate) struct Resolver {
    root: PathBuf,
    mounts: Vec<MountPoint>,
}

impl Resolver {
    /// `unmounted`: the locations of mounts already taken away (see [`Resolver::unmount`]).
    pub(crate) fn new(
        root: PathBuf,
        mounts: &IndexMap<String, Mount>,
        unmounted: &[String],
    ) -> Self {
        let mounts = mounts
            .values()
            .map(|m| MountPoint {
                given: m.location.clone(),
                location: lexical(&m.location),
                src: PathBuf::from(&m.src),
                unmounted: Arc::new(AtomicBool::new(unmounted.contains(&m.location))),
            })
            .collect();
        Resolver { root, mounts }
    }

    /// The locations (as the State gives them) of the mounts taken away.
    pub(crate) fn unmounted(&self) -> Vec<String> {
        self.mounts
            .iter()
            .filter(|m| m.unmounted.load(Ordering::Relaxed))
            .map(|m| m.given.clone())
            .collect()
    }

    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// Resolves `path` (taken from `/` even if relative) to its canonical container path
    /// and its confined host path.
    pub(crate) fn resolve(&self, path: &str, follow: Follow) -> Result<Resolved, ResolveError> {
        let mut pending: VecDeque<Step> = steps(Path::new(path)).collect();
        let mut current: ContainerPath = Vec::new();
        let mut links = 0;
        while let Some(step) = pending.pop_front() {
            let name = match step {
                Step::Up => {
                    // `..` at `/` stays at `/`, as in a chroot.
                    current.pop();
                    continue;
                }
                Step::Name(name) => name,
            };
            current.push(name);
            let is_last = pending.is_empty();
            if is_last && follow == Follow::NotFinal {
                continue;
            }
            // A mount point is the mounted thing itself, never a link, even when its
            // `src` happens to be a symlink on the host (the test chose it).
            if self.is_mount_point(&current) {
                continue;
            }
            let (host, _) = self.host_of(&current);
            // Only an existing symlink changes the walk; a missing or unreadable component
            // is left for the operation itself to report.
            let is_link =
                std::fs::symlink_metadata(&host).is_ok_and(|m| m.file_type().is_symlink());
            if !is_link {
                continue;
            }
            links += 1;
            if links > MAX_SYMLINKS {
                return Err(ResolveError::TooManyLinks);
            }
            let target = std::fs::read_link(&host).map_err(ResolveError::ReadLink)?;
            current.pop();
            if target.has_root() {
                current.clear();
            }
            for step in steps(&target).collect::<Vec<_>>().into_iter().rev() {
                pending.push_front(step);
            }
        }
        let (host, mount_point) = self.host_of(&current);
        Ok(Resolved {
            container: current,
            host,
            mount_point,
        })
    }

    /// The host path of a canonical container path, and whether it is a mount point.
    ///
    /// The innermost mount containing the path wins; outside every mount the path lies
    /// under the root. Components are plain names, so joining cannot climb out.
    pub(crate) fn host_of(&self, container: &[OsString]) -> (PathBuf, bool) {
        let innermost = self
            .active()
            .filter(|m| container.starts_with(&m.location))
            .max_by_key(|m| m.location.len());
        let (base, rest) = match innermost {
            Some(m) => (m.src.clone(), &container[m.location.len()..]),
            None => (self.root.clone(), container),
        };
        let mount_point = innermost.is_some() && rest.is_empty();
        let host = rest.iter().fold(base, |acc, name| acc.join(name));
        (host, mount_point)
    }

    /// The mounts still in place.
    fn active(&self) -> impl Iterator<Item = &MountPoint> {
        self.mounts
            .iter()
            .filter(|m| !m.unmounted.load(Ordering::Relaxed))
    }

    /// Take away the mount at `container`, a file mounted alone that the charm removed:
    /// the path then no longer exists (or is the root's again), and the mount's source,
    /// the test's file, stays. Returns whether there was such a mount. (ops[testing]
    /// links each mount into the container root, and removing the path unlinks it.)
    pub(crate) fn unmount(&self, container: &[OsString]) -> bool {
        let found = self.active().find(|m| m.location == container);
        if let Some(m) = found {
            m.unmounted.store(true, Ordering::Relaxed);
        }
        found.is_some()
    }

    pub(crate) fn is_mount_point(&self, container: &[OsString]) -> bool {
        self.active().any(|m| m.location == container)
    }

    /// Each mount's canonical location and its host source.
    pub(crate) fn mount_points(&self) -> impl Iterator<Item = (&[OsString], &Path)> {
        self.active()
            .map(|m| (m.location.as_slice(), m.src.as_path()))
    }

    /// True when `container` is a mount's location or lies inside one.
    pub(crate) fn in_mount(&self, container: &[OsString]) -> bool {
        self.active().any(|m| container.starts_with(&m.location))
    }

    /// True when some mount lies strictly below `container`.
    pub(crate) fn has_mount_below(&self, container: &[OsString]) -> bool {
        self.active()
            .any(|m| m.location.len() > container.len() && m.location.starts_with(container))
    }

    /// The mounts whose location is a direct child of `dir`: `(name, src)`.
    pub(crate) fn mounts_in<'s>(
        &'s self,
        dir: &'s [OsString],
    ) -> impl Iterator<Item = (&'s OsStr, &'s Path)> + 's {
        self.active()
            .filter_map(move |m| match m.location.split_last() {
                Some((name, parent)) if parent == dir => Some((name.as_os_str(), m.src.as_path())),
                _ => None,
            })
    }

    /// The container directories that lead to each mount location (not the locations).
    pub(crate) fn mount_ancestors(&self) -> Vec<ContainerPath> {
        let mut out: Vec<ContainerPath> = Vec::new();
        for m in self.active() {
            for len in 1..m.location.len() {
                let prefix = m.location[..len].to_vec();
                if !out.contains(&prefix) {
                    out.push(prefix);
                }
            }
        }
        out
    }
}

/// The canonical form of `path` without looking at the disk: `.` dropped, `..` applied
/// and stopped at `/`. Used for mount locations and for the paths shown back to charms.
pub(crate) fn lexical(path: &str) -> ContainerPath {
    let mut out = Vec::new();
    for step in steps(Path::new(path)) {
        match step {
            Step::Up => {
                out.pop();
            }
            Step::Name(name) => out.push(name),
        }
    }
    out
}

/// The absolute string form of a container path.
pub(crate) fn display(container: &[OsString]) -> String {
    if container.is_empty() {
        return "/".to_owned();
    }
    container.iter().fold(String::new(), |mut acc, name| {
        acc.push('/');
        acc.push_str(&name.to_string_lossy());
        acc
    })
}

fn steps(path: &Path) -> impl Iterator<Item = Step> + '_ {
    path.components().filter_map(|c| match c {
        Component::ParentDir => Some(Step::Up),
        Component::Normal(name) => Some(Step::Name(name.to_owned())),
        Component::RootDir | Component::CurDir | Component::Prefix(_) => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn names(parts: &[&str]) -> ContainerPath {
        parts.iter().map(OsString::from).collect()
    }

    fn mount(location: &str, src: &Path) -> IndexMap<String, Mount> {
        IndexMap::from([(
            "m".to_owned(),
            Mount {
                location: location.to_owned(),
                src: src.to_string_lossy().into_owned(),
            },
        )])
    }

    #[test]
    fn lexical_clamps_dotdot_at_root() {
        assert_eq!(lexical("/a/../../../b/./c/"), names(&["b", "c"]));
        assert_eq!(lexical("/.."), names(&[]));
        assert_eq!(display(&lexical("//a//b")), "/a/b");
        assert_eq!(display(&[]), "/");
    }

    #[test]
    fn plain_paths_stay_under_root() {
        let dir = tempfile::tempdir().unwrap();
        let r = Resolver::new(dir.path().to_owned(), &IndexMap::new(), &[]);
        let res = r.resolve("/../../etc/passwd", Follow::Final).unwrap();
        assert_eq!(res.container, names(&["etc", "passwd"]));
        assert_eq!(res.host, dir.path().join("etc/passwd"));
        assert!(!res.mount_point);
    }

    #[test]
    fn absolute_link_is_rerooted() {
        let dir = tempfile::tempdir().unwrap();
        symlink("/etc", dir.path().join("link")).unwrap();
        let r = Resolver::new(dir.path().to_owned(), &IndexMap::new(), &[]);
        let res = r.resolve("/link/passwd", Follow::Final).unwrap();
        assert_eq!(res.host, dir.path().join("etc/passwd"));
        // Not followed when it is the last component and the caller asks so.
        let res = r.resolve("/link", Follow::NotFinal).unwrap();
        assert_eq!(res.host, dir.path().join("link"));
    }

    #[test]
    fn relative_link_dotdot_stops_at_root() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
        symlink("../../../../..", dir.path().join("a/b/up")).unwrap();
        let r = Resolver::new(dir.path().to_owned(), &IndexMap::new(), &[]);
        let res = r.resolve("/a/b/up/etc", Follow::Final).unwrap();
        assert_eq!(res.container, names(&["etc"]));
        assert_eq!(res.host, dir.path().join("etc"));
    }

    #[test]
    fn link_loop_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        symlink("b", dir.path().join("a")).unwrap();
        symlink("a", dir.path().join("b")).unwrap();
        let r = Resolver::new(dir.path().to_owned(), &IndexMap::new(), &[]);
        assert!(matches!(
            r.resolve("/a", Follow::Final),
            Err(ResolveError::TooManyLinks)
        ));
        // lstat-like resolution does not look at the last component.
        assert!(r.resolve("/a", Follow::NotFinal).is_ok());
    }

    #[test]
    fn mounts_map_onto_src_and_innermost_wins() {
        let root = tempfile::tempdir().unwrap();
        let outer = tempfile::tempdir().unwrap();
        let inner = tempfile::tempdir().unwrap();
        let mut mounts = mount("/data", outer.path());
        mounts.insert(
            "inner".into(),
            Mount {
                location: "/data/deep/er".into(),
                src: inner.path().to_string_lossy().into_owned(),
            },
        );
        let r = Resolver::new(root.path().to_owned(), &mounts, &[]);
        assert_eq!(
            r.resolve("/data/x", Follow::Final).unwrap().host,
            outer.path().join("x")
        );
        let res = r.resolve("/data/deep/er", Follow::Final).unwrap();
        assert_eq!(res.host, inner.path());
        assert!(res.mount_point);
        assert_eq!(
            r.resolve("/data/../x", Follow::Final).unwrap().host,
            root.path().join("x")
        );
        assert!(r.has_mount_below(&names(&["data"])));
        assert!(!r.has_mount_below(&names(&["data", "deep", "er"])));
        assert_eq!(
            r.mount_ancestors(),
            vec![names(&["data"]), names(&["data", "deep"])]
        );
        let children: Vec<_> = r.mounts_in(&[]).map(|(n, _)| n.to_owned()).collect();
        assert_eq!(children, vec![OsString::from("data")]);
    }

    #[test]
    fn link_inside_mount_is_resolved_in_the_container() {
        let root = tempfile::tempdir().unwrap();
        let src = tempfile::tempdir().unwrap();
        symlink("/etc", src.path().join("abs")).unwrap();
        symlink("../../..", src.path().join("rel")).unwrap();
        let r = Resolver::new(root.path().to_owned(), &mount("/data", src.path()), &[]);
        assert_eq!(
            r.resolve("/data/abs/passwd", Follow::Final).unwrap().host,
            root.path().join("etc/passwd")
        );
        assert_eq!(
            r.resolve("/data/rel/x", Follow::Final).unwrap().host,
            root.path().join("x")
        );
    }
}
