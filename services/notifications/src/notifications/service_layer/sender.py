"""The background sender: claim due messages, send each once, record what happened.

1. claim: due rows are locked (FOR UPDATE SKIP LOCKED, so replicas share the work), moved to
   `sending` with the attempt counted and a lease, and committed before any network call.
2. send: outside any transaction, capped by `send_timeout`.
3. record: the outcome is applied to the row (domain Delivery) with the events, in one commit.
A sender that dies between 1 and 3 leaves `sending` rows whose lease runs out; `recover` settles
them without sending twice: Notify is asked for the reference before any re-send; an email that
may have reached the SMTP server is never re-sent (see docs/notifications.md).
"""

import asyncio
import logging
import random
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

import asyncpg

from notifications.adapters.metrics import Metrics
from notifications.adapters.repository import NotificationsUnitOfWork
from notifications.domain.channels import Channel
from notifications.domain.delivery import InvalidTransition, RetryPolicy
from notifications.service_layer.outcomes import apply_report, to_delivery
from notifications.service_layer.ports import ChannelSender, Outgoing, SendResult

log = logging.getLogger(__name__)
UowFactory = Callable[[], NotificationsUnitOfWork]


class Sender:
    def __init__(self, channels: Mapping[Channel, ChannelSender], *, policy: RetryPolicy,
                 clock: Callable[[], datetime], metrics: Metrics, batch_size: int = 20,
                 lease: timedelta = timedelta(minutes=2), send_timeout: float = 60.0,
                 poll_interval: float = 0.5, jitter: Callable[[], float] = random.random) -> None:
        self.channels, self.policy, self.clock, self.metrics = channels, policy, clock, metrics
        self.batch_size, self.lease, self.send_timeout = batch_size, lease, send_timeout
        self.poll_interval, self.jitter = poll_interval, jitter
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def run(self, runtime: Any) -> None:
        """The `ServiceDefinition.background` job: runs until cancelled, whatever fails."""
        while True:
            try:
                worked = await self.run_once(runtime.uow)
            except asyncio.CancelledError:
                raise
            except Exception:  # the database or a bug: log, wait, carry on
                log.exception("notification sender: cycle failed; will try again")
                worked = 0
            if not worked:
                try:
                    await asyncio.wait_for(self._wake.wait(), self.poll_interval)
                except TimeoutError:
                    pass
                self._wake.clear()

    async def run_once(self, make_uow: UowFactory) -> int:
        """Settle interrupted attempts, then send one batch. Returns how many were sent."""
        await self.recover(make_uow)
        claimed = await self.claim(make_uow)
        await asyncio.gather(*(self.deliver(make_uow, item) for item in claimed))
        return len(claimed)

    async def claim(self, make_uow: UowFactory) -> list[tuple[Outgoing, Any]]:
        now = self.clock()
        claimed = []
        async with make_uow() as uow:
            for row in await uow.messages.claim_due(now, self.batch_size):
                delivery = to_delivery(row, self.policy).start_attempt(now)
                await uow.messages.update(
                    row["notification_id"], status=delivery.status.value,
                    attempts=delivery.attempts, next_attempt_at=None, reason=None,
                    updated_at=now, claimed_until=now + self.lease, handed_over_at=None)
                claimed.append((_outgoing(row, delivery.attempts), row))
            await uow.commit()
        return claimed

    async def deliver(self, make_uow: UowFactory, item: tuple[Outgoing, Any]) -> None:
        message, row = item
        handed_over = False

        async def hand_over() -> bool:
            nonlocal handed_over
            async with make_uow() as uow:
                handed_over = await uow.messages.mark_handed_over(
                    message.notification_id, message.attempt, self.clock())
                await uow.commit()
            return handed_over

        try:
            channel = self.channels[message.channel]
            result = await asyncio.wait_for(channel.send(message, hand_over), self.send_timeout)
        except Exception as exc:  # a timeout, or a fault in an adapter
            what = "timed out" if isinstance(exc, TimeoutError) else f"failed: {exc!r}"
            log.warning("sending %s by %s %s", message.notification_id, message.channel.value, what)
            result = (SendResult.uncertain(f"the attempt {what} after handing the message over")
                      if handed_over else SendResult.temporary(f"the attempt {what}"))
        await self.record(make_uow, row, result, attempt=message.attempt)

    async def record(self, make_uow: UowFactory, row: Any, result: SendResult,
                     attempt: int) -> None:
        async with make_uow() as uow:
            try:
                await apply_report(
                    uow, row["notification_id"], result.status, now=self.clock(),
                    policy=self.policy, metrics=self.metrics, attempt=attempt,
                    reason=result.reason, provider_id=result.provider_id,
                    accepted=result.accepted, jitter=self.jitter)
            except InvalidTransition as exc:
                log.warning("ignoring a stale outcome: %s", exc)
            await uow.commit()

    async def recover(self, make_uow: UowFactory) -> int:
        """Attempts whose sender vanished: retry only when a second message is impossible."""
        async with make_uow() as uow:
            rows = await uow.messages.interrupted(self.clock(), self.batch_size)
            for row in rows:
                result = _settle(row)
                await apply_report(uow, row["notification_id"], result.status,
                                   reason=result.reason, now=self.clock(), policy=self.policy,
                                   metrics=self.metrics, attempt=row["attempts"],
                                   jitter=self.jitter)
            await uow.commit()
        return len(rows)


def _settle(row: asyncpg.Record) -> SendResult:
    if row["channel"] == Channel.EMAIL and row["handed_over_at"] is not None:
        return SendResult.uncertain("the sender stopped after handing the email to the SMTP"
                                      " server; it is not sent again (SMTP cannot be asked)")
    if row["channel"] == Channel.EMAIL:
        return SendResult.temporary("the sender stopped before handing the email over")
    return SendResult.temporary("the sender stopped mid-attempt; Notify will be asked for the"
                                " reference before sending again")


def _outgoing(row: asyncpg.Record, attempt: int) -> Outgoing:
    return Outgoing(
        notification_id=row["notification_id"], channel=Channel(row["channel"]),
        recipient=row["recipient"], template_id=row["template_id"],
        accessible_format=row["accessible_format"], subject=row["subject"], body=row["body"],
        personalisation=row["personalisation"] or {}, attempt=attempt)
