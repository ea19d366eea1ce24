//! Opened ports.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The protocols `open-port` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    Tcp,
    Udp,
    Icmp,
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
            Protocol::Icmp => "icmp",
        }
    }

    pub fn parse(s: &str) -> Option<Protocol> {
        [Protocol::Tcp, Protocol::Udp, Protocol::Icmp]
            .into_iter()
            .find(|p| p.as_str() == s)
    }
}

/// A port (or ICMP) opened on the unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(deny_unknown_fields)]
pub struct Port {
    pub protocol: Protocol,
    #[serde(default)]
    pub port: Option<u16>,
}

/// Why a port is not one Juju would open.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PortError {
    #[error("unknown protocol {0:?}: use tcp, udp or icmp")]
    UnknownProtocol(String),
    #[error("icmp does not take a port number, got {0}")]
    PortWithIcmp(i64),
    #[error("port {0} is out of range: use 1 to 65535")]
    OutOfRange(i64),
    #[error("{0} needs a port number between 1 and 65535")]
    Missing(&'static str),
}

impl PortError {
    /// The fields of `Port` at fault: `protocol`, `port`, or both when they disagree.
    pub fn fields(&self) -> &'static [&'static str] {
        match self {
            PortError::UnknownProtocol(_) => &["protocol"],
            PortError::OutOfRange(_) => &["port"],
            PortError::PortWithIcmp(_) | PortError::Missing(_) => &["protocol", "port"],
        }
    }
}

impl Port {
    /// Validate a port as Juju's `open-port` does.
    pub fn new(protocol: &str, port: Option<i64>) -> Result<Port, PortError> {
        let protocol =
            Protocol::parse(protocol).ok_or_else(|| PortError::UnknownProtocol(protocol.into()))?;
        let port = match (protocol, port) {
            (Protocol::Icmp, None) => None,
            (Protocol::Icmp, Some(p)) => return Err(PortError::PortWithIcmp(p)),
            (p, None | Some(0)) => return Err(PortError::Missing(p.as_str())),
            (_, Some(p)) => Some(u16::try_from(p).map_err(|_| PortError::OutOfRange(p))?),
        };
        Ok(Port { protocol, port })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn juju_port_rules() {
        assert!(Port::new("tcp", Some(80)).is_ok());
        assert!(Port::new("icmp", None).is_ok());
        assert_eq!(Port::new("icmp", Some(1)), Err(PortError::PortWithIcmp(1)));
        assert_eq!(Port::new("tcp", Some(0)), Err(PortError::Missing("tcp")));
        assert_eq!(Port::new("udp", None), Err(PortError::Missing("udp")));
        assert_eq!(
            Port::new("tcp", Some(70000)),
            Err(PortError::OutOfRange(70000))
        );
        assert!(matches!(
            Port::new("sctp", Some(1)),
            Err(PortError::UnknownProtocol(_))
        ));
    }
}
