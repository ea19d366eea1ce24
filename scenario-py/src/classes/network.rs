//! `Address`, `BindAddress` and `Network`: what `network-get` answers.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use scenario_model as model;

use crate::convert::{args, items, string_list, type_name};
use crate::dataclass::Settle;
use crate::dataclass::{Field, Fields, factory, state_class, value};

const ADDRESS_FIELDS: &[Field] = &[
    value("hostname", "''"),
    value("value", "''"),
    value("cidr", "''"),
    value("address", "''"),
];

/// One address of a network interface in a Juju space, as ``network-get`` lists it in a
/// ``BindAddress``.
///
/// ops[testing] writes ``Address(value, hostname=..., cidr=...)``; Scenario 5 wrote
/// ``Address(hostname, value, cidr)``, which works too (two positional arguments make the
/// first one the hostname):
///
/// - ``value``: the IP address (required).
/// - ``hostname``: a host name that resolves to it (default ``""``).
/// - ``cidr``: the subnet it is in, such as ``"192.0.2.0/24"`` (default ``""``).
/// - ``address``: Juju's legacy key for the address; it defaults to ``value``.
///
/// For example: ``BindAddress([Address("10.1.2.3", cidr="10.1.2.0/24")])``.
#[pyclass(
    frozen,
    dict,
    skip_from_py_object,
    module = "scenario.state",
    name = "Address"
)]
#[derive(Debug)]
pub struct PyAddress {
    pub inner: model::Address,
}

impl Fields for PyAddress {}

// The first positional argument is the value, or Scenario 5's hostname before it.
args!(address_arg, PyAddress "Address": first = "value", value, cidr, address, hostname);

state_class! { PyAddress, "Address", ADDRESS_FIELDS, inner;
    #[new]
    #[pyo3(signature = (first=None, /, value=None, cidr=None, address=None, *, hostname=None))]
    fn new(
        #[pyo3(from_py_with = address_arg::first)] first: Option<String>,
        #[pyo3(from_py_with = address_arg::value)] value: Option<String>,
        #[pyo3(from_py_with = address_arg::cidr)] cidr: Option<String>,
        #[pyo3(from_py_with = address_arg::address)] address: Option<String>,
        #[pyo3(from_py_with = address_arg::hostname)] hostname: Option<String>,
    ) -> PyResult<Self> {
        // A second positional (or value=) beside the first makes it Scenario 5's hostname.
        if first.is_some() && value.is_some() && hostname.is_some() {
            return Err(PyTypeError::new_err("Address() got hostname twice"));
        }
        let (hostname, value) = match (first, value) {
            (Some(first), Some(value)) => (Some(first), value),
            (Some(first), None) => (hostname, first),
            (None, Some(value)) => (hostname, value),
            (None, None) => return Err(PyTypeError::new_err("Address.value is required: the IP address")),
        };
        // ops[testing] reads `address` as an alias of `value`: one equal to it says nothing.
        let address = address.filter(|a| *a != value).unwrap_or_default();
        Ok(PyAddress {
            inner: model::Address {
                hostname: hostname.unwrap_or_default(),
                value,
                cidr: cidr.unwrap_or_default(),
                address,
            },
        })
    }
    /// A host name that resolves to the address (``""`` when none was given).
    #[getter]
    fn hostname(&self) -> &str {
        &self.inner.hostname
    }
    /// The IP address itself, which ``network-get`` reports as the interface's
    /// ``value``.
    #[getter]
    fn value(&self) -> &str {
        &self.inner.value
    }
    /// The subnet the address is in, in CIDR form (``"192.0.2.0/24"``), or ``""``.
    #[getter]
    fn cidr(&self) -> &str {
        &self.inner.cidr
    }
    /// Juju's legacy ``address`` key when one was given, otherwise the ``value``
    /// (ops[testing] made it a deprecated alias of ``value``).
    #[getter]
    fn address(&self) -> &str {
        if self.inner.address.is_empty() { &self.inner.value } else { &self.inner.address }
    }
    fn __hash__(&self) -> u64 {
        crate::classes::hash_of(&self.inner)
    }
}

