//! Finding the CPython interpreters the Python suite runs on: on PATH, or under pyenv.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The CPython versions the package supports (`requires-python = ">=3.10"`, the abi3 floor,
/// up to the newest the suite has been run on). The test command runs the suite on the
/// oldest and the newest of these that the machine has.
pub const SUPPORTED: [&str; 4] = ["3.10", "3.11", "3.12", "3.13"];

/// A CPython interpreter that runs, is the version it is named for, and can make venvs.
#[derive(Debug, Clone)]
pub struct Python {
    /// `major.minor`, as in [`SUPPORTED`].
    pub version: &'static str,
    pub path: PathBuf,
}

/// Where `python{version}` may be, in the order tried: each PATH directory, then each pyenv
/// install of that version, the newest patch release first. A pyenv shim on PATH is tried
/// too, but it fails unless the version is active, which is why pyenv's own directories follow.
fn candidates(version: &str) -> Vec<PathBuf> {
    let exe = format!("python{version}");
    let mut found: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|path| {
            std::env::split_paths(&path)
                .map(|dir| dir.join(&exe))
                .collect()
        })
        .unwrap_or_default();
    let pyenv = std::env::var_os("PYENV_ROOT")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".pyenv")));
    if let Some(Ok(entries)) = pyenv.map(|root| std::fs::read_dir(root.join("versions"))) {
        // Only plain releases such as 3.10.13: not 3.13.0t (free-threaded, which cannot
        // load an abi3 wheel), not 3.12-dev.
        let mut installs: Vec<(u32, PathBuf)> = entries
            .filter_map(Result::ok)
            .filter_map(|entry| {
                let name = entry.file_name().into_string().ok()?;
                let patch = name
                    .strip_prefix(version)?
                    .strip_prefix('.')?
                    .parse()
                    .ok()?;
                Some((patch, entry.path().join("bin").join(&exe)))
            })
            .collect();
        installs.sort_by_key(|(patch, _)| std::cmp::Reverse(*patch));
        found.extend(installs.into_iter().map(|(_, path)| path));
    }
    found.retain(|path| path.is_file());
    found
}

/// Why the interpreter at `path` cannot serve as Python `version`, if it cannot.
fn unusable(path: &Path, version: &str) -> Option<String> {
    let probe = "import sys, venv, ensurepip; print('%d.%d' % sys.version_info[:2])";
    match Command::new(path).args(["-c", probe]).output() {
        Err(e) => Some(format!("does not run: {e}")),
        Ok(out) if !out.status.success() => Some(format!(
            "does not run, or cannot make venvs (no ensurepip): {}",
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .next()
                .unwrap_or("")
        )),
        Ok(out) => {
            let reported = String::from_utf8_lossy(&out.stdout).trim().to_owned();
            (reported != version).then(|| format!("is Python {reported}"))
        }
    }
}

/// The first usable interpreter of this version, or what was tried and why each failed.
fn find(version: &'static str) -> Result<Python, Vec<String>> {
    let mut tried = Vec::new();
    for path in candidates(version) {
        match unusable(&path, version) {
            None => return Ok(Python { version, path }),
            Some(why) => tried.push(format!("{}: {why}", path.display())),
        }
    }
    Err(tried)
}

/// The first usable Python of `versions`, saying loudly which were passed over and why.
fn first_usable(versions: &[&'static str], end: &str) -> Option<Python> {
    for &version in versions {
        match find(version) {
            Ok(python) => return Some(python),
            Err(tried) if tried.is_empty() => eprintln!(
                "xtask: WARNING: looking for the {end} supported Python: no python{version} \
                 on PATH or among pyenv's versions"
            ),
            Err(tried) => eprintln!(
                "xtask: WARNING: looking for the {end} supported Python: no usable \
                 python{version}: {}",
                tried.join("; ")
            ),
        }
    }
    None
}

/// The oldest supported Python on this machine: the one the tools venv and the demo use.
pub fn oldest() -> Result<Python, String> {
    first_usable(&SUPPORTED, "oldest").ok_or_else(|| {
        format!("no usable Python among {SUPPORTED:?}: install one, with venv support")
    })
}

/// The oldest and the newest supported Python on this machine, or the one it has. A missing
/// end of the range is not an error, since CI machines differ, but it is said loudly: the
/// suite then does not prove the package works on the whole range it claims.
pub fn oldest_and_newest() -> Result<Vec<Python>, String> {
    let oldest = oldest()?;
    let above: Vec<&str> = SUPPORTED
        .iter()
        .rev()
        .copied()
        .take_while(|&v| v != oldest.version)
        .collect();
    let newest = first_usable(&above, "newest");
    if newest.is_none() {
        eprintln!(
            "xtask: WARNING: the Python suite runs on Python {} only",
            oldest.version
        );
    }
    let pythons: Vec<Python> = std::iter::once(oldest).chain(newest).collect();
    for python in &pythons {
        println!("Python {}: {}", python.version, python.path.display());
    }
    Ok(pythons)
}
