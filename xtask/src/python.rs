//! Building the Python package into venvs and running the Python side: tests, demo, bench.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::dist;
use crate::interpreters::{self, Python};

/// One venv the Python suite runs in: its name, whether it is made by the newest Python
/// (else the oldest), its packages, and packages installed without their dependencies.
struct SuiteVenv {
    name: &'static str,
    newest: bool,
    packages: &'static [&'static str],
    no_deps: &'static [&'static str],
}

/// Where the suite runs: ops 3.9 and ops 2.10 (Scenario 5's oldest) on the oldest and the
/// newest Python; ops 2.17, `ops[testing]`'s first (its `ops.testing` imports Scenario's
/// names only from a distribution named `ops-scenario`, so suites import `scenario` there);
/// and, on the newest Python, `ops[tracing]` and
/// pytest-interface-tester, whose own dependency on ops-scenario is left out (this package
/// is the `scenario` it imports).
const SUITE_VENVS: [SuiteVenv; 5] = [
    SuiteVenv {
        name: "ops3",
        newest: false,
        // As charms' requirements put it: ops-scenario installed beside this package.
        packages: &["ops[testing]==3.9.0"],
        no_deps: &[],
    },
    SuiteVenv {
        name: "ops2.10",
        newest: false,
        packages: &["ops==2.10.0"],
        no_deps: &[],
    },
    SuiteVenv {
        name: "ops2.17",
        newest: false,
        packages: &["ops==2.17.0"],
        no_deps: &[],
    },
    SuiteVenv {
        name: "ops3-tracing",
        newest: true,
        packages: &["ops[tracing]==3.9.0", "pydantic>=2", "typer"],
        no_deps: &["pytest-interface-tester==3.4.1"],
    },
    SuiteVenv {
        name: "ops2.10",
        newest: true,
        packages: &["ops==2.10.0"],
        no_deps: &[],
    },
];

/// The newest hypothesis that installs on Python 3.10 (later releases need 3.11).
const HYPOTHESIS: &str = "hypothesis==6.168.5";
const PYTEST: &str = "pytest==9.2.0";

/// What the suite needs besides ops: pytest-xdist runs it on both cores (`-n 2`).
const SUITE_PACKAGES: [&str; 5] = [
    PYTEST,
    "pytest-xdist==3.8.0",
    HYPOTHESIS,
    "PyYAML",
    "jsonpatch",
];

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// Run a command in the repo root, failing with its name if it fails.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    run_in(&root(), cmd)
}

