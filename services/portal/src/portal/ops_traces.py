"""A request's trace as a waterfall (portal.trace_store): from the OpenTelemetry Collector's
file when one is configured (PORTAL_OPS_TRACES_COLLECTOR_FILE), else from the spans the
services store themselves (OTEL_TRACES_FILE)."""

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from portal.access import staff_with
from portal.sessions import SignedIn
from portal.trace_store import TRACE_ID, collector_spans_of, spans_of, waterfall
from portal.web import render

router = APIRouter()


@router.get("/ops/traces/{trace_id}", response_model=None)
async def trace(
    request: Request, user: Annotated[SignedIn, Depends(staff_with("operations"))], trace_id: str
) -> Response:
    if not TRACE_ID.match(trace_id):
        return render(request, "error.html", 404, title="Page not found", message="No such trace.")
    settings = request.app.state.settings
    if settings.ops_traces_collector_file:
        store = Path(settings.ops_traces_collector_file)
        spans = collector_spans_of(store, trace_id)
    else:
        store = Path(settings.otel_traces_file).parent if settings.otel_traces_file else None
        spans = spans_of(store, trace_id) if store and store.is_dir() else []
    bars = waterfall(spans)
    return render(
        request, "ops_trace.html", title="Trace", trace_id=trace_id, bars=bars,
        store=store, collector=bool(settings.ops_traces_collector_file),
        services=sorted({b.service for b in bars}),
    )  # fmt: skip
