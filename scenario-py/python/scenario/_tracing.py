"""ops[tracing] in a run: where ``ops_tracing`` is installed, the run is traced as
``ops.main`` traces a hook (a root span ``ops.main``, with the charm's spans under it),
into memory, and the Context keeps the spans (``ctx.trace_data``).
"""

from __future__ import annotations

import contextlib
import sys
from typing import Any, Callable, Iterator, List


@contextlib.contextmanager
def traced(juju_context: Callable[[], Any], charm_name: str, spans: List[Any]) -> Iterator[None]:
    """Trace the block into ``spans`` (the finished spans, appended when it ends)."""
    try:
        import ops_tracing  # type: ignore[import-not-found, unused-ignore]
        import ops_tracing._mock  # type: ignore[import-not-found, unused-ignore]
        from ops._private import tracer
    except ImportError:
        yield
        return
    with ops_tracing._mock.patch_tracing() as exporter:
        ops_tracing._setup(juju_context(), charm_name)
        root = tracer.start_as_current_span("ops.main")
        root.__enter__()
        try:
            yield
        finally:
            root.__exit__(*sys.exc_info())
            ops_tracing._shutdown()
            spans.extend(exporter.get_finished_spans())
