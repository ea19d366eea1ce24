"""Type stubs of the compiled core, ``scenario._scenario`` (checked by mypy's stubtest)."""

import dataclasses
import datetime
import os
from typing import (
    Any,
    ClassVar,
    Dict,
    Iterable,
    List,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Union,
    final,
    type_check_only,
)

import ops
from ops import pebble
from typing_extensions import Self, disjoint_base

from scenario_rs._event_path import _EventPath

__all__ = [
    "ACTION_EVENT_SUFFIX",
    "BUILTIN_EVENTS",
    "FRAMEWORK_EVENTS",
    "PEBBLE_READY_EVENT_SUFFIX",
    "RELATION_EVENTS_SUFFIX",
    "SECRET_EVENTS",
    "STORAGE_EVENTS_SUFFIX",
    "Action",
    "ActionMissingFromContextError",
    "Address",
    "Api",
    "BindAddress",
    "BindFailedError",
    "CheckInfo",
    "CloudCredential",
    "CloudSpec",
    "Container",
    "DeferredEvent",
    "Event",
    "Exec",
    "ExecOutput",
    "HookSession",
    "ICMPPort",
    "MetadataNotFoundError",
    "MissingEventEntityError",
    "Model",
    "Mount",
    "Neighbours",
    "Network",
    "Notice",
    "PeerRelation",
    "Port",
    "Relation",
    "Resource",
    "RunResult",
    "Secret",
    "State",
    "StateValidationError",
    "Storage",
    "StoredState",
    "SubordinateRelation",
    "TCPPort",
    "UDPPort",
    "_CharmSpec",
    "_rebuild",
    "charm_name",
    "check_action_name",
    "classify_event",
    "consistency_report",
    "environ_get",
    "finish_run",
    "next_action_id",
    "next_notice_id",
    "next_relation_id",
    "next_storage_index",
    "notice_time",
    "parse_juju_version",
    "run_result",
    "start_run",
]

_Databag = Dict[str, str]
_Path = Union[str, "os.PathLike[str]"]

class StateValidationError(RuntimeError):
    """A state object was given a value Juju could not hold (a port out of range, an empty secret
    content, a name Juju refuses...); the constructor raises it, naming the field as
    ``Class.field``.
    """

class MetadataNotFoundError(RuntimeError):
    """No metadata.yaml or charmcraft.yaml was found in the charm root (the parent of the directory
    holding the charm's source); pass meta= to the Context instead.
    """

class BindFailedError(RuntimeError):
    """Event.bind found nothing in the State for the event to be about: no relation on its
    endpoint, no container or storage of its name, or not exactly one secret.
    """

class MissingEventEntityError(AttributeError):
    """An event was deferred without the State entity its kind needs (a relation event's relation,
    a workload event's container, a storage or a secret), which ops would need to restore it.
    """

class ActionMissingFromContextError(Exception):
    """The charm called an action hook tool (action-get, action-set, action-log, action-fail) in a
    run whose event is not an action.
    """

RELATION_EVENTS_SUFFIX: List[str]
STORAGE_EVENTS_SUFFIX: List[str]
SECRET_EVENTS: List[str]
FRAMEWORK_EVENTS: List[str]
BUILTIN_EVENTS: List[str]
PEBBLE_READY_EVENT_SUFFIX: str
ACTION_EVENT_SUFFIX: str

def environ_get(name: str) -> str | None: ...
def next_relation_id(update: bool = True) -> int:
    """The id the next relation made without one will get; with `update`, move on past it."""

def next_storage_index(update: bool = True) -> int:
    """The index the next storage made without one will get; with `update`, move on past it."""

def next_notice_id(update: bool = True) -> str:
    """The id the next Pebble notice made without one will get; with `update`, move on past it."""

def next_action_id(update: bool = True) -> str:
    """The id the next action event made without one will get; with `update`, move on past it."""

def charm_name(spec: _CharmSpec) -> str:
    """The application name a charm's metadata gives, which ops (and Juju) require; else
    `scenario.errors.MissingCharmNameError`.
    """

def check_action_name(name: str) -> None:
    """`_Action`'s check of its name (ops[testing]'s action invocation)."""

def notice_time(text: str) -> datetime.datetime:
    """A notice time as the charm reads it: Pebble's RFC 3339 through ops's own parser (with
    nanoseconds and "Z"), or, for a naive datetime a test gave, that datetime again (as
    ops[testing] hands it over unchanged).
    """

def classify_event(name: str) -> Tuple[str, Optional[str]]:
    """The kind of the event called `name` (`relation`, `action`, ..., `custom`) and the
    entity name it starts with, if its kind has one.
    """

def _rebuild(cls: type, kwargs: Dict[str, Any]) -> Any:
    """`_rebuild(cls, kwargs)`: a state object made again from its fields, for pickles."""

# A State's collections: Scenario 5's list and ops[testing]'s frozenset at once (see
# scenario._collections.StateCollection).
_Items = Any

@final
class Api:
    """The testing API a run speaks: ``Api.SCENARIO_5`` (ops-scenario 5.x:
    ``ctx.run("start", state)``, ``run_action``, ``ctx.manager``) or ``Api.SCENARIO_8``
    (ops[testing], ops-scenario 7 and 8: ``ctx.run(ctx.on.start(), state)``). Where the two
    originals behave differently, a run follows its own."""

    SCENARIO_5: ClassVar[Api]
    SCENARIO_8: ClassVar[Api]
    @property
    def default_juju_version(self) -> str:
        """The Juju version a run simulates when the Context names none: 3.0 for Scenario 5,
        3.6.14 for ops[testing], as each original defaulted."""
    def uncaught_charm_error(self, error: BaseException) -> str:
        """The message of the ``UncaughtCharmError`` a run raises for ``error``, the exception
        the charm let escape, in this API's original's words."""
    def __reduce__(self) -> Tuple[Any, Tuple[type, str]]: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

# A field of a state class's table, as `__scenario_fields__` lists it: name, role
# ("both", "legacy", "modern", "computed", "only5"), twin, and default (None when
# required, else ("value", expr) or ("factory", expr)).
_FieldRow = Tuple[str, str, Optional[str], Optional[Tuple[str, str]]]

@type_check_only
class _StateClass:
    __scenario_fields__: ClassVar[Tuple[_FieldRow, ...]]
    __match_args__: ClassVar[Tuple[str, ...]]
    __dataclass_fields__: ClassVar[Dict[str, dataclasses.Field[Any]]]
    def replace(self, **changes: Any) -> Any:
        """A new object equal to this one but for the fields given by keyword, checked
        as the constructor checks them (Scenario 5's spelling of
        ``dataclasses.replace(obj, **changes)``, which works too). A field with two
        names, one per API (``id`` and ``relation_id``), may be changed by either.
        """
    def copy(self) -> Any:
        """This object itself (Scenario 5's ``copy()``): state objects are frozen
        values, so ``copy.copy`` and ``copy.deepcopy`` hand back the same object too.
        """
    def __copy__(self) -> Any: ...
    def __deepcopy__(self, memo: Any, /) -> Any: ...
    def __getnewargs_ex__(self) -> Tuple[Tuple[()], Dict[str, Any]]: ...
    def __reduce__(self) -> Tuple[Any, Tuple[type, Dict[str, Any]]]: ...
    def __eq__(self, other: object, /) -> bool: ...

@type_check_only
class _RelationBase(_StateClass):
    """What the three relation classes share (the Rust ``relation_class!`` macro)."""

    @property
    def endpoint(self) -> str:
        """The endpoint this relation is on, as the charm's metadata names it (``db``,
        ``ingress-per-unit``).
        """
    @property
    def interface(self) -> Optional[str]:
        """The endpoint's interface (``mysql_client``), or ``None``: a run then takes it
        from the charm's metadata.
        """
    @property
    def relation_id(self) -> int:
        """Juju's id for this relation, as ``relation-ids`` lists it (Scenario 5's name
        for ``id``).
        """
    @property
    def id(self) -> int:
        """Juju's id for this relation, as ``relation-ids`` lists it and
        ``JUJU_RELATION_ID`` carries it (ops[testing]'s name for ``relation_id``).
        """
    @property
    def local_app_data(self) -> _Databag:
        """This application's databag in the relation, which only the leader may write with
        ``relation-set --app``; in a run's output, what the charm left in it.
        """
    @property
    def local_unit_data(self) -> _Databag:
        """This unit's databag in the relation; in a run's output, what the charm left in
        it. Unless given, it reads as Juju's default (``egress-subnets``,
        ``ingress-address``, ``private-address``) for ops[testing] and empty for Scenario 5.
        """
    @property
    def _remote_unit_ids(self) -> List[int]:
        """The remote unit ids, as the events default to the first of them."""
    @property
    def created_event(self) -> Event:
        """``<endpoint>-relation-created`` about this relation (Scenario 5's form of
        ``ctx.on.relation_created(relation)``).
        """
    @property
    def joined_event(self) -> Event:
        """``<endpoint>-relation-joined`` about this relation, from its first remote unit;
        call it with ``remote_unit_id=`` for another unit.
        """
    @property
    def changed_event(self) -> Event:
        """``<endpoint>-relation-changed`` about this relation, from its first remote unit;
        call it with ``remote_unit_id=`` for another unit.
        """
    @property
    def departed_event(self) -> Event:
        """``<endpoint>-relation-departed`` about this relation, from its first remote
        unit; call it with ``remote_unit_id=`` for another unit.
        """
    @property
    def broken_event(self) -> Event:
        """``<endpoint>-relation-broken`` about this relation (Scenario 5's form of
        ``ctx.on.relation_broken(relation)``).
        """
    def __hash__(self) -> int: ...

@type_check_only
class _RemoteAppRelation(_RelationBase):
    """What ``Relation`` and ``SubordinateRelation`` share: a remote application."""

    @property
    def remote_app_data(self) -> _Databag:
        """The remote application's databag, which the charm reads with ``relation-get
        --app`` and may not write.
        """

@final
class Relation(_RemoteAppRelation):
    """A relation between this unit's application and a remote application, over a
    ``requires`` or ``provides`` endpoint of the charm: what ``relation-ids``,
    ``relation-list`` and ``relation-get`` answer, and where ``relation-set`` writes.

    Only ``endpoint`` is required. ops[testing] passes the rest by keyword; Scenario 5 also by
    position, in this order:

    - ``endpoint``: the endpoint's name, as the charm's metadata declares it.
    - ``interface``: the endpoint's interface; ``None`` (the default) takes it from the
      metadata.
    - ``relation_id`` (Scenario 5), or ``id`` (ops[testing], keyword only): Juju's id for the
      relation. When neither is given, the next id of a counter shared by the process.
    - ``local_app_data``: this application's databag (default: empty).
    - ``local_unit_data``: this unit's databag (default: Juju's ``egress-subnets``,
      ``ingress-address`` and ``private-address`` keys in an ops[testing] run, empty in a
      Scenario 5 run).
    - ``remote_app_name``: the name of the application at the other end (default
      ``"remote"``).
    - ``limit``: how many relations the endpoint accepts (default 1).
    - ``remote_app_data``: the remote application's databag (default: empty).
    - ``remote_units_data``: remote unit id to that unit's databag; its keys are the remote
      units that joined (default: unit 0 alone, with the unit default above).
    - ``remote_model_uuid`` (keyword only): the remote model's uuid, for a cross-model
      relation; ``None`` (the default) means this model.

    For example: ``State(relations={Relation("db", remote_app_data={"host": "10.1.1.1"})})``.
    """
    def __new__(
        cls,
        endpoint: str,
        interface: Optional[str] = None,
        relation_id: Optional[int] = None,
        local_app_data: Optional[_Databag] = None,
        local_unit_data: Optional[_Databag] = None,
        remote_app_name: str = "remote",
        limit: int = 1,
        remote_app_data: Optional[_Databag] = None,
        remote_units_data: Optional[Dict[int, _Databag]] = None,
        *,
        id: Optional[int] = None,
        remote_model_uuid: Optional[str] = None,
    ) -> Relation: ...
    @property
    def remote_app_name(self) -> str:
        """The name of the application at the other end of the relation, which
        ``relation-list`` units and ``JUJU_REMOTE_APP`` carry.
        """
    @property
    def limit(self) -> int:
        """How many relations the endpoint accepts at once (the ``limit`` its metadata
        declares).
        """
    @property
    def remote_units_data(self) -> Dict[int, _Databag]:
        """Remote unit id to that unit's databag: the units of the remote application that
        joined the relation (``relation-list``), and what each wrote.
        """
    @property
    def remote_model_uuid(self) -> Optional[str]:
        """The uuid of the model the remote application is in, for a cross-model relation;
        ``None`` means this State's model.
        """

