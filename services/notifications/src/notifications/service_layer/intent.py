"""Record the intent first: one row per channel under its unique key, before anything is sent.

The inbox copy is delivered by being written; email, text and letter copies wait for the
background sender. A copy that cannot be rendered, or a channel whose contact detail is unusable,
is recorded as a permanent failure with the reason, so nothing is silently dropped.
"""

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from notifications.adapters.metrics import Metrics
from notifications.adapters.personalisation import Personalisation
from notifications.adapters.repository import NewMessage, NotificationsUnitOfWork
from notifications.domain.channels import Channel
from notifications.domain.delivery import DeliveryStatus
from notifications.domain.keys import notification_key
from notifications.domain.preferences import (
    ChannelChoice,
    ChannelPlan,
    Preferences,
    choose_channels,
)
from notifications.domain.rendering import (
    InvalidPersonalisation,
    MessageTooLong,
    MissingPersonalisation,
    render,
)
from notifications.domain.templates import Template
from notifications.service_layer import announce

UNRENDERABLE = (MissingPersonalisation, InvalidPersonalisation, MessageTooLong)


@dataclass(frozen=True)
class Notice:
    """One business event's message to one person, before channels are chosen."""

    person_id: str
    business_event_id: str
    template_id: str
    personalisation: Personalisation
    source_event_time: datetime
    correlation_id: str | None = None
    traceparent: str | None = None


@dataclass(frozen=True)
class Deps:
    templates: Mapping[str, Template]
    clock: Callable[[], datetime]
    metrics: Metrics
    wake_sender: Callable[[], None] = lambda: None


async def record_intent(notice: Notice, uow: NotificationsUnitOfWork, deps: Deps) -> None:
    template = deps.templates[notice.template_id]
    preferences = await uow.people.preferences(notice.person_id)
    choice = choose_channels(preferences or Preferences(person_id=notice.person_id))
    now = deps.clock()
    inbox, *others = [_planned(plan, template, notice, now) for plan in choice]
    if not await uow.messages.record(inbox):
        return  # handled before (a replay): not even a channel chosen since then is added
    others += [_failed(s.channel, s.reason, template, notice, now) for s in choice.skipped]
    recorded = [inbox] + [row for row in others if await uow.messages.record(row)]
    gap = contact_gap(preferences, choice)
    if gap:
        await uow.people.flag_contact_gap(notice.person_id, gap, notice.business_event_id, now)
    for row in recorded:
        _announce(uow, row, template.version)
    uow.after_commit(lambda: _after_commit(recorded, deps))


def contact_gap(preferences: Preferences | None, choice: ChannelChoice) -> str | None:
    """Why operations should chase this person's contact details, if they should."""
    if choice.skipped:
        return "; ".join(f"{s.channel.value}: {s.reason}" for s in choice.skipped)
    if preferences is None or not (preferences.email or preferences.phone
                                   or preferences.postcode):
        return "no contact details"
    return None


def _planned(plan: ChannelPlan, template: Template, notice: Notice, now: datetime) -> NewMessage:
    key = notification_key(notice.business_event_id, template.id, plan.channel, plan.recipient)
    variant = template.variant(plan.channel, plan.accessible_format)
    try:
        message = render(template, plan.channel, notice.personalisation, plan.accessible_format)
    except UNRENDERABLE as exc:
        return _failed(plan.channel, str(exc), template, notice, now, key)
    inbox = plan.channel is Channel.INBOX
    fields = {k: notice.personalisation[k] for k in variant.field_names()}
    return NewMessage(
        **_common(uuid.UUID(key), plan.channel, template, notice, now),
        status=(DeliveryStatus.DELIVERED if inbox else DeliveryStatus.PENDING).value,
        recipient=None if inbox else plan.recipient,
        accessible_format=variant.accessible_format.value,
        subject=message.subject, body=message.body,
        personalisation=None if inbox else {**fields, **plan.address_personalisation()},
        next_attempt_at=None if inbox else now)


def _failed(channel: Channel, reason: str, template: Template, notice: Notice, now: datetime,
            key: str | None = None) -> NewMessage:
    key = key or notification_key(notice.business_event_id, template.id, channel, notice.person_id)
    return NewMessage(**_common(uuid.UUID(key), channel, template, notice, now),
                      status=DeliveryStatus.PERMANENT_FAILURE.value, reason=reason)


def _common(key: uuid.UUID, channel: Channel, template: Template, notice: Notice,
            now: datetime) -> dict:
    return {"notification_id": key, "person_id": notice.person_id,
            "business_event_id": notice.business_event_id, "template_id": template.id,
            "template_version": template.version, "channel": channel.value,
            "source_event_time": notice.source_event_time, "updated_at": now,
            "correlation_id": notice.correlation_id, "traceparent": notice.traceparent}


def _announce(uow: NotificationsUnitOfWork, row: NewMessage, version: int) -> None:
    nid, person = str(row.notification_id), row.person_id
    if row.status == DeliveryStatus.DELIVERED:
        announce.sent(uow, person, nid, row.channel, row.template_id, version,
                      row.business_event_id)
        announce.delivered(uow, person, nid, row.channel)
    elif row.status == DeliveryStatus.PERMANENT_FAILURE:
        announce.failed(uow, person, nid, row.channel, row.reason or "", permanent=True)


def _after_commit(recorded: list[NewMessage], deps: Deps) -> None:
    now = deps.clock()
    for row in recorded:
        deps.metrics.outcomes.labels(row.channel, row.status).inc()
        if row.channel == "inbox" and row.status == DeliveryStatus.DELIVERED:
            seconds = (now - row.source_event_time).total_seconds()
            deps.metrics.time_to_inbox.observe(max(0.0, seconds))
    if any(row.status == DeliveryStatus.PENDING for row in recorded):
        deps.wake_sender()
