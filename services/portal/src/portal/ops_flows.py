"""Event flows for national operations: for every topic, messages published and consumed per
minute over the last hour (small SVG charts and the numbers), relay leadership, outboxes,
duplicates the inboxes absorbed and open dead letters per consumer, from every service's
/ops/flows (servicekit.ops_api)."""

from typing import Annotated

from contracts.api.operations import FlowsView
from contracts.registry import BINDINGS
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from portal.access import staff_with
from portal.ops_services import each_service
from portal.sessions import SignedIn
from portal.sparkline import sparkline
from portal.web import render

router = APIRouter()
TOPIC_OF_SOURCE = {binding.source: binding.topic for binding in BINDINGS.values()}


@router.get("/ops/flows", response_model=None)
async def flows(
    request: Request, user: Annotated[SignedIn, Depends(staff_with("operations"))]
) -> Response:
    clients = request.app.state.clients

    async def read(service: str, token: str) -> FlowsView | None:
        return await clients.read(service, "/ops/flows", FlowsView, token=token)

    views, down = await each_service(request, user, read)
    return render(
        request, "ops_flows.html", title="Event flows", topics=_by_topic(views), views=views,
        down=down,
    )  # fmt: skip


def _by_topic(views: dict[str, FlowsView]) -> list[dict]:
    """Each topic: its published series (from its producer) and each consumer's."""
    topics: dict[str, dict] = {}
    for service, view in views.items():
        for series in view.published:
            entry = topics.setdefault(series.topic, {"topic": series.topic, "consumers": []})
            entry["published"] = series.per_minute
            entry["producer"] = service
        for series in view.consumed:
            topic = TOPIC_OF_SOURCE.get(series.source or "", series.source or "unknown")
            entry = topics.setdefault(topic, {"topic": topic, "consumers": []})
            entry["consumers"].append((series.consumer, series.per_minute))
    for entry in topics.values():
        published = entry.setdefault("published", [0] * 60)
        entry["chart"] = sparkline(published, f"{entry['topic']} published")
        entry["consumer_charts"] = [
            (name, sum(counts), sparkline(counts, f"{entry['topic']} consumed by {name}"))
            for name, counts in sorted(entry["consumers"])
        ]
        entry["total"] = sum(published)
    return sorted(topics.values(), key=lambda e: e["topic"])
