"""Telling people what changed: events in, one recorded message per channel out.

Each handler runs inside the consumer's unit of work, after the inbox has recognised a first
delivery; the unique notification key makes a replay (say from the dead-letter topic) harmless too.
"""

from datetime import datetime
from typing import Any

import asyncpg
from contracts.assessment.v1 import AssessmentSubmittedV1, DecisionMadeV1, ReconsiderationDecidedV1

from notifications.adapters import payment_messages, personalisation
from notifications.adapters.personalisation import DecisionFacts, Known, for_reconsideration
from notifications.adapters.repository import NotificationsUnitOfWork
from notifications.service_layer.intent import Deps, Notice, record_intent

FALLBACK_NAME = "Care Benefit customer"
MESSAGE_FOR = {**personalisation.MESSAGE_FOR, **payment_messages.MESSAGE_FOR}


async def remember_name(
    event: AssessmentSubmittedV1, uow: NotificationsUnitOfWork, deps: Deps
) -> None:
    await uow.people.remember(event.subject, first_name=event.data.first_name,
                              case_id=event.data.case_id)


async def notify(event: Any, uow: NotificationsUnitOfWork, deps: Deps) -> None:
    """Any event in MESSAGE_FOR: its template, for the person it is about."""
    template_id, values = MESSAGE_FOR[type(event)](event, await _known(uow, event.subject))
    await record_intent(Notice(event.subject, event.id, template_id, values, event.time,
                               event.correlationid, event.traceparent), uow, deps)


async def on_decision(event: DecisionMadeV1, uow: NotificationsUnitOfWork, deps: Deps) -> None:
    """A decision notice, unless the decision is a reconsideration's: then the notice says so."""
    d = event.data
    facts = DecisionFacts(d.decision_id, d.case_id, personalisation.uk_date(event.time),
                          d.award.net_weekly_pence, personalisation.reasons_summary(event))
    kind = getattr(d, "kind", None)  # absent from older producers
    await uow.people.remember_decision(event.subject, facts, kind)
    await uow.people.remember(event.subject, case_id=d.case_id)
    waiting = await uow.people.waiting_reconsideration(d.decision_id)
    if waiting is not None:
        await _tell_reconsideration(waiting, facts, max(waiting["decided_at"], event.time), uow,
                                    deps)
    elif kind != "reconsideration":  # a reconsideration's own notice waits for its outcome
        await notify(event, uow, deps)


async def on_reconsideration_decided(event: ReconsiderationDecidedV1,
                                     uow: NotificationsUnitOfWork, deps: Deps) -> None:
    """The mandatory reconsideration notice needs the new decision too: sent when both are here."""
    d = event.data
    await uow.people.add_reconsideration(
        event_id=event.id, person_id=event.subject, case_id=d.case_id,
        original_decision_id=d.original_decision_id, new_decision_id=d.new_decision_id,
        outcome=d.outcome, decided_at=event.time, correlation_id=event.correlationid,
        traceparent=event.traceparent)
    new = await uow.people.decision(d.new_decision_id)
    waiting = await uow.people.waiting_reconsideration(d.new_decision_id)
    if new is not None and waiting is not None:
        await _tell_reconsideration(waiting, new, event.time, uow, deps)


async def _tell_reconsideration(waiting: asyncpg.Record, new: DecisionFacts, ready_at: datetime,
                                uow: NotificationsUnitOfWork, deps: Deps) -> None:
    original = await uow.people.decision(waiting["original_decision_id"])
    known = await _known(uow, waiting["person_id"])
    template_id, values = for_reconsideration(waiting["outcome"], waiting["decided_at"], new,
                                              original, known)
    await record_intent(Notice(waiting["person_id"], waiting["event_id"], template_id, values,
                               ready_at, waiting["correlation_id"], waiting["traceparent"]),
                        uow, deps)
    await uow.people.reconsideration_told(waiting["event_id"], deps.clock())


async def _known(uow: NotificationsUnitOfWork, person_id: str) -> Known:
    first_name, case_id = await uow.people.name_and_case(person_id)
    return Known(first_name or FALLBACK_NAME, case_id)


SPECIAL = {DecisionMadeV1: on_decision, ReconsiderationDecidedV1: on_reconsideration_decided}
"""Events whose handling is more than `notify`; every other MESSAGE_FOR event uses `notify`."""
