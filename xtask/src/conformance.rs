//! `cargo xtask conformance`: the originals' own test suites, run against this package.
//!
//! Both originals ship their suites in their sdists on PyPI: ops-scenario 8.9.0 (`ops[testing]`
//! today) and 5.8.1 (the Scenario 5 API). Each sdist is downloaded into `target/conformance`
//! (never into the repository), its `tests/` run against this package in a venv of their
//! own, with the ops the original was released against, and the failures compared with its
//! known differences (`xtask/conformance/<version>.known-differences.txt`), each listed with
//! its reason: a new failure fails the command, and so does a listed one that passes (it is
//! no longer a difference).
//!
//! What 8.9's suite imports from outside its sdist (`test.charms.test_secrets`, a charm of
//! the ops repository) comes from the small harness in `xtask/conformance/harness`, written
//! for it here.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::interpreters::Python;
use crate::python::{root, run, venv};

/// One original's suite: where it comes from and what it runs with.
struct Suite {
    /// The ops-scenario release.
    version: &'static str,
    /// The sdist's file name on PyPI, and the directory it unpacks to.
    sdist: &'static str,
    tree: &'static str,
    /// What its tests need: the ops it was released against, and the plugins and helpers
    /// its tests import.
    packages: &'static [&'static str],
    /// pytest arguments beyond the common ones.
    pytest_args: &'static [&'static str],
    /// Directories of the sdist removed before the run: the original's own package, which
    /// would shadow this one when pytest puts the sdist's root on the path.
    shadowing: &'static [&'static str],
    /// Whether the harness's charms go into the tree.
    harness: bool,
    /// Whether it runs on the oldest Python found (else the newest).
    oldest_python: bool,
}

const SUITES: [Suite; 2] = [
    Suite {
        version: "8.9.0",
        sdist: "ops_scenario-8.9.0.tar.gz",
        tree: "ops_scenario-8.9.0",
        packages: &[
            "ops[tracing]==3.9.0",
            "pytest==9.2.0",
            "pytest-benchmark==5.3.1",
            "jsonpatch==1.48",
            "PyYAML==6.0.4",
        ],
        pytest_args: &["--benchmark-disable"],
        shadowing: &[],
        harness: true,
        oldest_python: false,
    },
    Suite {
        version: "5.8.1",
        sdist: "ops-scenario-5.8.1.tar.gz",
        tree: "ops-scenario-5.8.1",
        packages: &[
            "ops==2.10.0",
            "pytest==9.2.0",
            "jsonpatch==1.46",
            "PyYAML==6.0.4",
        ],
        pytest_args: &[],
        shadowing: &["scenario"],
        harness: false,
        oldest_python: true,
    },
];

fn here() -> PathBuf {
    root().join("xtask").join("conformance")
}

