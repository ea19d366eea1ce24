//! Exec: the mocked result of a command, looked up by the exact full command line.
//!
//! There is no prefix matching and every exec option is ignored, as in Scenario 5.8.1;
//! the runtime builds the process object (streams, `wait`, `ExecError`) from the output.

use scenario_model::{Container, ExecOutput};

use crate::error::PebbleError;

/// The mock for `command` in `container.exec_mock`.
pub fn find_exec_mock<'c>(
    container: &'c Container,
    command: &[String],
) -> Result<&'c ExecOutput, PebbleError> {
    container
        .exec_mock
        .get(command)
        .ok_or_else(|| PebbleError::ExecNotMocked {
            container: container.name.clone(),
            command: command.to_vec(),
            mocked: container.exec_mock.keys().cloned().collect(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(parts: &[&str]) -> Vec<String> {
        parts.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn exact_match_only() {
        let mut c = Container::new("c");
        let out = ExecOutput {
            return_code: 1,
            stdout: "o".into(),
            stderr: "e".into(),
        };
        c.exec_mock.insert(cmd(&["ls", "-l"]), out.clone());
        assert_eq!(find_exec_mock(&c, &cmd(&["ls", "-l"])).unwrap(), &out);
        let err = find_exec_mock(&c, &cmd(&["ls"])).unwrap_err();
        assert_eq!(
            err,
            PebbleError::ExecNotMocked {
                container: "c".into(),
                command: cmd(&["ls"]),
                mocked: vec![cmd(&["ls", "-l"])],
            }
        );
        let text = err.to_string();
        assert!(text.contains(r#"["ls"]"#), "{text}");
        assert!(text.contains(r#"[["ls", "-l"]]"#), "{text}");
        assert!(text.contains("exec_mock"), "{text}");
    }
}