fn address_dict<'py>(py: Python<'py>, a: &model::Address) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("hostname", &a.hostname)?;
    d.set_item("value", &a.value)?;
    d.set_item("cidr", &a.cidr)?;
    d.set_item("address", &a.address)?;
    Ok(d)
}

const BIND_FIELDS: &[Field] = &[
    value("interface_name", "''"),
    factory("addresses", "[]"),
    value("mac_address", "None"),
];

/// One network interface of the unit and its addresses in a Juju space: an item of
/// ``Network.bind_addresses``, the addresses the charm should bind to.
///
/// ops[testing] writes ``BindAddress(addresses, interface_name=..., mac_address=...)``;
/// Scenario 5 wrote ``BindAddress(interface_name, addresses)``, which works too (a ``str``
/// first is the interface name):
///
/// - ``addresses``: the interface's ``Address`` objects (default: none).
/// - ``interface_name``: the interface's name, such as ``"eth0"`` (default ``""``).
/// - ``mac_address``: the interface's MAC address, or ``None`` (the default).
#[pyclass(
    frozen,
    dict,
    skip_from_py_object,
    module = "scenario.state",
    name = "BindAddress"
)]
#[derive(Debug)]
pub struct PyBindAddress {
    pub inner: model::BindAddress,
}

impl Fields for PyBindAddress {}

fn addresses_from_py(obj: &Bound<'_, PyAny>) -> PyResult<Vec<model::Address>> {
    items(obj, "BindAddress.addresses")?
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let a = a.cast::<PyAddress>().map_err(|_| {
                PyTypeError::new_err(format!(
                    "BindAddress.addresses[{i}] must be an Address, got {}",
                    type_name(a)
                ))
            })?;
            Ok(a.settled()?.get().inner.clone())
        })
        .collect()
}

pub fn bind_address_dict<'py>(
    py: Python<'py>,
    b: &model::BindAddress,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("interface-name", &b.interface_name)?;
    let addrs = b
        .addresses
        .iter()
        .map(|a| address_dict(py, a))
        .collect::<PyResult<Vec<_>>>()?;
    d.set_item("addresses", addrs)?;
    if let Some(mac) = b.mac_address.as_deref().filter(|m| !m.is_empty()) {
        d.set_item("mac-address", mac)?;
    }
    Ok(d)
}

args!(bind_address_arg, PyBindAddress "BindAddress": interface_name, mac_address);

state_class! { PyBindAddress, "BindAddress", BIND_FIELDS, inner;
    #[new]
    #[pyo3(signature = (first=None, /, addresses=None, mac_address=None, *, interface_name=None))]
    fn new(
        first: Option<&Bound<'_, PyAny>>,
        addresses: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = bind_address_arg::mac_address)] mac_address: Option<String>,
        #[pyo3(from_py_with = bind_address_arg::interface_name)] interface_name: Option<String>,
    ) -> PyResult<Self> {
        // Scenario 5 starts with the interface name, ops[testing] with the addresses.
        let (interface_name, addresses) = match first {
            Some(f) if f.is_instance_of::<PyString>() => {
                if interface_name.is_some() {
                    return Err(PyTypeError::new_err("BindAddress() got interface_name twice"));
                }
                (Some(bind_address_arg::interface_name(f)?), addresses)
            }
            Some(f) if addresses.is_some() => {
                return Err(PyTypeError::new_err(format!("BindAddress() got addresses twice (first {})", type_name(f))));
            }
            Some(f) => (interface_name, Some(f)),
            None => (interface_name, addresses),
        };
        let addresses = addresses.map_or_else(|| Ok(Vec::new()), addresses_from_py)?;
        Ok(PyBindAddress {
            inner: model::BindAddress { interface_name: interface_name.unwrap_or_default(), addresses, mac_address },
        })
    }
    /// The network interface's name on the unit's machine or pod (``"eth0"``), or
    /// ``""``.
    #[getter]
    fn interface_name(&self) -> &str {
        &self.inner.interface_name
    }
    /// The interface's addresses in the space, as ``Address`` objects, in the order
    /// given.
    #[getter]
    fn addresses(&self) -> Vec<PyAddress> {
        self.inner.addresses.iter().cloned().map(|inner| PyAddress { inner }).collect()
    }
    /// The interface's MAC address, or ``None`` when none was given (``network-get``
    /// then omits it).
    #[getter]
    fn mac_address(&self) -> Option<&str> {
        self.inner.mac_address.as_deref()
    }
    /// This interface as ``network-get`` prints it in ``bind-addresses``: a dict with
    /// ``interface-name``, ``addresses`` and, when known, ``mac-address``.
    fn hook_tool_output_fmt<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        bind_address_dict(py, &self.inner)
    }
    /// ops[testing]'s name for `hook_tool_output_fmt`.
    fn _hook_tool_output_fmt<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        bind_address_dict(py, &self.inner)
    }
    fn __hash__(&self) -> u64 {
        crate::classes::hash_of(&self.inner)
    }
}