/// Download `suite`'s sdist from PyPI's simple index (checking the sha256 the index gives)
/// and unpack it into target/conformance, once. Not `pip download`: that builds the
/// sdist's metadata, and 5.8.1's build backend no longer runs on current setuptools.
fn unpacked(python: &Path, suite: &Suite) -> Result<PathBuf, String> {
    let dir = root().join("target").join("conformance");
    let tree = dir.join(suite.tree);
    if tree.join("tests").is_dir() {
        return Ok(tree);
    }
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let script = dir.join("fetch_sdist.py");
    std::fs::write(&script, FETCH_SDIST).map_err(|e| e.to_string())?;
    run(Command::new(python).arg(&script).arg(suite.sdist).arg(&dir))?;
    for shadowing in suite.shadowing {
        let path = tree.join(shadowing);
        if path.exists() {
            std::fs::remove_dir_all(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(tree)
}

/// `python fetch_sdist.py <file name> <directory>`: fetch and unpack an ops-scenario sdist.
const FETCH_SDIST: &str = r##"
import hashlib, re, sys, tarfile, urllib.request
name, dest = sys.argv[1], sys.argv[2]
index = urllib.request.urlopen("https://pypi.org/simple/ops-scenario/").read().decode()
found = re.search(r'href="([^"#]*/' + re.escape(name) + r')#sha256=([0-9a-f]+)"', index)
if not found:
    sys.exit(f"{name} is not on PyPI's index of ops-scenario")
url, sha256 = found.groups()
data = urllib.request.urlopen(url).read()
if hashlib.sha256(data).hexdigest() != sha256:
    sys.exit(f"{name}: the download does not match the index's sha256")
path = f"{dest}/{name}"
with open(path, "wb") as f:
    f.write(data)
with tarfile.open(path) as archive:
    # The "data" filter (refusing links and paths out of dest) where Python has it.
    archive.extractall(dest, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
"##;

/// A suite's known differences: each test id (as pytest names it, from the sdist's root)
/// with the reason this package differs there.
fn known_differences(suite: &Suite) -> Result<(PathBuf, BTreeSet<String>), String> {
    let path = here().join(format!("{}.known-differences.txt", suite.version));
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut known = BTreeSet::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((id, reason)) = line.split_once("  # ") else {
            return Err(format!(
                "{}:{}: each known difference needs its reason: `<test id>  # <why>`",
                path.display(),
                n + 1
            ));
        };
        if reason.trim().is_empty() {
            return Err(format!("{}:{}: the reason is empty", path.display(), n + 1));
        }
        known.insert(id.trim().to_owned());
    }
    Ok((path, known))
}

/// Run every original's suite with the wheel installed; compare their failures with the
/// known ones. `pythons` are the oldest and newest found.
pub fn conformance(
    pythons: &[Python],
    install: impl Fn(&Path) -> Result<(), String>,
) -> Result<(), String> {
    let (Some(oldest), Some(newest)) = (pythons.first(), pythons.last()) else {
        return Err("no Python to run the originals' suites on".to_owned());
    };
    let mut problems = Vec::new();
    for suite in &SUITES {
        let python = if suite.oldest_python { oldest } else { newest };
        if let Err(problem) = run_suite(suite, python, &install) {
            problems.push(problem);
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

fn run_suite(
    suite: &Suite,
    python: &Python,
    install: &impl Fn(&Path) -> Result<(), String>,
) -> Result<(), String> {
    let version = suite.version;
    let venv_python = venv(
        &python.path,
        &format!("py{}-conformance-{version}", python.version),
        suite.packages,
    )?;
    install(&venv_python)?;
    let tree = unpacked(&venv_python, suite)?;
    if suite.harness {
        // The harness's charms, where the suite's conftest looks for them (the sdist's
        // root, which pytest puts on the path and takes as its rootdir).
        copy_tree(&here().join("harness").join("test"), &tree.join("test"))?;
    }
    let report = tree.join("conformance-report.txt");
    println!("--- ops-scenario {version}'s own suite, against this package ---");
    let output = Command::new(&venv_python)
        .current_dir(&tree)
        .args(["-m", "pytest", "tests", "-q", "-p", "no:cacheprovider"])
        .args(suite.pytest_args)
        .args(["--tb=short", "-rfE", "--rootdir"])
        .arg(&tree)
        .env_remove("PYTHONDONTWRITEBYTECODE")
        .env_remove("SCENARIO_STRICT")
        .env("PYTHONPYCACHEPREFIX", root().join("target").join("pycache"))
        .output()
        .map_err(|e| format!("cannot run ops-scenario {version}'s suite: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    std::fs::write(&report, stdout.as_bytes()).map_err(|e| e.to_string())?;
    // 0: all passed; 1: some failed. Anything else (an interrupted collection, a usage
    // error) is not a result to compare.
    if !matches!(output.status.code(), Some(0 | 1)) {
        return Err(format!(
            "ops-scenario {version}'s suite did not run to the end ({}): see {}",
            output.status,
            report.display()
        ));
    }
    let failed: BTreeSet<String> = stdout
        .lines()
        .filter_map(|l| {
            l.strip_prefix("FAILED ")
                .or_else(|| l.strip_prefix("ERROR "))
        })
        .map(|l| l.split(" - ").next().unwrap_or(l).trim().to_owned())
        .collect();
    let summary = stdout
        .lines()
        .rev()
        .find(|l| l.contains(" passed"))
        .unwrap_or("");
    println!("{summary}");
    let (list, known) = known_differences(suite)?;
    let new: Vec<&String> = failed.difference(&known).collect();
    let gone: Vec<&String> = known.difference(&failed).collect();
    if new.is_empty() && gone.is_empty() {
        println!(
            "ops-scenario {version}: {} known differences ({}), no other",
            known.len(),
            list.display()
        );
        return Ok(());
    }
    let mut message = format!("ops-scenario {version}'s suite:\n");
    if !new.is_empty() {
        message.push_str("failures that are not known differences:\n");
        for id in &new {
            let _ = writeln!(message, "  {id}");
        }
    }
    if !gone.is_empty() {
        let _ = writeln!(
            message,
            "known differences that now pass (take them out of {}):",
            list.display()
        );
        for id in &gone {
            let _ = writeln!(message, "  {id}");
        }
    }
    let _ = write!(message, "(the suite's output: {})", report.display());
    Err(message)
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(from).map_err(|e| e.to_string())? {
        let entry = entry.map_err(|e| e.to_string())?;
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        if entry.file_name() == "__pycache__" {
            continue;
        }
        if source.is_dir() {
            copy_tree(&source, &target)?;
        } else {
            std::fs::copy(&source, &target).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}
