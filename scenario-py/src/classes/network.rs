//! `Address`, `BindAddress` and `Network`: what `network-get` answers.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use scenario_model as model;

use crate::convert::items;
use crate::dataclass::{Field, factory, required, state_class, value};

const ADDRESS_FIELDS: &[Field] = &[
    required("hostname"),
    required("value"),
    required("cidr"),
    value("address", "''"),
];

/// One address on an interface.
#[pyclass(
    frozen,
    skip_from_py_object,
    module = "scenario.state",
    name = "Address"
)]
#[derive(Debug)]
pub struct PyAddress {
    pub inner: model::Address,
}

state_class! { PyAddress, "Address", ADDRESS_FIELDS, inner;
    #[new]
    #[pyo3(signature = (hostname, value, cidr, address=""))]
    fn new(hostname: String, value: String, cidr: String, address: &str) -> Self {
        PyAddress { inner: model::Address { hostname, value, cidr, address: address.to_owned() } }
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
    #[getter]
    fn address(&self) -> &str {
        &self.inner.address
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
    required("interface_name"),
    required("addresses"),
    value("mac_address", "None"),
];

/// One network interface and its addresses.
#[pyclass(
    frozen,
    skip_from_py_object,
    module = "scenario.state",
    name = "BindAddress"
)]
#[derive(Debug)]
pub struct PyBindAddress {
    pub inner: model::BindAddress,
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

state_class! { PyBindAddress, "BindAddress", BIND_FIELDS, inner;
    #[new]
    #[pyo3(signature = (interface_name, addresses, mac_address=None))]
    fn new(interface_name: String, addresses: &Bound<'_, PyAny>, mac_address: Option<String>) -> PyResult<Self> {
        let addresses = items(addresses, "addresses")?
            .iter()
            .map(|a| Ok(a.cast::<PyAddress>()?.get().inner.clone()))
            .collect::<PyResult<_>>()?;
        Ok(PyBindAddress { inner: model::BindAddress { interface_name, addresses, mac_address } })
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
}

const NETWORK_FIELDS: &[Field] = &[
    required("name"),
    required("bind_addresses"),
    factory("ingress_addresses", "[]"),
    factory("egress_subnets", "[]"),
];

/// What `network-get <binding>` answers for one binding.
#[pyclass(
    frozen,
    skip_from_py_object,
    module = "scenario.state",
    name = "Network"
)]
#[derive(Debug)]
pub struct PyNetwork {
    pub inner: model::Network,
}

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

state_class! { PyNetwork, "Network", NETWORK_FIELDS, inner;
    #[new]
    #[pyo3(signature = (name, bind_addresses, ingress_addresses=None, egress_subnets=None))]
    fn new(
        name: String,
        bind_addresses: &Bound<'_, PyAny>,
        ingress_addresses: Option<Vec<String>>,
        egress_subnets: Option<Vec<String>>,
    ) -> PyResult<Self> {
        let bind_addresses = items(bind_addresses, "bind_addresses")?
            .iter()
            .map(|b| Ok(b.cast::<PyBindAddress>()?.get().inner.clone()))
            .collect::<PyResult<_>>()?;
        Ok(PyNetwork {
            inner: model::Network {
                name,
                bind_addresses,
                ingress_addresses: ingress_addresses.unwrap_or_default(),
                egress_subnets: egress_subnets.unwrap_or_default(),
            },
        })
    }
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
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
