"""ops[tracing] in a run: where ``ops_tracing`` is installed, the run is traced as
``ops.main`` traces a hook (a root span ``ops.main``, with the charm's spans under it),
into memory, and the Context keeps the spans (``ctx.trace_data``).
"""

from __future__ import annotations

import contextlib
import sys
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

# ops_tracing makes an OpenTelemetry TracerProvider per run, and each provider registers a
# hook with os.register_at_fork that is never released: some 15 objects kept per run.
# Runs whose resource (charm, unit, model) is the same share one provider instead (a
# provider that was shut down still records spans); at most this many are kept.
_PROVIDERS: Dict[Tuple[Any, ...], Any] = {}
_MAX_PROVIDERS = 64
# Whether ops_tracing can be imported, once found out.
_TRACING: Optional[bool] = None


def _sharing(create: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
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
    """Whether ops_tracing is there to trace runs with."""
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
    """Trace the block into ``spans`` (the finished spans, appended when it ends)."""
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
