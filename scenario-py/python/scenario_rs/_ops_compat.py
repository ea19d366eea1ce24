"""Every place where Scenario reaches into ops's private side, and only here.

ops's private names (``_ModelBackend``, ``Framework._emit``, ``_evaluate_status``...) may
change in any ops release. Each one this package uses is named in this module alone, as a
small function, constant or base class, with what it is for; ``tests/test_ops_compat.py``
exercises each against the installed ops (on every ops version the test command covers),
and fails when any other module names a private attribute of ops.

The rest of the package asks these for what it needs: the driver (``ops_main_mock``,
``mocking``, ``_event_records``, ``_run``) builds ops's objects over them.
"""

from __future__ import annotations

import contextlib
import inspect
import sys
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Tuple

import ops
import ops.charm
import ops.framework
import ops.log
import ops.model
import ops.pebble

__all__ = [
    "ABORT",
    "BACKEND_TAKES_JUJU_CONTEXT",
    "RUN_HOLDING_ATTRIBUTES",
    "FinishedModel",
    "FrameworkBase",
    "ModelBackendBase",
    "PebbleClientBase",
    "abort_dispatch",
    "can_note_hook_tool_errors",
    "charm_construction",
    "check_action_results",
    "evaluate_status",
    "forget",
    "forget_security_log",
    "invalidate_relations",
    "juju_context_from",
    "model_backend_of",
    "model_cache_of",
    "note_hook_tool_error",
    "notices",
    "observers",
    "registered_event_kinds",
    "release",
    "share_cache_table",
    "tell_peer_endpoints",
    "traced",
    "tracing_installed",
]

# --- the model backend: the hook tools -------------------------------------------------------


class ModelBackendBase(ops.model._ModelBackend):
    """ops's model backend, the base of Scenario's: its hook tools are overridden one by
    one, and any other ops would run as a subprocess (``_run``) is refused instead."""

    def _run(self, *args: Any, **kwargs: Any) -> Any:
        raise ops.model.ModelError(
            f"hook tool {args[0] if args else '?'} is not simulated by Scenario"
        )


#: ops 3's backend takes the JujuContext it reads the environment into; 2.x reads it itself.
BACKEND_TAKES_JUJU_CONTEXT = (
    "juju_context" in inspect.signature(ops.model._ModelBackend.__init__).parameters
)


def tell_peer_endpoints(backend: ops.model._ModelBackend, meta: ops.CharmMeta) -> None:
    """Tell the backend the charm's peer endpoints, as ops.main does (ops 3 reads them to
    decide who may read a secret's content); nothing on ops that does not."""
    if hasattr(backend, "_peer_endpoints"):
        backend._peer_endpoints = frozenset(meta.peers)


def check_action_results(results: Dict[str, Any]) -> None:
    """ops's own checks of ``action-set`` results (key format, duplicates once flattened),
    which its backend runs before the hook tool."""
    ops.model._format_action_result_dict(results)


def can_note_hook_tool_errors(backend: ops.model._ModelBackend) -> bool:
    """Whether ops adds to a hook tool's error the command it ran (ops 3.8 and later, on
    Python 3.11 and later, as notes)."""
    return getattr(backend, "_add_hook_command_note", None) is not None


def note_hook_tool_error(
    backend: ops.model._ModelBackend, error: ops.model.ModelError, tool: str, args: Dict[str, Any]
) -> None:
    """Add to ``error`` the note ops adds: the hook tool and its arguments."""
    backend._add_hook_command_note(error, tool, args)


# --- Pebble ----------------------------------------------------------------------------------


class PebbleClientBase(ops.pebble.Client):
    """ops's Pebble client, the base of Scenario's: every call it makes is overridden, and
    any request that would reach a socket is refused (``unsimulated_call`` says which)."""

    def unsimulated_call(self, args: Tuple[Any, ...]) -> str:
        return f"Scenario's Pebble does not simulate this call ({args[:2]!r})"

    def _request(self, *args: Any, **kwargs: Any) -> Any:
        raise ops.pebble.ConnectionError(self.unsimulated_call(args))


# --- the framework and the charm -------------------------------------------------------------


class FrameworkBase(ops.framework.Framework):
    """ops's Framework, telling ``emitting`` of each event it emits (the run's recorder
    keeps a copy), so that nothing of ops is patched."""

    def emitting(self, event: ops.EventBase) -> None:
        """Called with each event the framework is about to emit."""

    def _emit(self, event: ops.EventBase) -> None:
        self.emitting(event)
        super()._emit(event)


