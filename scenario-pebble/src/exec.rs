//! Exec: the mocked outcome of a command.
//!
//! A container holds two kinds of mocks: Scenario 5's `exec_mock`, keyed by the whole
//! command line, and ops[testing]'s `execs`, each standing for every command that starts
//! with its `command_prefix`. An exact `exec_mock` entry wins; otherwise the longest
//! matching prefix does, down to the empty prefix, which matches any command. The runtime
//! builds the process object (streams, `wait`, `ExecError`) from the outcome.

use scenario_model::{Api, Container};

use crate::error::PebbleError;

/// What a mocked command gives back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExecOutcome<'c> {
    pub return_code: i32,
    pub stdout: &'c str,
    pub stderr: &'c str,
}

/// The mock for `command` in `container`. With none, the error says how to add one in the
/// terms of `api` (the runtime raises it as that API documents).
pub fn find_exec<'c>(
    container: &'c Container,
    command: &[String],
    api: Api,
) -> Result<ExecOutcome<'c>, PebbleError> {
    if let Some(out) = container.exec_mock.get(command) {
        return Ok(ExecOutcome {
            return_code: out.return_code,
            stdout: &out.stdout,
            stderr: &out.stderr,
        });
    }
    let longest = (0..=command.len()).rev().find_map(|n| {
        container
            .execs
            .iter()
            .find(|e| e.command_prefix.as_slice() == &command[..n])
    });
    if let Some(exec) = longest {
        return Ok(ExecOutcome {
            return_code: exec.return_code,
            stdout: &exec.stdout,
            stderr: &exec.stderr,
        });
    }
    Err(PebbleError::ExecNotMocked {
        container: container.name.clone(),
        command: command.to_vec(),
        mocked: container
            .exec_mock
            .keys()
            .chain(container.execs.iter().map(|e| &e.command_prefix))
            .cloned()
            .collect(),
        api,
    })
}

#[cfg(test)]
mod tests {
    use scenario_model::{Exec, ExecOutput};

    use super::*;

    fn cmd(parts: &[&str]) -> Vec<String> {
        parts.iter().map(|s| (*s).to_owned()).collect()
    }

    fn exec(prefix: &[&str], stdout: &str) -> Exec {
        Exec {
            command_prefix: cmd(prefix),
            return_code: 0,
            stdout: stdout.to_owned(),
            stderr: String::new(),
            change_id: 1,
        }
    }

    #[test]
    fn exact_exec_mock_only_matches_the_whole_command() {
        let mut c = Container::new("c");
        let out = ExecOutput {
            return_code: 1,
            stdout: "o".into(),
            stderr: "e".into(),
        };
        c.exec_mock.insert(cmd(&["ls", "-l"]), out);
        let found = find_exec(&c, &cmd(&["ls", "-l"]), Api::Scenario5).unwrap();
        assert_eq!(
            (found.return_code, found.stdout, found.stderr),
            (1, "o", "e")
        );
        let err = find_exec(&c, &cmd(&["ls"]), Api::Scenario5).unwrap_err();
        assert_eq!(
            err,
            PebbleError::ExecNotMocked {
                container: "c".into(),
                command: cmd(&["ls"]),
                mocked: vec![cmd(&["ls", "-l"])],
                api: Api::Scenario5,
            }
        );
    }

    #[test]
    fn the_longest_prefix_wins_and_the_empty_one_catches_all() {
        let mut c = Container::new("c");
        c.execs = vec![
            exec(&["git"], "git"),
            exec(&[], "any"),
            exec(&["git", "log"], "log"),
        ];
        let stdout = |parts: &[&str]| find_exec(&c, &cmd(parts), Api::Scenario8).unwrap().stdout;
        assert_eq!(stdout(&["git", "log", "-1"]), "log");
        assert_eq!(stdout(&["git", "log"]), "log");
        assert_eq!(stdout(&["git", "status"]), "git");
        assert_eq!(stdout(&["git"]), "git");
        assert_eq!(stdout(&["ls"]), "any");
        // A prefix longer than the command does not match it.
        assert_eq!(stdout(&["gi"]), "any");
    }

    #[test]
    fn an_exact_exec_mock_beats_a_prefix() {
        let mut c = Container::new("c");
        c.execs = vec![exec(&["ls", "-l"], "prefix")];
        c.exec_mock.insert(
            cmd(&["ls", "-l"]),
            ExecOutput {
                stdout: "exact".into(),
                ..ExecOutput::default()
            },
        );
        let found = find_exec(&c, &cmd(&["ls", "-l"]), Api::Scenario8).unwrap();
        assert_eq!(found.stdout, "exact");
        let found = find_exec(&c, &cmd(&["ls", "-l", "/"]), Api::Scenario8).unwrap();
        assert_eq!(found.stdout, "prefix");
    }

    #[test]
    fn no_match_lists_every_mock() {
        let mut c = Container::new("c");
        c.execs = vec![exec(&["git"], "")];
        c.exec_mock.insert(cmd(&["ls"]), ExecOutput::default());
        let err = find_exec(&c, &cmd(&["rm", "-rf"]), Api::Scenario8).unwrap_err();
        let PebbleError::ExecNotMocked { mocked, .. } = &err else {
            panic!("{err:?}");
        };
        assert_eq!(mocked, &[cmd(&["ls"]), cmd(&["git"])]);
    }
}
