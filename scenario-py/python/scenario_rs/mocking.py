"""ops's model backend (and Pebble client), delegating each hook tool to the Rust session.

Each method keeps the signature of the ops version in use (2.10 or 3.x) and forwards to
``HookSession``, which reads and writes the output State in Rust.
"""

from __future__ import annotations

import datetime
import inspect
import io
import signal
import sys
import types
import typing
from typing import Any, Callable, Dict, List, Mapping, Optional, Set, Tuple, TypeVar, Union

import ops
import ops.model
import ops.pebble
import yaml

from scenario_rs import _recording
from scenario_rs._named_arguments import NamedArgumentErrors
from scenario_rs._ops_compat import (
    BACKEND_TAKES_JUJU_CONTEXT,
    ModelBackendBase,
    PebbleClientBase,
    can_note_hook_tool_errors,
    check_action_results,
    note_hook_tool_error,
)
from scenario_rs._scenario import ActionMissingFromContextError, HookSession, notice_time
from scenario_rs._target import CharmUnderTest

__all__ = [
    "ActionMissingFromContextError",
    "SecretNotOwnedError",
    "_MockModelBackend",
    "_MockPebbleClient",
]

_F = TypeVar("_F", bound=Callable[..., Any])


class SecretNotOwnedError(ops.SecretNotFoundError, RuntimeError):
    """A unit managing a secret it can read but does not own (``get_info``, ``set_content``,
    ``grant``, ``revoke``, ``remove_all_revisions``...): ops[testing]'s
    ``SecretNotFoundError`` and Scenario 5.8.1's ``RuntimeError`` at once."""


#: The backend methods that are hook tools, by their code: the tool and the arguments ops
#: records (what ops calls each one -> which of the method's parameters holds it).
_HOOK_TOOLS: Dict[types.CodeType, Tuple[str, Dict[str, str]]] = {}


def _hook_tool(tool: str, **trace: str) -> Callable[[_F], _F]:
    """A backend method is the hook tool ``tool``: a ``ModelError`` it raises carries the
    note ops adds to a failed hook command under Juju (ops 3.8 and later, on Python 3.11
    and later), naming the tool, the arguments ops records (``trace``) and the event being
    handled.

    The method is left as it is (a wrapper would cost every hook-tool call a Python call,
    a run's relation reads among them): the note is added where the error comes from, by
    ``_note_hook_tool_error``, from the session's calls (see ``NamedArgumentErrors``) or
    from the method's own ``raise``."""

    def decorator(method: _F) -> _F:
        _HOOK_TOOLS[method.__code__] = (tool, trace)
        return method

    return decorator


def _note_hook_tool_error(error: BaseException, caller: types.FrameType) -> None:
    """If ``caller`` is a hook-tool method of the backend and ``error`` a ``ModelError``,
    add ops's note to it, with the arguments the method was called with (its frame's
    parameters: the failing path alone pays for reading them)."""
    found = _HOOK_TOOLS.get(caller.f_code)
    if found is None or not isinstance(error, ops.model.ModelError):
        return
    values = caller.f_locals
    backend = values.get("self")
    if backend is None or not can_note_hook_tool_errors(backend):
        return
    tool, trace = found
    traced = {k: values.get(param) for k, param in trace.items()}
    note_hook_tool_error(backend, error, tool, traced)


