"""The handlers and use cases over the fakes, wired with the same `Dependencies` as the service:
events to messages, sending, recovery after a crash, receipts and reconciliation."""

import asyncio
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from notifications.domain.channels import Channel
from notifications.domain.delivery import DeliveryStatus, RetryPolicy
from notifications.domain.errors import UnknownNotifyStatus, UnknownReference
from notifications.domain.preferences import preferences_from
from notifications.entrypoints.background import Wakeup
from notifications.entrypoints.dependencies import Dependencies
from notifications.entrypoints.events import HANDLERS
from notifications.service_layer import receipts, reconciling, sending
from notifications.service_layer.commands import ApplyReceipt
from notifications.service_layer.outcomes import Outcomes
from notifications.service_layer.ports import LookupFailed, Outgoing, SendResult
from notifications.service_layer.reconciling import Reconciler
from notifications.service_layer.sending import Sender
from notifications.service_layer.telling import Telling

from ..fakes import FakeNotificationsUnitOfWork, FakeStore

S = DeliveryStatus
START = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class Counting:
    """Measurements that only count."""

    content_type = "text/plain"

    def __init__(self) -> None:
        self.changes: list[tuple[str, str]] = []

    def changed(self, channel: str, status: str) -> None:
        self.changes.append((channel, status))

    def reached_inbox(self, seconds: float) -> None:
        pass

    def reached_provider(self, channel: str, seconds: float) -> None:
        pass

    def update(self, *figures: object) -> None:
        pass


class Provider:
    """A provider: accepts (or answers `results`), can be asked for what it holds."""

    def __init__(self, status: S = S.SENDING) -> None:
        self.status, self.sent, self.results = status, [], []
        self.held: dict[uuid.UUID, str] = {}
        self.lookup_fails = False

    async def send(self, message: Outgoing, handed_over) -> SendResult:
        if self.results:
            return self.results.pop(0)
        if not await handed_over():
            return SendResult.temporary("lost the lease")
        self.sent.append(message)
        self.held[message.notification_id] = f"n-{len(self.sent)}"
        return SendResult.accepted_as(self.status, self.held[message.notification_id])

    async def find(self, message: Outgoing) -> SendResult | None:
        if self.lookup_fails:
            raise LookupFailed("Notify 500")
        held = self.held.get(message.notification_id)
        return SendResult.accepted_as(S.SENDING, held) if held else None


class Statuses:
    def __init__(self) -> None:
        self.answers: dict[str, str | None] = {}
        self.fails = False

    async def status_of(self, provider_id: str) -> str | None:
        if self.fails:
            raise LookupFailed("timed out")
        return self.answers.get(provider_id)


@pytest.fixture
def world(templates):
    store, clock, metrics = FakeStore(), Clock(), Counting()
    email, notify, statuses = Provider(S.DELIVERED), Provider(), Statuses()
    outcomes = Outcomes(RetryPolicy(max_attempts=3), clock, metrics, jitter=lambda: 0.0)
    channels = {Channel.EMAIL: email, Channel.SMS: notify, Channel.LETTER: notify}
    deps = Dependencies(
        uow=lambda: FakeNotificationsUnitOfWork(store),
        clock=clock,
        metrics=metrics,
        telling=Telling(templates, clock, metrics),
        outcomes=outcomes,
        sender=Sender(channels, outcomes, lease=timedelta(seconds=15), send_timeout=60),
        reconciler=Reconciler(
            statuses,
            outcomes,
            ask_after=timedelta(minutes=15),
            ask_every=timedelta(minutes=15),
            flag_after=timedelta(days=5),
        ),
        callback_token="t",
        wakeup=Wakeup(),
    )
    return deps, store, clock, email, notify, statuses


async def hear(deps, store, *events) -> None:
    for event in events:
        uow = deps.uow()
        async with uow:
            if await uow.first_time("notifications", event):
                await HANDLERS[type(event)](event, uow, deps)
                await uow.commit()


async def handed_over_then_dead(world, make, channel: Channel) -> Outgoing:
    """The sender claimed the messages, handed this one over, and died."""
    deps, _, clock, *_ = world
    await told_by_text(world, make)
    [claimed] = [m for m in await sending.claim(deps.uow, deps.sender) if m.channel is channel]
    async with deps.uow() as uow:
        await uow.messages.hand_over(claimed.notification_id, 1, clock())
        await uow.commit()
    return claimed


def rows(store, channel: str) -> list:
    return [m for m in store.tables.messages.values() if m.channel.value == channel]


def types(store) -> list[str]:
    return [e.type.rsplit(".", 2)[-2] for e in store.published]


