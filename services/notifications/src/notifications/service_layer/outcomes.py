"""Apply what we learn about a message (our send result, a Notify callback) to its row.

Reports arrive at least once and out of order; the domain `Delivery` only moves forward, so a
late or repeated report changes nothing and announces nothing.
"""

import random
import re
import uuid
from collections.abc import Callable
from datetime import datetime

import asyncpg
from servicekit.context import caused_by

from notifications.adapters.metrics import Metrics
from notifications.adapters.repository import NotificationsUnitOfWork
from notifications.domain.channels import Channel
from notifications.domain.delivery import Delivery, DeliveryStatus, RetryPolicy
from notifications.service_layer import announce

_EMAIL = re.compile(r"[^\s<>@]+@[^\s<>@]+")
_PHONE = re.compile(r"\+?\d[\d\s-]{8,}\d")


def to_delivery(row: asyncpg.Record, policy: RetryPolicy) -> Delivery:
    return Delivery(key=str(row["notification_id"]), channel=Channel(row["channel"]),
                    status=DeliveryStatus(row["status"]), attempts=row["attempts"],
                    next_attempt_at=row["next_attempt_at"], reason=row["reason"],
                    updated_at=row["updated_at"], policy=policy)


def redact(reason: str | None) -> str | None:
    """Providers echo addresses back ("550 <jo@example.com> unknown"): keep them out of events."""
    if reason is None:
        return None
    return _PHONE.sub("<number>", _EMAIL.sub("<address>", reason))[:500]


async def apply_report(
    uow: NotificationsUnitOfWork, notification_id: uuid.UUID | str, status: DeliveryStatus, *,
    now: datetime, policy: RetryPolicy, metrics: Metrics, attempt: int | None = None,
    reason: str | None = None, provider_id: str | None = None, accepted: bool = False,
    jitter: Callable[[], float] = random.random,
) -> asyncpg.Record | None:
    """Lock the row, move its delivery on, store it and announce any change. None: no such row.

    Raises domain.delivery.InvalidTransition for a report about an attempt that never started.
    """
    row = await uow.messages.lock(notification_id)
    if row is None:
        return None
    before = to_delivery(row, policy)
    after = before.report(status, now, attempt=attempt, reason=redact(reason), jitter=jitter())
    values: dict = {}
    if after is not before:
        values.update(status=after.status.value, next_attempt_at=after.next_attempt_at,
                      reason=after.reason, updated_at=now)
    if provider_id and provider_id not in row["provider_ids"]:
        values["provider_ids"] = {**row["provider_ids"], provider_id: attempt or row["attempts"]}
    newly_accepted = accepted and row["accepted_at"] is None
    if newly_accepted:
        values["accepted_at"] = now
    if values:
        await uow.messages.update(row["notification_id"], **values)
    with caused_by(row["business_event_id"], row["correlation_id"]):
        _announce(uow, row, before, after, newly_accepted)
    _measure(uow, metrics, row, before, after, newly_accepted, now)
    return row


def _announce(uow: NotificationsUnitOfWork, row: asyncpg.Record, before: Delivery,
              after: Delivery, newly_accepted: bool) -> None:
    person, nid, channel = row["person_id"], str(row["notification_id"]), row["channel"]
    if newly_accepted:
        announce.sent(uow, person, nid, channel, row["template_id"], row["template_version"],
                      row["business_event_id"])
    if after.status is before.status:
        return
    if after.status is DeliveryStatus.DELIVERED:
        announce.delivered(uow, person, nid, channel)
    elif after.status in (DeliveryStatus.TEMPORARY_FAILURE, DeliveryStatus.PERMANENT_FAILURE):
        permanent = after.status is DeliveryStatus.PERMANENT_FAILURE
        announce.failed(uow, person, nid, channel, after.reason or "", permanent=permanent)


def _measure(uow: NotificationsUnitOfWork, metrics: Metrics, row: asyncpg.Record,
             before: Delivery, after: Delivery, newly_accepted: bool, now: datetime) -> None:
    def observe() -> None:
        if newly_accepted:
            seconds = (now - row["source_event_time"]).total_seconds()
            metrics.time_to_provider.labels(row["channel"]).observe(max(0.0, seconds))
        if after.status is not before.status:
            metrics.outcomes.labels(row["channel"], after.status.value).inc()

    uow.after_commit(observe)
