"""The sender: claim due messages, send each once, record what happened.

1. claim: due messages are locked (FOR UPDATE SKIP LOCKED, so replicas share the work), moved to
   `sending` with the attempt counted and a short lease, and committed before any network call.
2. send: outside any transaction, capped by `send_timeout`, the leases renewed meanwhile. Just
   before the point of no return the adapter calls `hand_over`, which succeeds only while the
   attempt still holds a live lease: an attempt whose lease lapsed is never sent. The batch's
   hand-overs share transactions (service_layer/together.py).
3. record: the outcome is applied to the message (the domain `Delivery`) with its events, in one
   commit; outcomes that come in together (a batch's sends end at about the same time) share it.
A sender that dies between 1 and 3 leaves `sending` messages whose lease runs out within `lease`
(seconds, not minutes, since a live sender renews it); `recover` then settles them without ever
sending twice: a message not yet handed over is sent again at once; Notify is asked for the
reference of one that was (and it is adopted when Notify has it); an email that may have reached
the SMTP server is never sent again (see docs/notifications.md).
"""

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import timedelta

from notifications.domain.channels import Channel
from notifications.domain.delivery import DeliveryStatus, InvalidTransition
from notifications.domain.messages import Change, Message
from notifications.service_layer.outcomes import Outcomes
from notifications.service_layer.ports import (
    ChannelSender,
    LookupFailed,
    Outgoing,
    SendResult,
    UowFactory,
)
from notifications.service_layer.together import Together

log = logging.getLogger(__name__)
NOT_HANDED_OVER = "the sender stopped before handing the message over"
ASK_FIRST = "Notify will be asked for the reference before sending again"
MID_ATTEMPT = f"the sender stopped mid-attempt; {ASK_FIRST}"
EMAIL_UNCERTAIN = (
    "the sender stopped after handing the email to the SMTP server; it is not sent again"
    " (SMTP cannot be asked)"
)


@dataclass(frozen=True)
class Sender:
    channels: Mapping[Channel, ChannelSender]
    outcomes: Outcomes
    batch_size: int = 20
    lease: timedelta = timedelta(seconds=15)
    renew_every: float = 5.0
    send_timeout: float = 60.0


async def send_due(make_uow: UowFactory, sender: Sender) -> int:
    """Settle interrupted attempts, then send one batch. Returns how many were sent."""
    await recover(make_uow, sender)
    claimed = await claim(make_uow, sender)
    if claimed:
        async with _renewing(make_uow, sender, claimed):
            await _send_all(make_uow, sender, claimed)
    return len(claimed)


async def _send_all(make_uow: UowFactory, sender: Sender, claimed: list[Outgoing]) -> None:
    """Every claimed message at once; each outcome recorded as soon as it is known, with those
    known by then. A recording that fails is raised once every attempt has ended (the others
    are still recorded); its attempts are settled as a vanished sender's are (`recover`)."""
    hand_overs = _hand_overs(make_uow, sender)
    attempts = {asyncio.ensure_future(attempt(make_uow, sender, m, hand_overs)) for m in claimed}
    failed: Exception | None = None
    try:
        while attempts:
            done, attempts = await asyncio.wait(attempts, return_when=asyncio.FIRST_COMPLETED)
            try:
                await record_all(make_uow, sender, [task.result() for task in done])
            except Exception as exc:
                failed = failed or exc
    finally:
        for task in attempts:  # cancelled (shutting down): stop the attempts too
            task.cancel()
    if failed is not None:
        raise failed


async def claim(make_uow: UowFactory, sender: Sender) -> list[Outgoing]:
    now = sender.outcomes.clock()
    async with make_uow() as uow:
        messages = await uow.messages.claim_due(now, sender.batch_size)
        for message in messages:
            message.start_attempt(now, now + sender.lease)
            await uow.messages.save(message)
        await uow.commit()
    return [outgoing(message) for message in messages]


async def deliver(make_uow: UowFactory, sender: Sender, message: Outgoing) -> None:
    """Send one claimed message and record what happened."""
    await record_all(make_uow, sender, [await attempt(make_uow, sender, message)])


async def attempt(
    make_uow: UowFactory,
    sender: Sender,
    message: Outgoing,
    hand_overs: Together[tuple[uuid.UUID, int], bool] | None = None,
) -> tuple[Outgoing, SendResult]:
    """Send one claimed message: what happened (a fault or timeout is a failed attempt)."""
    handed_over = False
    hand_overs = hand_overs or _hand_overs(make_uow, sender)

    async def hand_over() -> bool:
        nonlocal handed_over
        handed_over = await hand_overs.ask((message.notification_id, message.attempt))
        return handed_over

    try:
        channel = sender.channels[message.channel]
        result = await asyncio.wait_for(channel.send(message, hand_over), sender.send_timeout)
    except Exception as exc:  # a timeout, or a fault in an adapter
        # Only the class: an adapter's error text can quote the recipient or the message (it is
        # also kept as the message's reason, which holds no personal details).
        what = "timed out" if isinstance(exc, TimeoutError) else f"failed: {type(exc).__name__}"
        log.warning("sending %s by %s %s", message.notification_id, message.channel.value, what)
        result = _interrupted(message, what, handed_over)
    return message, result


