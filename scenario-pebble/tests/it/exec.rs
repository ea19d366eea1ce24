//! Exec: exact-command lookup in `Container.exec_mock`.

use scenario_model::ExecOutput;
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

#[test]
fn exact_command_returns_its_output() {
    let mut f = fixture();
    let p = f.pebble();
    assert_eq!(
        p.exec(&strings(&["ls", "-la"])).unwrap().stdout,
        "total 0\n"
    );
    let failing = p.exec(&strings(&["false"])).unwrap();
    assert_eq!((failing.return_code, failing.stderr.as_str()), (1, "nope"));
}

#[test]
fn prefixes_and_extensions_do_not_match() {
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
            }
        );
        assert!(err.to_string().contains("exec_mock="), "{err}");
    }
}

#[test]
fn exec_works_while_disconnected() {
    let mut f = fixture();
    f.container.can_connect = false;
    assert!(f.pebble().exec(&strings(&["ls", "-la"])).is_ok());
}