async def told_by_text(world, make, event=None) -> None:
    deps, store, *_ = world
    async with deps.uow() as uow:
        chosen = preferences_from(
            make.person_id, ["sms", "email"], phone="07700900123", email="amina@example.com"
        )
        await uow.people.save_preferences(chosen, START)
        await uow.commit()
    await hear(deps, store, make.submitted(), event or make.payment_issued())


async def test_an_event_is_one_message_per_channel_and_a_redelivery_adds_none(world, make):
    deps, store, _, email, notify, _ = world
    event = make.payment_issued()
    await told_by_text(world, make, event)
    await hear(deps, store, event)
    assert {m.channel.value: m.status for m in store.tables.messages.values()} == {
        "inbox": S.DELIVERED,
        "sms": S.PENDING,
        "email": S.PENDING,
    }
    assert types(store) == ["notification_sent", "notification_delivered"]
    assert await sending.send_due(deps.uow, deps.sender) == 2
    assert await sending.send_due(deps.uow, deps.sender) == 0
    assert (len(email.sent), len(notify.sent)) == (1, 1)
    assert [m.status for m in rows(store, "email")] == [S.DELIVERED]
    assert rows(store, "sms")[0].provider_ids == {"n-1": 1}


async def test_a_dead_senders_attempts_are_taken_over_once_the_lease_runs_out(world, make):
    deps, store, clock, email, notify, _ = world
    await told_by_text(world, make)
    await sending.claim(deps.uow, deps.sender)  # ... and the sender dies
    clock.advance(seconds=14)
    assert await sending.recover(deps.uow, deps.sender) == 0  # its lease still holds
    clock.advance(seconds=2)
    assert await sending.recover(deps.uow, deps.sender) == 2
    assert {m.status for m in store.tables.messages.values() if m.channel.value != "inbox"} == {
        S.TEMPORARY_FAILURE
    }
    assert await sending.send_due(deps.uow, deps.sender) == 2  # at once: no back-off
    assert [m.attempts for m in rows(store, "email")] == [2] and len(email.sent) == 1


async def test_a_handed_over_text_is_adopted_if_notify_has_it_and_waits_if_not(world, make):
    deps, store, clock, _, notify, _ = world
    claimed = await handed_over_then_dead(world, make, Channel.SMS)
    notify.held[claimed.notification_id] = "n-9"  # it reached Notify before the crash
    clock.advance(seconds=16)
    await sending.recover(deps.uow, deps.sender)
    [sms] = rows(store, "sms")
    assert (sms.status, sms.accepted_at, sms.provider_ids) == (S.SENDING, clock(), {"n-9": 1})
    assert notify.sent == []


async def test_a_handed_over_text_notify_cannot_find_is_retried_after_the_send_timeout(
    world, make
) -> None:
    deps, store, clock, _, notify, _ = world
    await handed_over_then_dead(world, make, Channel.SMS)
    handed_over = clock()
    notify.lookup_fails = True
    clock.advance(seconds=16)
    await sending.recover(deps.uow, deps.sender)
    [sms] = rows(store, "sms")
    assert sms.status is S.TEMPORARY_FAILURE
    assert sms.next_attempt_at == handed_over + timedelta(seconds=60)  # the attempt has ended


class Hangs:
    """A provider that takes the message and never answers (the send timeout ends the wait)."""

    def __init__(self, then: Provider) -> None:
        self.then, self.taken = then, []

    async def send(self, message: Outgoing, handed_over) -> SendResult:
        assert await handed_over()
        self.taken.append(message)
        self.then.held[message.notification_id] = "n-hung"  # Notify has it, unanswered
        await asyncio.sleep(3600)
        raise AssertionError("never answers")

    async def find(self, message: Outgoing) -> SendResult | None:
        return await self.then.find(message)


async def test_a_text_whose_send_timed_out_after_the_hand_over_is_tried_again(world, make):
    """Notify can be asked: the next attempt is one that may have been sent before, which
    makes the adapter look the reference up first (integration: test_failures.py)."""
    deps, store, clock, email, notify, _ = world
    hanging = Hangs(notify)
    sender = replace(deps.sender, channels={**deps.sender.channels, Channel.SMS: hanging},
                     send_timeout=0.05)  # fmt: skip
    await told_by_text(world, make)
    for message in await sending.claim(deps.uow, sender):
        await sending.deliver(deps.uow, sender, message)
    [sms] = rows(store, "sms")
    assert sms.status is S.TEMPORARY_FAILURE and "asked for the reference" in sms.reason
    clock.advance(minutes=10)
    [again] = [m for m in await sending.claim(deps.uow, deps.sender) if m.channel is Channel.SMS]
    assert again.may_have_been_sent_before


