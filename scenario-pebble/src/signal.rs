//! The signal names `send_signal` accepts: those Python's `signal.Signals` knows on Linux,
//! which is also the set Pebble's Go side accepts.

const NAMES: &[&str] = &[
    "SIGHUP",
    "SIGINT",
    "SIGQUIT",
    "SIGILL",
    "SIGTRAP",
    "SIGABRT",
    "SIGIOT",
    "SIGBUS",
    "SIGFPE",
    "SIGKILL",
    "SIGUSR1",
    "SIGSEGV",
    "SIGUSR2",
    "SIGPIPE",
    "SIGALRM",
    "SIGTERM",
    "SIGSTKFLT",
    "SIGCHLD",
    "SIGCLD",
    "SIGCONT",
    "SIGSTOP",
    "SIGTSTP",
    "SIGTTIN",
    "SIGTTOU",
    "SIGURG",
    "SIGXCPU",
    "SIGXFSZ",
    "SIGVTALRM",
    "SIGPROF",
    "SIGWINCH",
    "SIGIO",
    "SIGPOLL",
    "SIGPWR",
    "SIGSYS",
    "SIGRTMIN",
    "SIGRTMAX",
];

/// True when `name` (such as `"SIGHUP"`) names a signal.
pub fn is_signal_name(name: &str) -> bool {
    NAMES.contains(&name)
}

#[cfg(test)]
mod tests {
    use super::is_signal_name;

    #[test]
    fn known_and_unknown_names() {
        assert!(is_signal_name("SIGHUP"));
        assert!(is_signal_name("SIGTERM"));
        assert!(!is_signal_name("HUP"));
        assert!(!is_signal_name("SIGFOO"));
    }
}
