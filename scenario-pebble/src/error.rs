//! The error type of the mock Pebble, shaped after the exceptions ops raises.

use scenario_model::Api;
use serde_json::json;
use thiserror::Error;

/// The `kind` of an ops `pebble.PathError`, as Pebble spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PathErrorKind {
    NotFound,
    PermissionDenied,
    GenericFileError,
}

impl PathErrorKind {
    /// The kind string Pebble sends and `pebble.PathError.kind` holds.
    pub fn as_str(self) -> &'static str {
        match self {
            PathErrorKind::NotFound => "not-found",
            PathErrorKind::PermissionDenied => "permission-denied",
            PathErrorKind::GenericFileError => "generic-file-error",
        }
    }
}

impl std::fmt::Display for PathErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything the mock Pebble can refuse.
///
/// Each variant corresponds to one ops exception, so the runtime maps them with one
/// exhaustive `match`; see the variant docs for the target.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PebbleError {
    /// A file operation failed on a path: ops `pebble.PathError(kind, message)`.
    #[error("{kind} - {message}")]
    Path {
        kind: PathErrorKind,
        message: String,
    },

    /// Pebble's HTTP API refused the request: ops `pebble.APIError(body, code, status,
    /// message)`, with the body from [`PebbleError::api_body`].
    #[error("{message}")]
    Api {
        code: u16,
        status: String,
        message: String,
    },

    /// The container's `can_connect` is false: ops `pebble.ConnectionError(message)`.
    #[error(
        "cannot connect to Pebble: did you forget to set can_connect=True for container {container:?}?"
    )]
    Connection { container: String },

    /// The container is declared in metadata but the State has no such container.
    #[error(
        "container {container:?} is not in the State: add Container({container:?}, can_connect=True) to State.containers"
    )]
    NoContainer { container: String },

    /// `exec` of a command no mock matches. Scenario 5.8.1 raised a plain `RuntimeError`
    /// here and `ops[testing]` an `ExecError` with exit code 127; the runtime raises what the
    /// run's `api` documents, and the message says how to mock the command in its terms.
    #[error("{}", exec_not_mocked(container, command, mocked, *api))]
    ExecNotMocked {
        container: String,
        command: Vec<String>,
        /// Every mocked command line and command prefix, exact ones first.
        mocked: Vec<Vec<String>>,
        api: Api,
    },
}

impl PebbleError {
    pub(crate) fn path(kind: PathErrorKind, message: impl Into<String>) -> Self {
        PebbleError::Path {
            kind,
            message: message.into(),
        }
    }

    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::path(PathErrorKind::NotFound, message)
    }

    pub(crate) fn generic(message: impl Into<String>) -> Self {
        Self::path(PathErrorKind::GenericFileError, message)
    }

    /// An API error with the HTTP reason phrase Pebble would send for `code`.
    pub(crate) fn api(code: u16, message: impl Into<String>) -> Self {
        PebbleError::Api {
            code,
            status: reason_phrase(code).to_owned(),
            message: message.into(),
        }
    }

    /// The JSON body of an API error, as Pebble sends it and `APIError.body` holds.
    pub fn api_body(&self) -> Option<serde_json::Value> {
        match self {
            PebbleError::Api {
                code,
                status,
                message,
            } => Some(json!({
                "type": "error",
                "status-code": code,
                "status": status,
                "result": {"message": message},
            })),
            _ => None,
        }
    }
}

fn exec_not_mocked(
    container: &str,
    command: &[String],
    mocked: &[Vec<String>],
    api: Api,
) -> String {
    let shown = py_list(command);
    let mocked: Vec<String> = mocked.iter().map(|m| py_list(m)).collect();
    let mocked = mocked.join(", ");
    match api {
        Api::Scenario5 => format!(
            "mock for cmd {shown} not found in container {container:?} (mocked: [{mocked}]); \
             add one keyed by the whole command: Container({container:?}, \
             exec_mock={{{}: ExecOutput(...)}})",
            py_tuple(command)
        ),
        Api::Scenario8 => format!(
            "mock for cmd {shown} not found. Please patch out whatever runs it in the charm, \
             or give container {container:?} an Exec for it, which mocks every command \
             starting with its prefix: Container({container:?}, execs={{Exec({shown}, ...)}}) \
             (mocked: [{mocked}])"
        ),
    }
}

/// How Python writes a list of strings (`['ls', '-l']`), so the message shows the command
/// as the test wrote it.
fn py_list(items: &[String]) -> String {
    format!("[{}]", py_items(items))
}

fn py_tuple(items: &[String]) -> String {
    if items.len() == 1 {
        format!("({},)", py_items(items))
    } else {
        format!("({})", py_items(items))
    }
}

fn py_items(items: &[String]) -> String {
    items
        .iter()
        .map(|s| py_str(s))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Python's `repr` of a string: single quotes unless it holds one and no double quote.
fn py_str(s: &str) -> String {
    let escaped = s.replace('\\', "\\\\");
    if s.contains('\'') && !s.contains('"') {
        format!("\"{escaped}\"")
    } else {
        format!("'{}'", escaped.replace('\'', "\\'"))
    }
}

/// The reason phrases of the codes this crate uses (Python's `http.HTTPStatus(code).phrase`).
fn reason_phrase(code: u16) -> &'static str {
    match code {
        400 => "Bad Request",
        404 => "Not Found",
        500 => "Internal Server Error",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_error_carries_status_and_body() {
        let err = PebbleError::api(404, "stat /x: no such file or directory");
        assert_eq!(err.to_string(), "stat /x: no such file or directory");
        let body = err.api_body().unwrap();
        assert_eq!(body["status-code"], 404);
        assert_eq!(body["status"], "Not Found");
        assert_eq!(
            body["result"]["message"],
            "stat /x: no such file or directory"
        );
    }

    #[test]
    fn path_error_displays_like_ops() {
        let err = PebbleError::not_found("stat /x: no such file or directory");
        assert_eq!(
            err.to_string(),
            "not-found - stat /x: no such file or directory"
        );
        assert!(err.api_body().is_none());
    }

    #[test]
    fn exec_not_mocked_speaks_the_api_of_the_run() {
        let err = |api| PebbleError::ExecNotMocked {
            container: "web".into(),
            command: vec!["ls".into(), "it's".into()],
            mocked: vec![vec!["cat".into()]],
            api,
        };
        let five = err(Api::Scenario5).to_string();
        assert!(
            five.starts_with(r#"mock for cmd ['ls', "it's"] not found"#),
            "{five}"
        );
        assert!(
            five.contains(r#"exec_mock={('ls', "it's"): ExecOutput(...)}"#),
            "{five}"
        );
        assert!(five.contains("(mocked: [['cat']])"), "{five}");
        let eight = err(Api::Scenario8).to_string();
        assert!(
            eight.starts_with(r#"mock for cmd ['ls', "it's"] not found. Please patch out"#),
            "{eight}"
        );
        assert!(
            eight.contains(r#"Container("web", execs={Exec(['ls', "it's"], ...)})"#),
            "{eight}"
        );
    }

    #[test]
    fn connection_error_names_the_container() {
        let err = PebbleError::Connection {
            container: "web".into(),
        };
        assert!(err.to_string().contains("can_connect=True"));
        assert!(err.to_string().contains("\"web\""));
    }
}