async def test_an_email_whose_send_timed_out_after_the_hand_over_is_not_sent_again(
    world, make
) -> None:
    deps, store, clock, email, notify, _ = world
    hanging = Hangs(email)
    sender = replace(deps.sender, channels={**deps.sender.channels, Channel.EMAIL: hanging},
                     send_timeout=0.05)  # fmt: skip
    await told_by_text(world, make)
    for message in await sending.claim(deps.uow, sender):
        await sending.deliver(deps.uow, sender, message)
    [mail] = rows(store, "email")
    assert mail.status is S.PERMANENT_FAILURE and mail.reason.startswith("outcome unknown")
    clock.advance(minutes=10)
    await sending.send_due(deps.uow, deps.sender)
    assert email.sent == [] and len(hanging.taken) == 1


async def test_an_email_handed_over_to_smtp_is_never_sent_again(world, make):
    deps, store, clock, email, _, _ = world
    await handed_over_then_dead(world, make, Channel.EMAIL)
    clock.advance(seconds=16)
    await sending.recover(deps.uow, deps.sender)
    [mail] = rows(store, "email")
    assert mail.status is S.PERMANENT_FAILURE and mail.reason.startswith("outcome unknown")


async def test_an_attempt_whose_lease_lapsed_is_not_sent(world, make):
    deps, store, clock, email, notify, _ = world
    await told_by_text(world, make)
    claimed = await sending.claim(deps.uow, deps.sender)
    clock.advance(seconds=16)  # the renewals did not reach the database
    for message in claimed:
        await sending.deliver(deps.uow, deps.sender, message)
    assert email.sent == notify.sent == []


class SlowRenewals(FakeNotificationsUnitOfWork):
    """A renewal's commit takes 0.2 s, every other one 0.01 s (so the batch outlasts the first
    renewal's start and ends during its commit)."""

    interrupted: list[str] = []

    async def __aenter__(self):
        await super().__aenter__()
        renew, self.renewing = self.messages.renew, False

        async def renewing(*args):
            self.renewing = True
            return await renew(*args)

        self.messages.renew = renewing
        return self

    async def commit(self) -> None:
        if self.renewing:
            try:
                await asyncio.sleep(0.2)
            except asyncio.CancelledError:
                SlowRenewals.interrupted.append("renewal")
                raise
        else:
            await asyncio.sleep(0.01)
        await super().commit()


async def test_the_lease_renewal_is_never_cut_off_mid_commit(world, make):
    """The batch ends while a renewal is committing: the renewal is let finish, not cancelled.
    (Cancelled during its COMMIT, asyncpg refuses the rollback; the InterfaceError that replaced
    the CancelledError once kept the renewal looping and the sender waiting on it for ever.)"""
    deps, store, *_ = world
    await told_by_text(world, make)
    SlowRenewals.interrupted = []
    sender = replace(deps.sender, renew_every=0.001)
    sent = await asyncio.wait_for(sending.send_due(lambda: SlowRenewals(store), sender), 10)
    assert sent == 2 and SlowRenewals.interrupted == []
    assert {m.status for m in store.tables.messages.values()} >= {DeliveryStatus.DELIVERED}


async def test_receipts_move_a_message_forward_only(world, make):
    deps, store, *_ = world
    await told_by_text(world, make)
    await sending.send_due(deps.uow, deps.sender)
    [sms] = rows(store, "sms")
    for status in ("delivered", "sending", "delivered", "permanent-failure"):
        command = ApplyReceipt(sms.notification_id, "n-1", status)
        await receipts.apply_receipt(command, deps.uow(), deps.outcomes)
    assert rows(store, "sms")[0].status is S.DELIVERED
    assert types(store).count("notification_delivered") == 3  # inbox, email, sms: once each
    with pytest.raises(UnknownReference):
        await receipts.apply_receipt(
            ApplyReceipt(uuid.uuid4(), "n-1", "delivered"), deps.uow(), deps.outcomes
        )
    with pytest.raises(UnknownNotifyStatus):
        await receipts.apply_receipt(
            ApplyReceipt(sms.notification_id, "n-1", "exploded"), deps.uow(), deps.outcomes
        )


async def test_notify_is_asked_about_accepted_messages_after_the_threshold(world, make):
    deps, store, clock, _, _, statuses = world
    await told_by_text(world, make)
    await sending.send_due(deps.uow, deps.sender)
    assert await reconciling.reconcile(deps.uow, deps.reconciler) == 0  # too soon to ask
    clock.advance(minutes=15)
    statuses.answers["n-1"] = "sending"
    assert await reconciling.reconcile(deps.uow, deps.reconciler) == 1
    assert await reconciling.reconcile(deps.uow, deps.reconciler) == 0  # asked already
    clock.advance(minutes=15)
    statuses.answers["n-1"] = "delivered"
    assert await reconciling.reconcile(deps.uow, deps.reconciler) == 1
    [sms] = rows(store, "sms")
    assert (sms.status, sms.unconfirmed_at) == (S.DELIVERED, None)


