"""The journey of one case across services: every event about a person (or in one flow, by
correlation id), in time order, who consumed each and when, and the time between the hops."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any

from contracts.api.operations import JourneyConsumedView, JourneyEventView, JourneyView
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from portal.access import staff_with
from portal.ops_services import each_service
from portal.sessions import SignedIn
from portal.trace_store import trace_id_of
from portal.web import render

router = APIRouter()


@dataclass
class Hop:
    service: str
    event: JourneyEventView
    since_previous: float | None
    consumed: list[tuple[JourneyConsumedView, float]] = field(default_factory=list)

    @property
    def trace_id(self) -> str | None:
        return trace_id_of(self.event.traceparent)


async def _round(request: Request, user: SignedIn, **params: Any) -> tuple[list, list[str]]:
    clients = request.app.state.clients

    async def read(service: str, token: str) -> JourneyView | None:
        return await clients.read(service, "/ops/journey", JourneyView, token=token, **params)

    found, down = await each_service(request, user, read)
    return list(found.items()), down


def hops(produced: list[tuple[str, JourneyView]], consumed: list[JourneyConsumedView]) -> list[Hop]:
    """Events in the order they were produced, each with its consumers and the seconds from
    production to each consumption and from the previous event."""
    events = sorted(
        ((service, e) for service, view in produced for e in view.produced),
        key=lambda pair: pair[1].created_at,
    )
    by_event: dict[str, list[JourneyConsumedView]] = {}
    for c in consumed:
        by_event.setdefault(c.event_id, []).append(c)
    trail, previous = [], None
    for service, event in events:
        gap = _seconds(previous, event.created_at) if previous else None
        taken = sorted(by_event.get(event.event_id, []), key=lambda c: c.at)
        hop = Hop(service, event, gap, [(c, _seconds(event.created_at, c.at)) for c in taken])
        trail.append(hop)
        previous = event.created_at
    return trail


def _seconds(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds()


@router.get("/ops/journey", response_model=None)
async def journey(
    request: Request,
    user: Annotated[SignedIn, Depends(staff_with("operations"))],
    person: Annotated[str, Query(max_length=100)] = "",
    correlation: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    trail, down = [], []
    if person or correlation:
        asked = {k: v for k, v in (("person", person), ("correlation", correlation)) if v}
        produced, down = await _round(request, user, **asked)
        ids = [e.event_id for _, view in produced for e in view.produced][:1000]
        consumers, more_down = await _round(request, user, **asked, event=ids)
        down = sorted(set(down) | set(more_down))
        everything = (c for _, view in consumers for c in view.consumed)
        consumed = list({(c.consumer, c.event_id, c.outcome): c for c in everything}.values())
        trail = hops(produced, consumed)
    return render(
        request, "ops_journey.html", title="A case's journey", person=person,
        correlation=correlation, trail=trail, down=down,
    )  # fmt: skip
