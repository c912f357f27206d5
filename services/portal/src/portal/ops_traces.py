"""A request's trace as a waterfall, from the spans the services store (portal.trace_store).
With a collector configured the spans go there too; the console reads the stored files."""

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from portal.access import staff_with
from portal.sessions import SignedIn
from portal.trace_store import TRACE_ID, spans_of, waterfall
from portal.web import render

router = APIRouter()


@router.get("/ops/traces/{trace_id}", response_model=None)
async def trace(
    request: Request, user: Annotated[SignedIn, Depends(staff_with("operations"))], trace_id: str
) -> Response:
    if not TRACE_ID.match(trace_id):
        return render(request, "error.html", 404, title="Page not found", message="No such trace.")
    spans_file = request.app.state.settings.otel_traces_file
    store = Path(spans_file).parent if spans_file else None
    bars = waterfall(spans_of(store, trace_id)) if store and store.is_dir() else []
    return render(
        request, "ops_trace.html", title="Trace", trace_id=trace_id, bars=bars,
        store=store, services=sorted({b.service for b in bars}),
    )  # fmt: skip
