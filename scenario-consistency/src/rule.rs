//! The catalogue of consistency rules: one `Rule` variant per check, with its code and summary.
//!
//! The codes are this crate's own: neither original numbered its checks. C1..C4, K1..K3,
//! R1, E0..E4, S1, ST1, ST2 and RL1..RL5 are the checks Scenario 5.8.1's checker made; the
//! others cover what `ops[testing]` 8.9 checks besides (in its checker and in its
//! constructors) and what Juju refuses that neither original checked. Tests and users
//! match on the variant, so a variant, once published, keeps its meaning.

use std::fmt;

/// Declares the enum, its `ALL` list, and the code and summary of each variant from one
/// table, so the three can never drift apart.
macro_rules! rules {
    ($($variant:ident => $summary:literal,)*) => {
        /// One consistency rule. The variant name is the rule's code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Rule {
            $(
                #[doc = $summary]
                $variant,
            )*
        }

        impl Rule {
            /// Every rule, in catalogue order.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            /// The short code, such as `RL2`.
            pub fn code(self) -> &'static str {
                match self {
                    $(Rule::$variant => stringify!($variant),)*
                }
            }

            /// What the rule forbids, in one line.
            pub fn summary(self) -> &'static str {
                match self {
                    $(Rule::$variant => $summary,)*
                }
            }
        }
    };
}

rules! {
    C1 => "a workload event's container must be declared in metadata",
    C2 => "a workload event's container must be in the state",
    C3 => "every state container must be declared in metadata",
    C4 => "state containers must have unique names",
    C5 => "a Pebble event for a container that cannot connect is unlikely (warning)",
    C6 => "a Pebble check event needs its check_info, and its container must have that check",
    C7 => "every check_info of a container must be a check of the container's plan",
    C8 => "a check_info's level must be its plan check's level",
    C9 => "a check_info's startup must be its plan check's startup",
    C10 => "a check_info's threshold must be its plan check's threshold",
    C11 => "a Pebble notice event needs its notice, and its container must have that notice",
    C12 => "a container's execs must have unique command prefixes",
    K1 => "every state config key must be an option of the charm's config",
    K2 => "a config option set in the state must declare a type",
    K3 => "a config value must match its option's type",
    K4 => "a config option's type must be one Juju knows at this version",
    K5 => "a secret config value must be a secret URI",
    R1 => "every state resource must be declared in metadata",
    E0 => "a custom event can only be partly checked (warning)",
    E1 => "a relation event needs its relation, and its name must match the endpoint",
    E2 => "a workload event needs its container, and its name must match the container",
    E3 => "an action event needs its action, its name must match it, and it must be declared",
    E4 => "a storage event needs its storage, its name must match it, and it must be declared",
    E5 => "a relation event's relation must be in the state",
    E6 => "a storage event's storage must be in the state",
    E7 => "a relation joined, changed or departed event needs a remote unit",
    E8 => "only relation events take a remote unit id (warning)",
    AP1 => "every declared action param must have a type",
    AP2 => "a declared action param type must be a JSON schema type (stricter than the originals)",
    AP3 => "every given action param must be declared, unless the action allows additionalProperties",
    AP4 => "an action param value must match its declared type",
    AP5 => "every required action param must be given",
    S1 => "secret events need Juju 3.0 or later",
    S2 => "a secret event needs its secret",
    S3 => "a secret event's secret must be in the state",
    S4 => "secret-remove and secret-expired events need a secret revision",
    S5 => "a secret event must suit who owns the secret",
    S6 => "state secrets must have unique ids",
    ST1 => "every state storage must be declared in metadata",
    ST2 => "state storages must have unique (name, index) pairs",
    ST3 => "only a storage declared `multiple` can have several instances",
    RL1 => "a relation on a peer endpoint must be a PeerRelation",
    RL2 => "every relation endpoint must be declared in metadata",
    RL3 => "relation ids must be unique",
    RL4 => "a container-scoped endpoint needs a SubordinateRelation, and only it",
    RL5 => "an endpoint name may appear only once across requires, provides and peers",
    RL6 => "a PeerRelation must be on a peer endpoint",
    RL7 => "a PeerRelation's peers_data must not hold this unit's own id",
    RL8 => "application databags need Juju 2.7 or later",
    N1 => "every network must be named after a declared binding",
    N2 => "networks must have unique names",
    N3 => "an extra binding may not share its name with a relation endpoint",
    CS1 => "a Kubernetes model has a cloud spec only from Juju 3.6.10",
    SS1 => "stored states must have unique (owner_path, name) pairs",
    SS2 => "stored state content must be something ops can marshal",
    P1 => "a port may be opened only once",
    PU1 => "planned_units of 0 while this unit exists is unusual (warning)",
    NM1 => "relation endpoint, storage, container and action names must be names Juju accepts",
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_variant_names_and_unique() {
        assert_eq!(Rule::RL2.code(), "RL2");
        assert_eq!(Rule::AP1.to_string(), "AP1");
        let mut codes: Vec<_> = Rule::ALL.iter().map(|r| r.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), Rule::ALL.len());
    }
}
