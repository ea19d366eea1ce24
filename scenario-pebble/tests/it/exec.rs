//! Exec through the handle: Scenario 5's exact `exec_mock`, ops[testing]'s prefix `execs`,
//! and the error when nothing matches.

use scenario_model::{Api, Exec, ExecOutput};
use scenario_pebble::PebbleError;

use crate::support::{Fixture, strings};

fn fixture() -> Fixture {
    let mut f = Fixture::new();
    f.container.exec_mock.insert(
        strings(&["ls", "-la"]),
        ExecOutput {
            return_code: 0,
            stdout: "total 0\n".into(),
            stderr: String::new(),
        },
    );
    f.container.exec_mock.insert(
        strings(&["false"]),
        ExecOutput {
            return_code: 1,
            stdout: String::new(),
            stderr: "nope".into(),
        },
    );
    f
}

fn exec(prefix: &[&str], return_code: i32, stdout: &str) -> Exec {
    Exec {
        command_prefix: strings(prefix),
        return_code,
        stdout: stdout.into(),
        stderr: String::new(),
        change_id: 1,
    }
}

#[test]
fn exact_command_returns_its_output() {
    let mut f = fixture();
    let p = f.pebble();
    assert_eq!(
        p.exec(&strings(&["ls", "-la"])).unwrap().stdout,
        "total 0\n"
    );
    let failing = p.exec(&strings(&["false"])).unwrap();
    assert_eq!((failing.return_code, failing.stderr), (1, "nope"));
}

#[test]
fn exec_mock_prefixes_and_extensions_do_not_match() {
    let mut f = fixture();
    let p = f.pebble();
    for command in [strings(&["ls"]), strings(&["ls", "-la", "/"]), Vec::new()] {
        let err = p.exec(&command).unwrap_err();
        assert_eq!(
            err,
            PebbleError::ExecNotMocked {
                container: "workload".into(),
                command: command.clone(),
                mocked: vec![strings(&["ls", "-la"]), strings(&["false"])],
                api: Api::Scenario5,
            }
        );
        assert!(err.to_string().contains("exec_mock="), "{err}");
    }
}

#[test]
fn execs_match_by_the_longest_prefix_in_either_api() {
    for api in Api::BOTH {
        let mut f = Fixture::new();
        f.api = api;
        f.container.execs = vec![
            exec(&["git"], 0, "git"),
            exec(&["git", "push"], 1, "rejected"),
        ];
        let p = f.pebble();
        let push = p.exec(&strings(&["git", "push", "origin"])).unwrap();
        assert_eq!((push.return_code, push.stdout), (1, "rejected"));
        assert_eq!(p.exec(&strings(&["git", "pull"])).unwrap().stdout, "git");
        let err = p.exec(&strings(&["svn"])).unwrap_err();
        assert!(matches!(err, PebbleError::ExecNotMocked { api: a, .. } if a == api));
    }
}

#[test]
fn the_empty_prefix_catches_every_command() {
    let mut f = Fixture::new();
    f.api = Api::Scenario8;
    f.container.execs = vec![exec(&[], 0, "anything")];
    let p = f.pebble();
    assert_eq!(
        p.exec(&strings(&["whatever", "x"])).unwrap().stdout,
        "anything"
    );
}

#[test]
fn an_exact_mock_comes_before_any_prefix() {
    let mut f = fixture();
    f.container.execs = vec![exec(&["ls"], 0, "prefix")];
    let p = f.pebble();
    assert_eq!(
        p.exec(&strings(&["ls", "-la"])).unwrap().stdout,
        "total 0\n"
    );
    assert_eq!(p.exec(&strings(&["ls", "-l"])).unwrap().stdout, "prefix");
}

#[test]
fn the_error_speaks_the_runs_api() {
    let mut f = Fixture::new();
    f.api = Api::Scenario8;
    let err = f.pebble().exec(&strings(&["rm", "-rf"])).unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with("mock for cmd ['rm', '-rf'] not found. Please patch out"),
        "{text}"
    );
    assert!(text.contains("execs={Exec(['rm', '-rf'], ...)}"), "{text}");
}

#[test]
fn exec_works_while_disconnected() {
    for api in Api::BOTH {
        let mut f = fixture();
        f.api = api;
        f.container.can_connect = false;
        assert!(f.pebble().exec(&strings(&["ls", "-la"])).is_ok());
    }
}
