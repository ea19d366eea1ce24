//! `Port` (Scenario 5's `Port(protocol, port)`) and ops[testing]'s `TCPPort`, `UDPPort`
//! and `ICMPPort`, its subclasses: a port (or ICMP) opened on the unit.

use pyo3::prelude::*;
use scenario_model::{self as model, Protocol};

use crate::convert::args;
use crate::dataclass::{Field, Fields, required, state_class, value};
use crate::errors::state_validation_error;

const FIELDS: &[Field] = &[required("protocol"), value("port", "None")];

/// A port the unit has opened with ``open-port`` (ops's ``self.unit.open_port()`` and
/// ``set_ports()``), as ``opened-ports`` lists it; give them in ``State.opened_ports``.
///
/// ops[testing] makes them with ``TCPPort``, ``UDPPort`` and ``ICMPPort``, which are
/// ``Port`` subclasses; Scenario 5 wrote ``Port(protocol, port)``, which works too:
///
/// - ``protocol``: ``"tcp"``, ``"udp"`` or ``"icmp"`` (required).
/// - ``port``: the port number, 1 to 65535, for TCP and UDP; ``None`` for ICMP.
///
/// Ports compare by protocol and number, with one another and with ops's ``Port``.
#[pyclass(
    frozen,
    dict,
    subclass,
    skip_from_py_object,
    module = "scenario.state",
    name = "Port"
)]
#[derive(Debug, Clone)]
pub struct PyPort {
    pub inner: model::Port,
}

impl Fields for PyPort {}

/// `(protocol, port)` of a Scenario or ops port.
pub(crate) fn protocol_and_port(obj: &Bound<'_, PyAny>) -> Option<(String, Option<i64>)> {
    if let Ok(p) = obj.cast::<PyPort>() {
        let p = p.get().inner;
        return Some((p.protocol.as_str().to_owned(), p.port.map(i64::from)));
    }
    let protocol = obj.getattr("protocol").ok()?.extract().ok()?;
    let port = obj.getattr("port").ok()?.extract().ok()?;
    let is_ops_port = obj
        .get_type()
        .module()
        .ok()?
        .to_cow()
        .ok()?
        .starts_with("ops");
    is_ops_port.then_some((protocol, port))
}

/// A port Juju would open, or an error naming the field of `class` at fault.
fn port(class: &str, protocol: &str, port: Option<i64>) -> PyResult<model::Port> {
    model::Port::new(protocol, port).map_err(|e| {
        let fields: Vec<String> = e.fields().iter().map(|f| format!("{class}.{f}")).collect();
        state_validation_error(format!("{}: {e}", fields.join(" and ")))
    })
}

args!(port_arg, PyPort "Port": protocol, port);

state_class! { PyPort, "Port", FIELDS, custom_eq;
    #[new]
    #[pyo3(signature = (protocol = None, port = None))]
    fn new(
        py: Python<'_>,
        #[pyo3(from_py_with = port_arg::protocol)] protocol: Option<&str>,
        #[pyo3(from_py_with = port_arg::port)] port: Option<i64>,
    ) -> PyResult<Self> {
        let Some(protocol) = protocol else {
            // ops[testing] refuses a bare Port() with a RuntimeError, Scenario 5 (which
            // required the protocol) with a TypeError: the error is both.
            let error = py.import("scenario_rs.errors")?.getattr("PortArgumentError")?.call1((
                "Port.protocol is required: make a TCPPort, UDPPort or ICMPPort (or Port(protocol, port))",
            ))?;
            return Err(PyErr::from_value(error));
        };
        Ok(PyPort { inner: self::port("Port", protocol, port)? })
    }

    /// The port's protocol: ``"tcp"``, ``"udp"`` or ``"icmp"``, as ``open-port`` and
    /// ``opened-ports`` write it.
    #[getter]
    fn protocol(&self) -> &'static str {
        self.inner.protocol.as_str()
    }

    /// The port number (1 to 65535) for TCP and UDP; ``None`` for ICMP, which has no
    /// port number.
    #[getter]
    fn port(&self) -> Option<u16> {
        self.inner.port
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> Py<PyAny> {
        let py = other.py();
        match protocol_and_port(other) {
            Some(theirs) => {
                let ours = (self.inner.protocol.as_str().to_owned(), self.inner.port.map(i64::from));
                pyo3::types::PyBool::new(py, ours == theirs).to_owned().into_any().unbind()
            }
            None => py.NotImplemented(),
        }
    }

    fn __hash__(&self) -> u64 {
        crate::classes::hash_of(&self.inner)
    }

    /// The ops `Port` for this port.
    fn _to_ops<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py.import("ops")?.getattr("Port")?.call1((self.inner.protocol.as_str(), self.inner.port))
    }
}

