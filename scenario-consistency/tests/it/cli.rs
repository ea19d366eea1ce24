//! The `scenario-check` binary: findings printed, exit code 1 for an inconsistent scenario.

use std::process::Command;

fn charm_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/hello-charm")
}

#[test]
fn a_consistent_scenario_exits_zero() {
    let out = Command::new(env!("CARGO_BIN_EXE_scenario-check"))
        .arg(charm_dir())
        .arg("start")
        .output()
        .expect("scenario-check runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn an_inconsistent_state_file_is_reported_by_rule_and_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = dir.path().join("state.yaml");
    std::fs::write(&state, "config:\n  port: not-a-number\nrelations:\n  - regular: {endpoint: nope, relation_id: 7}\n")
        .expect("write state");
    let out = Command::new(env!("CARGO_BIN_EXE_scenario-check"))
        .arg(charm_dir())
        .arg("nope-relation-changed")
        .arg(&state)
        .output()
        .expect("scenario-check runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("error[K3] state.config['port']"),
        "{stdout}"
    );
    assert!(
        stdout.contains("error[RL2] state.relations[0].endpoint"),
        "{stdout}"
    );
}

#[test]
fn a_missing_charm_dir_is_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_scenario-check"))
        .args(["/nonexistent", "start"])
        .output()
        .expect("scenario-check runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no charm metadata"));
}

#[test]
fn the_api_flag_picks_whose_rules_grade_the_findings() {
    // A peer relation at its defaults: ops[testing]'s has no peers, so its changed event
    // needs a remote unit; Scenario 5's has unit 0, which 5.8.1 ran.
    let dir = tempfile::tempdir().expect("tempdir");
    let state = dir.path().join("state.yaml");
    std::fs::write(
        &state,
        "relations:\n  - peer: {endpoint: cluster, relation_id: 1}\n",
    )
    .expect("write state");
    let run = |api: Option<&str>| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_scenario-check"));
        command
            .arg(charm_dir())
            .arg("cluster-relation-changed")
            .arg(&state);
        if let Some(api) = api {
            command.args(["--api", api]);
        }
        command.output().expect("scenario-check runs")
    };
    for api in [None, Some("8")] {
        let out = run(api);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{stdout}");
        assert!(stdout.contains("error[E7]"), "{stdout}");
    }
    let out = run(Some("5"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("stricter[RL7]"), "{stdout}");
    assert!(!stdout.contains("E7"), "{stdout}");

    let out = run(Some("7"));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("use 8 or 5"));
}
