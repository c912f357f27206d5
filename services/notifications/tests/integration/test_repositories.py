"""One suite over the PostgreSQL repositories and the unit tests' fakes: the fakes cannot drift."""

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from notifications.adapters.repository import NotificationsUnitOfWork
from notifications.domain.channels import AccessibleFormat, Channel
from notifications.domain.delivery import DeliveryStatus
from notifications.domain.figures import Backlog
from notifications.domain.messages import Message
from notifications.domain.notices import DecisionFacts, Reconsideration
from notifications.domain.preferences import Preferences
from notifications.main import MIGRATIONS
from servicekit import db

from ..fakes import FakeNotificationsUnitOfWork, FakeStore

pytestmark = pytest.mark.integration
NOW = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
S = DeliveryStatus


@pytest.fixture(params=["fake", "postgres"])
async def make_uow(request, infra, fresh_database):
    if request.param == "fake":
        store = FakeStore()
        yield lambda: FakeNotificationsUnitOfWork(store)
        return
    pool = await db.create_pool(fresh_database)
    await db.migrate(pool, MIGRATIONS)
    yield lambda: NotificationsUnitOfWork(pool)
    await pool.close()


def message(channel: Channel = Channel.SMS, status: S = S.PENDING, **changes) -> Message:
    event_id = changes.pop("business_event_id", f"event-{uuid.uuid4().hex[:8]}")
    return replace(
        Message(
            notification_id=uuid.uuid4(),
            person_id="person-1",
            business_event_id=event_id,
            template_id="review-due",
            template_version=1,
            channel=channel,
            status=status,
            source_event_time=NOW - timedelta(seconds=3),
            created_at=NOW,
            updated_at=NOW,
            recipient=None if channel is Channel.INBOX else "+447700900123",
            subject="Your review",
            body="Dear Amina",
            next_attempt_at=NOW,
            personalisation=None if channel is Channel.INBOX else {"first_name": "Amina"},
            correlation_id="flow-1",
        ),
        **changes,
    )


async def store(make_uow, *messages: Message) -> None:
    async with make_uow() as uow:
        for m in messages:
            assert await uow.messages.add(m)
        await uow.commit()


async def test_a_message_round_trips_and_its_key_is_unique(make_uow) -> None:
    sent = message(
        status=S.SENDING,
        attempts=2,
        accepted_at=NOW,
        provider_ids={"n-1": 2},
        accessible_format=AccessibleFormat.EASY_READ,
        reason="late",
        checked_at=NOW,
        claimed_until=NOW,
        handed_over_at=NOW,
        unconfirmed_at=NOW,
        traceparent="00-ab-cd-01",
    )
    await store(make_uow, sent)
    async with make_uow() as uow:
        assert await uow.messages.get(sent.notification_id) == sent
        assert not await uow.messages.add(replace(sent, notification_id=uuid.uuid4()))
        assert not await uow.messages.add(sent)
        assert await uow.messages.get(uuid.uuid4()) is None


async def test_saved_changes_are_kept_only_on_commit(make_uow) -> None:
    pending = message()
    await store(make_uow, pending)
    async with make_uow() as uow:
        await uow.messages.add(message())
        await uow.messages.save(replace(pending, status=S.DELIVERED))
    async with make_uow() as uow:
        assert (await uow.messages.get(pending.notification_id)).status is S.PENDING
        assert await uow.messages.backlog() == [Backlog("sms", "pending", 1)]
        await uow.messages.save(replace(pending, status=S.DELIVERED, reason="ok"))
        await uow.commit()
    async with make_uow() as uow:
        assert (await uow.messages.get(pending.notification_id)).reason == "ok"


async def test_due_messages_are_claimed_in_order_and_future_ones_wait(make_uow) -> None:
    later = message(next_attempt_at=NOW + timedelta(minutes=5))
    first = message(status=S.TEMPORARY_FAILURE, next_attempt_at=NOW - timedelta(minutes=1))
    second = message(next_attempt_at=NOW)
    busy = message(status=S.SENDING, claimed_until=NOW + timedelta(seconds=5))
    await store(make_uow, later, first, second, busy)
    async with make_uow() as uow:
        claimed = await uow.messages.claim_due(NOW, 10)
        assert [m.notification_id for m in claimed] == [
            first.notification_id,
            second.notification_id,
        ]
        assert len(await uow.messages.claim_due(NOW, 1)) == 1