def _hand_overs(make_uow: UowFactory, sender: Sender) -> Together[tuple[uuid.UUID, int], bool]:
    """Hand-overs asked for together are marked in one transaction."""

    async def record(claims: list[tuple[uuid.UUID, int]]) -> list[bool]:
        async with make_uow() as uow:
            marked = await uow.messages.hand_over_many(claims, sender.outcomes.clock())
            await uow.commit()
        return [notification_id in marked for notification_id, _ in claims]

    return Together(record, "notification-hand-overs")


def _interrupted(message: Outgoing, what: str, handed_over: bool) -> SendResult:
    """An attempt that timed out or failed: sent again unless that could make a second message.
    Notify can be asked for the reference (the next attempt looks it up before sending); an
    SMTP server cannot."""
    if not handed_over:
        return SendResult.temporary(f"the attempt {what}")
    if message.channel is Channel.EMAIL:
        return SendResult.uncertain(f"the attempt {what} after handing the email over")
    return SendResult.temporary(f"the attempt {what} after handing the message over; {ASK_FIRST}")


async def record_all(
    make_uow: UowFactory, sender: Sender, results: list[tuple[Outgoing, SendResult]]
) -> None:
    """Attempts' outcomes, in one commit."""
    async with make_uow() as uow:
        stored = {
            m.notification_id: m
            for m in await uow.messages.get_many(message.notification_id for message, _ in results)
        }
        for message, result in results:
            current = stored.get(message.notification_id)
            try:
                if current is not None:
                    await sender.outcomes.apply(uow, current, result.report(message.attempt))
            except InvalidTransition as exc:
                log.warning("ignoring a stale outcome: %s", exc)
        await uow.commit()


async def recover(make_uow: UowFactory, sender: Sender) -> int:
    """Attempts whose sender vanished: retried only when a second message is impossible."""
    outcomes, to_look_up = sender.outcomes, []
    now = outcomes.clock()
    async with make_uow() as uow:
        stuck = await uow.messages.interrupted(now, sender.batch_size)
        for message in stuck:
            if message.handed_over_at is None:
                change = message.retry_at(now, now, NOT_HANDED_OVER, outcomes.policy)
            elif message.channel is Channel.EMAIL:
                uncertain = SendResult.uncertain(EMAIL_UNCERTAIN).report(message.attempts)
                change = message.report(uncertain, now, outcomes.policy)
            else:  # ours while Notify is asked for the reference
                message.lease(now + sender.lease)
                change = Change()
                to_look_up.append(message)
            await uow.messages.save(message)
            outcomes.observe(uow, message, change)
        await uow.commit()
    for message in to_look_up:
        await _settle_by_reference(make_uow, sender, message)
    return len(stuck)


async def _settle_by_reference(make_uow: UowFactory, sender: Sender, message: Message) -> None:
    """Adopt Notify's copy if it has one; else retry once the lost attempt has surely ended (the
    retry looks the reference up again before it sends)."""
    try:
        found = await sender.channels[message.channel].find(outgoing(message))
    except LookupFailed as exc:
        log.warning("could not look %s up at Notify: %s", message.notification_id, exc)
        found = None
    outcomes = sender.outcomes
    async with make_uow() as uow:
        current = await uow.messages.get(message.notification_id, lock=True)
        if current is not None and _still_interrupted(current, message):
            if found is not None:
                await outcomes.apply(uow, current, found.report(current.attempts))
            else:
                now = outcomes.clock()
                ended = current.handed_over_at + timedelta(seconds=sender.send_timeout)
                change = current.retry_at(max(now, ended), now, MID_ATTEMPT, outcomes.policy)
                await uow.messages.save(current)
                outcomes.observe(uow, current, change)
        await uow.commit()


def _still_interrupted(current: Message, seen: Message) -> bool:
    return (
        current.status is DeliveryStatus.SENDING
        and current.attempts == seen.attempts
        and current.accepted_at is None
    )


@contextlib.asynccontextmanager
async def _renewing(
    make_uow: UowFactory, sender: Sender, claimed: list[Outgoing]
) -> AsyncIterator[None]:
    """Keep renewing the leases of these attempts while they are being sent. The renewal is
    asked to stop, not cancelled, so it never ends mid-transaction (a renewal cancelled during
    its COMMIT once hung the sender for good: see servicekit.uow)."""
    claims = [(message.notification_id, message.attempt) for message in claimed]
    stop = asyncio.Event()

    async def renew() -> None:
        while not await _stopped(stop, sender.renew_every):
            now = sender.outcomes.clock()
            try:
                async with make_uow() as uow:
                    await uow.messages.renew(claims, now + sender.lease, now)
                    await uow.commit()
            except Exception:  # the leases may lapse: hand-overs then refuse, nothing is lost
                log.warning("could not renew the sender's leases", exc_info=True)

    task = asyncio.create_task(renew(), name="notification-leases")
    try:
        yield
    finally:
        stop.set()
        await task  # (cancelling the sender cancels this wait, and the renewal with it)


async def _stopped(stop: asyncio.Event, seconds: float) -> bool:
    """Waits `seconds` or until `stop` is set; whether it is."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
    return stop.is_set()


def outgoing(message: Message) -> Outgoing:
    return Outgoing(
        notification_id=message.notification_id,
        channel=message.channel,
        recipient=message.recipient or "",
        template_id=message.template_id,
        accessible_format=message.accessible_format.value,
        subject=message.subject,
        body=message.body,
        personalisation=dict(message.personalisation or {}),
        attempt=message.attempts,
    )