#: What ops raises to end a hook early (``load_config(errors="blocked")`` does, for one);
#: exit code 0 is a clean end. ops before 2.16 has none: a type nothing raises stands in.
ABORT: Any = getattr(getattr(ops, "_main", None), "_Abort", None) or type(
    "_NoAbort", (BaseException,), {}
)


def abort_dispatch() -> None:
    """End the hook at once, as ops's dispatcher does when the process is already
    dispatching (a leaked ``OPERATOR_DISPATCH``). Nothing before ops 2.16."""
    abort = getattr(getattr(ops, "_main", None), "_Abort", None)
    if abort is not None:
        raise abort(0)


def charm_construction(framework: ops.Framework) -> Any:
    """The context the charm is constructed in, as ops.main constructs it (events emitted
    from ``__init__`` are refused)."""
    event_context = getattr(framework, "_event_context", None)
    if event_context is None:  # pragma: no cover - every supported ops has it
        return contextlib.nullcontext()
    return event_context("__init__")


def registered_event_kinds(framework: ops.Framework) -> Optional[Any]:
    """The ``(parent path, kind)`` of every event type the framework knows (those observed);
    ``None`` where ops keeps no such registry."""
    return getattr(framework, "_type_registry", None)


def observers(framework: ops.Framework) -> Optional[Dict[str, Any]]:
    """Handle path to each object observing something; ``None`` where ops keeps none."""
    return getattr(framework, "_observer", None)


def evaluate_status(charm: ops.CharmBase) -> None:
    """Run collect-status, as ops.main does before it commits."""
    ops.charm._evaluate_status(charm)


def release(framework: Optional[ops.Framework], charm: Optional[ops.CharmBase]) -> None:
    """Let a finished run's framework and charm be collected.

    The framework's own stored state refers back to it, the one cycle ops makes in a run;
    and ops caches each object's bound events in a WeakKeyDictionary on the class's ``on``
    whose values refer back to their key. Without this, every run's Framework, Model,
    backend and charm would stay alive (and later runs slow down).
    """
    if framework is not None:
        vars(framework).pop("_stored", None)
    for obj in (framework, charm):
        if obj is None:
            continue
        descriptor = type(obj).__dict__.get("on") or getattr(type(obj), "on", None)
        cache = getattr(descriptor, "_cache", None)
        if cache is not None:
            cache.pop(obj, None)


def notices(framework: ops.Framework) -> Iterable[Tuple[str, str, str]]:
    """The deferred events the framework is about to re-emit: (event path, observer path,
    method name)."""
    return framework._storage.notices(None)


def forget(framework: ops.Framework, obj: Any) -> None:
    """Make the framework forget an object it loaded (a copy of a deferred event), so the
    re-emission can load its own."""
    framework._forget(obj)


# --- the environment, as ops reads it --------------------------------------------------------


def juju_context_from(env: Dict[str, str]) -> Any:
    """ops's JujuContext for an environment (ops 3's ``JujuContext._from_dict``; ops 2.17's
    private ``_JujuContext.from_dict``)."""
    from ops import jujucontext

    if hasattr(jujucontext, "JujuContext"):
        return jujucontext.JujuContext._from_dict(env)
    return jujucontext._JujuContext.from_dict(env)  # type: ignore[attr-defined]


_SECURITY_LOG_CACHE: Any = None


def forget_security_log() -> None:
    """ops 3 caches, for the process, the juju-log of the handler it first finds for its
    security-event log: forgotten at both ends of a run, so that each run's events go to
    its own juju-log and no finished run is kept by the cache. Nothing on other ops."""
    global _SECURITY_LOG_CACHE
    if _SECURITY_LOG_CACHE is None:
        cached = getattr(ops.log, "_get_juju_log_and_app_id", None)
        _SECURITY_LOG_CACHE = getattr(cached, "cache_clear", False)
    if _SECURITY_LOG_CACHE:
        _SECURITY_LOG_CACHE()


# --- recorded events, detached from their run ------------------------------------------------

#: The attributes by which ops's model objects hold their run: its backend, the model's
#: cache of units and apps.
RUN_HOLDING_ATTRIBUTES = ("_backend", "_cache")


def model_backend_of(model: Any) -> Any:
    """The backend a Model (or a stand-in for one) calls the hook tools through."""
    return model._backend