@final
class PeerRelation(_RelationBase):
    """The relation of this application's units with one another, over a ``peers`` endpoint
    of the charm: every unit of the application is in it, and there is no remote
    application.

    Only ``endpoint`` is required. ops[testing] passes the rest by keyword; Scenario 5 also by
    position, in this order:

    - ``endpoint``: the peer endpoint's name, as the charm's metadata declares it.
    - ``interface``: its interface; ``None`` (the default) takes it from the metadata.
    - ``relation_id`` (Scenario 5), or ``id`` (ops[testing], keyword only): Juju's id for the
      relation. When neither is given, the next id of a counter shared by the process.
    - ``local_app_data``: the application's databag, shared by all its units (default:
      empty).
    - ``local_unit_data``: this unit's databag (default: Juju's ``egress-subnets``,
      ``ingress-address`` and ``private-address`` keys in an ops[testing] run, empty in a
      Scenario 5 run).
    - ``peers_data``: peer unit id to that unit's databag, for the application's other
      units (this unit's own data goes in ``local_unit_data``). Default: no peers in an
      ops[testing] run; unit 0 with an empty databag in a Scenario 5 run.

    For example: ``PeerRelation("cluster", peers_data={1: {"ready": "yes"}})``.
    """
    def __new__(
        cls,
        endpoint: str,
        interface: Optional[str] = None,
        relation_id: Optional[int] = None,
        local_app_data: Optional[_Databag] = None,
        local_unit_data: Optional[_Databag] = None,
        peers_data: Optional[Dict[int, _Databag]] = None,
        *,
        id: Optional[int] = None,
    ) -> PeerRelation: ...
    @property
    def peers_data(self) -> Dict[int, _Databag]:
        """Peer unit id to that unit's databag: the application's other units in the
        relation (``relation-list``), and what each wrote. This unit is not among them.
        """

@final
class SubordinateRelation(_RemoteAppRelation):
    """The relation between a subordinate charm's unit and its principal unit, over an
    endpoint with ``scope: container``: there is exactly one remote unit, the principal (or,
    seen from the principal, the subordinate) on the same machine.

    Only ``endpoint`` is required. ops[testing] passes the rest by keyword; Scenario 5 also by
    position, in this order:

    - ``endpoint``: the endpoint's name, as the charm's metadata declares it.
    - ``interface``: its interface; ``None`` (the default) takes it from the metadata.
    - ``relation_id`` (Scenario 5), or ``id`` (ops[testing], keyword only): Juju's id for the
      relation. When neither is given, the next id of a counter shared by the process.
    - ``local_app_data``: this application's databag (default: empty).
    - ``local_unit_data``: this unit's databag (default: Juju's ``egress-subnets``,
      ``ingress-address`` and ``private-address`` keys in an ops[testing] run, empty in a
      Scenario 5 run).
    - ``remote_app_data``: the remote application's databag (default: empty).
    - ``remote_unit_data``: the remote unit's databag (default: as ``local_unit_data``).
    - ``remote_app_name``: the remote application's name (default ``"remote"``).
    - ``remote_unit_id``: the remote unit's number (default 0), so that the remote unit is
      ``<remote_app_name>/<remote_unit_id>``.

    For example: ``SubordinateRelation("juju-info", remote_app_name="ubuntu")``.
    """
    def __new__(
        cls,
        endpoint: str,
        interface: Optional[str] = None,
        relation_id: Optional[int] = None,
        local_app_data: Optional[_Databag] = None,
        local_unit_data: Optional[_Databag] = None,
        remote_app_data: Optional[_Databag] = None,
        remote_unit_data: Optional[_Databag] = None,
        remote_app_name: str = "remote",
        remote_unit_id: int = 0,
        *,
        id: Optional[int] = None,
    ) -> SubordinateRelation: ...
    @property
    def remote_unit_data(self) -> _Databag:
        """The one remote unit's databag, which the charm reads with ``relation-get`` and
        may not write.
        """
    @property
    def remote_app_name(self) -> str:
        """The name of the application at the other end (the principal's, seen from a
        subordinate).
        """
    @property
    def remote_unit_id(self) -> int:
        """The number of the one remote unit, the unit this unit is attached to on its
        machine.
        """
    @property
    def remote_unit_name(self) -> str:
        """The remote unit's name, ``<remote_app_name>/<remote_unit_id>`` (``remote/0`` by
        default).
        """

_AnyRelation = Union[Relation, PeerRelation, SubordinateRelation]

@final
class CloudCredential(_StateClass):
    """The credential in a ``CloudSpec``, as ``credential-get`` gives it to a trusted
    application. All arguments are keyword only:

    - ``auth_type`` (required): how the credential authenticates (``"certificate"``,
      ``"userpass"``, ``"oauth2"``, ...).
    - ``attributes``: its secrets and settings, ``str`` to ``str`` (for AWS, ``access-key``
      and ``secret-key``). Default: empty.
    - ``redacted``: the names of the attributes Juju hides (default: none).
    """
    def __new__(
        cls,
        *,
        auth_type: str,
        attributes: Optional[Mapping[str, str]] = None,
        redacted: Optional[Iterable[str]] = None,
    ) -> CloudCredential: ...
    @property
    def auth_type(self) -> str:
        """How the credential authenticates with the cloud (``"certificate"``,
        ``"userpass"``, ...).
        """
    @property
    def attributes(self) -> Dict[str, str]:
        """The credential's attributes, ``str`` to ``str``: its keys, certificates and
        settings for the cloud.
        """
    @property
    def redacted(self) -> List[str]:
        """The names of the attributes whose values Juju hides from the charm."""

@final
class CloudSpec(_StateClass):
    """The cloud a model runs on, as ``credential-get`` describes it to a trusted application
    (ops's ``self.model.get_cloud_spec()``); give it to the State through
    ``Model(cloud_spec=...)`` and run with ``Context(app_trusted=True)``.

    Only ``type`` is required; the rest is keyword only:

    - ``type``: the cloud's type (``"lxd"``, ``"ec2"``, ``"kubernetes"``, ...).
    - ``name``: the cloud's name in Juju (default ``"localhost"``).
    - ``region``, ``endpoint``, ``identity_endpoint``, ``storage_endpoint``: ``str`` or
      ``None`` (the default).
    - ``credential``: a ``CloudCredential``, or ``None`` (the default).
    - ``ca_certificates``: the CA certificates to trust, as PEM text (default: none).
    - ``skip_tls_verify``: whether to skip verifying the cloud's TLS certificate (default
      ``False``).
    - ``is_controller_cloud``: whether the controller runs on this cloud (default
      ``False``).

    For example: ``Model(type="lxd", cloud_spec=CloudSpec("lxd",
    endpoint="https://10.0.0.1:8443",
    credential=CloudCredential(auth_type="certificate")))``.
    """
    def __new__(
        cls,
        type: str,
        *,
        name: str = "localhost",
        region: Optional[str] = None,
        endpoint: Optional[str] = None,
        identity_endpoint: Optional[str] = None,
        storage_endpoint: Optional[str] = None,
        credential: Optional[CloudCredential] = None,
        ca_certificates: Optional[Iterable[str]] = None,
        skip_tls_verify: bool = False,
        is_controller_cloud: bool = False,
    ) -> CloudSpec: ...
    @property
    def type(self) -> str:
        """The cloud's type, as Juju names it (``"lxd"``, ``"ec2"``, ``"kubernetes"``, ...)."""
    @property
    def name(self) -> str:
        """The cloud's name in Juju (``"localhost"`` unless given)."""
    @property
    def region(self) -> Optional[str]:
        """The cloud region the model is in, or ``None`` for a cloud without regions."""
    @property
    def endpoint(self) -> Optional[str]:
        """The URL of the cloud's API endpoint, or ``None`` when the cloud has none."""
    @property
    def identity_endpoint(self) -> Optional[str]:
        """The URL of the cloud's identity (authentication) endpoint, or ``None``."""
    @property
    def storage_endpoint(self) -> Optional[str]:
        """The URL of the cloud's storage endpoint, or ``None``."""
    @property
    def credential(self) -> Optional[CloudCredential]:
        """The ``CloudCredential`` the charm may use with the cloud, or ``None``."""
    @property
    def ca_certificates(self) -> List[str]:
        """The CA certificates (PEM text) to trust when talking to the cloud."""
    @property
    def skip_tls_verify(self) -> bool:
        """Whether to skip verifying the cloud's TLS certificate."""
    @property
    def is_controller_cloud(self) -> bool:
        """Whether this is the cloud the Juju controller itself runs on."""

@final
class Model(_StateClass):
    """The Juju model the unit is deployed in: what ``JUJU_MODEL_NAME`` and ``JUJU_MODEL_UUID``
    carry, and ``self.model.name`` and ``uuid`` read.

    All arguments are optional; Scenario 5 also passes the first three by position:

    - ``name``: the model's name. Default: a random name, drawn once per process, so every
      defaulted State is in the same model.
    - ``uuid``: the model's uuid. Default: a random uuid, drawn once per process.
    - ``type``: ``"kubernetes"`` (the default) or ``"lxd"`` for a machine model.
    - ``cloud_spec`` (keyword only): the ``CloudSpec`` that ``credential-get`` (ops's
      ``self.model.get_cloud_spec()``) answers to a trusted application
      (``Context(app_trusted=True)``).

    For example: ``State(model=Model(name="prod", type="lxd"))``.
    """
    def __new__(
        cls,
        name: Optional[str] = None,
        uuid: Optional[str] = None,
        type: str = "kubernetes",
        *,
        cloud_spec: Optional[CloudSpec] = None,
    ) -> Model: ...
    def __hash__(self) -> int: ...
    @property
    def name(self) -> str:
        """The model's name (``JUJU_MODEL_NAME``, ``self.model.name``)."""
    @property
    def uuid(self) -> str:
        """The model's uuid (``JUJU_MODEL_UUID``, ``self.model.uuid``), unique to the model."""
    @property
    def type(self) -> str:
        """The kind of model: ``"kubernetes"`` for a Kubernetes model, ``"lxd"`` for a
        machine model.
        """
    @property
    def cloud_spec(self) -> Optional[CloudSpec]:
        """The cloud the model runs on and its credential, which ``credential-get`` gives a
        trusted application, or ``None``.
        """

@final
class Mount(_StateClass):
    """A directory or file of the test's machine mounted into a container: whatever the charm
    reads, pushes, lists or removes at or under ``location`` through Pebble happens in
    ``source`` on the host, so give a source the test may change.

    - ``location``: the path inside the container (a ``str`` or a ``PurePosixPath``).
    - ``source`` (ops[testing], keyword only), or ``src`` (Scenario 5, also the second
      positional argument): the host path, a ``str`` or a ``pathlib.Path``. One of them is
      required.

    Both are handed back as they were given. For example:
    ``Container("app", mounts={"conf": Mount(location="/etc/app", source=tmp_path)})``.
    """
    def __new__(
        cls, location: Any, src: Optional[_Path] = None, *, source: Optional[_Path] = None
    ) -> Mount: ...
    def __hash__(self) -> int: ...
    @property
    def location(self) -> Any:
        """Where the mount appears inside the container (as given: a ``str`` or a
        ``PurePosixPath``).
        """
    @property
    def src(self) -> Any:
        """The host path shown at ``location``, as given (Scenario 5's name for
        ``source``).
        """
    @property
    def source(self) -> Any:
        """The host path whose content the container shows at ``location``, as given (a
        ``str`` or a ``pathlib.Path``); the charm's writes there land in it.
        """

