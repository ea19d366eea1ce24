//! `scenario-check`: the consistency checker on the command line, without Python.
//!
//! ```text
//! scenario-check CHARM_DIR EVENT [STATE.json|STATE.yaml] [--juju-version 3.4.0] [--api 8|5]
//! ```
//! Reads the charm's metadata, config and actions from CHARM_DIR, the State from a JSON
//! or YAML file (an empty State without one), prints every finding, and exits 1 when
//! Juju could not produce the scenario. `--api` picks whose rules grade the findings and
//! read the unset defaults: `ops[testing]`'s (`8`, the default, the API charms are written
//! in today) or Scenario 5's (`5`).

use std::path::Path;
use std::process::ExitCode;

use scenario_consistency::{JujuVersion, Options, check_consistency_with};
use scenario_model::{Api, CharmSpec, Event, EventKind, State};

const USAGE: &str =
    "usage: scenario-check CHARM_DIR EVENT [STATE.json|STATE.yaml] [--juju-version V] [--api 8|5]";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(consistent) => {
            if consistent {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(message) => {
            eprintln!("scenario-check: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Vec<String>) -> Result<bool, String> {
    let mut positional = Vec::new();
    let mut version = "3.4.0".to_owned();
    let mut api = Api::Scenario8;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--juju-version" => version = args.next().ok_or(USAGE)?,
            "--api" => {
                api = match args.next().as_deref() {
                    Some("8") => Api::Scenario8,
                    Some("5") => Api::Scenario5,
                    Some(other) => return Err(format!("unknown --api {other:?}: use 8 or 5")),
                    None => return Err(USAGE.to_owned()),
                }
            }
            "-h" | "--help" => return Err(USAGE.to_owned()),
            _ => positional.push(arg),
        }
    }
    let (charm_dir, event_name, state_file) = match positional.as_slice() {
        [dir, event] => (dir, event, None),
        [dir, event, state] => (dir, event, Some(state)),
        _ => return Err(USAGE.to_owned()),
    };
    let loaded = CharmSpec::load(Path::new(charm_dir)).map_err(|e| e.to_string())?;
    for warning in &loaded.warnings {
        eprintln!("scenario-check: warning: {warning}");
    }
    let spec = loaded.spec;
    let state = match state_file {
        None => State::default(),
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
            let is_yaml = Path::new(path)
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
            let parsed = if is_yaml {
                State::from_yaml(&text)
            } else {
                State::from_json(&text)
            };
            parsed.map_err(|e| {
                format!(
                    "{path}: {e}: {}",
                    std::error::Error::source(&e)
                        .map(ToString::to_string)
                        .unwrap_or_default()
                )
            })?
        }
    };
    let juju_version = JujuVersion::parse(&version).map_err(|e| e.to_string())?;
    let event = bind(Event::new(event_name), &state);
    let options = Options { api, unit_id: None };
    let report = check_consistency_with(&state, &event, &spec, &juju_version, options);
    print!("{report}");
    if !report.to_string().ends_with('\n') && !report.diagnostics.is_empty() {
        println!();
    }
    Ok(report.is_consistent())
}

/// A relation event named on the command line is about the one relation on its endpoint,
/// as `Context.run` binds it.
fn bind(mut event: Event, state: &State) -> Event {
    if let (EventKind::Relation(_), Some(prefix)) = (event.kind(), event.prefix()) {
        if let [only] = state.relations_on(prefix).as_slice() {
            event.relation = Some((*only).clone());
        }
    }
    event
}
