"""Asking Notify about messages it accepted whose final status never came back.

Receipts are lost when the service or its database is down while Notify calls (Notify retries a
callback every 5 minutes, 5 times), and letters get none at all. Every `ask_every`, each message
accepted over `ask_after` ago and not yet final is looked up by Notify's id, and the answer is
applied by the same rules as a receipt. One that has no final status `flag_after` its acceptance
is flagged for operations (GET /ops/unconfirmed-messages, `notifications_unconfirmed`); Notify
answers only for 7 days, so asking stops after that.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from notifications.domain.delivery import InvalidTransition
from notifications.domain.errors import UnknownNotifyStatus
from notifications.domain.messages import Message, Report
from notifications.service_layer.outcomes import Outcomes
from notifications.service_layer.ports import (
    LookupFailed,
    NotificationsUnitOfWork,
    ProviderStatuses,
    UowFactory,
)
from notifications.service_layer.receipts import notify_report

log = logging.getLogger(__name__)
NOTIFY_KEEPS = timedelta(days=7)


@dataclass(frozen=True)
class Reconciler:
    notify: ProviderStatuses
    outcomes: Outcomes
    ask_after: timedelta
    ask_every: timedelta
    flag_after: timedelta
    batch_size: int = 100


async def reconcile(make_uow: UowFactory, reconciler: Reconciler) -> int:
    """Ask about one batch; returns how many were asked about."""
    now = reconciler.outcomes.clock()
    async with make_uow() as uow:
        due = await uow.messages.to_check(
            accepted_before=now - reconciler.ask_after,
            checked_before=now - reconciler.ask_every,
            kept_since=now - NOTIFY_KEEPS,
            now=now,
            limit=reconciler.batch_size,
        )
        await uow.commit()
    answers = [(message, await _ask(reconciler, message)) for message in due]
    if answers:
        await _settle(make_uow, reconciler, answers)
    return len(due)


async def _ask(reconciler: Reconciler, message: Message) -> Report | None:
    provider_id = message.latest_provider_id
    if provider_id is None:
        return None
    try:
        notify_status = await reconciler.notify.status_of(provider_id)
        return None if notify_status is None else notify_report(provider_id, notify_status, message)
    except (LookupFailed, UnknownNotifyStatus) as exc:
        log.warning("could not learn %s's status from Notify: %s", message.notification_id, exc)
        return None


async def _settle(
    make_uow: UowFactory, reconciler: Reconciler, answers: list[tuple[Message, Report | None]]
) -> None:
    """The batch's answers in one transaction: its messages read in one statement (locked) and
    written in one."""
    async with make_uow() as uow:
        current = {
            m.notification_id: m
            for m in await uow.messages.get_many(seen.notification_id for seen, _ in answers)
        }
        for seen, answer in answers:
            message = current.get(seen.notification_id)
            if message is not None:
                await _settle_one(uow, reconciler, message, answer)
        await uow.commit()


async def _settle_one(
    uow: NotificationsUnitOfWork, reconciler: Reconciler, message: Message, answer: Report | None
) -> None:
    outcomes = reconciler.outcomes
    if answer is not None:
        try:
            await outcomes.apply(uow, message, answer)
        except InvalidTransition as exc:  # (it changed nothing: Message.report)
            log.warning("ignoring a stale answer from Notify: %s", exc)
    now = outcomes.clock()
    accepted_at = message.accepted_at or now
    if accepted_at <= now - reconciler.flag_after and message.flag_unconfirmed(now):
        log.warning(
            "%s: no final status from Notify since %s",
            message.notification_id,
            accepted_at.isoformat(),
        )
        await uow.messages.save(message)
