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

/// One address on an interface: `Address(value, hostname=, cidr=)` as in ops[testing],
/// or `Address(hostname, value, cidr)` as in Scenario 5.
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
args!(address_arg, "Address": first = "value", value, cidr, address, hostname);

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
    #[getter]
    fn hostname(&self) -> &str {
        &self.inner.hostname
    }
    #[getter]
    fn value(&self) -> &str {
        &self.inner.value
    }
    #[getter]
    fn cidr(&self) -> &str {
        &self.inner.cidr
    }
    /// Juju's legacy `address` key when one was given; otherwise the value (ops[testing]
    /// made it an alias of `value`).
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

/// One network interface and its addresses: `BindAddress(addresses, interface_name=)` as
/// in ops[testing], or `BindAddress(interface_name, addresses)` as in Scenario 5.
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

args!(bind_address_arg, "BindAddress": interface_name, mac_address);

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
    #[getter]
    fn interface_name(&self) -> &str {
        &self.inner.interface_name
    }
    #[getter]
    fn addresses(&self) -> Vec<PyAddress> {
        self.inner.addresses.iter().cloned().map(|inner| PyAddress { inner }).collect()
    }
    #[getter]
    fn mac_address(&self) -> Option<&str> {
        self.inner.mac_address.as_deref()
    }
    /// The dict `network-get` prints for this interface.
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

/// What `network-get <binding>` answers for one binding (`binding_name` in ops[testing],
/// `name` in Scenario 5). Unset parts take ops[testing]'s defaults: one interface with
/// 192.0.2.0, ingress 192.0.2.0, egress 192.0.2.0/24.
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

args!(network_arg, "Network": name, binding_name);

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
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }
    /// The binding (ops[testing]'s name for `name`).
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
    #[getter]
    fn bind_addresses(&self) -> Vec<PyBindAddress> {
        self.inner.bind_addresses.iter().cloned().map(|inner| PyBindAddress { inner }).collect()
    }
    #[getter]
    fn ingress_addresses(&self) -> Vec<String> {
        self.inner.ingress_addresses.clone()
    }
    #[getter]
    fn egress_subnets(&self) -> Vec<String> {
        self.inner.egress_subnets.clone()
    }
    /// The dict `network-get` prints.
    fn hook_tool_output_fmt<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        network_dict(py, &self.inner)
    }

    /// A network with one interface holding one address.
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