@type_check_only
class _MockedProcess(_StateClass):
    """What ``ExecOutput`` and ``Exec`` share: the mocked process's result."""

    @property
    def return_code(self) -> int:
        """The exit code the mocked process ends with: 0 for success, any other for a
        failure that ``wait()`` raises as ``ops.pebble.ExecError``.
        """
    @property
    def stdout(self) -> str:
        """What the mocked process writes to its standard output, for the charm to read
        (``wait_output()``, ``process.stdout``).
        """
    @property
    def stderr(self) -> str:
        """What the mocked process writes to its standard error, for the charm to read
        (``wait_output()``, ``process.stderr``).
        """

@final
class ExecOutput(_MockedProcess):
    """Scenario 5's mocked result of one command run in a container with Pebble's ``exec``:
    the values of ``Container.exec_mock``, whose keys are the whole command line as a tuple
    (``{("ls", "-ll"): ExecOutput(stdout="...")}``). ops[testing] uses ``Exec`` instead.

    - ``return_code``: the process's exit code (default 0, success); another makes
      ``wait()`` and ``wait_output()`` raise ``ops.pebble.ExecError``.
    - ``stdout``: what the process writes to its standard output (default ``""``).
    - ``stderr``: what it writes to its standard error (default ``""``).
    """
    def __new__(cls, return_code: int = 0, stdout: str = "", stderr: str = "") -> ExecOutput: ...

@final
class Exec(_MockedProcess):
    """The mocked outcome of the commands a charm runs in a container with Pebble's ``exec``
    (ops[testing]'s ``Container.execs``): every command line that starts with
    ``command_prefix`` gets this result; where several prefixes match, the longest wins.
    What the charm ran is recorded in ``ctx.exec_history``.

    - ``command_prefix``: the command and its first arguments, a sequence of ``str``
      (``["ls"]`` mocks every ``ls``; ``["ls", "-l"]`` only ``ls -l ...``).
    - ``return_code`` (keyword only): the exit code (default 0); another makes ``wait()``
      and ``wait_output()`` raise ``ops.pebble.ExecError``.
    - ``stdout``, ``stderr`` (keyword only): what the process writes to each (default
      ``""``).

    A command that no ``Exec`` (nor ``exec_mock`` entry) matches fails as a command the
    shell cannot find: ``ExecError`` with exit code 127 in an ops[testing] run,
    ``RuntimeError`` in a Scenario 5 run. For example:
    ``Container("app", can_connect=True, execs={Exec(["whoami"], stdout="root")})``.
    """
    def __new__(
        cls,
        command_prefix: Iterable[str],
        *,
        return_code: int = 0,
        stdout: str = "",
        stderr: str = "",
        _change_id: Optional[int] = None,
    ) -> Exec: ...
    def __hash__(self) -> int: ...
    @property
    def command_prefix(self) -> Tuple[str, ...]:
        """The command and first arguments this mock answers for, as a tuple of ``str``:
        every command line that starts with them.
        """
    @property
    def _change_id(self) -> int: ...

@final
class CheckInfo(_StateClass):
    """The state of one Pebble health check of a container, as Pebble's ``get_checks``
    reports it; ``pebble-check-failed`` and ``pebble-check-recovered`` events are about one.

    Only ``name`` is required; the rest is keyword only:

    - ``name``: the check's name, as the plan's layers declare it.
    - ``level``: ``ops.pebble.CheckLevel`` (``alive``, ``ready``) or ``None`` (the default).
    - ``startup``: ``ops.pebble.CheckStartup`` (default ``enabled``).
    - ``status``: ``ops.pebble.CheckStatus`` (default ``up``): ``up`` while the failures
      are fewer than the threshold, ``down`` once they reach it, ``inactive`` when the check
      is stopped.
    - ``successes``: how many times it has succeeded (default 0); ``None`` stands for a
      Pebble older than 1.23, which did not count them.
    - ``failures``: failures in a row since it last succeeded (default 0).
    - ``threshold``: how many failures in a row make it ``down`` (default 3).
    - ``change_id``: the Pebble change running the check; by default a new id, or none for
      an ``inactive`` check.

    For example: ``CheckInfo("http", status=pebble.CheckStatus.DOWN, failures=3)``; put it in
    the container's ``check_infos``.
    """
    def __new__(
        cls,
        name: str,
        *,
        level: Optional[Union[pebble.CheckLevel, str]] = None,
        startup: Optional[Any] = None,
        status: Optional[Union[pebble.CheckStatus, str]] = None,
        successes: Optional[int] = 0,
        failures: int = 0,
        threshold: int = 3,
        change_id: Optional[str] = None,
    ) -> CheckInfo: ...
    def __hash__(self) -> int: ...
    @property
    def name(self) -> str:
        """The check's name, as the layers of the container's plan declare it under
        ``checks``.
        """
    @property
    def level(self) -> Optional[pebble.CheckLevel]:
        """The check's level, an ``ops.pebble.CheckLevel`` (``alive`` or ``ready``), or
        ``None`` when it has none.
        """
    @property
    def startup(self) -> Any:
        """Whether Pebble starts the check with the plan: an ``ops.pebble.CheckStartup``
        (``enabled`` or ``disabled``).
        """
    @property
    def status(self) -> pebble.CheckStatus:
        """The check's health, an ``ops.pebble.CheckStatus``: ``up`` (fewer failures than
        the threshold), ``down`` (the threshold reached) or ``inactive`` (stopped).
        """
    @property
    def successes(self) -> Optional[int]:
        """How many times the check has succeeded; ``None`` for a Pebble older than 1.23,
        which did not report it.
        """
    @property
    def failures(self) -> int:
        """How many times in a row the check has failed since it last succeeded."""
    @property
    def threshold(self) -> int:
        """How many failures in a row make the check ``down`` (and emit
        ``pebble-check-failed``).
        """
    @property
    def change_id(self) -> pebble.ChangeID:
        """The id of the Pebble change that runs the check, an ``ops.pebble.ChangeID``
        (empty for an inactive check).
        """

@final
class Notice(_StateClass):
    """A notice recorded in a container's Pebble (by the workload with ``pebble notify``, or by
    Pebble itself), as Pebble's ``get_notices`` lists it; a ``pebble-custom-notice`` event
    is about one.

    Only ``key`` is required; the rest is keyword only:

    - ``key``: what the notice is about; for a custom notice, ``domain/path``
      (``example.com/myapp/backup-done``).
    - ``id``: Pebble's id for it (default: the next of a counter).
    - ``user_id``: the uid of the user who may read it; ``None`` (the default) for everyone.
    - ``type``: an ``ops.pebble.NoticeType`` or its text (default ``custom``).
    - ``first_occurred``, ``last_occurred``, ``last_repeated``: ``datetime`` objects (or
      RFC 3339 text); each defaults to the time the object was made.
    - ``occurrences``: how many times it occurred (default 1).
    - ``last_data``: the data of its last occurrence, ``str`` to ``str`` (default empty).
    - ``repeat_after``, ``expire_after``: ``timedelta`` objects, or ``None`` (the default).

    For example: ``Container("app", notices=[Notice("example.com/app/ready")])``.
    """
    def __new__(
        cls,
        key: str,
        *,
        id: Optional[str] = None,
        user_id: Optional[int] = None,
        type: Optional[Union[pebble.NoticeType, str]] = None,
        first_occurred: Optional[datetime.datetime] = None,
        last_occurred: Optional[datetime.datetime] = None,
        last_repeated: Optional[datetime.datetime] = None,
        occurrences: int = 1,
        last_data: Optional[Mapping[str, str]] = None,
        repeat_after: Optional[datetime.timedelta] = None,
        expire_after: Optional[datetime.timedelta] = None,
    ) -> Notice: ...
    @property
    def key(self) -> str:
        """What the notice is about: for a custom notice, ``domain/path``
        (``example.com/myapp/backup-done``); notices of one type and key are one notice.
        """
    @property
    def id(self) -> str:
        """Pebble's id for the notice, which ``get_notice`` looks up and the event carries."""
    @property
    def user_id(self) -> Optional[int]:
        """The uid of the only user who may read the notice, or ``None`` when anyone may."""
    @property
    def type(self) -> Union[pebble.NoticeType, str]:
        """The notice's type, an ``ops.pebble.NoticeType`` (``custom`` for the ones a
        workload records), or the text given where ops has no such member.
        """
    @property
    def first_occurred(self) -> datetime.datetime:
        """When a notice of this type and key first occurred, as a ``datetime``."""
    @property
    def last_occurred(self) -> datetime.datetime:
        """When a notice of this type and key last occurred, as a ``datetime``."""
    @property
    def last_repeated(self) -> datetime.datetime:
        """When the notice was last repeated (an occurrence after ``repeat_after`` had
        passed), as a ``datetime``.
        """
    @property
    def occurrences(self) -> int:
        """How many times a notice of this type and key has occurred."""
    @property
    def last_data(self) -> Dict[str, str]:
        """The data recorded with the notice's last occurrence, ``str`` to ``str``."""
    @property
    def repeat_after(self) -> Optional[datetime.timedelta]:
        """How long after its last repeat a new occurrence counts as a repeat (a
        ``timedelta``), or ``None``.
        """
    @property
    def expire_after(self) -> Optional[datetime.timedelta]:
        """How long after its last occurrence Pebble drops the notice (a ``timedelta``), or
        ``None``.
        """