@pytest.mark.parametrize("silence", ["no such notification", "look-ups fail", "still sending"])
async def test_no_final_status_after_the_second_threshold_is_flagged(world, make, silence):
    deps, store, clock, _, _, statuses = world
    statuses.fails = silence == "look-ups fail"
    statuses.answers["n-1"] = "sending" if silence == "still sending" else None
    await told_by_text(world, make)
    await sending.send_due(deps.uow, deps.sender)
    accepted = clock()
    clock.advance(days=4, hours=23)
    await reconciling.reconcile(deps.uow, deps.reconciler)
    assert rows(store, "sms")[0].unconfirmed_at is None
    clock.advance(hours=2)
    await reconciling.reconcile(deps.uow, deps.reconciler)
    [sms] = rows(store, "sms")
    assert (sms.status, sms.accepted_at, sms.unconfirmed_at) == (S.SENDING, accepted, clock())
    clock.advance(days=3)  # Notify keeps 7 days: asking stops
    assert await reconciling.reconcile(deps.uow, deps.reconciler) == 0


async def test_a_temporary_failure_from_notify_is_retried_and_its_late_receipt_ignored(
    world, make
) -> None:
    deps, store, clock, _, notify, statuses = world
    await told_by_text(world, make)
    await sending.send_due(deps.uow, deps.sender)
    clock.advance(minutes=15)
    statuses.answers["n-1"] = "temporary-failure"
    await reconciling.reconcile(deps.uow, deps.reconciler)
    notify.held.clear()  # Notify's copy failed: not live
    clock.advance(minutes=2)
    await sending.send_due(deps.uow, deps.sender)
    [sms] = rows(store, "sms")
    assert (sms.status, sms.attempts, sms.provider_ids) == (S.SENDING, 2, {"n-1": 1, "n-2": 2})
    late = ApplyReceipt(sms.notification_id, "n-1", "temporary-failure")
    await receipts.apply_receipt(late, deps.uow(), deps.outcomes)
    assert replace(rows(store, "sms")[0], events=[]) == replace(sms, events=[])


async def test_opening_an_inbox_message_marks_it_read_once_and_shows_its_copies(world, make):
    from notifications.entrypoints import views
    from notifications.service_layer import queries, reading
    from notifications.service_layer.commands import MarkMessageRead

    deps, store, *_ = world
    await told_by_text(world, make)
    await sending.send_due(deps.uow, deps.sender)
    inbox, alongside = await queries.inbox(deps.uow, make.person_id)
    [message] = [m for m in inbox if m.template_id == "payment-issued"]
    shown = views.inbox_message_view(message, alongside)
    assert not shown.read
    assert {(d.channel, d.status) for d in shown.deliveries} == {
        ("sms", "sending"),
        ("email", "delivered"),
    }
    cmd = MarkMessageRead(make.person_id, str(message.notification_id))
    first = await reading.mark_read(cmd, deps.uow(), deps.clock)
    again = await reading.mark_read(cmd, deps.uow(), deps.clock)
    assert first.read_at is not None and again.read_at == first.read_at
    inbox, _ = await queries.inbox(deps.uow, make.person_id)
    assert [m.read_at is not None for m in inbox if m.template_id == "payment-issued"] == [True]


async def test_someone_elses_or_a_made_up_message_is_not_found(world, make):
    from notifications.domain.errors import UnknownMessage
    from notifications.service_layer import queries, reading
    from notifications.service_layer.commands import MarkMessageRead

    deps, *_ = world
    await told_by_text(world, make)
    inbox, _ = await queries.inbox(deps.uow, make.person_id)
    for cmd in (
        MarkMessageRead("someone-else", str(inbox[0].notification_id)),
        MarkMessageRead(make.person_id, "not-a-uuid"),
        MarkMessageRead(make.person_id, str(uuid.uuid4())),
    ):
        with pytest.raises(UnknownMessage):
            await reading.mark_read(cmd, deps.uow(), deps.clock)


async def test_an_adapter_fault_is_kept_and_logged_by_its_class_not_its_text(
    world, make, caplog
) -> None:
    deps, store, _, email, *_ = world

    async def refuses(message: Outgoing, handed_over) -> SendResult:
        raise RuntimeError(f"relay refused {message.recipient}: {message.body}")

    email.send = refuses
    await told_by_text(world, make)
    with caplog.at_level("WARNING", logger="notifications.service_layer.sending"):
        await sending.send_due(deps.uow, deps.sender)
    [message] = rows(store, "email")
    assert message.reason == "the attempt failed: RuntimeError"
    assert "sending" in caplog.text and "RuntimeError" in caplog.text
    assert "amina@example.com" not in caplog.text and "relay refused" not in caplog.text
