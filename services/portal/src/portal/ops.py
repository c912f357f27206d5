"""The national operations view: event flow health across every service."""

import asyncio
import time
from collections import defaultdict
from typing import Annotated, Any

from contracts.api.notifications import TimelinessView, UnconfirmedMessagesView
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from portal.access import staff_with
from portal.clients import ServiceClients, ServiceUnavailable
from portal.lag import PartitionLag, consumer_lag
from portal.lag_age import OldestUnprocessed, oldest_unprocessed
from portal.lag_trend import trends
from portal.ops_stuck import stuck_lists
from portal.ops_thresholds import Alerts, thresholds
from portal.sessions import SignedIn
from portal.sparkline import sparkline
from portal.web import render

router = APIRouter()
SERVICES = ("assessment", "payments", "care_plans", "notifications")
CONSUMER_GROUPS = ["assessment", "payments", "care-plans", "notifications"]
"""Every service that consumes events (devstack.kafka_acls.CONSUMES): assessment reads
care-plans.events for the caseload's plan reviews."""


@router.get("/ops", response_model=None)
async def operations(
    request: Request, user: Annotated[SignedIn, Depends(staff_with("operations"))]
) -> Response:
    clients, tokens = request.app.state.clients, request.app.state.service_tokens
    calls = [clients.get(s, "/ops/status", token=await tokens.for_user(user, s)) for s in SERVICES]
    statuses = await asyncio.gather(*calls, return_exceptions=True)
    services = {
        name: (None if isinstance(s, BaseException) else s)
        for name, s in zip(SERVICES, statuses, strict=True)
    }
    lag, oldest, lag_error = await _lag(request.app.state.settings)
    history = await trends(request.app.state.pool)
    charts = {
        (p.group, p.topic, p.partition): sparkline(
            history.get((p.group, p.topic, p.partition), []),
            f"lag of {p.group} on {p.topic}[{p.partition}]",
        )
        for p in lag
    }
    timeliness, unconfirmed = await _deliveries(
        clients, await tokens.for_user(user, "notifications")
    )
    by_group = defaultdict(int)
    for part in lag:
        by_group[part.group] += part.lag
    limits = thresholds().alerts
    alerts = _alerts(services, by_group, lag_error, limits)
    stuck, stuck_down = await stuck_lists(request, user)
    alerts += [
        f"{service}: {len(s.cases)}{'+' if s.more else ''} stuck — {s.title.lower()}"
        for service, s in stuck
        if len(s.cases) >= limits.stuck_cases
    ]
    alerts += [f"{name}: stuck cases could not be read" for name in stuck_down]
    if unconfirmed is not None and unconfirmed.count:
        alerts.append(
            f"notifications: {unconfirmed.count} message(s) with no final status from Notify"
        )
    return render(
        request,
        "ops.html",
        title="Operations",
        services=services,
        lag=lag,
        lag_by_group=dict(by_group),
        lag_charts=charts,
        lag_error=lag_error,
        oldest=oldest,
        timeliness=timeliness,
        alerts=alerts,
    )


async def _lag(settings: Any) -> tuple[list[PartitionLag], list[OldestUnprocessed], str | None]:
    """Each group's lag per partition and its oldest waiting event, or why Kafka could not say."""
    try:
        kafka = settings.kafka_client_options()
        lag = await consumer_lag(kafka, CONSUMER_GROUPS)
        return lag, await oldest_unprocessed(kafka, lag, time.time_ns() // 1_000_000), None
    except Exception as exc:  # the view must still render when Kafka is unreachable
        return [], [], f"Kafka unreachable: {type(exc).__name__}"


async def _deliveries(
    clients: ServiceClients, token: str | None
) -> tuple[TimelinessView | None, UnconfirmedMessagesView | None]:
    """How quickly messages reach people, and those Notify never confirmed."""
    try:
        return await asyncio.gather(
            clients.read("notifications", "/ops/timeliness", TimelinessView, token=token),
            clients.read(
                "notifications", "/ops/unconfirmed-messages", UnconfirmedMessagesView, token=token
            ),
        )
    except ServiceUnavailable:
        return None, None


def _alerts(
    services: dict, lag_by_group: dict[str, int], lag_error: str | None, limits: Alerts
) -> list[str]:
    """The alerts of data/operations.toml that hold now."""
    alerts = [f"{name} is not answering" for name, s in services.items() if s is None]
    for name, status in services.items():
        if status is None:
            continue
        oldest = status["outbox"]["oldest_pending_seconds"]
        if oldest > limits.outbox_oldest_pending_seconds:
            alerts.append(f"{name}: events waiting in the outbox for {oldest:.0f} s")
        dead = status["dead_letters"]
        open_letters = dead.get("open", dead["count"])
        if open_letters >= limits.dead_letters_open:
            alerts.append(f"{name}: {open_letters} open dead letter(s)")
    alerts += [
        f"consumer group {g}: lag {n}"
        for g, n in lag_by_group.items()
        if n > limits.consumer_lag_records
    ]
    return alerts + ([lag_error] if lag_error else [])
