//! Networks as `network-get` reports them: bind addresses, ingress addresses, egress subnets.

use serde::{Deserialize, Serialize};

/// One address on an interface.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Address {
    pub hostname: String,
    pub value: String,
    pub cidr: String,
    /// Juju's legacy `address` key; mostly empty.
    #[serde(default)]
    pub address: String,
}

/// One network interface with its addresses.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BindAddress {
    pub interface_name: String,
    pub addresses: Vec<Address>,
    #[serde(default)]
    pub mac_address: Option<String>,
}

/// What `network-get <binding>` answers for one binding (an endpoint or extra binding).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Network {
    /// The binding: an endpoint, an extra binding or `juju-info` (`binding_name` in
    /// `ops[testing]`).
    #[serde(alias = "binding_name")]
    pub name: String,
    pub bind_addresses: Vec<BindAddress>,
    pub ingress_addresses: Vec<String>,
    pub egress_subnets: Vec<String>,
}

impl Network {
    /// A network with one interface holding one address, as `Network.default(...)` builds it.
    pub fn default_for(
        name: impl Into<String>,
        private_address: &str,
        hostname: &str,
        cidr: &str,
        interface_name: &str,
        mac_address: Option<String>,
        egress_subnets: Vec<String>,
        ingress_addresses: Vec<String>,
    ) -> Self {
        Network {
            name: name.into(),
            bind_addresses: vec![BindAddress {
                interface_name: interface_name.to_owned(),
                addresses: vec![Address {
                    hostname: hostname.to_owned(),
                    value: private_address.to_owned(),
                    cidr: cidr.to_owned(),
                    address: String::new(),
                }],
                mac_address,
            }],
            ingress_addresses,
            egress_subnets,
        }
    }
}