class _MockModelBackend(ModelBackendBase):
    """The hook tools, answered from the State instead of by Juju."""

    def __init__(self, session: HookSession, target: CharmUnderTest):
        if BACKEND_TAKES_JUJU_CONTEXT:
            # ops 3 reads the whole environment into a JujuContext; build it from the run's
            # own variables (and reuse it for runs with the same ones) instead.
            super().__init__(
                unit_name=session.unit_name, juju_context=target.juju_context(session.env)
            )
        else:
            super().__init__(unit_name=session.unit_name)
        self._session: Any = NamedArgumentErrors(session, on_error=_note_hook_tool_error)
        self._target = target

    def _container_root(self, name: str) -> Any:
        """The host directory of a container's files (the run started with none)."""
        return self._target.container_root(name)

    # ops caches leadership for 30s; the State is the truth for the whole run.
    def is_leader(self) -> bool:
        return self._session.is_leader()

    @_hook_tool("config-get")
    def config_get(self) -> Dict[str, Any]:
        return self._session.config_get()

    @_hook_tool("status-get", app="is_app")
    def status_get(self, *, is_app: bool = False) -> Any:
        return self._session.status_get(is_app)

    @_hook_tool("status-set", status="status", message="message", app="is_app")
    def status_set(self, status: str, message: str = "", *, is_app: bool = False) -> None:
        if not isinstance(is_app, bool):
            raise TypeError("is_app parameter must be boolean")
        self._session.status_set(status, message, is_app)

    @_hook_tool("app-version-set", version="version")
    def application_version_set(self, version: str) -> None:
        self._session.application_version_set(version)

    def juju_log(self, level: str, message: str) -> None:
        self._session.juju_log(level, message)

    # relations ---------------------------------------------------------------------------

    @_hook_tool("relation-ids", relation_name="relation_name")
    def relation_ids(self, relation_name: str) -> List[int]:
        return self._session.relation_ids(relation_name)

    @_hook_tool("relation-list", relation_id="relation_id", endpoint="relation_name")
    def relation_list(
        self, relation_id: int, *, relation_name: Optional[str] = None, **_: Any
    ) -> List[str]:
        return self._session.relation_list(relation_id)

    def relation_remote_app_name(self, relation_id: int, **_: Any) -> Optional[str]:
        return self._session.relation_remote_app_name(relation_id)

    @_hook_tool(
        "relation-get",
        relation_id="relation_id",
        endpoint="relation_name",
        unit="member_name",
        app="is_app",
    )
    def relation_get(
        self,
        relation_id: int,
        member_name: str,
        is_app: bool,
        *,
        relation_name: Optional[str] = None,
        **_: Any,
    ) -> Dict[str, str]:
        if not isinstance(is_app, bool):
            raise TypeError("is_app parameter to relation_get must be a boolean")
        data = self._session.relation_get(relation_id, member_name, is_app)
        seen = _recording.read_keys
        return data if seen is None else _recording.ReadKeys(data, seen)

    @_hook_tool("relation-set", relation_id="relation_id", endpoint="relation_name")
    def relation_set(
        self, relation_id: int, *args: Any, relation_name: Optional[str] = None, **kwargs: Any
    ) -> None:
        # ops 3.x: (relation_id, data, is_app); ops 2.x: (relation_id, key, value, is_app).
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

    @_hook_tool("network-get", binding_name="binding_name", relation_id="relation_id")
    def network_get(self, binding_name: str, relation_id: Optional[int] = None) -> Any:
        return self._session.network_get(binding_name)

    # actions -----------------------------------------------------------------------------

    @_hook_tool("action-get")
    def action_get(self) -> Dict[str, Any]:
        return self._session.action_get()

    @_hook_tool("action-set")
    def action_set(self, results: Dict[str, Any]) -> None:
        # ops's own checks first: key format and duplicates after flattening.
        check_action_results(results)
        self._session.action_set(results)

    @_hook_tool("action-log")
    def action_log(self, message: str) -> None:
        self._session.action_log(message)

    @_hook_tool("action-fail", message="message")
    def action_fail(self, message: str = "") -> None:
        self._session.action_fail(message)

    # storage, resources, ports, units ----------------------------------------------------

    @_hook_tool("storage-list", name="name")
    def storage_list(self, name: str) -> List[int]:
        return self._session.storage_list(name)

    @_hook_tool("storage-get", name="storage_name_id", attribute="attribute")
    def storage_get(self, storage_name_id: str, attribute: str) -> str:
        if not attribute:
            raise RuntimeError(
                'calling storage_get with `attribute=""` will return a dict '
                "and not a string. This usage is not supported."
            )
        name, index = self._session.storage_exists(storage_name_id)
        if attribute != "location":
            error = ops.model.ModelError(
                f"storage-get: attribute {attribute!r} is not supported by Scenario"
            )
            _note_hook_tool_error(error, sys._getframe())
            raise error
        return str(self._target.storage_root(name, index))

    @_hook_tool("storage-add", name="name", count="count")
    def storage_add(self, name: str, count: int = 1) -> None:
        if not isinstance(count, int) or isinstance(count, bool):
            raise TypeError(f"storage count must be integer, got: {count} ({type(count)})")
        self._session.storage_add(name, count)

    @_hook_tool("resource-get", resource_name="resource_name")
    def resource_get(self, resource_name: str) -> str:
        return self._session.resource_get(resource_name)

    def planned_units(self) -> int:
        return self._session.planned_units()

    @_hook_tool("open-port", protocol="protocol", port="port")
    def open_port(self, protocol: str, port: Optional[int] = None) -> None:
        self._session.open_port(protocol, port)

    @_hook_tool("close-port", protocol="protocol", port="port")
    def close_port(self, protocol: str, port: Optional[int] = None) -> None:
        self._session.close_port(protocol, port)

    def opened_ports(self) -> Set[ops.Port]:
        return {ops.Port(protocol, port) for protocol, port in self._session.opened_ports()}  # type: ignore[arg-type]

    # secrets -----------------------------------------------------------------------------

    @_hook_tool("secret-get", id="id", label="label", refresh="refresh", peek="peek")
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
        try:
            info = self._session.secret_info_get(id, label)
        except ops.model.ModelError as e:
            # ops runs secret-info-get with the id alone, or the label when there is none.
            if can_note_hook_tool_errors(self):
                args = {"id": id} if id is not None else {"label": label}
                note_hook_tool_error(self, e, "secret-info-get", args)
            raise
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

    @_hook_tool(
        "secret-set",
        id="id",
        label="label",
        description="description",
        expire="expire",
        rotate="rotate",
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

    @_hook_tool(
        "secret-add",
        label="label",
        description="description",
        expire="expire",
        rotate="rotate",
        owner="owner",
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

    @_hook_tool("secret-grant", id="id", relation_id="relation_id", unit="unit")
    def secret_grant(self, id: str, relation_id: int, *, unit: Optional[str] = None) -> None:
        self._session.secret_grant(id, relation_id, unit)

    @_hook_tool("secret-revoke", id="id", relation_id="relation_id", unit="unit")
    def secret_revoke(self, id: str, relation_id: int, *, unit: Optional[str] = None) -> None:
        self._session.secret_revoke(id, relation_id, unit)

    @_hook_tool("secret-remove", id="id", revision="revision")
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

    @_hook_tool("credential-get")
    def credential_get(self) -> Any:
        return ops.CloudSpec.from_dict(self._session.credential_get())

    @_hook_tool("relation-model-get", relation_id="relation_id", endpoint="relation_name")
    def relation_model_get(
        self, relation_id: int, *, relation_name: Optional[str] = None, **_: Any
    ) -> Dict[str, Any]:
        return {"uuid": self._session.relation_model_get(relation_id)}

    def get_pebble(self, socket_path: str) -> ops.pebble.Client:
        # /charm/containers/<name>/pebble.socket
        name = socket_path.split("/")[3]
        return _MockPebbleClient(name, self)


_SECRET_INFO_PARAMS = inspect.signature(ops.SecretInfo.__init__).parameters


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


class _MockPebbleClient(PebbleClientBase):
    """Pebble for one container, answered by the Rust mock Pebble over the output State.

    Files live under a directory of the Context (``Container.get_filesystem(ctx)``),
    emptied the first time a run touches them; every path goes through one resolver that
    keeps it inside that root and the container's mounts.
    """

    def __init__(self, container_name: str, backend: _MockModelBackend):
        # No socket: nothing of ops.pebble.Client's transport is used.
        self.socket_path = f"/charm/containers/{container_name}/pebble.socket"
        self._container_name = container_name
        self._hook_backend = backend
        self._session = backend._session

    def detach(self, backend: Any, session: Any) -> None:
        """Point this client at what stands in for its run once the run has finished
        (the client of a recorded event outlives it)."""
        self._hook_backend = backend
        self._session = session

    def _files_root(self) -> str:
        return str(self._hook_backend._container_root(self._container_name))

    def unsimulated_call(self, args: Any) -> str:
        return (
            f"Scenario's Pebble for container {self._container_name!r} does not simulate "
            f"this call ({args[:2]!r})"
        )

    def get_system_info(self) -> ops.pebble.SystemInfo:
        return ops.pebble.SystemInfo(
            version=self._session.pebble_system_info(self._container_name)
        )

    # files -------------------------------------------------------------------------------

    def pull(self, path: Any, *, encoding: Optional[str] = "utf-8") -> Any:
        data = self._session.pebble_pull(self._container_name, self._files_root(), str(path))
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
            self._container_name, self._files_root(), str(path), data, make_dirs, permissions
        )

    def list_files(
        self, path: Any, *, pattern: Optional[str] = None, itself: bool = False
    ) -> List[ops.pebble.FileInfo]:
        entries = self._session.pebble_list_files(
            self._container_name, self._files_root(), str(path), pattern, itself
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
            self._container_name, self._files_root(), str(path), make_parents, permissions
        )

    def remove_path(self, path: Any, *, recursive: bool = False) -> None:
        self._session.pebble_remove_path(
            self._container_name, self._files_root(), str(path), recursive
        )

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

    def _change_services(self, action: str, services: Any) -> None:
        if isinstance(services, str):
            raise TypeError(f"services must be a list of str, not {services!r}")
        self._session.pebble_services(
            self._container_name, action, None if services is None else list(services)
        )

    def start_services(self, services: Any, timeout: float = 30.0, delay: float = 0.1) -> Any:
        self._change_services("start", services)

    def stop_services(self, services: Any, timeout: float = 30.0, delay: float = 0.1) -> Any:
        self._change_services("stop", services)

    def restart_services(self, services: Any, timeout: float = 30.0, delay: float = 0.1) -> Any:
        self._change_services("restart", services)

    def autostart_services(self, timeout: float = 30.0, delay: float = 0.1) -> Any:
        self._change_services("autostart", None)

    def replan_services(self, timeout: float = 30.0, delay: float = 0.1) -> Any:
        self._change_services("replan", None)

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

    def start_checks(self, checks: Any) -> List[str]:
        return self._change_checks("start", checks)

    def stop_checks(self, checks: Any) -> List[str]:
        return self._change_checks("stop", checks)

    def _change_checks(self, action: str, checks: Any) -> List[str]:
        if isinstance(checks, str):
            raise TypeError(f"checks must be a list of str, not {checks!r}")
        return self._session.pebble_checks(self._container_name, action, list(checks))

    # notices -----------------------------------------------------------------------------

    def get_notices(
        self,
        *,
        users: Any = None,
        select: Any = None,
        user_id: Optional[int] = None,
        types: Any = None,
        keys: Any = None,
    ) -> List[ops.pebble.Notice]:
        # `users` (ops 3) and `select` (ops 2) have one value each: every user's notices.
        found = self._session.pebble_get_notices(
            self._container_name,
            users is not None or select is not None,
            user_id,
            None if types is None else [getattr(t, "value", t) for t in types],
            None if keys is None else list(keys),
        )
        notices = [_ops_notice(n) for n in found]
        # Pebble lists notices from the least recently repeated.
        notices.sort(key=lambda n: n.last_repeated)
        return notices

    def get_notice(self, id: str) -> ops.pebble.Notice:
        return _ops_notice(self._session.pebble_get_notice(self._container_name, id))

    # exec --------------------------------------------------------------------------------

    def exec(
        self,
        command: Any,
        *,
        service_context: Optional[str] = None,
        environment: Optional[Dict[str, str]] = None,
        working_dir: Any = None,
        timeout: Optional[float] = None,
        user_id: Optional[int] = None,
        user: Optional[str] = None,
        group_id: Optional[int] = None,
        group: Optional[str] = None,
        stdin: Any = None,
        stdout: Any = None,
        stderr: Any = None,
        encoding: Optional[str] = "utf-8",
        combine_stderr: bool = False,
    ) -> Any:
        """Run a mocked command: the container's mock for it gives the outcome at once.

        The arguments are checked as ops's own client checks them; the command runs in a
        service's context when asked, as Pebble does; each matched command is recorded in
        ``ctx.exec_history``.
        """
        if not isinstance(command, list) or not all(isinstance(c, str) for c in command):
            raise TypeError(f"command must be a list of str, not {type(command).__name__}")
        if not command:
            raise ValueError("command must hold at least the program to run")
        if isinstance(stdin, str) and encoding is None:
            raise ValueError("stdin is a str, so encoding must be set")
        if isinstance(stdin, bytes) and encoding is not None:
            raise ValueError("stdin is bytes, so encoding must be None")
        if (
            stdin is not None
            and not isinstance(stdin, (str, bytes))
            and not hasattr(stdin, "read")
        ):
            raise TypeError("stdin must be str, bytes or a readable file-like object")
        if combine_stderr and stderr is not None:
            raise ValueError("stderr must be None when combine_stderr is True")
        environment = dict(environment or {})
        if service_context is not None:
            service = self._service_context(service_context)
            environment = {**service.environment, **environment}
            working_dir = service.working_dir if working_dir is None else working_dir
            user = service.user if user is None else user
            user_id = service.user_id if user_id is None else user_id
            group = service.group if group is None else group
            group_id = service.group_id if group_id is None else group_id
        code, out, err = self._session.pebble_exec(self._container_name, command)
        args = _exec_args()(
            command=command,
            environment=environment,
            working_dir=working_dir,
            timeout=timeout,
            user_id=user_id,
            user=user,
            group_id=group_id,
            group=group,
            # A file is read as the process would read it; without stdin, what the charm
            # writes to the process's stdin is recorded when it waits.
            stdin=stdin.read() if hasattr(stdin, "read") else stdin,
            encoding=encoding,
            combine_stderr=combine_stderr,
        )
        self._session.record_exec(self._container_name, args)
        err_text: Optional[str] = err
        if combine_stderr:
            out, err_text = out + err, None
        return _MockExecProcess(args, code, out, err_text, stdin is None, stdout, stderr)

    def _service_context(self, name: str) -> ops.pebble.Service:
        """The plan's service whose context a command runs in."""
        service = self.get_plan().services.get(name)
        if service is None:
            message = f'context service "{name}" not found'
            status = "Internal Server Error"
            body = {
                "type": "error",
                "status-code": 500,
                "status": status,
                "result": {"message": message},
            }
            raise ops.pebble.APIError(body, 500, status, message)
        return service


def _ops_notice(fields: Dict[str, Any]) -> ops.pebble.Notice:
    """An ops Notice from the State's notice fields."""
    parse = notice_time
    try:
        notice_type: Any = ops.pebble.NoticeType(fields["type"])
    except ValueError:
        notice_type = fields["type"]
    return ops.pebble.Notice(
        id=fields["id"],
        user_id=fields["user_id"],
        type=notice_type,
        key=fields["key"],
        first_occurred=parse(fields["first_occurred"]),
        last_occurred=parse(fields["last_occurred"]),
        last_repeated=parse(fields["last_repeated"]),
        occurrences=fields["occurrences"],
        last_data=dict(fields["last_data"]),
        repeat_after=_seconds(fields["repeat_after"]),
        expire_after=_seconds(fields["expire_after"]),
    )


def _seconds(value: Optional[float]) -> Optional[datetime.timedelta]:
    return None if value is None else datetime.timedelta(seconds=value)


_EXEC_ARGS: Any = None


def _exec_args() -> Any:
    """ops's record of an exec call, ``ops.testing.ExecArgs`` (imported on first use)."""
    global _EXEC_ARGS
    if _EXEC_ARGS is None:
        from ops.testing import ExecArgs

        _EXEC_ARGS = ExecArgs
    return _EXEC_ARGS


def _check_permissions(permissions: Any) -> None:
    """Pebble takes permission bits from 0o000 to 0o777 only."""
    if permissions is not None and not 0 <= permissions <= 0o777:
        raise ops.pebble.PathError(
            "generic-file-error", f"permissions not within 0o000 to 0o777: {permissions:#o}"
        )


class _KeepsWritten:
    """A process's stdin that remembers what was written to it, also once closed."""

    _kept: Any = None

    def written(self) -> Any:
        return self._kept if self.closed else self.getvalue()  # type: ignore[attr-defined]

    def close(self) -> None:
        if not self.closed:  # type: ignore[attr-defined]
            self._kept = self.getvalue()  # type: ignore[attr-defined]
        super().close()  # type: ignore[misc]


class _TextStdin(_KeepsWritten, io.StringIO):
    pass


class _BinaryStdin(_KeepsWritten, io.BytesIO):
    pass


class _MockExecProcess:
    """A mocked command, which has already run to its mocked outcome.

    It behaves as ops's ``ExecProcess`` does: streams of the encoding's type (bytes with
    ``encoding=None``), ``None`` for a stream given to ``exec``; ``wait()`` and
    ``wait_output()`` raise ``ExecError`` for a non-zero exit code.
    """

    def __init__(
        self,
        args: Any,
        code: int,
        out: str,
        err: Optional[str],
        takes_stdin: bool,
        stdout: Any,
        stderr: Any,
    ):
        self._args = args
        self._code = code
        self._output_read = False
        text = args.encoding is not None
        self.stdin: Any = None
        if takes_stdin:
            self.stdin = _TextStdin() if text else _BinaryStdin()
        self.stdout: Any = self._output(out, stdout)
        self.stderr: Any = None if err is None else self._output(err, stderr)

    def _output(self, data: str, into: Any) -> Any:
        """The stream of one output, or None when it went into the caller's file."""
        payload: Any = data if self._args.encoding is not None else data.encode()
        if into is not None:
            into.write(payload)
            return None
        return io.StringIO(payload) if isinstance(payload, str) else io.BytesIO(payload)

    def _finish(self) -> None:
        """The process ends: what the charm wrote to its stdin is what it read."""
        self._output_read = True
        if self.stdin is not None:
            self._args.stdin = self.stdin.written()

    def __del__(self) -> None:
        if not self._output_read:
            self._finish()

    def wait(self) -> None:
        self._finish()
        if self._code != 0:
            raise ops.pebble.ExecError(list(self._args.command), self._code, None, None)

    def wait_output(self) -> Tuple[Any, Any]:
        if self.stdout is None:
            raise TypeError(
                "wait_output() reads the process's stdout, which went to the stdout file "
                "given to exec: call wait() instead"
            )
        self._finish()
        out = self.stdout.read()
        err = self.stderr.read() if self.stderr is not None else None
        if self._code != 0:
            raise ops.pebble.ExecError(list(self._args.command), self._code, out, err)
        return out, err

    def send_signal(self, sig: Union[int, str]) -> None:
        """Checked as ops's client checks it; the mocked command has already finished, so
        the signal reaches nothing."""
        if isinstance(sig, int):
            signal.Signals(sig)
