"""ops's model backend (and Pebble client), delegating each hook tool to the Rust session.

Each method keeps the signature of the ops version in use (2.10 or 3.x) and forwards to
``HookSession``, which reads and writes the output State in Rust.
"""

from __future__ import annotations

import datetime
import inspect
import io
import signal
import typing
from typing import Any, Dict, List, Mapping, Optional, Set, Tuple, Union

import ops
import ops.model
import ops.pebble
import yaml

from scenario._scenario import ActionMissingFromContextError, HookSession

if typing.TYPE_CHECKING:  # pragma: no cover
    from scenario._runtime import CharmUnderTest, Run

__all__ = ["ActionMissingFromContextError", "_MockModelBackend", "_MockPebbleClient"]


class _MockModelBackend(ops.model._ModelBackend):
    """The hook tools, answered from the State instead of by Juju."""

    def __init__(self, session: HookSession, target: CharmUnderTest, run: Run):
        if _BACKEND_TAKES_JUJU_CONTEXT:
            # ops 3 reads the whole environment into a JujuContext; build it from the run's
            # own variables (and reuse it for runs with the same ones) instead.
            super().__init__(
                unit_name=session.unit_name, juju_context=target.juju_context(session.env)
            )
        else:
            super().__init__(unit_name=session.unit_name)
        self._session = session
        self._target = target
        # Not `_run`: that is ops's method running a hook tool, overridden below.
        self._scenario_run = run

    def _container_root(self, name: str) -> Any:
        """The host directory of a container's files (the run started with none)."""
        return self._target.container_root(name)

    # ops caches leadership for 30s; the State is the truth for the whole run.
    def is_leader(self) -> bool:
        return self._session.is_leader()

    def config_get(self) -> Dict[str, Any]:
        return self._session.config_get()

    def status_get(self, *, is_app: bool = False) -> Any:
        return self._session.status_get(is_app)

    def status_set(self, status: str, message: str = "", *, is_app: bool = False) -> None:
        if not isinstance(is_app, bool):
            raise TypeError("is_app parameter must be boolean")
        self._session.status_set(status, message, is_app)

    def application_version_set(self, version: str) -> None:
        self._session.application_version_set(version)

    def juju_log(self, level: str, message: str) -> None:
        self._session.juju_log(level, message)

    # relations ---------------------------------------------------------------------------

    def relation_ids(self, relation_name: str) -> List[int]:
        return self._session.relation_ids(relation_name)

    def relation_list(self, relation_id: int, **_: Any) -> List[str]:
        return self._session.relation_list(relation_id)

    def relation_remote_app_name(self, relation_id: int, **_: Any) -> Optional[str]:
        return self._session.relation_remote_app_name(relation_id)

    def relation_get(
        self, relation_id: int, member_name: str, is_app: bool, **_: Any
    ) -> Dict[str, str]:
        if not isinstance(is_app, bool):
            raise TypeError("is_app parameter to relation_get must be a boolean")
        return self._session.relation_get(relation_id, member_name, is_app)

    def relation_set(self, relation_id: int, *args: Any, **kwargs: Any) -> None:
        # ops 3.x: (relation_id, data, is_app); ops 2.x: (relation_id, key, value, is_app).
        kwargs.pop("relation_name", None)
        if len(args) == 3 or "key" in kwargs:
            key, value, is_app = (
                list(args) + [kwargs.get(k) for k in ("key", "value", "is_app")][len(args) :]
            )[:3]
            data = {key: value}
        else:
            data, is_app = (list(args) + [kwargs.get(k) for k in ("data", "is_app")][len(args) :])[
                :2
            ]
            if not data:
                raise ValueError("at least one key:value pair is required for relation-set")
        if not isinstance(is_app, bool):
            raise TypeError("is_app parameter to relation_set must be a boolean")
        self._session.relation_set(relation_id, dict(data), is_app)

    def network_get(self, binding_name: str, relation_id: Optional[int] = None) -> Any:
        return self._session.network_get(binding_name)

    # actions -----------------------------------------------------------------------------

    def action_get(self) -> Dict[str, Any]:
        return self._session.action_get()

    def action_set(self, results: Dict[str, Any]) -> None:
        # ops's own checks first: key format and duplicates after flattening.
        ops.model._format_action_result_dict(results)
        self._session.action_set(results)

    def action_log(self, message: str) -> None:
        self._session.action_log(message)

    def action_fail(self, message: str = "") -> None:
        self._session.action_fail(message)

    # storage, resources, ports, units ----------------------------------------------------

    def storage_list(self, name: str) -> List[int]:
        return self._session.storage_list(name)

    def storage_get(self, storage_name_id: str, attribute: str) -> str:
        if not attribute:
            raise RuntimeError(
                'calling storage_get with `attribute=""` will return a dict '
                "and not a string. This usage is not supported."
            )
        name, index = self._session.storage_exists(storage_name_id)
        if attribute != "location":
            raise ops.model.ModelError(
                f"storage-get: attribute {attribute!r} is not supported by Scenario"
            )
        return str(self._target.storage_root(name, index))

    def storage_add(self, name: str, count: int = 1) -> None:
        if not isinstance(count, int) or isinstance(count, bool):
            raise TypeError(f"storage count must be integer, got: {count} ({type(count)})")
        self._session.storage_add(name, count)

    def _storage_event_details(self) -> Any:
        details = self._session.event_storage()
        if details is None:
            raise RuntimeError("not a storage event")
        name, index = details
        return index, str(self._target.storage_root(name, index))

    def resource_get(self, resource_name: str) -> str:
        return self._session.resource_get(resource_name)

    def planned_units(self) -> int:
        return self._session.planned_units()

    def open_port(self, protocol: str, port: Optional[int] = None) -> None:
        self._session.open_port(protocol, port)

    def close_port(self, protocol: str, port: Optional[int] = None) -> None:
        self._session.close_port(protocol, port)

    def opened_ports(self) -> Set[ops.Port]:
        return {ops.Port(protocol, port) for protocol, port in self._session.opened_ports()}  # type: ignore[arg-type]

    # secrets -----------------------------------------------------------------------------

    def secret_get(
        self,
        *,
        id: Optional[str] = None,
        label: Optional[str] = None,
        refresh: bool = False,
        peek: bool = False,
    ) -> Dict[str, str]:
        return self._session.secret_get(id, label, refresh, peek)

    def secret_info_get(
        self, *, id: Optional[str] = None, label: Optional[str] = None
    ) -> ops.SecretInfo:
        info = self._session.secret_info_get(id, label)
        kwargs: Dict[str, Any] = {}
        if "description" in _SECRET_INFO_PARAMS:
            kwargs["description"] = info["description"]
        if "model_uuid" in _SECRET_INFO_PARAMS:
            kwargs["model_uuid"] = self.model_uuid
        return ops.SecretInfo(
            id=info["id"],
            label=info["label"],
            revision=info["revision"],
            expires=_parse_expiry(info["expiry"]),
            rotation=ops.SecretRotate(info["rotation"]) if info["rotation"] else None,
            rotates=None,
            **kwargs,
        )

    def secret_set(
        self,
        id: str,
        *,
        content: Optional[Dict[str, str]] = None,
        label: Optional[str] = None,
        description: Optional[str] = None,
        expire: Optional[datetime.datetime] = None,
        rotate: Optional[ops.SecretRotate] = None,
    ) -> None:
        self._session.secret_set(
            id, content, label, description, _expiry(expire), _rotation(rotate)
        )

    def secret_add(
        self,
        content: Dict[str, str],
        *,
        label: Optional[str] = None,
        description: Optional[str] = None,
        expire: Optional[datetime.datetime] = None,
        rotate: Optional[ops.SecretRotate] = None,
        owner: Optional[str] = None,
    ) -> str:
        return self._session.secret_add(
            content, owner or "unit", label, description, _expiry(expire), _rotation(rotate)
        )

    def secret_grant(self, id: str, relation_id: int, *, unit: Optional[str] = None) -> None:
        self._session.secret_grant(id, relation_id, unit)

    def secret_revoke(self, id: str, relation_id: int, *, unit: Optional[str] = None) -> None:
        self._session.secret_revoke(id, relation_id, unit)

    def secret_remove(self, id: str, *, revision: Optional[int] = None) -> None:
        self._session.secret_remove(id, revision)

    def secret_ids(self) -> List[str]:
        return self._session.secret_ids()

    # not simulated -----------------------------------------------------------------------

    def add_metrics(
        self, metrics: Mapping[str, Any], labels: Optional[Mapping[str, str]] = None
    ) -> None:
        raise ops.model.ModelError("add-metrics is not simulated by Scenario")

    def pod_spec_set(
        self, spec: Mapping[str, Any], k8s_resources: Optional[Mapping[str, Any]] = None
    ) -> None:
        raise ops.model.ModelError("pod-spec-set is not simulated by Scenario")

    def reboot(self, now: bool = False) -> None:
        raise ops.model.ModelError("juju-reboot is not simulated by Scenario")

    def credential_get(self) -> Any:
        raise ops.model.ModelError("credential-get is not simulated by Scenario")

    def relation_model_get(self, relation_id: int, **_: Any) -> Dict[str, Any]:
        # Every relation of a State is in this model.
        if self._session.relation_remote_app_name(relation_id) is None:
            raise ops.model.RelationNotFoundError()
        return {"uuid": self.model_uuid}

    def _run(self, *args: Any, **kwargs: Any) -> Any:
        # ops 2.x runs any hook tool not overridden here as a subprocess: never do that.
        raise ops.model.ModelError(
            f"hook tool {args[0] if args else '?'} is not simulated by Scenario"
        )

    def get_pebble(self, socket_path: str) -> ops.pebble.Client:
        # /charm/containers/<name>/pebble.socket
        name = socket_path.split("/")[3]
        return _MockPebbleClient(name, self)