/// Run a command in `dir`, failing with its name if it fails.
pub fn run_in(dir: &Path, cmd: &mut Command) -> Result<(), String> {
    let shown = format!("{cmd:?}");
    println!("$ {shown}");
    let status = cmd
        .current_dir(dir)
        .status()
        .map_err(|e| format!("cannot run {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

fn venvs() -> PathBuf {
    root().join("target").join("venvs")
}

/// The Python the benchmarks run on: the machine's python3, as BENCHMARKS.md records it, or
/// `SCENARIO_PYTHON`.
fn bench_python() -> PathBuf {
    std::env::var_os("SCENARIO_PYTHON").map_or_else(|| PathBuf::from("python3"), PathBuf::from)
}

/// A venv under target/venvs made by the `base` interpreter with these packages, made once
/// and reused while the interpreter and the packages stay the same.
pub fn venv(base: &Path, name: &str, packages: &[&str]) -> Result<PathBuf, String> {
    venv_with(base, name, packages, &[])
}

/// As [`venv`], plus `no_deps`, installed without their dependencies.
fn venv_with(
    base: &Path,
    name: &str,
    packages: &[&str],
    no_deps: &[&str],
) -> Result<PathBuf, String> {
    let dir = venvs().join(name);
    let python = dir.join("bin").join("python");
    let stamp = dir.join(".scenario-packages");
    let wanted = format!(
        "{}\n{}\n--no-deps\n{}",
        base.display(),
        packages.join("\n"),
        no_deps.join("\n")
    );
    if python.exists() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(python);
    }
    run(Command::new(base).args(["-m", "venv", "--clear"]).arg(&dir))?;
    run(Command::new(&python).args(["-m", "pip", "install", "-q", "--upgrade", "pip"]))?;
    if !packages.is_empty() {
        run(Command::new(&python)
            .args(["-m", "pip", "install", "-q"])
            .args(packages))?;
    }
    if !no_deps.is_empty() {
        run(Command::new(&python)
            .args(["-m", "pip", "install", "-q", "--no-deps"])
            .args(no_deps))?;
    }
    std::fs::write(&stamp, wanted).map_err(|e| e.to_string())?;
    Ok(python)
}

/// The venv of maturin (with what the release build and its checks need, see
/// [`dist::RELEASE_TOOLS`]), ruff, mypy's stubtest and mkdocs-material (the documentation
/// site), on the oldest supported Python.
pub fn tools_venv(python: &Python) -> Result<PathBuf, String> {
    venv(
        &python.path,
        &format!("tools-py{}", python.version),
        &[
            &[
                "maturin==1.16.0",
                "ruff==0.17.6",
                "mypy==2.4.1",
                "PyYAML",
                "types-PyYAML",
                // stubtest imports every module: these are the optional ones' dependencies.
                "jsonpatch",
                HYPOTHESIS,
                PYTEST, // the fuzzing mode's pytest side
                "ops==3.9.0",
                // The second installer the wheel is checked with (beside.rs).
                "uv==0.13.9",
                // The documentation site (docs/, built by `test` in strict mode).
                "mkdocs-material==9.7.7",
            ][..],
            &dist::RELEASE_TOOLS,
        ]
        .concat(),
    )
}

pub fn install_wheel(python: &Path, wheel: &Path) -> Result<(), String> {
    run(Command::new(python)
        .args([
            "-m",
            "pip",
            "install",
            "-q",
            "--force-reinstall",
            "--no-deps",
        ])
        .arg(wheel))
}

pub fn test(args: &[String]) -> Result<(), String> {
    let quick = args.iter().any(|a| a == "--python-only");
    if !quick {
        run(Command::new(cargo()).args(["fmt", "--all", "--check"]))?;
        // --all-features: the optional parts (scenario-consistency's proptest strategies)
        // are linted, documented and tested too.
        run(Command::new(cargo()).args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ]))?;
        // Broken intra-doc links fail the build, as clippy's warnings do.
        run(Command::new(cargo())
            .args([
                "doc",
                "--workspace",
                "--all-features",
                "--no-deps",
                "--quiet",
            ])
            .env("RUSTDOCFLAGS", "-D warnings"))?;
        run(Command::new(cargo()).args(["test", "--workspace", "--all-features", "--quiet"]))?;
    }
    let pythons = interpreters::oldest_and_newest()?;
    let tools = tools_venv(&pythons[0])?;
    // ruff.toml at the root holds the settings for every Python file.
    run(Command::new(&tools).args(["-m", "ruff", "check", "."]))?;
    run(Command::new(&tools).args(["-m", "ruff", "format", "--check", "."]))?;
    // The documentation site (mkdocs.yml, docs/), into target/site: strict, so a broken
    // link or a missing README section fails. Its examples run in pytest (test_docs.py).
    run(Command::new(&tools)
        .args(["-m", "mkdocs", "build", "--strict", "--quiet"])
        .env("NO_MKDOCS_2_WARNING", "1"))?;
    // The release wheel, checked as `cargo xtask wheel` checks it (tag, auditwheel, size),
    // is the one every venv below runs: the suite tests what ships.
    let wheel = dist::build_wheel(&tools)?;
    dist::check_wheel(&tools, &wheel)?;
    install_wheel(&tools, &wheel)?;
    // The stubs must describe the runtime: mypy's stubtest compares them.
    run(Command::new(&tools).args([
        "-m",
        "mypy.stubtest",
        "scenario_rs",
        "--allowlist",
        "scenario-py/stubtest-allowlist.txt",
    ]))?;
    // The one wheel, in every venv of the matrix. With one Python found, every venv uses it
    // (the warning above said so) and a venv named twice runs once.
    let mut done: Vec<String> = Vec::new();
    for suite in &SUITE_VENVS {
        let Some(python) = (if suite.newest {
            pythons.last()
        } else {
            pythons.first()
        }) else {
            return Err("no Python to run the suite on".to_owned());
        };
        let name = format!("py{}-{}", python.version, suite.name);
        if done.contains(&name) {
            continue;
        }
        done.push(name.clone());
        let venv_python = venv_with(
            &python.path,
            &name,
            &[suite.packages, &SUITE_PACKAGES].concat(),
            suite.no_deps,
        )?;
        install_wheel(&venv_python, &wheel)?;
        {
            println!(
                "--- pytest -n 2 on Python {} with {} ---",
                python.version,
                suite.packages.join(", ")
            );
            run(Command::new(&venv_python)
                .args([
                    "-m",
                    "pytest",
                    "-q",
                    "-p",
                    "no:cacheprovider",
                    "-n",
                    "2",
                    "scenario-py/tests",
                ])
                // pytest rewrites the asserts of every module of a plugin's distribution,
                // hypothesis's 73 among them, in each xdist worker. Without the bytecode
                // cache (PYTHONDONTWRITEBYTECODE) that start-up eats what `-n 2` gains, so
                // the cache is kept, out of the tree, under target/pycache.
                .env("PYTHONPYCACHEPREFIX", root().join("target").join("pycache"))
                .env_remove("PYTHONDONTWRITEBYTECODE"))?;
        }
    }
    // The wheel beside ops[testing], with pip and uv, in every order (see beside.rs).
    crate::beside::check(&pythons[0].path, &tools, &wheel)?;
    // The originals' own suites (see conformance.rs).
    crate::conformance::conformance(&pythons, |venv| install_wheel(venv, &wheel))
}

