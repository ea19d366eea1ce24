//! `Model`: the Juju model the unit is in, with the cloud it runs on (`CloudSpec`,
//! `CloudCredential`).

use pyo3::prelude::*;
use pyo3::types::PyDict;
use scenario_model as model;

use crate::convert::{args, string_list};
use crate::dataclass::Settle;
use crate::dataclass::{Field, Fields, factory, required, state_class, value};

const FIELDS: &[Field] = &[
    value("name", "None"),
    value("uuid", "None"),
    value("type", "'kubernetes'"),
    value("cloud_spec", "None"),
];

/// The Juju model the unit is deployed in: what ``JUJU_MODEL_NAME`` and ``JUJU_MODEL_UUID``
/// carry, and ``self.model.name`` and ``uuid`` read.
///
/// All arguments are optional; Scenario 5 also passes the first three by position:
///
/// - ``name``: the model's name. Default: a random name, drawn once per process, so every
///   defaulted State is in the same model.
/// - ``uuid``: the model's uuid. Default: a random uuid, drawn once per process.
/// - ``type``: ``"kubernetes"`` (the default) or ``"lxd"`` for a machine model.
/// - ``cloud_spec`` (keyword only): the ``CloudSpec`` that ``credential-get`` (ops's
///   ``self.model.get_cloud_spec()``) answers to a trusted application
///   (``Context(app_trusted=True)``).
///
/// For example: ``State(model=Model(name="prod", type="lxd"))``.
#[pyclass(
    frozen,
    dict,
    skip_from_py_object,
    module = "scenario.state",
    name = "Model"
)]
#[derive(Debug)]
pub struct PyModel {
    pub inner: model::Model,
}

impl Fields for PyModel {}

args!(model_arg, PyModel "Model": name, uuid, kind = "type");

state_class! { PyModel, "Model", FIELDS, inner;
    #[new]
    #[pyo3(signature = (name=None, uuid=None, r#type="kubernetes", *, cloud_spec=None))]
    fn new(
        #[pyo3(from_py_with = model_arg::name)] name: Option<String>,
        #[pyo3(from_py_with = model_arg::uuid)] uuid: Option<String>,
        #[pyo3(from_py_with = model_arg::kind)] r#type: &str,
        cloud_spec: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let default = model::Model::default();
        let cloud_spec = cloud_spec
            .filter(|c| !c.is_none())
            .map(|c| {
                let c = crate::convert::ours_or_ops::<PyCloudSpec>(c, "Model.cloud_spec", CLOUD_SPEC_ATTRIBUTES)?;
                Ok::<_, PyErr>(c.settled()?.get().inner.clone())
            })
            .transpose()?;
        Ok(PyModel {
            inner: model::Model {
                name: name.unwrap_or(default.name),
                uuid: uuid.unwrap_or(default.uuid),
                model_type: r#type.to_owned(),
                cloud_spec,
            },
        })
    }
    /// The model's name (``JUJU_MODEL_NAME``, ``self.model.name``).
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }
    /// The model's uuid (``JUJU_MODEL_UUID``, ``self.model.uuid``), unique to the model.
    #[getter]
    fn uuid(&self) -> &str {
        &self.inner.uuid
    }
    /// The kind of model: ``"kubernetes"`` for a Kubernetes model, ``"lxd"`` for a
    /// machine model.
    #[getter]
    fn r#type(&self) -> &str {
        &self.inner.model_type
    }
    /// The cloud the model runs on and its credential, which ``credential-get`` gives a
    /// trusted application, or ``None``.
    #[getter]
    fn cloud_spec(&self) -> Option<PyCloudSpec> {
        self.inner.cloud_spec.clone().map(|inner| PyCloudSpec { inner })
    }
    fn __hash__(&self) -> u64 {
        crate::classes::hash_of(&(&self.inner.name, &self.inner.uuid, &self.inner.model_type))
    }
}

const CREDENTIAL_FIELDS: &[Field] = &[
    required("auth_type"),
    factory("attributes", "{}"),
    factory("redacted", "[]"),
];

/// The credential in a ``CloudSpec``, as ``credential-get`` gives it to a trusted
/// application. All arguments are keyword only:
///
/// - ``auth_type`` (required): how the credential authenticates (``"certificate"``,
///   ``"userpass"``, ``"oauth2"``, ...).
/// - ``attributes``: its secrets and settings, ``str`` to ``str`` (for AWS, ``access-key``
///   and ``secret-key``). Default: empty.
/// - ``redacted``: the names of the attributes Juju hides (default: none).
#[pyclass(
    frozen,
    dict,
    skip_from_py_object,
    module = "scenario.state",
    name = "CloudCredential"
)]
#[derive(Debug)]
pub struct PyCloudCredential {
    pub inner: model::CloudCredential,
}