const NETWORK_FIELDS: &[Field] = &[
    value("name", "None").legacy("binding_name"),
    factory("bind_addresses", "[]"),
    factory("ingress_addresses", "['192.0.2.0']"),
    factory("egress_subnets", "['192.0.2.0/24']"),
    value("binding_name", "None").modern("name"),
];

/// What ``network-get <binding>`` answers for one binding (an endpoint or extra binding
/// of the charm's metadata), which ops reads as ``self.model.get_binding(name).network``.
/// A binding the State gives no ``Network`` answers with the defaults below, which suit
/// most charms; give one to set the addresses the charm sees.
///
/// ops[testing] writes ``Network(binding_name, bind_addresses, ingress_addresses=...,
/// egress_subnets=...)``; Scenario 5 called the binding ``name``, and passed every argument
/// by position too:
///
/// - ``binding_name`` (ops[testing]) or ``name`` (Scenario 5): the binding's name; one of
///   them is required.
/// - ``bind_addresses``: the ``BindAddress`` interfaces the charm binds to (default: one
///   interface with the address ``192.0.2.0``).
/// - ``ingress_addresses``: the addresses other units reach this unit at (default
///   ``["192.0.2.0"]``).
/// - ``egress_subnets``: the subnets this unit's traffic comes from (default
///   ``["192.0.2.0/24"]``).
///
/// For example: ``State(networks={Network("db", [BindAddress([Address("10.0.0.5")])])})``.
#[pyclass(
    frozen,
    dict,
    skip_from_py_object,
    module = "scenario.state",
    name = "Network"
)]
#[derive(Debug)]
pub struct PyNetwork {
    pub inner: model::Network,
}

impl Fields for PyNetwork {}

pub fn network_dict<'py>(py: Python<'py>, n: &model::Network) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let binds = n
        .bind_addresses
        .iter()
        .map(|b| bind_address_dict(py, b))
        .collect::<PyResult<Vec<_>>>()?;
    d.set_item("bind-addresses", binds)?;
    d.set_item("egress-subnets", &n.egress_subnets)?;
    d.set_item("ingress-addresses", &n.ingress_addresses)?;
    Ok(d)
}

args!(network_arg, PyNetwork "Network": name, binding_name);