const NUMBERED_FIELDS: &[Field] = &[value("port", "None"), value("protocol", "None").computed()];

/// A `TCPPort` or `UDPPort` (`class`): a port number is required.
fn numbered(
    class: &str,
    protocol: &str,
    port: Option<i64>,
) -> PyResult<PyClassInitializer<PyPort>> {
    // ops[testing]'s words for a port out of range, with the field named.
    let Some(number) = port.filter(|p| (1..=65535).contains(p)) else {
        return Err(state_validation_error(format!(
            "{class}.port: `port` outside bounds [1:65535], got {}",
            port.map_or_else(|| "None".to_owned(), |p| p.to_string())
        )));
    };
    let inner = self::port(class, protocol, Some(number))?;
    Ok(PyClassInitializer::from(PyPort { inner }))
}

/// A TCP port the unit has opened: ``TCPPort(8080)``. ``port``, the number (1 to 65535),
/// is required; ``protocol`` reads ``"tcp"``.
#[pyclass(frozen, extends = PyPort, skip_from_py_object, module = "scenario.state", name = "TCPPort")]
#[derive(Debug)]
pub struct PyTcpPort;

impl Fields for PyTcpPort {}

args!(tcp_arg, PyTcpPort "TCPPort": port);

state_class! { PyTcpPort, "TCPPort", NUMBERED_FIELDS, custom_eq;
    #[new]
    #[pyo3(signature = (port = None))]
    fn new(#[pyo3(from_py_with = tcp_arg::port)] port: Option<i64>) -> PyResult<PyClassInitializer<Self>> {
        Ok(numbered("TCPPort", "tcp", port)?.add_subclass(PyTcpPort))
    }
}

/// A UDP port the unit has opened: ``UDPPort(53)``. ``port``, the number (1 to 65535), is
/// required; ``protocol`` reads ``"udp"``.
#[pyclass(frozen, extends = PyPort, skip_from_py_object, module = "scenario.state", name = "UDPPort")]
#[derive(Debug)]
pub struct PyUdpPort;

impl Fields for PyUdpPort {}

args!(udp_arg, PyUdpPort "UDPPort": port);

state_class! { PyUdpPort, "UDPPort", NUMBERED_FIELDS, custom_eq;
    #[new]
    #[pyo3(signature = (port = None))]
    fn new(#[pyo3(from_py_with = udp_arg::port)] port: Option<i64>) -> PyResult<PyClassInitializer<Self>> {
        Ok(numbered("UDPPort", "udp", port)?.add_subclass(PyUdpPort))
    }
}

const ICMP_FIELDS: &[Field] = &[
    value("port", "None").computed(),
    value("protocol", "None").computed(),
];

/// ICMP opened on the unit (ping reaches it): ``ICMPPort()``. It takes no argument, as
/// ICMP has no port number; ``port`` reads ``None`` and ``protocol`` reads ``"icmp"``.
#[pyclass(frozen, extends = PyPort, skip_from_py_object, module = "scenario.state", name = "ICMPPort")]
#[derive(Debug)]
pub struct PyIcmpPort;

impl Fields for PyIcmpPort {}

state_class! { PyIcmpPort, "ICMPPort", ICMP_FIELDS, custom_eq;
    #[new]
    #[pyo3(signature = (*, port = None))]
    fn new(port: Option<&Bound<'_, PyAny>>) -> PyResult<PyClassInitializer<Self>> {
        if port.is_some_and(|p| !p.is_none()) {
            return Err(state_validation_error("ICMPPort.port cannot be set: ICMP has no port number"));
        }
        let inner = model::Port { protocol: Protocol::Icmp, port: None };
        Ok(PyClassInitializer::from(PyPort { inner }).add_subclass(PyIcmpPort))
    }
}

/// A model port as its ops[testing] class (a `Port` too, for Scenario 5).
pub fn port_to_py(py: Python<'_>, port: model::Port) -> PyResult<Bound<'_, PyAny>> {
    let base = PyClassInitializer::from(PyPort { inner: port });
    Ok(match port.protocol {
        Protocol::Tcp => Bound::new(py, base.add_subclass(PyTcpPort))?.into_any(),
        Protocol::Udp => Bound::new(py, base.add_subclass(PyUdpPort))?.into_any(),
        Protocol::Icmp => Bound::new(py, base.add_subclass(PyIcmpPort))?.into_any(),
    })
}