@final
class Container(_StateClass):
    """A workload container of a Kubernetes charm, which the charm reaches through its Pebble:
    services and their layers, files, commands (``exec``), notices and health checks.

    Only ``name`` is required. ops[testing] passes the rest by keyword; Scenario 5 passes
    ``can_connect`` to ``exec_mock`` by position too, in this order:

    - ``name``: the container's name, as the charm's metadata declares it under
      ``containers``.
    - ``can_connect``: whether Pebble answers (default ``False``); while it does not, every
      Pebble call raises ``ops.pebble.ConnectionError`` and ``can_connect()`` is ``False``.
    - ``layers``: label to ``ops.pebble.Layer`` (or a dict, or layer YAML), the layers
      already added, in the order they were added; the ``plan`` combines them.
    - ``service_statuses`` (ops[testing], keyword only), or ``service_status`` (Scenario 5):
      service name to its current ``ops.pebble.ServiceStatus`` (a service not named is
      inactive).
    - ``mounts``: a name to each ``Mount``: host paths the container shows at a location.
    - ``execs`` (ops[testing], keyword only): the ``Exec`` mocks of the commands the charm
      may run; ``exec_mock`` (Scenario 5): command tuple to ``ExecOutput``.
    - ``notices`` (keyword only): the Pebble ``Notice`` objects already recorded.
    - ``check_infos`` (keyword only): the ``CheckInfo`` of each health check Pebble runs.

    The container's filesystem is a directory of the test's machine that each run starts
    empty (files for the charm to read come through ``mounts``); after a run,
    ``get_filesystem(ctx)`` shows what the charm pushed. For example:
    ``Container("app", can_connect=True, layers={"base": layer}, service_statuses={"web":
    pebble.ServiceStatus.ACTIVE})``.
    """
    def __new__(
        cls,
        name: str,
        can_connect: bool = False,
        _base_plan: Optional[Dict[str, Any]] = None,
        layers: Optional[Dict[str, Union[pebble.Layer, Dict[str, Any], str]]] = None,
        service_status: Optional[Dict[str, Union[pebble.ServiceStatus, str]]] = None,
        mounts: Optional[Dict[str, Mount]] = None,
        exec_mock: Optional[Dict[Tuple[str, ...], ExecOutput]] = None,
        *,
        service_statuses: Optional[Dict[str, Union[pebble.ServiceStatus, str]]] = None,
        execs: Optional[Iterable[Exec]] = None,
        notices: Optional[Iterable[Notice]] = None,
        check_infos: Optional[Iterable[CheckInfo]] = None,
    ) -> Container: ...
    def __hash__(self) -> int: ...
    @property
    def name(self) -> str:
        """The container's name, as the charm's metadata declares it under ``containers``."""
    @property
    def can_connect(self) -> bool:
        """Whether the container's Pebble answers: when ``False``, each Pebble call raises
        ``ops.pebble.ConnectionError``.
        """
    @property
    def _base_plan(self) -> Dict[str, Any]: ...
    @property
    def layers(self) -> Dict[str, pebble.Layer]:
        """Label to ``ops.pebble.Layer``: the layers added to Pebble so far, in the order
        they were added; in a run's output, with what the charm added.
        """
    @property
    def service_status(self) -> Dict[str, pebble.ServiceStatus]:
        """Service name to its current ``ops.pebble.ServiceStatus`` (Scenario 5's name for
        ``service_statuses``).
        """
    @property
    def service_statuses(self) -> Dict[str, pebble.ServiceStatus]:
        """Service name to its current ``ops.pebble.ServiceStatus``; in a run's output,
        after the services the charm started, stopped or restarted.
        """
    @property
    def mounts(self) -> Dict[str, Mount]:
        """Name to ``Mount``: the host paths the container shows at a location, handed back
        as given.
        """
    @property
    def exec_mock(self) -> Dict[Tuple[str, ...], ExecOutput]:
        """Scenario 5's command mocks: the whole command line, as a tuple of ``str``, to its
        ``ExecOutput``.
        """
    @property
    def execs(self) -> _Items:
        """ops[testing]'s command mocks: the ``Exec`` objects, each answering every command
        line that starts with its ``command_prefix``.
        """
    @property
    def notices(self) -> List[Notice]:
        """The Pebble notices recorded in the container, which ``get_notices`` lists and
        ``pebble-custom-notice`` events are about.
        """
    @property
    def check_infos(self) -> _Items:
        """The ``CheckInfo`` of each health check: what Pebble's ``get_checks`` reports
        for the checks of the plan.
        """
    def get_check_info(self, name: str) -> CheckInfo:
        """The ``CheckInfo`` of the health check called ``name``, among ``check_infos``;
        ``KeyError`` when there is none.
        """
    @property
    def plan(self) -> pebble.Plan:
        """The Pebble plan as ``get_plan`` gives it: the layers combined in order, as
        Pebble combines them (``override: merge`` or ``replace``). Assert on this, rather
        than on ``layers``, which are input data.
        """
    @property
    def services(self) -> Dict[str, pebble.ServiceInfo]:
        """Service name to its ``ops.pebble.ServiceInfo`` (startup and current status), for
        each service of the plan, as ``get_services`` gives them.
        """
    @property
    def pebble_ready_event(self) -> Event:
        """``<name>-pebble-ready`` about this container (Scenario 5's form of
        ``ctx.on.pebble_ready(container)``).
        """
    def get_filesystem(self, ctx: Any) -> Any:
        """The directory of the test's machine that stands for this container's root
        filesystem in runs of ``ctx`` (a ``pathlib.Path``): after a run, it holds what the
        charm pushed, with each mount shown at its location. Each run starts it empty; give
        the charm files to read through ``mounts``.
        """

@final
class Address(_StateClass):
    """One address of a network interface in a Juju space, as ``network-get`` lists it in a
    ``BindAddress``.

    ops[testing] writes ``Address(value, hostname=..., cidr=...)``; Scenario 5 wrote
    ``Address(hostname, value, cidr)``, which works too (two positional arguments make the
    first one the hostname):

    - ``value``: the IP address (required).
    - ``hostname``: a host name that resolves to it (default ``""``).
    - ``cidr``: the subnet it is in, such as ``"192.0.2.0/24"`` (default ``""``).
    - ``address``: Juju's legacy key for the address; it defaults to ``value``.

    For example: ``BindAddress([Address("10.1.2.3", cidr="10.1.2.0/24")])``.
    """
    def __new__(
        cls,
        first: Optional[str] = None,
        /,
        value: Optional[str] = None,
        cidr: Optional[str] = None,
        address: Optional[str] = None,
        *,
        hostname: Optional[str] = None,
    ) -> Address: ...
    def __hash__(self) -> int: ...
    @property
    def hostname(self) -> str:
        """A host name that resolves to the address (``""`` when none was given)."""
    @property
    def value(self) -> str:
        """The IP address itself, which ``network-get`` reports as the interface's
        ``value``.
        """
    @property
    def cidr(self) -> str:
        """The subnet the address is in, in CIDR form (``"192.0.2.0/24"``), or ``""``."""
    @property
    def address(self) -> str:
        """Juju's legacy ``address`` key when one was given, otherwise the ``value``
        (ops[testing] made it a deprecated alias of ``value``).
        """

@type_check_only
class _NetworkGetOutput(_StateClass):
    """What ``BindAddress`` and ``Network`` share: their ``network-get`` form."""

    def _hook_tool_output_fmt(self) -> Dict[str, Any]:
        """ops[testing]'s name for `hook_tool_output_fmt`."""

@final
class BindAddress(_NetworkGetOutput):
    """One network interface of the unit and its addresses in a Juju space: an item of
    ``Network.bind_addresses``, the addresses the charm should bind to.

    ops[testing] writes ``BindAddress(addresses, interface_name=..., mac_address=...)``;
    Scenario 5 wrote ``BindAddress(interface_name, addresses)``, which works too (a ``str``
    first is the interface name):

    - ``addresses``: the interface's ``Address`` objects (default: none).
    - ``interface_name``: the interface's name, such as ``"eth0"`` (default ``""``).
    - ``mac_address``: the interface's MAC address, or ``None`` (the default).
    """
    def __new__(
        cls,
        first: Optional[Union[str, Iterable[Address]]] = None,
        /,
        addresses: Optional[Iterable[Address]] = None,
        mac_address: Optional[str] = None,
        *,
        interface_name: Optional[str] = None,
    ) -> BindAddress: ...
    def __hash__(self) -> int: ...
    @property
    def interface_name(self) -> str:
        """The network interface's name on the unit's machine or pod (``"eth0"``), or
        ``""``.
        """
    @property
    def addresses(self) -> List[Address]:
        """The interface's addresses in the space, as ``Address`` objects, in the order
        given.
        """
    @property
    def mac_address(self) -> Optional[str]:
        """The interface's MAC address, or ``None`` when none was given (``network-get``
        then omits it).
        """
    def hook_tool_output_fmt(self) -> Dict[str, Any]:
        """This interface as ``network-get`` prints it in ``bind-addresses``: a dict with
        ``interface-name``, ``addresses`` and, when known, ``mac-address``.
        """

@final
class Network(_NetworkGetOutput):
    """What ``network-get <binding>`` answers for one binding (an endpoint or extra binding
    of the charm's metadata), which ops reads as ``self.model.get_binding(name).network``.
    A binding the State gives no ``Network`` answers with the defaults below, which suit
    most charms; give one to set the addresses the charm sees.

    ops[testing] writes ``Network(binding_name, bind_addresses, ingress_addresses=...,
    egress_subnets=...)``; Scenario 5 called the binding ``name``, and passed every argument
    by position too:

    - ``binding_name`` (ops[testing]) or ``name`` (Scenario 5): the binding's name; one of
      them is required.
    - ``bind_addresses``: the ``BindAddress`` interfaces the charm binds to (default: one
      interface with the address ``192.0.2.0``).
    - ``ingress_addresses``: the addresses other units reach this unit at (default
      ``["192.0.2.0"]``).
    - ``egress_subnets``: the subnets this unit's traffic comes from (default
      ``["192.0.2.0/24"]``).

    For example: ``State(networks={Network("db", [BindAddress([Address("10.0.0.5")])])})``.
    """
    def __new__(
        cls,
        name: Optional[str] = None,
        bind_addresses: Optional[Iterable[BindAddress]] = None,
        ingress_addresses: Optional[Iterable[str]] = None,
        egress_subnets: Optional[Iterable[str]] = None,
        *,
        binding_name: Optional[str] = None,
    ) -> Network: ...
    def __hash__(self) -> int: ...
    @property
    def name(self) -> str:
        """The binding's name: an endpoint or extra binding of the charm's metadata
        (Scenario 5's name for ``binding_name``).
        """
    @property
    def binding_name(self) -> str:
        """The binding's name: an endpoint or extra binding of the charm's metadata
        (ops[testing]'s name for ``name``).
        """
    @property
    def bind_addresses(self) -> List[BindAddress]:
        """The unit's interfaces on this binding, as ``BindAddress`` objects: the addresses
        the charm should bind to.
        """
    @property
    def ingress_addresses(self) -> List[str]:
        """The addresses other units should use to reach this unit over the binding (ops's
        ``ingress_address`` is the first).
        """
    @property
    def egress_subnets(self) -> List[str]:
        """The subnets this unit's traffic over the binding comes from, as other units see
        it, in CIDR form.
        """
    def hook_tool_output_fmt(self) -> Dict[str, Any]:
        """This network as ``network-get`` prints it: a dict with ``bind-addresses``,
        ``egress-subnets`` and ``ingress-addresses``.
        """
    @staticmethod
    def default(
        name: str,
        private_address: str = "1.1.1.1",
        hostname: str = "",
        cidr: str = "",
        interface_name: str = "",
        mac_address: Optional[str] = None,
        egress_subnets: Optional[List[str]] = None,
        ingress_addresses: Optional[List[str]] = None,
    ) -> Network:
        """Scenario 5's shorthand for a network of one interface with one address:
        ``Network.default("db", private_address="10.0.0.5")``. Unlike the constructor, it
        defaults to Scenario 5's addresses (``1.1.1.1``, ingress ``1.1.1.2``, egress
        ``1.1.1.2/32``).
        """

@disjoint_base
class Port(_StateClass):
    """A port the unit has opened with ``open-port`` (ops's ``self.unit.open_port()`` and
    ``set_ports()``), as ``opened-ports`` lists it; give them in ``State.opened_ports``.

    ops[testing] makes them with ``TCPPort``, ``UDPPort`` and ``ICMPPort``, which are
    ``Port`` subclasses; Scenario 5 wrote ``Port(protocol, port)``, which works too:

    - ``protocol``: ``"tcp"``, ``"udp"`` or ``"icmp"`` (required).
    - ``port``: the port number, 1 to 65535, for TCP and UDP; ``None`` for ICMP.

    Ports compare by protocol and number, with one another and with ops's ``Port``.
    """
    def __new__(cls, protocol: Optional[str] = None, port: Optional[int] = None) -> Port: ...
    def __hash__(self) -> int: ...
    @property
    def protocol(self) -> str:
        """The port's protocol: ``"tcp"``, ``"udp"`` or ``"icmp"``, as ``open-port`` and
        ``opened-ports`` write it.
        """
    @property
    def port(self) -> Optional[int]:
        """The port number (1 to 65535) for TCP and UDP; ``None`` for ICMP, which has no
        port number.
        """
    def _to_ops(self) -> ops.Port:
        """The ops `Port` for this port."""

@type_check_only
class _NumberedPort(Port):
    """What ``TCPPort`` and ``UDPPort`` share: a port number, required."""

    def __new__(cls, port: Optional[int] = None) -> Self: ...

@final
class TCPPort(_NumberedPort):
    """A TCP port the unit has opened: ``TCPPort(8080)``. ``port``, the number (1 to 65535),
    is required; ``protocol`` reads ``"tcp"``.
    """

@final
class UDPPort(_NumberedPort):
    """A UDP port the unit has opened: ``UDPPort(53)``. ``port``, the number (1 to 65535), is
    required; ``protocol`` reads ``"udp"``.
    """

@final
class ICMPPort(Port):
    """ICMP opened on the unit (ping reaches it): ``ICMPPort()``. It takes no argument, as
    ICMP has no port number; ``port`` reads ``None`` and ``protocol`` reads ``"icmp"``.
    """
    def __new__(cls, *, port: Optional[int] = None) -> ICMPPort: ...  # type: ignore[misc]