state_class! { PyNetwork, "Network", NETWORK_FIELDS, inner;
    #[new]
    #[pyo3(signature = (name=None, bind_addresses=None, ingress_addresses=None, egress_subnets=None, *, binding_name=None))]
    fn new(
        #[pyo3(from_py_with = network_arg::name)] name: Option<String>,
        bind_addresses: Option<&Bound<'_, PyAny>>,
        ingress_addresses: Option<&Bound<'_, PyAny>>,
        egress_subnets: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = network_arg::binding_name)] binding_name: Option<String>,
    ) -> PyResult<Self> {
        let name = match (name, binding_name) {
            (Some(_), Some(_)) => return Err(PyTypeError::new_err("Network.name and Network.binding_name name the same binding: pass one of them")),
            (Some(n), None) | (None, Some(n)) => n,
            (None, None) => return Err(PyTypeError::new_err("Network.binding_name is required: the binding's name (name in Scenario 5)")),
        };
        let default_address = || model::Address {
            hostname: String::new(),
            value: model::api::DEFAULT_ADDRESS.to_owned(),
            cidr: String::new(),
            address: String::new(),
        };
        let bind_addresses = match bind_addresses {
            Some(b) => items(b, "Network.bind_addresses")?
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    let b = b.cast::<PyBindAddress>().map_err(|_| {
                        PyTypeError::new_err(format!("Network.bind_addresses[{i}] must be a BindAddress, got {}", type_name(b)))
                    })?;
                    Ok(b.settled()?.get().inner.clone())
                })
                .collect::<PyResult<_>>()?,
            None => vec![model::BindAddress { interface_name: String::new(), addresses: vec![default_address()], mac_address: None }],
        };
        Ok(PyNetwork {
            inner: model::Network {
                name,
                bind_addresses,
                ingress_addresses: string_list(ingress_addresses, "Network.ingress_addresses")?
                    .unwrap_or_else(|| vec![model::api::DEFAULT_ADDRESS.to_owned()]),
                egress_subnets: string_list(egress_subnets, "Network.egress_subnets")?
                    .unwrap_or_else(|| vec![format!("{}/24", model::api::DEFAULT_ADDRESS)]),
            },
        })
    }
    /// The binding's name: an endpoint or extra binding of the charm's metadata
    /// (Scenario 5's name for ``binding_name``).
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }
    /// The binding's name: an endpoint or extra binding of the charm's metadata
    /// (ops[testing]'s name for ``name``).
    #[getter]
    fn binding_name(&self) -> &str {
        &self.inner.name
    }
    /// Networks hash by binding (as in ops[testing]), so a State can hold them in a set.
    fn __hash__(&self) -> u64 {
        crate::classes::hash_of(&self.inner.name)
    }
    /// ops[testing]'s name for `hook_tool_output_fmt`.
    fn _hook_tool_output_fmt<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        network_dict(py, &self.inner)
    }
    /// The unit's interfaces on this binding, as ``BindAddress`` objects: the addresses
    /// the charm should bind to.
    #[getter]
    fn bind_addresses(&self) -> Vec<PyBindAddress> {
        self.inner.bind_addresses.iter().cloned().map(|inner| PyBindAddress { inner }).collect()
    }
    /// The addresses other units should use to reach this unit over the binding (ops's
    /// ``ingress_address`` is the first).
    #[getter]
    fn ingress_addresses(&self) -> Vec<String> {
        self.inner.ingress_addresses.clone()
    }
    /// The subnets this unit's traffic over the binding comes from, as other units see
    /// it, in CIDR form.
    #[getter]
    fn egress_subnets(&self) -> Vec<String> {
        self.inner.egress_subnets.clone()
    }
    /// This network as ``network-get`` prints it: a dict with ``bind-addresses``,
    /// ``egress-subnets`` and ``ingress-addresses``.
    fn hook_tool_output_fmt<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        network_dict(py, &self.inner)
    }

    /// Scenario 5's shorthand for a network of one interface with one address:
    /// ``Network.default("db", private_address="10.0.0.5")``. Unlike the constructor, it
    /// defaults to Scenario 5's addresses (``1.1.1.1``, ingress ``1.1.1.2``, egress
    /// ``1.1.1.2/32``).
    #[staticmethod]
    #[pyo3(signature = (name, private_address="1.1.1.1", hostname="", cidr="", interface_name="", mac_address=None, egress_subnets=None, ingress_addresses=None))]
    fn default(
        name: String,
        private_address: &str,
        hostname: &str,
        cidr: &str,
        interface_name: &str,
        mac_address: Option<String>,
        egress_subnets: Option<Vec<String>>,
        ingress_addresses: Option<Vec<String>>,
    ) -> Self {
        PyNetwork {
            inner: model::Network::default_for(
                name,
                private_address,
                hostname,
                cidr,
                interface_name,
                mac_address,
                egress_subnets.unwrap_or_else(|| vec!["1.1.1.2/32".to_owned()]),
                ingress_addresses.unwrap_or_else(|| vec!["1.1.1.2".to_owned()]),
            ),
        }
    }
}