/// `cargo xtask beside`: the release wheel beside `ops[testing]` (see beside.rs).
pub fn beside() -> Result<(), String> {
    let pythons = interpreters::oldest_and_newest()?;
    let tools = tools_venv(&pythons[0])?;
    let wheel = dist::build_wheel(&tools)?;
    crate::beside::check(&pythons[0].path, &tools, &wheel)
}

/// `cargo xtask conformance`: the originals' own suites against the release wheel.
pub fn conformance() -> Result<(), String> {
    let pythons = interpreters::oldest_and_newest()?;
    let wheel = dist::build_wheel(&tools_venv(&pythons[0])?)?;
    crate::conformance::conformance(&pythons, |venv| install_wheel(venv, &wheel))
}

pub fn demo() -> Result<(), String> {
    let base = interpreters::oldest()?;
    let wheel = dist::build_wheel(&tools_venv(&base)?)?;
    let python = venv(&base.path, "demo", &["ops==3.9.0", "PyYAML"])?;
    install_wheel(&python, &wheel)?;
    run(Command::new(&python).arg("examples/demo.py"))
}

/// What `bench` times this project against, each in its own venv from PyPI: the name
/// bench.py reports it under, and the packages of its venv.
const BENCH_ALTERNATIVES: [(&str, &[&str]); 3] = [
    // The API this project re-implements, on the ops it was released with.
    ("scenario5", &["ops==2.10.0", "ops-scenario==5.8.1"]),
    // What a user would pick today: Scenario 8, shipped as ops's testing extra.
    ("scenario8", &["ops[testing]==3.9.0"]),
    // ops alone, hand-wired by bench/cases_floor.py: the least a run can cost.
    ("floor", &["ops==3.9.0"]),
];

/// The Rust consistency benchmark prints one mean per process; bench.py reports the
/// median of this many processes, so one disturbed run does not make the number.
const CONSISTENCY_RUNS: usize = 5;

/// Run a command in the repo root and return what it printed, failing if it fails.
pub fn output(cmd: &mut Command) -> Result<String, String> {
    let text = capture(cmd)?;
    print!("{text}");
    Ok(text)
}

/// As [`output`], without printing what the command printed.
pub fn capture(cmd: &mut Command) -> Result<String, String> {
    let shown = format!("{cmd:?}");
    println!("$ {shown}");
    let out = cmd
        .current_dir(root())
        .output()
        .map_err(|e| format!("cannot run {shown}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{shown} failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The lines `thousand_relations` printed, one per run.
fn consistency_bench() -> Result<Vec<String>, String> {
    let example = [
        "--release",
        "-p",
        "scenario-consistency",
        "--example",
        "thousand_relations",
    ];
    // Compile first, so the timed runs below are not sharing the cores with rustc.
    run(Command::new(cargo()).arg("build").args(example))?;
    (0..CONSISTENCY_RUNS)
        .map(|_| {
            output(Command::new(cargo()).args(["run", "--quiet"]).args(example))
                .map(|text| text.trim().to_owned())
        })
        .collect()
}

/// `cargo xtask bench [bench.py options]`: this project against Scenario 5.8.1, Scenario 8
/// and hand-wired ops, in one run, plus the Rust consistency checker (see BENCHMARKS.md).
pub fn bench(args: &[String]) -> Result<(), String> {
    let wheel = dist::build_wheel(&tools_venv(&interpreters::oldest()?)?)?;
    let base = bench_python();
    // pytest and hypothesis: the fuzzing rows run the seeded charm's suite fuzzed.
    let ours = venv(
        &base,
        "bench",
        &["ops==3.9.0", "PyYAML", PYTEST, HYPOTHESIS],
    )?;
    install_wheel(&ours, &wheel)?;
    let mut cmd = Command::new(&ours);
    // ours8: the same venv running the cases written in ops[testing]'s API.
    cmd.arg("bench/bench.py")
        .arg("--impl")
        .arg(format!("ours={}", ours.display()))
        .arg("--impl")
        .arg(format!("ours8={}", ours.display()));
    for (name, packages) in BENCH_ALTERNATIVES {
        let python = venv(&base, &format!("bench-{name}"), packages)?;
        cmd.arg("--impl")
            .arg(format!("{name}={}", python.display()));
    }
    for line in consistency_bench()? {
        cmd.arg("--consistency").arg(line);
    }
    run(cmd.args(args))
}