impl Fields for PyCloudCredential {}

args!(credential_arg, PyCloudCredential "CloudCredential": auth_type);

state_class! { PyCloudCredential, "CloudCredential", CREDENTIAL_FIELDS, inner;
    #[new]
    #[pyo3(signature = (*, auth_type, attributes=None, redacted=None))]
    fn new(#[pyo3(from_py_with = credential_arg::auth_type)] auth_type: String, attributes: Option<&Bound<'_, PyAny>>, redacted: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let attributes = match attributes.filter(|a| !a.is_none()) {
            Some(a) => crate::convert::databag_from_py(a, "CloudCredential.attributes")?,
            None => indexmap::IndexMap::new(),
        };
        Ok(PyCloudCredential {
            inner: model::CloudCredential {
                auth_type,
                attributes,
                redacted: string_list(redacted, "CloudCredential.redacted")?.unwrap_or_default(),
            },
        })
    }
    /// How the credential authenticates with the cloud (``"certificate"``,
    /// ``"userpass"``, ...).
    #[getter]
    fn auth_type(&self) -> &str {
        &self.inner.auth_type
    }
    /// The credential's attributes, ``str`` to ``str``: its keys, certificates and
    /// settings for the cloud.
    #[getter]
    fn attributes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        crate::convert::databag_to_py(py, &self.inner.attributes)
    }
    /// The names of the attributes whose values Juju hides from the charm.
    #[getter]
    fn redacted(&self) -> Vec<String> {
        self.inner.redacted.clone()
    }
    /// The ops `CloudCredential` equal to this one.
    fn _to_ops<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        crate::convert::to_ops(slf.as_any(), "ops", "CloudCredential", &["auth_type", "attributes", "redacted"])
    }
}

const CLOUD_SPEC_FIELDS: &[Field] = &[
    required("type"),
    value("name", "'localhost'"),
    value("region", "None"),
    value("endpoint", "None"),
    value("identity_endpoint", "None"),
    value("storage_endpoint", "None"),
    value("credential", "None"),
    factory("ca_certificates", "[]"),
    value("skip_tls_verify", "False"),
    value("is_controller_cloud", "False"),
];

/// What ops's `CloudSpec` holds, by the names this package's takes.
const CLOUD_SPEC_ATTRIBUTES: &[&str] = &[
    "type",
    "name",
    "region",
    "endpoint",
    "identity_endpoint",
    "storage_endpoint",
    "credential",
    "ca_certificates",
    "skip_tls_verify",
    "is_controller_cloud",
];

/// The cloud a model runs on, as ``credential-get`` describes it to a trusted application
/// (ops's ``self.model.get_cloud_spec()``); give it to the State through
/// ``Model(cloud_spec=...)`` and run with ``Context(app_trusted=True)``.
///
/// Only ``type`` is required; the rest is keyword only:
///
/// - ``type``: the cloud's type (``"lxd"``, ``"ec2"``, ``"kubernetes"``, ...).
/// - ``name``: the cloud's name in Juju (default ``"localhost"``).
/// - ``region``, ``endpoint``, ``identity_endpoint``, ``storage_endpoint``: ``str`` or
///   ``None`` (the default).
/// - ``credential``: a ``CloudCredential``, or ``None`` (the default).
/// - ``ca_certificates``: the CA certificates to trust, as PEM text (default: none).
/// - ``skip_tls_verify``: whether to skip verifying the cloud's TLS certificate (default
///   ``False``).
/// - ``is_controller_cloud``: whether the controller runs on this cloud (default
///   ``False``).
///
/// For example: ``Model(type="lxd", cloud_spec=CloudSpec("lxd", endpoint="https://10.0.0.1:8443",
/// credential=CloudCredential(auth_type="certificate")))``.
#[pyclass(
    frozen,
    dict,
    skip_from_py_object,
    module = "scenario.state",
    name = "CloudSpec"
)]
#[derive(Debug)]
pub struct PyCloudSpec {
    pub inner: model::CloudSpec,
}

impl Fields for PyCloudSpec {}

args!(cloud_spec_arg, PyCloudSpec "CloudSpec": kind = "type", name, region, endpoint, identity_endpoint, storage_endpoint, skip_tls_verify, is_controller_cloud);