@final
class Storage(_StateClass):
    """One attached instance of a storage the charm's metadata declares, ``<name>/<index>``:
    what ``storage-list`` and ``storage-get`` answer. A storage that is not attached is left
    out of ``State.storages``.

    - ``name``: the storage's name, as the metadata declares it under ``storage``
      (required).
    - ``index``: the instance's number; when not given, the next of a counter shared by the
      process, so that each instance is distinct.

    Its filesystem is a directory of the test's machine, ``get_filesystem(ctx)``. For
    example: ``State(storages={Storage("data")})``.
    """
    def __new__(cls, name: str, index: Optional[int] = None) -> Storage: ...
    def __hash__(self) -> int: ...
    @property
    def name(self) -> str:
        """The storage's name, as the charm's metadata declares it under ``storage``."""
    @property
    def index(self) -> int:
        """The instance's number: the storage instance is ``<name>/<index>``."""
    @property
    def attached_event(self) -> Event:
        """``<name>-storage-attached`` about this storage instance (Scenario 5's form of
        ``ctx.on.storage_attached(storage)``).
        """
    @property
    def detaching_event(self) -> Event:
        """``<name>-storage-detaching`` about this storage instance (Scenario 5's form of
        ``ctx.on.storage_detaching(storage)``).
        """
    def get_filesystem(self, ctx: Any) -> Any:
        """The directory of the test's machine that stands for this storage's mount point in
        runs of ``ctx`` (a ``pathlib.Path``, made if missing): ``storage-get location``
        answers it, so a test may put files there and read what the charm wrote.
        """

@final
class Resource(_StateClass):
    """A resource attached to the application (ops[testing]'s form): what ``resource-get``
    answers, so that ``self.model.resources.fetch(name)`` gives ``path``. Both arguments are
    keyword only and required:

    - ``name``: the resource's name, as the charm's metadata declares it under
      ``resources``.
    - ``path``: the file on the test's machine that stands for the resource's content (a
      ``str`` or a ``pathlib.Path``, handed back as given).

    Juju refuses to deploy a charm without its resources, but a test need give only those
    the charm fetches. Scenario 5 gave ``State(resources={name: path})`` instead, which
    works too. For example:
    ``State(resources={Resource(name="model", path=tmp_path / "model.bin")})``.
    """
    def __new__(cls, *, name: str, path: _Path) -> Resource: ...
    def __hash__(self) -> int: ...
    @property
    def name(self) -> str:
        """The resource's name, as the charm's metadata declares it under ``resources``."""
    @property
    def path(self) -> Any:
        """The file standing for the resource's content, which ``resource-get`` answers (as
        given: a ``str`` or a ``pathlib.Path``).
        """

@final
class StoredState(_StateClass):
    """What an ``ops.StoredState`` of the charm (or of one of its objects) holds between
    events: ops saves it in the unit's state, and the next run restores it.

    ops[testing] writes ``StoredState(name, owner_path=..., content=...)``; Scenario 5 wrote
    ``StoredState(owner_path, name, content)``, which works too (a first argument that reads
    as a handle path, such as ``"MyCharm"``, is the owner):

    - ``name``: the attribute holding the ``ops.StoredState`` on its owner (default
      ``"_stored"``).
    - ``owner_path``: the handle path of the object that owns it: the charm's class name
      (``"MyCharm"``), or ``"MyCharm/MyLib"`` for a charm library's object; ``None`` (the
      default) for the framework's own.
    - ``content``: the stored values, attribute name to value (default empty).
    - ``data_type_name`` (Scenario 5), or ``_data_type_name`` (ops[testing]): ops's data
      class name (default ``"StoredStateData"``).

    For example: ``State(stored_states={StoredState(owner_path="MyCharm", content={"n": 1})})``.
    """
    def __new__(cls, *args: Any, **kwargs: Any) -> StoredState: ...
    def __hash__(self) -> int: ...
    @property
    def owner_path(self) -> Optional[str]:
        """The handle path of the object owning the stored state (``"MyCharm"``,
        ``"MyCharm/MyLib"``), or ``None`` for the framework's own.
        """
    @property
    def name(self) -> str:
        """The name of the attribute holding the ``ops.StoredState`` on its owner
        (``"_stored"``).
        """
    @property
    def content(self) -> Dict[str, Any]:
        """The stored values, attribute name to value; in a run's output, as the charm left
        them.
        """
    @property
    def data_type_name(self) -> str:
        """The class name ops saves the stored data under (``"StoredStateData"``); part of
        the handle path.
        """
    @property
    def _data_type_name(self) -> str:
        """ops[testing]'s name for `data_type_name`."""
    @property
    def handle_path(self) -> str:
        """The handle path ops saves the stored state under:
        ``<owner_path>/<data_type_name>[<name>]`` (``MyCharm/StoredStateData[_stored]``).
        """

@final
class Secret(_StateClass):
    """A Juju secret this unit can see: one that it (or its application) owns, or one that
    another application granted it. The charm can read every secret in ``State.secrets``
    (``secret-get``); whether it may change one depends on ``owner``.

    ops[testing] writes ``Secret(tracked_content, latest_content=..., owner=..., ...)``, all
    but the content by keyword; Scenario 5 wrote ``Secret(id, contents, owner, granted,
    revision, ...)`` by position, which works too (a first argument that is a ``str`` is the
    id, a dict the tracked content):

    - ``tracked_content`` (ops[testing]): the content of the revision this unit tracks,
      what ``get_content()`` gives; a non-empty dict of ``str`` to ``str``.
    - ``latest_content`` (ops[testing], keyword only): the content of the latest revision,
      what ``peek_content()`` and ``get_content(refresh=True)`` give (default: the tracked
      content).
    - ``contents`` (Scenario 5): revision number to that revision's content, every
      revision at once (``{0: {"k": "v"}, 1: {"k": "w"}}``).
    - ``revision`` (Scenario 5): the revision this unit tracks (default 0, or 1 with
      ``tracked_content``).
    - ``id`` (keyword only in ops[testing]): the secret's id, ``secret:...``; by default a
      new one, as Juju makes them.
    - ``owner``: ``"unit"`` or ``"app"`` when this unit or its application owns the
      secret; ``None`` (the default) when another application granted it to this one.
    - ``granted`` (Scenario 5): for a secret owned elsewhere, whether it was granted to
      this ``"unit"`` or this ``"app"``; ``False`` by default.
    - ``remote_grants``: relation id to the names of the remote units and applications
      the secret was granted to (default: none).
    - ``label``: the label the charm knows it by, or ``None`` (the default).
    - ``description``: its description, or ``None``.
    - ``expire``: when it expires, a ``datetime`` (or ISO 8601 text), or ``None``.
    - ``rotate``: its rotation policy, an ``ops.SecretRotate`` (or its text), or ``None``.

    For example: ``State(secrets={Secret({"password": "s3cret"}, owner="app", label="db")})``.
    """
    def __new__(
        cls,
        first: Optional[Union[str, _Databag]] = None,
        /,
        contents: Optional[Dict[int, _Databag]] = None,
        owner: Optional[str] = None,
        granted: Union[str, bool, None] = None,
        revision: Optional[int] = None,
        remote_grants: Optional[Mapping[int, Iterable[str]]] = None,
        label: Optional[str] = None,
        description: Optional[str] = None,
        expire: Optional[Union[datetime.datetime, str]] = None,
        rotate: Optional[Union[ops.SecretRotate, str]] = None,
        *,
        id: Optional[str] = None,
        tracked_content: Optional[_Databag] = None,
        latest_content: Optional[_Databag] = None,
    ) -> Secret: ...
    def __hash__(self) -> int: ...
    @property
    def id(self) -> str:
        """The secret's id, ``secret:<xid>`` (Juju's URI form); the charm looks the secret
        up by it, or by ``label``.
        """
    @property
    def contents(self) -> Dict[int, _Databag]:
        """Revision number to that revision's content, for every revision the secret has
        (Scenario 5's view; ops[testing] reads ``tracked_content`` and ``latest_content``).
        """
    @property
    def tracked_content(self) -> _Databag:
        """The content of the revision this unit tracks: what ``get_content()`` gives
        (``secret-get``).
        """
    @property
    def latest_content(self) -> _Databag:
        """The content of the latest revision: what ``peek_content()`` and
        ``get_content(refresh=True)`` give.
        """
    @property
    def _tracked_revision(self) -> int: ...
    @property
    def _latest_revision(self) -> int: ...
    @property
    def owner(self) -> Optional[str]:
        """Who owns the secret: ``"unit"`` (this unit), ``"app"`` (this application), or
        ``None`` when another application granted it to this one.
        """
    @property
    def granted(self) -> Union[str, bool]:
        """For a secret owned elsewhere, what it was granted to: ``"unit"`` (this unit),
        ``"app"`` (this application), or ``False`` (Scenario 5's field).
        """
    @property
    def revision(self) -> int:
        """The revision this unit tracks, whose content ``get_content()`` gives (Scenario 5's
        field).
        """
    @property
    def remote_grants(self) -> Dict[int, frozenset[str]]:
        """Relation id to the names of the remote units and applications the secret was
        granted to over that relation (a ``frozenset`` each).
        """
    @property
    def label(self) -> Optional[str]:
        """The label the charm knows the secret by (``get_secret(label=...)``), or ``None``."""
    @property
    def description(self) -> Optional[str]:
        """The secret's description, as its owner set it, or ``None`` when it has none."""
    @property
    def expire(self) -> Optional[datetime.datetime]:
        """When the secret expires (a ``datetime``), or ``None`` when it does not; the owner
        then gets ``secret-expired``.
        """
    @property
    def rotate(self) -> Optional[ops.SecretRotate]:
        """How often the owner should rotate the secret, an ``ops.SecretRotate``
        (``daily``, ``monthly``, ...), or ``None``.
        """
    @property
    def changed_event(self) -> Event:
        """``secret-changed`` about this secret: its owner added a revision. Only an observer
        gets it, so the secret must have ``owner=None`` (Scenario 5's form of
        ``ctx.on.secret_changed(secret)``).
        """
    @property
    def rotate_event(self) -> Event:
        """``secret-rotate`` about this secret: it is due for rotation. Only its owner gets
        it, so ``owner`` must be set (Scenario 5's form of ``ctx.on.secret_rotate``).
        """
    @property
    def expired_event(self) -> Event:
        """``secret-expired`` about the secret's latest revision (call it with ``revision=``
        for another); only its owner gets it (Scenario 5's form of
        ``ctx.on.secret_expired``).
        """
    @property
    def remove_event(self) -> Event:
        """``secret-remove`` about the secret's latest revision (call it with ``revision=``
        for another): no observer tracks it any more. Only its owner gets it (Scenario 5's
        form of ``ctx.on.secret_remove``).
        """

@final
class DeferredEvent(_StateClass):
    """An event a previous run deferred (``event.defer()``), which ops emits again, to the
    observer that deferred it, before the event of the next run. Put it in
    ``State.deferred``; a run's output lists the events the charm deferred.

    Make one with the event's ``deferred()`` rather than by hand:
    ``ctx.on.update_status().deferred(MyCharm._on_update_status)`` (ops[testing]), or
    ``Event("update_status").deferred(handler)`` and ``scenario.deferred(...)`` (Scenario 5).
    The arguments, all required but the last, are what ops records:

    - ``handle_path``: the event's handle path, ``MyCharm/on/update_status[1]``.
    - ``owner``: the handle path of the object whose method observes the event.
    - ``observer``: that method's name (``_on_update_status``).
    - ``snapshot_data``: the event's snapshot, as ops saved it (default empty).
    """
    def __new__(
        cls,
        handle_path: str,
        owner: str,
        observer: str,
        snapshot_data: Optional[Dict[str, Any]] = None,
    ) -> DeferredEvent: ...
    @property
    def handle_path(self) -> str:
        """The deferred event's handle path in ops's framework
        (``MyCharm/on/update_status[1]``).
        """
    @property
    def owner(self) -> str:
        """The handle path of the object whose method observes the event (``MyCharm``)."""
    @property
    def observer(self) -> str:
        """The name of the observing method that deferred the event (``_on_start``)."""
    @property
    def snapshot_data(self) -> Dict[str, Any]:
        """The event's snapshot, as ops saved it when the event was deferred (the relation
        id, remote unit, ...), restored when it is emitted again.
        """
    @property
    def name(self) -> str:
        """The event's name, the last part of its handle path (``start`` for
        ``MyCharm/on/start[1]``).
        """