_SECRET_INFO_PARAMS = inspect.signature(ops.SecretInfo.__init__).parameters
_BACKEND_TAKES_JUJU_CONTEXT = (
    "juju_context" in inspect.signature(ops.model._ModelBackend.__init__).parameters
)


def _expiry(expire: Any) -> Optional[str]:
    """A secret's expiry as an ISO timestamp (ops passes a datetime or a timedelta)."""
    if expire is None:
        return None
    if isinstance(expire, datetime.timedelta):
        expire = datetime.datetime.now(datetime.timezone.utc) + expire
    return expire.isoformat()


def _parse_expiry(expiry: Optional[str]) -> Optional[datetime.datetime]:
    return datetime.datetime.fromisoformat(expiry) if expiry else None


def _rotation(rotate: Any) -> Optional[str]:
    if rotate is None:
        return None
    return getattr(rotate, "value", rotate)


class _MockPebbleClient(ops.pebble.Client):
    """Pebble for one container, answered by the Rust mock Pebble over the output State.

    Files live under a directory of the Context (``Container.get_filesystem(ctx)``),
    emptied the first time a run touches them; every path goes through one resolver that
    keeps it inside that root and the container's mounts.
    """

    def __init__(self, container_name: str, backend: _MockModelBackend):
        # No socket: nothing of ops.pebble.Client's transport is used.
        self.socket_path = f"/charm/containers/{container_name}/pebble.socket"
        self._container_name = container_name
        self._backend = backend
        self._session = backend._session

    def _root(self) -> str:
        return str(self._backend._container_root(self._container_name))

    def _request(self, *args: Any, **kwargs: Any) -> Any:
        raise ops.pebble.ConnectionError(
            f"Scenario's Pebble for container {self._container_name!r} does not simulate "
            f"this call ({args[:2]!r})"
        )

    def get_system_info(self) -> ops.pebble.SystemInfo:
        return ops.pebble.SystemInfo(
            version=self._session.pebble_system_info(self._container_name)
        )

    # files -------------------------------------------------------------------------------

    def pull(self, path: Any, *, encoding: Optional[str] = "utf-8") -> Any:
        data = self._session.pebble_pull(self._container_name, self._root(), str(path))
        if encoding is None:
            return io.BytesIO(data)
        return io.StringIO(data.decode(encoding))

    def push(
        self,
        path: Any,
        source: Any,
        *,
        encoding: Any = "utf-8",
        make_dirs: Any = False,
        permissions: Any = None,
        user_id: Any = None,
        user: Any = None,
        group_id: Any = None,
        group: Any = None,
    ) -> None:
        if isinstance(source, str):
            data = source.encode(encoding)
        elif isinstance(source, bytes):
            data = source
        else:
            content = source.read()
            data = content.encode(encoding) if isinstance(content, str) else content
        _check_permissions(permissions)
        self._session.pebble_push(
            self._container_name, self._root(), str(path), data, make_dirs, permissions
        )

    def list_files(
        self, path: Any, *, pattern: Optional[str] = None, itself: bool = False
    ) -> List[ops.pebble.FileInfo]:
        entries = self._session.pebble_list_files(
            self._container_name, self._root(), str(path), pattern, itself
        )
        return [
            ops.pebble.FileInfo(
                path=p,
                name=name,
                type=ops.pebble.FileType(kind),
                size=size,
                permissions=perms,
                last_modified=datetime.datetime.fromtimestamp(mtime, datetime.timezone.utc),
                user_id=uid,
                user=user,
                group_id=gid,
                group=group,
            )
            for p, name, kind, size, perms, mtime, uid, user, gid, group in entries
        ]

    def make_dir(
        self,
        path: Any,
        *,
        make_parents: Any = False,
        permissions: Any = None,
        user_id: Any = None,
        user: Any = None,
        group_id: Any = None,
        group: Any = None,
    ) -> None:
        _check_permissions(permissions)
        self._session.pebble_make_dir(
            self._container_name, self._root(), str(path), make_parents, permissions
        )

    def remove_path(self, path: Any, *, recursive: bool = False) -> None:
        self._session.pebble_remove_path(self._container_name, self._root(), str(path), recursive)

    # layers, plan, services, checks -----------------------------------------------------

    def add_layer(
        self,
        label: Any,
        layer: Any,
        *,
        combine: Any = False,
    ) -> None:
        if not isinstance(label, str):
            raise TypeError(f"label must be a str, not {type(label).__name__}")
        if isinstance(layer, (str, dict)):
            layer = ops.pebble.Layer(typing.cast(Any, layer))
        elif not isinstance(layer, ops.pebble.Layer):
            raise TypeError(
                f"layer must be str, dict, or pebble.Layer, not {type(layer).__name__}"
            )
        self._session.pebble_add_layer(self._container_name, label, layer.to_dict(), combine)

    def get_plan(self) -> ops.pebble.Plan:
        plan = self._session.pebble_get_plan(self._container_name)
        return ops.pebble.Plan(yaml.safe_dump(plan))

    def get_services(self, names: Any = None) -> List[ops.pebble.ServiceInfo]:
        if isinstance(names, str):
            raise TypeError(f"names must be a list of str, not {names!r}")
        infos = self._session.pebble_get_services(
            self._container_name, None if names is None else list(names)
        )
        return [
            ops.pebble.ServiceInfo(
                name, ops.pebble.ServiceStartup(startup), ops.pebble.ServiceStatus(current)
            )
            for name, startup, current in infos
        ]

    def _services(self, action: str, services: Any) -> None:
        if isinstance(services, str):
            raise TypeError(f"services must be a list of str, not {services!r}")
        self._session.pebble_services(
            self._container_name, action, None if services is None else list(services)
        )

    def start_services(self, services: Any, timeout: float = 30.0, delay: float = 0.1) -> Any:
        self._services("start", services)

    def stop_services(self, services: Any, timeout: float = 30.0, delay: float = 0.1) -> Any:
        self._services("stop", services)

    def restart_services(self, services: Any, timeout: float = 30.0, delay: float = 0.1) -> Any:
        self._services("restart", services)

    def autostart_services(self, timeout: float = 30.0, delay: float = 0.1) -> Any:
        self._services("autostart", None)

    def replan_services(self, timeout: float = 30.0, delay: float = 0.1) -> Any:
        self._services("replan", None)

    def send_signal(self, sig: Any, services: Any) -> None:
        if isinstance(services, str) or not services:
            raise TypeError(f"services must be a non-empty list of str, not {services!r}")
        name = sig if isinstance(sig, str) else signal.Signals(sig).name
        self._session.pebble_send_signal(self._container_name, name, list(services))

    def get_checks(self, level: Any = None, names: Any = None) -> List[ops.pebble.CheckInfo]:
        level_name = None if level is None else getattr(level, "value", level)
        checks = self._session.pebble_get_checks(
            self._container_name, level_name, None if names is None else list(names)
        )
        return [ops.pebble.CheckInfo.from_dict(typing.cast(Any, c)) for c in checks]

    def get_notices(self, *args: Any, **kwargs: Any) -> List[Any]:
        # Notices are not simulated: Pebble has recorded none.
        self._session.pebble_ensure_connected(self._container_name)
        return []

    # exec --------------------------------------------------------------------------------

    def exec(self, command: Any, **kwargs: Any) -> Any:
        if isinstance(command, str) or not command:
            raise TypeError(f"command must be a non-empty list of str, not {command!r}")
        if kwargs.get("service_context") is not None:
            # ops checks the Juju version for this; a mock cannot enter a service context.
            raise ops.pebble.APIError({}, 400, "Bad Request", "service_context is not simulated")
        code, stdout, stderr = self._session.pebble_exec(self._container_name, list(command))
        return _MockExecProcess(
            list(command), code, stdout, stderr, kwargs.get("encoding", "utf-8")
        )


