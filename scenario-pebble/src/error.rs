//! The error type of the mock Pebble, shaped after the exceptions ops raises.

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

    /// `exec` of a command that has no entry in `Container.exec_mock`. Scenario 5.8.1
    /// raised a plain `RuntimeError` here; the runtime decides which exception to raise.
    #[error(
        "no exec mock for command {command:?} in container {container:?} (mocked commands: {mocked:?}); \
         add one with Container(exec_mock={{(\"cmd\", \"arg\"): ExecOutput(...)}}), keyed by the full command"
    )]
    ExecNotMocked {
        container: String,
        command: Vec<String>,
        mocked: Vec<Vec<String>>,
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
    fn connection_error_names_the_container() {
        let err = PebbleError::Connection {
            container: "web".into(),
        };
        assert!(err.to_string().contains("can_connect=True"));
        assert!(err.to_string().contains("\"web\""));
    }
}