async def test_an_attempt_is_interrupted_once_its_lease_has_run_out(make_uow) -> None:
    lapsed = message(status=S.SENDING, attempts=1, claimed_until=NOW - timedelta(seconds=1))
    live = message(status=S.SENDING, attempts=1, claimed_until=NOW + timedelta(seconds=1))
    accepted = replace(
        lapsed, notification_id=uuid.uuid4(), business_event_id="e-x", accepted_at=NOW
    )
    await store(make_uow, lapsed, live, accepted)
    async with make_uow() as uow:
        assert [m.notification_id for m in await uow.messages.interrupted(NOW, 10)] == [
            lapsed.notification_id
        ]


async def test_hand_over_and_renewal_hold_only_while_the_lease_does(make_uow) -> None:
    live = message(status=S.SENDING, attempts=2, claimed_until=NOW + timedelta(seconds=5))
    lapsed = message(status=S.SENDING, attempts=1, claimed_until=NOW - timedelta(seconds=1))
    await store(make_uow, live, lapsed)
    async with make_uow() as uow:
        assert not await uow.messages.hand_over(live.notification_id, 1, NOW)  # another attempt
        assert not await uow.messages.hand_over(lapsed.notification_id, 1, NOW)
        assert await uow.messages.hand_over(live.notification_id, 2, NOW)
        until = NOW + timedelta(seconds=15)
        claims = [(live.notification_id, 2), (lapsed.notification_id, 1)]
        assert await uow.messages.renew(claims, until, NOW) == 1
        await uow.commit()
    async with make_uow() as uow:
        stored = await uow.messages.get(live.notification_id)
        assert (stored.handed_over_at, stored.claimed_until) == (NOW, until)
        assert await uow.messages.renew([], until, NOW) == 0


async def test_hand_overs_together_mark_only_the_attempts_holding_their_lease(make_uow) -> None:
    live = message(status=S.SENDING, attempts=2, claimed_until=NOW + timedelta(seconds=5))
    also = message(status=S.SENDING, attempts=1, claimed_until=NOW + timedelta(seconds=5))
    lapsed = message(status=S.SENDING, attempts=1, claimed_until=NOW - timedelta(seconds=1))
    accepted = message(
        status=S.SENDING, attempts=1, claimed_until=NOW + timedelta(seconds=5), accepted_at=NOW
    )
    await store(make_uow, live, also, lapsed, accepted)
    claims = [
        (live.notification_id, 1),  # another attempt
        (also.notification_id, 1),
        (lapsed.notification_id, 1),
        (accepted.notification_id, 1),
        (uuid.uuid4(), 1),  # no such message
    ]
    async with make_uow() as uow:
        assert await uow.messages.hand_over_many(claims, NOW) == {also.notification_id}
        assert await uow.messages.hand_over_many([], NOW) == set()
        await uow.commit()
    async with make_uow() as uow:
        stored = {
            m.notification_id: m.handed_over_at
            for m in await uow.messages.get_many(
                [live.notification_id, also.notification_id, lapsed.notification_id]
            )
        }
    assert stored == {
        live.notification_id: None,
        also.notification_id: NOW,
        lapsed.notification_id: None,
    }


async def test_accepted_messages_are_checked_once_per_interval(make_uow) -> None:
    old = message(status=S.SENDING, attempts=1, accepted_at=NOW - timedelta(hours=1))
    new = message(status=S.SENDING, attempts=1, accepted_at=NOW - timedelta(seconds=10))
    stale = message(status=S.SENDING, accepted_at=NOW - timedelta(days=8), unconfirmed_at=NOW)
    done = message(status=S.DELIVERED, accepted_at=NOW - timedelta(hours=1))
    await store(make_uow, old, new, stale, done)
    ask = dict(
        accepted_before=NOW - timedelta(minutes=15),
        checked_before=NOW - timedelta(minutes=15),
        kept_since=NOW - timedelta(days=7),
        limit=10,
    )
    async with make_uow() as uow:
        [due] = await uow.messages.to_check(now=NOW, **ask)
        assert (due.notification_id, due.checked_at) == (old.notification_id, NOW)
        await uow.commit()
    async with make_uow() as uow:
        assert await uow.messages.to_check(now=NOW + timedelta(minutes=1), **ask) == []
        later = NOW + timedelta(minutes=16)
        again = await uow.messages.to_check(now=later, **{**ask, "checked_before": NOW})
        assert [m.notification_id for m in again] == [old.notification_id]