def model_cache_of(model: Any) -> Any:
    """The cache a Model (or a stand-in for one) keeps its units and apps in."""
    return model._cache


def share_cache_table(cache: Any, other: Any) -> None:
    """Make a model cache share another's table of objects (so a run's own goes with it)."""
    cache._weakrefs = other._weakrefs


def invalidate_relations(relations: ops.model.RelationMapping, endpoint: str) -> None:
    """Make the model list an endpoint's relations again on the next lookup."""
    relations._invalidate(endpoint)


class FinishedModel:
    """As much of ops's Model as a recorded event uses once its run has finished: the
    backend (``event.secret``) and the units and apps it names (``departing_unit``)."""

    def __init__(self, meta: ops.CharmMeta, backend: ops.model._ModelBackend):
        self._backend = backend
        self._cache = ops.model._ModelCache(meta, backend)

    def get_unit(self, unit_name: str) -> ops.Unit:
        return self._cache.get(ops.Unit, unit_name)

    def get_app(self, app_name: str) -> ops.Application:
        return self._cache.get(ops.Application, app_name)


# --- ops[tracing] ----------------------------------------------------------------------------

# ops_tracing makes an OpenTelemetry TracerProvider per run, and each provider registers a
# hook with os.register_at_fork that is never released: some 15 objects kept per run.
# Runs whose resource (charm, unit, model) is the same share one provider instead (a
# provider that was shut down still records spans); at most this many are kept.
_PROVIDERS: Dict[Tuple[Any, ...], Any] = {}
_MAX_PROVIDERS = 64
# The function that made the providers kept: ops_tracing's testing one.
_PROVIDERS_MADE_BY: Optional[Callable[[Any, Any], Any]] = None
# Whether ops_tracing can be imported, once found out.
_TRACING: Optional[bool] = None


def _sharing(create: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    global _PROVIDERS_MADE_BY
    if create is not _PROVIDERS_MADE_BY:
        # ops_tracing was imported anew (pytester's in-process sessions take the modules
        # they imported out of sys.modules): the providers kept send their spans to the
        # old module's exporter, which nobody empties.
        _PROVIDERS.clear()
        _PROVIDERS_MADE_BY = create

    def shared_provider(resource: Any, charm_dir: Any) -> Any:
        key = tuple(sorted(resource.attributes.items()))
        provider = _PROVIDERS.get(key)
        if provider is None:
            if len(_PROVIDERS) >= _MAX_PROVIDERS:
                _PROVIDERS.pop(next(iter(_PROVIDERS)))
            provider = _PROVIDERS[key] = create(resource, charm_dir)
        return provider

    return shared_provider


def tracing_installed() -> bool:
    """Whether ops[tracing] (``ops_tracing``) is there to trace runs with."""
    global _TRACING
    if _TRACING is None:
        # Looked for once: a failed import searches the whole path again each time.
        try:
            import ops_tracing  # type: ignore[import-not-found, unused-ignore]
            import ops_tracing._backend  # type: ignore[import-not-found, unused-ignore]
            import ops_tracing._mock  # type: ignore[import-not-found, unused-ignore]  # noqa: F401
            from ops._private import tracer  # noqa: F401
        except ImportError:
            _TRACING = False
        else:
            _TRACING = True
    return _TRACING


@contextlib.contextmanager
def traced(juju_context: Callable[[], Any], charm_name: str, spans: List[Any]) -> Iterator[None]:
    """Trace the block as ``ops.main`` traces a hook (a root span ``ops.main``, with the
    charm's spans under it), into memory; the finished spans are appended to ``spans``
    when it ends. Nothing where ops[tracing] is not installed."""
    if not tracing_installed():
        yield
        return
    import ops_tracing  # type: ignore[import-not-found, unused-ignore]
    import ops_tracing._backend  # type: ignore[import-not-found, unused-ignore]
    import ops_tracing._mock  # type: ignore[import-not-found, unused-ignore]
    from ops._private import tracer

    with ops_tracing._mock.patch_tracing() as exporter:
        # patch_tracing puts its testing provider in, and the real one back when it ends.
        backend = ops_tracing._backend
        backend._create_provider = _sharing(backend._create_provider)
        ops_tracing._setup(juju_context(), charm_name)
        root = tracer.start_as_current_span("ops.main")
        root.__enter__()
        try:
            yield
        finally:
            root.__exit__(*sys.exc_info())
            ops_tracing._shutdown()
            spans.extend(exporter.get_finished_spans())
