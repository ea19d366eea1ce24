//! The release wheel installed beside `ops[testing]`, as a charm's requirements put it.
//!
//! Every charm's requirements say `ops[testing]`, which installs ops-scenario, whose
//! package is `scenario`; this package installs `scenario_rs` and makes `import scenario`
//! its own (`_scenario_rs_alias.py`). So neither distribution owns a file of the other:
//! installing, upgrading or uninstalling either, in any order, leaves the other whole.
//! Checked here with pip and with uv, in fresh venvs, both install orders, then each
//! uninstalled in turn:
//!
//! 1. both installed: `scenario` and `ops.testing` are scenario-rs, and
//!    `SCENARIO_ENGINE=original` gives ops-scenario's own;
//! 2. ops-scenario uninstalled: scenario-rs still runs;
//! 3. ops-scenario installed again, scenario-rs uninstalled: ops-scenario runs.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::python::{root, run};

/// What charms install (ops-scenario 8.9.0 comes with it).
const OPS_TESTING: &str = "ops[testing]==3.9.0";

/// A run in the venv: which engine `scenario` is, that `ops.testing` is the same, and that a
/// charm runs on it. Prints the engine's module name.
const CHECK: &str = r#"
import ops, scenario
from ops import testing

class Charm(ops.CharmBase):
    def __init__(self, framework):
        super().__init__(framework)
        framework.observe(self.on.start, self._on_start)

    def _on_start(self, _):
        self.unit.status = ops.ActiveStatus("ok")

assert testing.Context is scenario.Context, (testing.Context, scenario.Context)
ctx = testing.Context(Charm, meta={"name": "c"})
out = ctx.run(ctx.on.start(), testing.State())
assert out.unit_status == testing.ActiveStatus("ok"), out.unit_status
print(scenario.__name__)
"#;

#[derive(Debug, Clone, Copy)]
enum Installer {
    Pip,
    Uv,
}

impl Installer {
    fn name(self) -> &'static str {
        match self {
            Installer::Pip => "pip",
            Installer::Uv => "uv",
        }
    }

    /// `pip install` / `uv pip install` into the venv of `python`.
    fn install(self, tools: &Path, python: &Path, what: &[&str]) -> Result<(), String> {
        run(&mut self.command(tools, python, "install", what))
    }

    fn uninstall(self, tools: &Path, python: &Path, what: &str) -> Result<(), String> {
        let mut command = self.command(tools, python, "uninstall", &[what]);
        if let Installer::Pip = self {
            command.arg("-y");
        }
        run(&mut command)
    }

    fn command(self, tools: &Path, python: &Path, verb: &str, what: &[&str]) -> Command {
        match self {
            Installer::Pip => {
                let mut c = Command::new(python);
                c.args(["-m", "pip", verb, "-q"]).args(what);
                c
            }
            Installer::Uv => {
                let mut c = Command::new(tools);
                c.args(["-m", "uv", "pip", verb, "-q", "--python"])
                    .arg(python)
                    .args(what);
                c
            }
        }
    }
}

/// The engine `scenario` is in the venv of `python` (`original`: with SCENARIO_ENGINE set
/// so), after a charm ran on it.
fn engine(python: &Path, script: &Path, original: bool) -> Result<String, String> {
    let mut command = Command::new(python);
    command.arg(script).env_remove("SCENARIO_ENGINE");
    if original {
        command.env("SCENARIO_ENGINE", "original");
    }
    let out = command
        .output()
        .map_err(|e| format!("cannot run {}: {e}", python.display()))?;
    if !out.status.success() {
        return Err(format!(
            "{} {}: {}",
            python.display(),
            script.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

fn expect(found: String, wanted: &str, when: &str) -> Result<(), String> {
    if found == wanted {
        println!("  {when}: `scenario` is {found}");
        Ok(())
    } else {
        Err(format!("{when}: `scenario` is {found}, not {wanted}"))
    }
}

/// Check both installers, both install orders, each uninstalled in turn.
pub fn check(base_python: &Path, tools: &Path, wheel: &Path) -> Result<(), String> {
    let dir = root().join("target").join("beside");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let script = dir.join("check_engine.py");
    std::fs::write(&script, CHECK).map_err(|e| e.to_string())?;
    let ours = wheel.to_str().ok_or("the wheel's path is not UTF-8")?;
    for installer in [Installer::Pip, Installer::Uv] {
        for ours_first in [true, false] {
            let name = format!(
                "{}-{}",
                installer.name(),
                if ours_first {
                    "ours-first"
                } else {
                    "ops-testing-first"
                }
            );
            println!("--- beside ops[testing]: {name} ---");
            let python = fresh_venv(base_python, &dir.join(&name))?;
            let order: [&str; 2] = if ours_first {
                [ours, OPS_TESTING]
            } else {
                [OPS_TESTING, ours]
            };
            for what in order {
                installer.install(tools, &python, &[what])?;
            }
            expect(
                engine(&python, &script, false)?,
                "scenario_rs",
                "both installed",
            )?;
            expect(
                engine(&python, &script, true)?,
                "scenario",
                "both installed, SCENARIO_ENGINE=original",
            )?;
            installer.uninstall(tools, &python, "ops-scenario")?;
            expect(
                engine(&python, &script, false)?,
                "scenario_rs",
                "ops-scenario uninstalled",
            )?;
            installer.install(tools, &python, &[OPS_TESTING, "ops-scenario==8.9.0"])?;
            installer.uninstall(tools, &python, "scenario-rs")?;
            expect(
                engine(&python, &script, false)?,
                "scenario",
                "scenario-rs uninstalled",
            )?;
        }
    }
    Ok(())
}

fn fresh_venv(base: &Path, dir: &Path) -> Result<PathBuf, String> {
    run(Command::new(base).args(["-m", "venv", "--clear"]).arg(dir))?;
    Ok(dir.join("bin").join("python"))
}