async def test_the_read_side_lists_what_operations_and_the_portal_read(make_uow) -> None:
    inbox_old = message(Channel.INBOX, S.DELIVERED, created_at=NOW - timedelta(hours=1))
    inbox_new = message(Channel.INBOX, S.DELIVERED)
    failed = message(Channel.EMAIL, S.PERMANENT_FAILURE, reason="refused")
    unconfirmed = message(Channel.LETTER, S.SENDING, accepted_at=NOW, unconfirmed_at=NOW)
    await store(make_uow, inbox_old, inbox_new, failed, unconfirmed, message())
    async with make_uow() as uow:
        inbox = await uow.messages.inbox("person-1")
        assert [m.notification_id for m in inbox] == [
            inbox_new.notification_id,
            inbox_old.notification_id,
        ]
        assert await uow.messages.failed(10) == (1, [failed])
        assert await uow.messages.unconfirmed(10) == (1, [unconfirmed])
        assert (await uow.messages.unconfirmed(0))[0] == 1
        assert await uow.messages.backlog() == [
            Backlog("letter", "accepted", 1),
            Backlog("sms", "pending", 1),
        ]
        timely = await uow.messages.timeliness(NOW - timedelta(minutes=30))
        assert (timely.messages, timely.p50, timely.max) == (1, 3.0, 3.0)


async def test_people_are_remembered_with_their_preferences_and_gaps(make_uow) -> None:
    chosen = Preferences(
        "person-1",
        frozenset({Channel.SMS}),
        phone="+447700900123",
        address_lines=("1 Road", "Leeds"),
        postcode="LS1 4AP",
        accessible_format=AccessibleFormat.LARGE_PRINT,
    )
    async with make_uow() as uow:
        await uow.people.remember("person-1", first_name="Amina")
        await uow.people.remember("person-1", case_id="case-1")
        assert await uow.people.preferences("person-1") is None
        await uow.people.save_preferences(chosen, NOW)
        await uow.people.flag_contact_gap("person-2", "no contact details", "e-1", NOW)
        await uow.people.flag_contact_gap("person-2", "sms: no mobile number", "e-2", NOW)
        await uow.people.flag_contact_gap("person-3", "no contact details", "e-3", NOW)
        await uow.commit()
    async with make_uow() as uow:
        assert await uow.people.known("person-1") == ("Amina", "case-1")
        assert await uow.people.known("nobody") == (None, None)
        assert await uow.people.preferences("person-1") == chosen
        await uow.people.clear_contact_gap("person-3")
        count, [gap] = await uow.people.contact_gaps(10)
        assert (count, gap.reason, gap.messages_affected) == (1, "sms: no mobile number", 2)


async def test_decisions_and_reconsiderations_wait_for_each_other(make_uow) -> None:
    facts = DecisionFacts("dec-2", "case-1", date(2026, 6, 1), 31_000, "Reasons.")
    waiting = Reconsideration(
        "rec-1", "person-1", "case-1", "dec-1", "dec-2", "changed", NOW, "flow-1", None
    )
    async with make_uow() as uow:
        await uow.people.remember_decision("person-1", facts, "reconsideration")
        await uow.people.remember_decision("person-1", replace(facts, weekly_pence=1), None)
        await uow.people.add_reconsideration(waiting)
        await uow.people.add_reconsideration(replace(waiting, outcome="unchanged"))
        await uow.commit()
    async with make_uow() as uow:
        assert await uow.people.decision("dec-2") == facts
        assert await uow.people.decision("dec-9") is None
        assert await uow.people.waiting_reconsideration("dec-2") == waiting
        await uow.people.reconsideration_told("rec-1", NOW)
        assert await uow.people.waiting_reconsideration("dec-2") is None