def _check_permissions(permissions: Any) -> None:
    """Pebble takes permission bits from 0o000 to 0o777 only."""
    if permissions is not None and not 0 <= permissions <= 0o777:
        raise ops.pebble.PathError(
            "generic-file-error", f"permissions not within 0o000 to 0o777: {permissions:#o}"
        )


class _MockExecProcess:
    """A command that has already run, with the mocked outcome."""

    def __init__(
        self, command: List[str], code: int, stdout: str, stderr: str, encoding: Optional[str]
    ):
        self._command = command
        self._code = code
        self._stdout_text = stdout
        self._stderr_text = stderr
        self._encoding = encoding
        self.stdin = None
        self.stdout: Any = self._stream(stdout)
        self.stderr: Any = self._stream(stderr)

    def _stream(self, text: str) -> Any:
        if self._encoding is None:
            return io.BytesIO(text.encode())
        return io.StringIO(text)

    def _outputs(self) -> Tuple[Any, Any]:
        if self._encoding is None:
            return self._stdout_text.encode(), self._stderr_text.encode()
        return self._stdout_text, self._stderr_text

    def wait(self) -> None:
        if self._code != 0:
            raise ops.pebble.ExecError(self._command, self._code, None, None)

    def wait_output(self) -> Tuple[Any, Any]:
        stdout, stderr = self._outputs()
        if self._code != 0:
            raise ops.pebble.ExecError(self._command, self._code, stdout, stderr)
        return stdout, stderr

    def send_signal(self, sig: Union[int, str]) -> None:
        # The mocked command has already finished: there is nothing left to signal.
        pass
