"""Telling people what changed: one recorded message per channel, before anything is sent.

These run inside the consumer's unit of work (the event's inbox record commits with them); the
unique notification key makes a replay that gets past the inbox (from the dead-letter topic,
say) harmless too: it finds the inbox copy there and adds nothing, not even a channel chosen
since.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from notifications.domain.channels import Channel
from notifications.domain.delivery import DeliveryStatus
from notifications.domain.messages import Message, Origin, plan_messages
from notifications.domain.notices import DecisionFacts, Known, ReconsiderationNotice, uk_date
from notifications.domain.notices import Reconsideration as Waiting
from notifications.domain.preferences import Preferences, choose_channels, contact_gap
from notifications.domain.templates import Template
from notifications.service_layer.commands import (
    RecordDecision,
    RecordReconsideration,
    RememberPerson,
    TellPerson,
)
from notifications.service_layer.ports import Clock, Measurements, NotificationsUnitOfWork

FALLBACK_NAME = "Care Benefit customer"


@dataclass(frozen=True)
class Telling:
    templates: Mapping[str, Template]
    clock: Clock
    metrics: Measurements
    wake_sender: Callable[[], None] = lambda: None


async def remember_person(cmd: RememberPerson, uow: NotificationsUnitOfWork) -> None:
    await uow.people.remember(cmd.person_id, first_name=cmd.first_name, case_id=cmd.case_id)


async def tell(cmd: TellPerson, uow: NotificationsUnitOfWork, telling: Telling) -> list[Message]:
    """The messages recorded; none when this business event was told before."""
    origin, now = cmd.origin, telling.clock()
    template = telling.templates[cmd.notice.template_id]
    preferences = await uow.people.preferences(origin.person_id)
    choice = choose_channels(preferences or Preferences(person_id=origin.person_id))
    values = cmd.notice.personalise(await _known(uow, origin.person_id))
    inbox, *others = plan_messages(template, values, choice, origin, now)
    if not await uow.messages.add(inbox):
        return []
    recorded = [inbox] + [message for message in others if await uow.messages.add(message)]
    gap = contact_gap(preferences, choice)
    if gap:
        await uow.people.flag_contact_gap(origin.person_id, gap, origin.business_event_id, now)
    uow.after_commit(_observed(recorded, telling))
    return recorded


async def record_decision(
    cmd: RecordDecision, uow: NotificationsUnitOfWork, telling: Telling
) -> None:
    """A decision notice, unless the decision is a reconsideration's: then the notice says so."""
    person_id, facts = cmd.origin.person_id, cmd.facts
    await uow.people.remember_decision(person_id, facts, cmd.kind)
    await uow.people.remember(person_id, case_id=facts.case_id)
    waiting = await uow.people.waiting_reconsideration(facts.decision_id)
    if waiting is not None:
        ready_at = max(waiting.decided_at, cmd.origin.source_event_time)
        await _tell_reconsideration(waiting, facts, ready_at, uow, telling)
    elif cmd.kind != "reconsideration":  # a reconsideration's own notice waits for its outcome
        await tell(TellPerson(cmd.origin, cmd.notice), uow, telling)


async def record_reconsideration(
    cmd: RecordReconsideration, uow: NotificationsUnitOfWork, telling: Telling
) -> None:
    """The mandatory reconsideration notice needs the new decision too: sent when both are here."""
    reconsideration = cmd.reconsideration
    await uow.people.add_reconsideration(reconsideration)
    new = await uow.people.decision(reconsideration.new_decision_id)
    waiting = await uow.people.waiting_reconsideration(reconsideration.new_decision_id)
    if new is not None and waiting is not None:
        await _tell_reconsideration(waiting, new, reconsideration.decided_at, uow, telling)


async def _tell_reconsideration(
    waiting: Waiting,
    new: DecisionFacts,
    ready_at: datetime,
    uow: NotificationsUnitOfWork,
    telling: Telling,
) -> None:
    original = await uow.people.decision(waiting.original_decision_id)
    notice = ReconsiderationNotice(waiting.outcome, uk_date(waiting.decided_at), new, original)
    origin = Origin(
        waiting.person_id, waiting.event_id, ready_at, waiting.correlation_id, waiting.traceparent
    )
    await tell(TellPerson(origin, notice), uow, telling)
    await uow.people.reconsideration_told(waiting.event_id, telling.clock())


async def _known(uow: NotificationsUnitOfWork, person_id: str) -> Known:
    first_name, case_id = await uow.people.known(person_id)
    return Known(first_name or FALLBACK_NAME, case_id)


def _observed(recorded: list[Message], telling: Telling) -> Callable[[], None]:
    def observe() -> None:
        now = telling.clock()
        for message in recorded:
            telling.metrics.changed(message.channel.value, message.status.value)
            if message.channel is Channel.INBOX and message.status is DeliveryStatus.DELIVERED:
                seconds = (now - message.source_event_time).total_seconds()
                telling.metrics.reached_inbox(max(0.0, seconds))
        if any(message.status is DeliveryStatus.PENDING for message in recorded):
            telling.wake_sender()

    return observe
