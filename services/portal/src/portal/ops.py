"""The national operations view: event flow health across every service."""

import asyncio
from collections import defaultdict
from typing import Annotated

from contracts.api.notifications import TimelinessView, UnconfirmedMessagesView
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from portal.access import staff_with
from portal.clients import ServiceClients, ServiceUnavailable
from portal.lag import consumer_lag
from portal.sessions import SignedIn
from portal.web import render

router = APIRouter()
SERVICES = ("assessment", "payments", "care_plans", "notifications")
CONSUMER_GROUPS = ["payments", "care-plans", "notifications"]
LAG_ALERT, OUTBOX_AGE_ALERT_SECONDS = 1_000, 120


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
    try:
        lag = await consumer_lag(request.app.state.settings.kafka_client_options(), CONSUMER_GROUPS)
        lag_error = None
    except Exception as exc:  # the view must still render when Kafka is unreachable
        lag, lag_error = [], f"Kafka unreachable: {type(exc).__name__}"
    timeliness, unconfirmed = await _deliveries(
        clients, await tokens.for_user(user, "notifications")
    )
    by_group = defaultdict(int)
    for part in lag:
        by_group[part.group] += part.lag
    alerts = _alerts(services, by_group, lag_error)
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
        lag_error=lag_error,
        timeliness=timeliness,
        alerts=alerts,
    )


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


def _alerts(services: dict, lag_by_group: dict[str, int], lag_error: str | None) -> list[str]:
    alerts = [f"{name} is not answering" for name, s in services.items() if s is None]
    for name, status in services.items():
        if status is None:
            continue
        if status["outbox"]["oldest_pending_seconds"] > OUTBOX_AGE_ALERT_SECONDS:
            alerts.append(f"{name}: events waiting in the outbox for over 2 minutes")
        if status["dead_letters"]["count"]:
            alerts.append(f"{name}: {status['dead_letters']['count']} dead-lettered message(s)")
    alerts += [f"consumer group {g}: lag {n}" for g, n in lag_by_group.items() if n > LAG_ALERT]
    return alerts + ([lag_error] if lag_error else [])
