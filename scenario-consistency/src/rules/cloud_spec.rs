//! Cloud-spec rule CS1: Juju gives a Kubernetes charm its cloud spec only from 3.6.10.
//!
//! ops[testing] refuses a cloud spec on a Kubernetes model below that version; Scenario
//! 5.8.1 had no cloud spec at all, so under its API the finding is only stricter.

use crate::check::Check;
use crate::rule::Rule;
use crate::version::JujuVersion;

/// The first Juju that answers `credential-get` for a Kubernetes model.
const K8S_CLOUD_SPEC_SINCE: JujuVersion = JujuVersion::new(3, 6, 10);

pub fn check(c: &mut Check<'_>) {
    let model = &c.state.model;
    if model.cloud_spec.is_some()
        && model.model_type == "kubernetes"
        && *c.version < K8S_CLOUD_SPEC_SINCE
    {
        c.error_since_8(
            Rule::CS1,
            "state.model.cloud_spec",
            format!(
                "a Kubernetes charm gets a cloud spec only from Juju {K8S_CLOUD_SPEC_SINCE}, but the check runs as Juju {}: use juju_version '{K8S_CLOUD_SPEC_SINCE}' or later, or a machine model (Model(type='lxd'))",
                c.version
            ),
        );
    }
}