@disjoint_base
class Action(_StateClass):
    """One invocation of an action of the charm (``juju run <unit> <action>``): Scenario 5's
    argument to ``ctx.run_action``. ops[testing] makes the same with
    ``ctx.on.action(name, params=..., id=...)``.

    - ``name``: the action's name, as ``actions.yaml`` (or ``charmcraft.yaml``) declares it
      (required).
    - ``params``: the parameter values given, name to value (default: none). ``action-get``
      (``event.params``) adds the defaults ``actions.yaml`` declares for the others.
    - ``id``: Juju's id for the invocation (``JUJU_ACTION_UUID``), or ``None`` (the
      default; ``ctx.on.action`` numbers its invocations instead).

    For example: ``ctx.run_action(Action("backup", params={"dest": "/tmp"}), state)``.
    """
    def __new__(
        cls, name: str, params: Optional[Mapping[str, Any]] = None, id: Optional[str] = None
    ) -> Action: ...
    @property
    def name(self) -> str:
        """The action's name, as ``actions.yaml`` declares it (``backup``,
        ``set-password``).
        """
    @property
    def params(self) -> Dict[str, Any]:
        """The parameter values given with the invocation, name to value (``action-get``
        adds the declared defaults of the others).
        """
    @property
    def id(self) -> Optional[str]:
        """Juju's id for this invocation of the action (``JUJU_ACTION_UUID``), or ``None``
        when none was given.
        """
    @property
    def event(self) -> Event:
        """The event that runs this action, ``<name>_action``, about this invocation
        (Scenario 5's form of ``ctx.on.action(name, ...)``).
        """

@disjoint_base
class Event(_StateClass):
    """An event to run the charm with: its name and the entity of the State it is about (a
    relation, container, storage, secret, action, notice or check).

    ops[testing] makes events with the factories of ``ctx.on`` (``ctx.on.start()``,
    ``ctx.on.relation_changed(relation)``), which give instances of this class's subclass
    ``_Event``; a run of one of those speaks ops[testing]'s API. Scenario 5 made them with
    this constructor, or with the entities' ``*_event`` properties
    (``relation.changed_event``), and ran them with ``ctx.run(event, state)``:

    - ``path``: the event's name in Juju's or ops's form (``start``,
      ``db-relation-changed``, ``db_relation_changed``), or ``owner.path.name`` for an event
      emitted on another object than ``charm.on`` (required).
    - ``relation``, ``relation_remote_unit_id``, ``relation_departed_unit_id``: for a
      relation event, the relation, the remote unit it comes from, and the unit departing.
    - ``container``, ``notice``, ``check_info``: for a workload event, the container, and
      the notice or health check it is about.
    - ``storage``: for a storage event, the storage instance.
    - ``secret``, ``secret_revision``: for a secret event, the secret and the revision.
    - ``action``: for an action event, the ``Action``.
    - ``custom_event``, ``custom_event_args``, ``custom_event_kwargs``: a charm library's
      event to emit (ops's ``BoundEvent``) and its arguments (ops[testing]'s ``ctx.on.custom``).
    - ``args``, ``kwargs``: kept for Scenario 5's sake and otherwise unused.

    ``ctx.run`` binds a relation, workload, storage or secret event given without its entity
    to the State's entity of that name, when exactly one can be meant (see ``bind``).
    """
    def __new__(
        cls,
        path: str,
        args: Optional[Iterable[Any]] = None,
        kwargs: Optional[Dict[str, Any]] = None,
        storage: Optional[Storage] = None,
        relation: Optional[_AnyRelation] = None,
        relation_remote_unit_id: Optional[int] = None,
        secret: Optional[Secret] = None,
        container: Optional[Container] = None,
        action: Optional[Action] = None,
        secret_revision: Optional[int] = None,
        relation_departed_unit_id: Optional[int] = None,
        notice: Optional[Notice] = None,
        check_info: Optional[CheckInfo] = None,
        custom_event: Optional[Any] = None,
        custom_event_args: Optional[Iterable[Any]] = None,
        custom_event_kwargs: Optional[Dict[str, Any]] = None,
    ) -> Event: ...
    @property
    def path(self) -> _EventPath:
        """The event's path as given: ``db-relation-changed`` stays so (``name`` is ops's
        form, ``db_relation_changed``). A ``str`` that also has its parts, as both
        originals' paths had: ``name`` (ops's form), ``prefix`` (the entity), ``suffix``
        (the kind, such as ``_relation_changed``) and ``type``.
        """
    @property
    def args(self) -> Tuple[Any, ...]:
        """Scenario 5's ``args``, kept as given (a tuple) and otherwise unused by the run."""
    @property
    def kwargs(self) -> Dict[str, Any]:
        """Scenario 5's ``kwargs``, kept as given (a dict) and otherwise unused by the run."""
    @property
    def storage(self) -> Optional[Storage]:
        """For a storage event, the ``Storage`` instance it is about (``JUJU_STORAGE_ID``),
        or ``None``.
        """
    @property
    def relation(self) -> Optional[_AnyRelation]:
        """For a relation event, the relation it is about (``JUJU_RELATION_ID``), or ``None``."""
    @property
    def relation_remote_unit_id(self) -> Optional[int]:
        """For a relation event, the number of the remote unit it comes from
        (``JUJU_REMOTE_UNIT``); ``None`` lets the run pick the relation's first.
        """
    @property
    def relation_departed_unit_id(self) -> Optional[int]:
        """For ``relation-departed``, the number of the remote unit that is leaving
        (``JUJU_DEPARTING_UNIT``), or ``None``.
        """
    @property
    def secret(self) -> Optional[Secret]:
        """For a secret event, the ``Secret`` it is about (``JUJU_SECRET_ID``), or ``None``."""
    @property
    def secret_revision(self) -> Optional[int]:
        """For ``secret-expired`` and ``secret-remove``, the revision they are about
        (``JUJU_SECRET_REVISION``), or ``None``.
        """
    @property
    def container(self) -> Optional[Container]:
        """For a workload (Pebble) event, the ``Container`` it is about
        (``JUJU_WORKLOAD_NAME``), or ``None``.
        """
    @property
    def notice(self) -> Optional[Notice]:
        """For ``pebble-custom-notice``, the ``Notice`` the event is about, or ``None``."""
    @property
    def check_info(self) -> Optional[CheckInfo]:
        """For ``pebble-check-failed`` and ``pebble-check-recovered``, the ``CheckInfo`` of
        the health check, or ``None``.
        """
    @property
    def action(self) -> Optional[Action]:
        """For an action event, the ``Action`` invocation it runs (its name, params and id),
        or ``None``.
        """
    @property
    def custom_event(self) -> Optional[Any]:
        """For a charm library's event, the bound event to emit (``MyLib.on.ready``, an
        ``ops.BoundEvent``), or ``None``.
        """
    @property
    def custom_event_args(self) -> Tuple[Any, ...]:
        """The positional arguments a charm library's event is emitted with (State objects
        among them reach the charm as the ops objects they stand for).
        """
    @property
    def custom_event_kwargs(self) -> Dict[str, Any]:
        """The keyword arguments a charm library's event is emitted with (State objects among
        them reach the charm as the ops objects they stand for).
        """
    @property
    def name(self) -> str:
        """The event's name in ops's form, the attribute on ``charm.on``: the last part of the
        path, with dashes as underscores (``db_relation_changed``).
        """
    @property
    def owner_path(self) -> List[str]:
        """The attribute path from the charm to the object that emits the event: ``["on"]``
        for the charm's own events, more for an event on another object.
        """
    @property
    def _kind(self) -> str:
        """What kind of event the name denotes: relation, action, secret, framework, storage,
        workload, builtin or custom.
        """
    def __call__(
        self, remote_unit_id: Optional[int] = None, revision: Optional[int] = None
    ) -> Event:
        """The same event about another remote unit
        (``relation.joined_event(remote_unit_id=2)``) or secret revision
        (``secret.remove_event(revision=3)``).
        """
    def deferred(self, handler: Any, event_id: int = 1) -> DeferredEvent:
        """The ``DeferredEvent`` ops would have saved had ``handler`` (the observing method,
        such as ``MyCharm._on_start``) deferred this event in a previous run; put it in
        ``State.deferred`` and the run emits it again before its own event. ``event_id``
        is the number in the handle path (``MyCharm/on/start[1]``).
        """
    def bind(self, state: State) -> Event:
        """This event with its missing entity taken from ``state`` (Scenario 5): the relation
        on its endpoint (the first, with a warning, when there are several), the container
        or storage of its name, or the State's only secret. ``BindFailedError`` when there
        is none.
        """

