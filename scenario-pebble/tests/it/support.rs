//! Test fixtures: a connected container with a temporary root, and small helpers.

use std::path::{Path, PathBuf};

use indexmap::IndexMap;
use scenario_model::{Api, Container, Layer, Mount};
use scenario_pebble::{ContainerFs, PathErrorKind, Pebble, PebbleError};
use tempfile::TempDir;

/// A container and its filesystem under `base/root`, with `base/outside` next to it
/// holding a file the charm must never reach.
pub struct Fixture {
    pub base: TempDir,
    pub container: Container,
    pub fs: ContainerFs,
    /// The API of the run the handle serves (Scenario 5 unless a test says otherwise).
    pub api: Api,
}

impl Fixture {
    pub fn new() -> Self {
        Self::with_mounts(&[])
    }

    /// `mounts` are `(location, src relative to base)` pairs.
    pub fn with_mounts(mounts: &[(&str, &str)]) -> Self {
        let base = tempfile::tempdir().unwrap();
        std::fs::create_dir(base.path().join("outside")).unwrap();
        std::fs::write(base.path().join("outside/secret"), "secret").unwrap();
        let mut container = Container::new("workload");
        container.can_connect = true;
        container.mounts = mounts
            .iter()
            .enumerate()
            .map(|(i, (location, src))| {
                (
                    format!("m{i}"),
                    Mount {
                        location: (*location).to_owned(),
                        src: base.path().join(src).to_string_lossy().into_owned(),
                    },
                )
            })
            .collect::<IndexMap<_, _>>();
        let fs = ContainerFs::new(base.path().join("root"), &container.mounts);
        Fixture {
            base,
            container,
            fs,
            api: Api::Scenario5,
        }
    }

    pub fn pebble(&mut self) -> Pebble<'_> {
        Pebble::new(&mut self.container, &self.fs, self.api)
    }

    pub fn root(&self) -> PathBuf {
        self.base.path().join("root")
    }

    pub fn host(&self, rel: &str) -> PathBuf {
        self.base.path().join(rel)
    }

    /// Makes the root exist, as a test that pre-creates files in it would.
    pub fn make_root(&self) -> PathBuf {
        std::fs::create_dir_all(self.root()).unwrap();
        self.root()
    }

    /// Every file and directory under `base/outside`, with file contents, sorted.
    pub fn outside_snapshot(&self) -> Vec<(PathBuf, Option<Vec<u8>>)> {
        snapshot(&self.host("outside"))
    }
}

pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Option<Vec<u8>>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                stack.push(path.clone());
                out.push((path, None));
            } else {
                let content = std::fs::read(&path).ok();
                out.push((path, content));
            }
        }
    }
    out.sort();
    out
}

pub fn strings(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| (*s).to_owned()).collect()
}

pub fn layer(yaml: &str) -> Layer {
    serde_yaml::from_str(yaml).unwrap()
}

pub fn path_error(kind: PathErrorKind, message: &str) -> PebbleError {
    PebbleError::Path {
        kind,
        message: message.to_owned(),
    }
}

pub fn api_error(code: u16, status: &str, message: &str) -> PebbleError {
    PebbleError::Api {
        code,
        status: status.to_owned(),
        message: message.to_owned(),
    }
}

pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}