state_class! { PyCloudSpec, "CloudSpec", CLOUD_SPEC_FIELDS, inner;
    #[new]
    #[pyo3(signature = (r#type, *, name="localhost", region=None, endpoint=None, identity_endpoint=None, storage_endpoint=None, credential=None, ca_certificates=None, skip_tls_verify=false, is_controller_cloud=false))]
    fn new(
        #[pyo3(from_py_with = cloud_spec_arg::kind)] r#type: String,
        #[pyo3(from_py_with = cloud_spec_arg::name)] name: &str,
        #[pyo3(from_py_with = cloud_spec_arg::region)] region: Option<String>,
        #[pyo3(from_py_with = cloud_spec_arg::endpoint)] endpoint: Option<String>,
        #[pyo3(from_py_with = cloud_spec_arg::identity_endpoint)] identity_endpoint: Option<String>,
        #[pyo3(from_py_with = cloud_spec_arg::storage_endpoint)] storage_endpoint: Option<String>,
        credential: Option<&Bound<'_, PyAny>>,
        ca_certificates: Option<&Bound<'_, PyAny>>,
        #[pyo3(from_py_with = cloud_spec_arg::skip_tls_verify)] skip_tls_verify: bool,
        #[pyo3(from_py_with = cloud_spec_arg::is_controller_cloud)] is_controller_cloud: bool,
    ) -> PyResult<Self> {
        let credential = credential
            .filter(|c| !c.is_none())
            .map(|c| {
                let c = crate::convert::ours_or_ops::<PyCloudCredential>(c, "CloudSpec.credential", &["auth_type", "attributes", "redacted"])?;
                Ok::<_, PyErr>(c.settled()?.get().inner.clone())
            })
            .transpose()?;
        Ok(PyCloudSpec {
            inner: model::CloudSpec {
                cloud_type: r#type,
                name: name.to_owned(),
                region,
                endpoint,
                identity_endpoint,
                storage_endpoint,
                credential,
                ca_certificates: string_list(ca_certificates, "CloudSpec.ca_certificates")?.unwrap_or_default(),
                skip_tls_verify,
                is_controller_cloud,
            },
        })
    }
    /// The cloud's type, as Juju names it (``"lxd"``, ``"ec2"``, ``"kubernetes"``, ...).
    #[getter]
    fn r#type(&self) -> &str {
        &self.inner.cloud_type
    }
    /// The cloud's name in Juju (``"localhost"`` unless given).
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }
    /// The cloud region the model is in, or ``None`` for a cloud without regions.
    #[getter]
    fn region(&self) -> Option<&str> {
        self.inner.region.as_deref()
    }
    /// The URL of the cloud's API endpoint, or ``None`` when the cloud has none.
    #[getter]
    fn endpoint(&self) -> Option<&str> {
        self.inner.endpoint.as_deref()
    }
    /// The URL of the cloud's identity (authentication) endpoint, or ``None``.
    #[getter]
    fn identity_endpoint(&self) -> Option<&str> {
        self.inner.identity_endpoint.as_deref()
    }
    /// The URL of the cloud's storage endpoint, or ``None``.
    #[getter]
    fn storage_endpoint(&self) -> Option<&str> {
        self.inner.storage_endpoint.as_deref()
    }
    /// The ``CloudCredential`` the charm may use with the cloud, or ``None``.
    #[getter]
    fn credential(&self) -> Option<PyCloudCredential> {
        self.inner.credential.clone().map(|inner| PyCloudCredential { inner })
    }
    /// The CA certificates (PEM text) to trust when talking to the cloud.
    #[getter]
    fn ca_certificates(&self) -> Vec<String> {
        self.inner.ca_certificates.clone()
    }
    /// Whether to skip verifying the cloud's TLS certificate.
    #[getter]
    fn skip_tls_verify(&self) -> bool {
        self.inner.skip_tls_verify
    }
    /// Whether this is the cloud the Juju controller itself runs on.
    #[getter]
    fn is_controller_cloud(&self) -> bool {
        self.inner.is_controller_cloud
    }
    /// The ops `CloudSpec` equal to this one.
    fn _to_ops<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        crate::convert::to_ops(slf.as_any(), "ops", "CloudSpec", &["type", "name", "region", "endpoint", "identity_endpoint", "storage_endpoint", "credential", "ca_certificates", "skip_tls_verify", "is_controller_cloud"])
    }
}