@final
class State(_StateClass):
    """What Juju and Pebble hold for the unit under test, before or after a run: everything the
    charm can read or change through hook tools (``config-get``, ``is-leader``,
    ``relation-get``, ``status-get``, ...) and its containers' Pebble. A run takes one in and
    gives one out: ``out = ctx.run(ctx.on.start(), State(leader=True))``.

    Every argument is optional (ops[testing] passes them by keyword, Scenario 5 also by
    position in this order):

    - ``config``: option name to value (``str``, ``int``, ``float`` or ``bool``), what
      ``config-get`` answers; options left out read the ``default`` the charm's config
      declares.
    - ``relations``: the ``Relation``, ``PeerRelation`` and ``SubordinateRelation`` objects
      the unit is in.
    - ``networks``: a ``Network`` for each binding whose addresses the test sets; the other
      bindings answer defaults.
    - ``containers``: the ``Container`` objects (each declared in the metadata), whether
      Pebble answers in them or not.
    - ``storages`` (ops[testing], keyword only), or ``storage`` (Scenario 5): the attached
      ``Storage`` instances.
    - ``opened_ports``: the ports the unit has opened (``TCPPort``, ``UDPPort``,
      ``ICMPPort``).
    - ``leader``: whether this unit is its application's leader (default ``False``).
    - ``model``: the ``Model`` the unit is in (default: ``Model()``).
    - ``secrets``: the ``Secret`` objects the unit can see, owned or granted.
    - ``resources``: the ``Resource`` objects (ops[testing]), or a dict of resource name to
      path (Scenario 5).
    - ``planned_units``: how many units of the application Juju plans to run (default 1).
    - ``unit_id`` (Scenario 5): this unit's number (default 0); ops[testing] sets it with
      ``Context(unit_id=...)``, which wins when given.
    - ``deferred``: the ``DeferredEvent`` objects a previous run left to emit again.
    - ``stored_states`` (ops[testing], keyword only), or ``stored_state`` (Scenario 5): the
      ``StoredState`` contents ops restores.
    - ``app_status``, ``unit_status``: the statuses already set (default
      ``UnknownStatus()``).
    - ``workload_version``: the version already set with ``application-version-set``
      (default ``""``).

    A State is immutable: change one with ``dataclasses.replace(state, leader=True)``. Its
    collections are frozensets (ops[testing]) that also index and compare as lists
    (Scenario 5), in the order given. Before the charm runs, the State is checked against
    the charm's metadata and the event; an inconsistency Juju could not produce raises
    ``InconsistentScenarioError``.
    """
    def __new__(
        cls,
        config: Optional[Mapping[str, Union[str, int, float, bool]]] = None,
        relations: Optional[Iterable[_AnyRelation]] = None,
        networks: Optional[Iterable[Network]] = None,
        containers: Optional[Iterable[Container]] = None,
        storage: Optional[Iterable[Storage]] = None,
        opened_ports: Optional[Iterable[Port]] = None,
        leader: bool = False,
        model: Optional[Model] = None,
        secrets: Optional[Iterable[Secret]] = None,
        resources: Optional[Union[Mapping[str, _Path], Iterable[Resource]]] = None,
        planned_units: int = 1,
        unit_id: Optional[int] = None,
        deferred: Optional[Iterable[DeferredEvent]] = None,
        stored_state: Optional[Iterable[StoredState]] = None,
        app_status: Optional[ops.StatusBase] = None,
        unit_status: Optional[ops.StatusBase] = None,
        workload_version: str = "",
        *,
        storages: Optional[Iterable[Storage]] = None,
        stored_states: Optional[Iterable[StoredState]] = None,
    ) -> State: ...
    @property
    def config(self) -> Dict[str, Union[str, int, float, bool]]:
        """Config option name to value, what ``config-get`` answers (options left out read
        their declared default during a run).
        """
    @property
    def relations(self) -> _Items:
        """The relations the unit is in (``Relation``, ``PeerRelation``,
        ``SubordinateRelation``); in a run's output, with the databags the charm wrote.
        """
    @property
    def networks(self) -> _Items:
        """The ``Network`` of each binding the test set; ``network-get`` answers the other
        bindings with defaults.
        """
    @property
    def containers(self) -> _Items:
        """The unit's workload ``Container`` objects; in a run's output, with the layers,
        service statuses and other Pebble changes the charm made.
        """
    @property
    def storage(self) -> _Items:
        """The attached ``Storage`` instances, what ``storage-list`` answers (Scenario 5's
        name for ``storages``).
        """
    @property
    def storages(self) -> _Items:
        """The attached ``Storage`` instances (``storage-list``); ones the charm requested
        with ``storage-add`` are recorded in ``ctx.requested_storages`` instead.
        """
    @property
    def opened_ports(self) -> _Items:
        """The ports the unit has opened (``TCPPort``, ``UDPPort``, ``ICMPPort``); in a run's
        output, after the charm's ``open-port`` and ``close-port`` calls.
        """
    @property
    def leader(self) -> bool:
        """Whether this unit is its application's leader, what ``is-leader`` answers."""
    @property
    def model(self) -> Model:
        """The ``Model`` the unit is deployed in: its name, uuid, type and cloud."""
    @property
    def secrets(self) -> _Items:
        """The ``Secret`` objects the unit can see, owned or granted; in a run's output, with
        the secrets the charm added, changed or removed.
        """
    @property
    def resources(self) -> Any:
        """The resources attached to the application, which ``resource-get`` answers: a set
        of ``Resource`` objects, or a dict of name to path for a State made with
        Scenario 5's arguments.
        """
    @property
    def planned_units(self) -> int:
        """How many units of the application Juju plans to run (``goal-state``'s count),
        which ``self.app.planned_units()`` reads.
        """
    @property
    def unit_id(self) -> int:
        """This unit's number (Scenario 5), as in ``myapp/0``; a ``Context(unit_id=...)``
        takes its place when given.
        """
    @property
    def deferred(self) -> List[DeferredEvent]:
        """The events deferred and not yet emitted again, as ``DeferredEvent`` objects: in a
        run's input, what ops emits before the event; in its output, what the charm deferred.
        """
    @property
    def stored_state(self) -> _Items:
        """The ``StoredState`` contents ops restores into the charm's objects; in a run's
        output, as saved after it (Scenario 5's name for ``stored_states``).
        """
    @property
    def stored_states(self) -> _Items:
        """The ``StoredState`` contents ops restores into the charm's objects; in a run's
        output, as saved after it, the framework's own included.
        """
    @property
    def app_status(self) -> ops.StatusBase:
        """The application's status (``status-get --application``), an ops status such as
        ``ActiveStatus("ready")``; only the leader may set it.
        """
    @property
    def unit_status(self) -> ops.StatusBase:
        """The unit's status (``status-get``), an ops status such as
        ``BlockedStatus("needs a database")``; ``UnknownStatus()`` until one is set.
        """
    @property
    def workload_version(self) -> str:
        """The workload's version, as the charm last set it with
        ``application-version-set`` (``""`` until then).
        """
    @property
    def _api(self) -> Optional[Api]:
        """The API this State was made for, when known."""
    def get_container(self, container: Union[str, Container]) -> Container:
        """The State's ``Container`` with this name (or with the name of the container given,
        such as one from the input State): ``out.get_container("app")``. Raises
        ``KeyError`` (``StateEntityNotFound``) when there is none.
        """
    def get_relations(self, endpoint: str) -> Tuple[_AnyRelation, ...]:
        """The State's relations on the endpoint ``endpoint``, as a tuple (empty when there
        is none). ``-`` and ``_`` in the name match each other.
        """
    def get_relation(self, relation: Union[int, _AnyRelation]) -> _AnyRelation:
        """The State's relation with this id, or with the id of the relation given (such as
        one from the input State: ``out.get_relation(rel)``), which must then be of the
        same kind and on the same endpoint. Raises ``KeyError`` (``StateEntityNotFound``)
        when there is none, ``ValueError`` when the one found differs in kind or endpoint.
        """
    def get_storages(self, name: str) -> Tuple[Storage, ...]:
        """The State's attached ``Storage`` instances called ``name``, as a tuple (empty
        when there is none).
        """
    def get_storage(self, name: str, /, *, index: int = 0) -> Storage:
        """The State's attached ``Storage`` instance called ``name`` with this ``index``
        (default 0). Raises ``ValueError`` when there is none.
        """
    def get_network(self, binding_name: str) -> Network:
        """The ``Network`` the State gives for the binding ``binding_name``. Raises
        ``KeyError`` (``StateEntityNotFound``) when it gives none (the binding then answers
        defaults).
        """
    def get_secret(self, *, id: Optional[str] = None, label: Optional[str] = None) -> Secret:
        """The State's ``Secret`` with this ``id`` or ``label`` (both must match when both
        are given; an id matches with or without its ``secret:`` prefix). Raises
        ``KeyError`` (``StateEntityNotFound``) when there is none, ``ValueError`` when
        neither is given.
        """
    def get_stored_state(self, name: str, /, *, owner_path: Optional[str] = None) -> StoredState:
        """The State's ``StoredState`` called ``name`` (``"_stored"``) of the object at
        ``owner_path`` (``"MyCharm"``; ``None``, the default, for the framework's own).
        Raises ``ValueError`` when there is none.
        """
    @classmethod
    def from_context(
        cls,
        ctx: Any,
        *,
        config: Optional[Mapping[str, Union[str, int, float, bool]]] = None,
        relations: Optional[Iterable[_AnyRelation]] = None,
        containers: Optional[Iterable[Container]] = None,
        storages: Optional[Iterable[Storage]] = None,
        stored_states: Optional[Iterable[StoredState]] = None,
        **kwargs: Any,
    ) -> State:
        """A State of the charm of ``ctx`` fully set up, as Juju would hold it once every
        endpoint is integrated and every container has started (ops[testing]):

        - ``config``: the defaults its config declares, updated with ``config``;
        - ``relations``: one relation for each endpoint of its metadata (a ``Relation``,
          ``PeerRelation`` or ``SubordinateRelation``, with the interface declared), no data
          in them; an endpoint that ``relations`` covers is left to it;
        - ``containers``: each container of its metadata, with ``can_connect=True``, unless
          ``containers`` has it;
        - ``storages``: one instance of each storage of its metadata, unless given;
        - ``stored_states``: an empty ``StoredState`` for each ``ops.StoredState`` attribute
          of the charm class, unless given.

        Any other keyword is a State argument:
        ``State.from_context(ctx, leader=True, unit_status=ActiveStatus())``.
        """
    def with_can_connect(self, name: str, can_connect: bool) -> State:
        """A copy of this State whose container ``name`` has ``can_connect`` set (Scenario
        5); ``ValueError`` when there is no such container.
        """
    def with_leadership(self, leader: bool) -> State:
        """A copy of this State with ``leader`` set (Scenario 5's shorthand for
        ``replace(leader=...)``).
        """
    def with_unit_status(self, status: ops.StatusBase) -> State:
        """A copy of this State with ``unit_status`` set to ``status``, an ops status
        (Scenario 5's shorthand for ``replace(unit_status=...)``).
        """
    def jsonpatch_delta(self, other: State) -> Any:
        """The JSON patch (RFC 6902, a list of operations sorted by path and op) that turns
        ``other`` into this State: what a run changed, as
        ``out.jsonpatch_delta(state_in)`` (Scenario 5). Needs the optional ``jsonpatch``
        package; without it, logs an error and returns ``NotImplemented``.
        """
    def to_json(self) -> str:
        """This State as JSON text, every field included, which ``State.from_json`` reads
        back and the ``scenario`` command takes as a State file.
        """
    def to_yaml(self) -> str:
        """This State as YAML text, every field included, which ``State.from_yaml`` reads
        back and the ``scenario`` command takes as a State file.
        """
    @staticmethod
    def from_json(text: str) -> State:
        """The State that ``text``, JSON written by ``to_json()`` (or by hand, with most
        fields left out), describes; ``ValueError`` says what is wrong with it.
        """
    @staticmethod
    def from_yaml(text: str) -> State:
        """The State that ``text``, YAML written by ``to_yaml()`` (or by hand, with most
        fields left out), describes; ``ValueError`` says what is wrong with it.
        """

@final
class _CharmSpec:
    """A charm type and its spec (metadata, actions, config)."""
    def __new__(
        cls,
        charm_type: Any,
        meta: Mapping[str, Any],
        actions: Optional[Mapping[str, Any]] = None,
        config: Optional[Mapping[str, Any]] = None,
        is_autoloaded: bool = False,
    ) -> _CharmSpec: ...
    @staticmethod
    def autoload(charm_type: Any) -> _CharmSpec:
        """Read the spec from the charm directory of the file defining `charm_type` (its
        grandparent: `<root>/src/charm.py`), with a charmcraft.yaml's extensions merged in:
        an unknown one is warned of, one that overlaps the charm's own declarations raises
        `CharmcraftExtensionError`.
        """
    def _spec_files(self) -> Tuple[int, List[Tuple[str, str]]]:
        """The files of a charm directory for this spec (``metadata.yaml``, ``config.yaml``,
        ``actions.yaml``) as ``(name, YAML text)``, and a key for their content, equal for
        equal specs: Contexts of the same spec share one directory of them."""
    def _spec_key(self) -> int:
        """The key of ``_spec_files``'s content alone."""
    @property
    def charm_type(self) -> Any: ...
    @property
    def meta(self) -> Dict[str, Any]: ...
    @property
    def actions(self) -> Optional[Dict[str, Any]]: ...
    @property
    def config(self) -> Optional[Dict[str, Any]]: ...
    @property
    def is_autoloaded(self) -> bool: ...
    @property
    def app_name(self) -> Optional[str]:
        """The application name from metadata, or `None`."""
    def _shape_problems(self) -> List[Tuple[str, str, bool]]:
        """Where the spec's shape is not one charmcraft accepts, as `(path, problem, stricter)`."""
    def __class_getitem__(cls, item: Any) -> Any: ...
    def _meta_for_ops(self) -> Optional[Dict[str, Any]]:
        """The metadata ops is to parse, where it differs from `meta` (a storage's default
        type filled in); `None` otherwise.
        """

@final
class HookSession:
    """One run's hook tools, as Python sees them.

    Not `unsendable`: a charm's own threads (a tracing exporter that logs, say) reach the
    session through the juju-log handler, and the session may be freed on any thread. An
    `unsendable` class panics on both. Every call holds the GIL, and pyo3's borrow flag
    turns a clash between threads into a Python exception, never a panic.
    """
    @property
    def is_open(self) -> bool:
        """Whether the session is still open (it has not been closed)."""
    @property
    def env(self) -> List[Tuple[str, str]]:
        """The run's `JUJU_*` variables as `(name, value)` pairs."""
    @property
    def app_name(self) -> str: ...
    @property
    def unit_name(self) -> str: ...
    @property
    def unit_id(self) -> int: ...
    def close(self) -> None:
        """End the session. What a test keeps of the run (a manager's charm, an emitted
        event's relation) still reads the model, from the output State, as under
        ops[testing]; nothing changes it any more.
        """
    def enter_env(self) -> None:
        """Set the run's `JUJU_*` variables in `os.environ`, remembering what they replace."""
    def exit_env(self) -> None:
        """Put `os.environ` back exactly as `enter_env` found it."""
    def is_leader(self) -> bool: ...
    def config_get(self) -> Dict[str, Any]: ...
    def status_get(self, is_app: bool) -> Dict[str, str]: ...
    def status_set(self, status: str, message: str, is_app: bool) -> None: ...
    def application_version_set(self, version: str) -> None: ...
    def record_exec(self, container: str, args: Any) -> None: ...
    def exec_history(self) -> Dict[str, List[Any]]: ...
    def juju_log(self, level: str, message: str) -> None: ...
    def relation_ids(self, endpoint: str) -> List[int]: ...
    def relation_list(self, relation_id: int) -> List[str]: ...
    def relation_remote_app_name(self, relation_id: int) -> Optional[str]: ...
    def relation_get(self, relation_id: int, member: str, is_app: bool) -> Dict[str, str]: ...
    def relation_set(self, relation_id: int, data: Dict[str, str], is_app: bool) -> None: ...
    def network_get(self, binding: str) -> Dict[str, Any]: ...
    def action_get(self) -> Dict[str, Any]: ...
    def action_set(self, results: Dict[str, Any]) -> None: ...
    def action_log(self, message: str) -> None: ...
    def action_fail(self, message: str) -> None: ...
    def open_port(self, protocol: str, port: Optional[int] = None) -> None: ...
    def close_port(self, protocol: str, port: Optional[int] = None) -> None: ...
    def opened_ports(self) -> List[Tuple[str, Optional[int]]]:
        """The opened ports as `(protocol, port)` pairs."""
    def resource_get(self, name: str) -> str: ...
    def planned_units(self) -> int: ...
    def storage_list(self, name: str) -> List[int]: ...
    def storage_exists(self, storage_id: str) -> Tuple[str, int]:
        """Check that `<name>/<index>` is attached; returns `(name, index)`."""
    def storage_add(self, name: str, count: int) -> None: ...
    def containers_with_mounts(self) -> List[str]:
        """Raise ops's ConnectionError unless the container's Pebble can be reached.
        The containers of the State that have mounts.
        """
    def pebble_show_mounts(self, container: str, root: _Path) -> None:
        """Show a container's mounts under its root, for the test to read."""
    def pebble_ensure_connected(self, container: str) -> None: ...
    def pebble_system_info(self, container: str) -> str: ...
    def pebble_pull(self, container: str, root: _Path, path: str) -> bytes: ...
    def pebble_push(
        self,
        container: str,
        root: _Path,
        path: str,
        data: bytes,
        make_dirs: bool = False,
        permissions: Optional[int] = None,
    ) -> None: ...
    def pebble_list_files(
        self,
        container: str,
        root: _Path,
        path: str,
        pattern: Optional[str] = None,
        itself: bool = False,
    ) -> List[Tuple[str, str, str, int, int, float, int, Optional[str], int, Optional[str]]]:
        """The entries as `(path, name, type, size, permissions, mtime, user_id, user, group_id,
        group)`.
        """
    def pebble_make_dir(
        self,
        container: str,
        root: _Path,
        path: str,
        make_parents: bool = False,
        permissions: Optional[int] = None,
    ) -> None: ...
    def pebble_remove_path(
        self, container: str, root: _Path, path: str, recursive: bool = False
    ) -> None: ...
    def pebble_add_layer(
        self, container: str, label: str, layer: Dict[str, Any], combine: bool
    ) -> None:
        """Add a layer given as its dict (`pebble.Layer.to_dict()`)."""
    def pebble_get_plan(self, container: str) -> Dict[str, Any]:
        """The merged plan as the dict `pebble.Plan` reads (no connection needed, as in
        Scenario 5).
        """
    def pebble_get_services(
        self, container: str, names: Optional[List[str]] = None
    ) -> List[Tuple[str, str, str]]:
        """The services as `(name, startup, current)`."""
    def pebble_services(
        self, container: str, action: str, names: Optional[List[str]] = None
    ) -> None:
        """`start`, `stop`, `restart`, `autostart` or `replan`."""
    def pebble_send_signal(self, container: str, signal: str, names: List[str]) -> None: ...
    def pebble_get_checks(
        self, container: str, level: Optional[str] = None, names: Optional[List[str]] = None
    ) -> List[Dict[str, Any]]:
        """The checks as dicts in the form `pebble.CheckInfo.from_dict` reads."""
    def pebble_checks(self, container: str, action: str, names: List[str]) -> List[str]:
        """Start (`start`) or stop (`stop`) the named checks; the names whose state changed."""
    def pebble_get_notices(
        self,
        container: str,
        all_users: bool = False,
        user_id: Optional[int] = None,
        types: Optional[List[str]] = None,
        keys: Optional[List[str]] = None,
    ) -> List[Dict[str, Any]]:
        """The notices matching the filters, as dicts of the State's `Notice` fields, in the
        State's order.
        """
    def pebble_get_notice(self, container: str, id: str) -> Dict[str, Any]:
        """The notice with this id, as a dict of the State's `Notice` fields."""
    def pebble_exec(self, container: str, command: List[str]) -> Tuple[int, str, str]:
        """The mocked result of a command: `(return_code, stdout, stderr)`."""
    def secret_get(
        self,
        id: Optional[str] = None,
        label: Optional[str] = None,
        refresh: bool = False,
        peek: bool = False,
    ) -> Dict[str, str]: ...
    def secret_info_get(
        self, id: Optional[str] = None, label: Optional[str] = None
    ) -> Dict[str, Any]:
        """The owner's view of a secret, in the form `secret-info-get` prints."""
    def secret_set(
        self,
        id: str,
        content: Optional[Dict[str, str]] = None,
        label: Optional[str] = None,
        description: Optional[str] = None,
        expire: Optional[str] = None,
        rotate: Optional[str] = None,
    ) -> None: ...
    def secret_add(
        self,
        content: Dict[str, str],
        owner: str,
        label: Optional[str] = None,
        description: Optional[str] = None,
        expire: Optional[str] = None,
        rotate: Optional[str] = None,
    ) -> str: ...
    def secret_grant(self, id: str, relation_id: int, unit: Optional[str] = None) -> None: ...
    def secret_revoke(self, id: str, relation_id: int, unit: Optional[str] = None) -> None: ...
    def secret_remove(self, id: str, revision: Optional[int] = None) -> None: ...
    def secret_ids(self) -> List[str]: ...
    def relation_model_get(self, relation_id: int) -> str: ...
    def credential_get(self) -> Dict[str, Any]:
        """The cloud spec in the form `credential-get --format json` prints (ops reads it with
        `CloudSpec.from_dict`).
        """

def start_run(
    spec: _CharmSpec,
    state: State,
    event: Event,
    juju_version: str,
    charm_dir: str,
    *,
    api: Api = ...,
    unit_id: Optional[int] = None,
    app_name: Optional[str] = None,
    machine_id: Optional[str] = None,
    availability_zone: Optional[str] = None,
    principal_unit: Optional[str] = None,
    app_trusted: bool = False,
    strict: bool = False,
) -> HookSession:
    """Open the hook-tool session of a run. The input State is shared, never modified.

    `api` is the API the run's event speaks (`"5"` or `"8"`); `unit_id` the Context's
    (ops[testing]), else the State's (Scenario 5); `app_name` the Context's, else the
    charm's name.
    """

def finish_run(
    session: HookSession,
    stored_state: List[StoredState],
    deferred: List[DeferredEvent],
    input: State,
) -> State:
    """Finish the session and build the output State, with the deferred events and stored
    state the framework's store ended with. The session answers reads until closed.
    """

@final
class Neighbours:
    """The consistent States near ``state`` for ``event``, as the charm's spec allows them
    (leadership, config across each option's type, relations and their databags and
    units, containers, secrets, storage, planned units, deferred events, stored state).

    A walk is decoded from a sequence of numbers, three per step: the kind of step and two
    parameters, each taken modulo what there is to choose from. Shorter sequences of
    smaller numbers make simpler States, so a search that shrinks numbers (hypothesis)
    shrinks the State. Each step is kept only if the consistency checker finds nothing new
    wrong with it: every State a walk reaches is one Juju could produce.

    ``api`` and ``unit_id`` are the run's (the checker's rules and defaults); ``keys`` are
    databag keys to try odd values under, besides those the State holds (the keys the
    charm was seen reading, say).
    """

    def __new__(
        cls,
        state: State,
        event: Event,
        charm_spec: _CharmSpec,
        juju_version: str,
        *,
        api: Api = ...,
        unit_id: Optional[int] = None,
        keys: Sequence[str] = ...,
    ) -> Neighbours: ...
    def walk(self, choices: Sequence[int]) -> Tuple[State, Event, List[str]]:
        """The State the numbers lead to, the event bound to it (its relation, container and
        secret the State's own: the event itself when the walk left them as they were), and
        each step taken, in words.
        """

@final
class RunResult:
    """What one run produced, as one immutable value: the output State (none when the charm
    raised before the run finished) and everything the Context records of it, each in the
    order it happened. Made when the run closes (`run_result`); the Context merges it into
    its histories.
    """

    @property
    def output(self) -> Optional[State]:
        """The output State; ``None`` when the run did not finish."""
    @property
    def unit_status_history(self) -> List[Any]:
        """Each status the unit had before the charm set another, oldest first."""
    @property
    def app_status_history(self) -> List[Any]:
        """Each status the application had before the charm set another, oldest first."""
    @property
    def workload_version_history(self) -> List[str]:
        """Each workload version before the charm set another."""
    @property
    def juju_log(self) -> List[Tuple[str, str]]:
        """The ``juju-log`` lines, as ``(level, message)`` pairs."""
    @property
    def action_logs(self) -> List[str]:
        """What the action logged (``event.log``)."""
    @property
    def action_results(self) -> Optional[Dict[str, Any]]:
        """What the action set as its results, the values as given; ``None`` when it set none."""
    @property
    def action_failure(self) -> Optional[str]:
        """The action's failure message; ``None`` unless it failed."""
    @property
    def requested_storages(self) -> Dict[str, int]:
        """``storage-add`` requests: storage name to count."""
    @property
    def removed_secret_revisions(self) -> List[int]:
        """The secret revisions the charm removed."""
    @property
    def exec_history(self) -> Dict[str, List[Any]]:
        """Container name to the ``ExecArgs`` of each command the charm ran there."""
    @property
    def emitted_events(self) -> Tuple[Any, ...]:
        """The events the run emitted, as their handlers saw them (detached from the run)."""
    @property
    def trace_data(self) -> Tuple[Any, ...]:
        """The spans of the run, where ops[tracing] is installed."""

def run_result(session: HookSession, emitted_events: Any, trace_data: Any) -> RunResult:
    """The result of a run, as it stands: the output State once finished, the records, and
    what Python recorded beside them (the emitted events, the spans).
    """

def parse_juju_version(version: str) -> str:
    """Parse a Juju version (`3.1.6`, `2.9-beta1`), raising `ValueError` for anything else."""

def consistency_report(
    state: State,
    event: Event,
    charm_spec: _CharmSpec,
    juju_version: str,
    *,
    api: Api = ...,
    unit_id: Optional[int] = None,
) -> List[Tuple[str, str, str, str]]:
    """Every finding of the checker as `(severity, rule, path, message)`, with the rules and
    defaults of `api` (`"5"` or `"8"`) for unit `unit_id` (`None`: the State's).
    """
