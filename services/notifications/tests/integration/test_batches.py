"""A batch of events applied as the Kafka consumer applies it: one unit of work, what the
notices need read once for the batch and their messages written together, and still one
message per event, template and channel."""

from types import SimpleNamespace

import pytest
from contracts.payments import v1 as payments
from notifications.adapters.repository import NotificationsUnitOfWork
from notifications.entrypoints import errors, events
from servicekit.consumer import Delivery, EventConsumer

pytestmark = pytest.mark.integration
BY_TEXT_AND_EMAIL = dict(channels=["email", "sms"], email="amina@example.com", phone="07700900123")


def batch(*events) -> list[Delivery]:
    """As read from one partition: a record each, offsets in order."""
    return [
        Delivery(
            e, SimpleNamespace(topic="t", partition=0, offset=n, key=b"", value=b"", headers=[])
        )
        for n, e in enumerate(events)
    ]


async def told(service, *events) -> dict[str, list[tuple[str, str]]]:
    """Each event's messages: (channel, status), by event id."""
    rows = await service.runtime.pool.fetch(
        "SELECT business_event_id, channel, status FROM messages"
        " WHERE business_event_id = ANY($1) ORDER BY channel",
        [e.id for e in events],
    )
    found: dict[str, list[tuple[str, str]]] = {e.id: [] for e in events}
    for row in rows:
        found[row["business_event_id"]].append((row["channel"], row["status"]))
    return found


async def gaps(service) -> dict[str, int]:
    rows = await service.runtime.pool.fetch("SELECT person_id, messages_affected FROM contact_gaps")
    return {r["person_id"]: r["messages_affected"] for r in rows}


CHOSEN = [("email", "pending"), ("inbox", "delivered"), ("sms", "pending")]
INBOX_ONLY = [("inbox", "delivered")]


async def test_a_batch_about_two_people_tells_each_event_once_with_what_came_before_it(
    service, make
) -> None:
    other = make.another()
    await service.prefer(make.person_id, **BY_TEXT_AND_EMAIL)
    notices = [make.decision(weekly=27_250), other.payment_issued(), make.payment_issued()]
    statements = [make.statement(), other.statement()]
    await service.consumer.apply_batch(
        batch(make.submitted("Amina"), other.submitted("Bola"), *notices, *statements)
    )
    by_event = await told(service, *notices, *statements)
    assert [by_event[e.id] for e in (*notices, *statements)] == [
        CHOSEN, INBOX_ONLY, CHOSEN, CHOSEN, INBOX_ONLY
    ]  # fmt: skip
    named = await service.runtime.pool.fetch(
        "SELECT DISTINCT personalisation->>'first_name' AS name FROM messages"
        " WHERE personalisation ? 'first_name'"
    )
    assert [row["name"] for row in named] == ["Amina"]  # told earlier in the same batch
    assert await gaps(service) == {other.person_id: 2}  # one row, both its messages counted
    assert len(await service.published("notification_sent")) == 5  # the inbox copies
    [recipient] = await service.runtime.pool.fetch(
        "SELECT first_name, case_id FROM recipients WHERE person_id = $1", make.person_id
    )
    assert (recipient["first_name"], recipient["case_id"]) == ("Amina", make.case_id)


async def test_an_event_twice_in_a_batch_and_the_batch_replayed_past_the_inbox_tell_once(
    service, make
) -> None:
    await service.prefer(make.person_id, **BY_TEXT_AND_EMAIL)
    other = make.another()
    event, other_event = make.payment_issued(), other.statement()
    twice = batch(make.submitted(), event, other_event, event, other_event)
    await service.consumer.apply_batch(twice)
    await service.runtime.pool.execute("DELETE FROM inbox")  # as if replayed from the DLQ
    await service.consumer.apply_batch(twice)
    assert await told(service, event, other_event) == {event.id: CHOSEN, other_event.id: INBOX_ONLY}
    assert len(await service.published("notification_sent")) == 2
    assert await gaps(service) == {other.person_id: 1}


class DeadLetters:
    def __init__(self) -> None:
        self.letters = []

    async def send(self, letter) -> None:
        self.letters.append(letter)


async def test_a_poison_event_mid_batch_leaves_nothing_and_the_rest_is_told(service, make) -> None:
    other = make.another()
    poison, after_it, others = make.payment_issued(), make.statement(), other.statement()

    async def fails_for_the_poison(event, uow, deps) -> None:
        await events.on_notice(event, uow, deps)  # its messages recorded, then it fails
        if event.id == poison.id:
            raise ValueError("this event can never be told")

    dead = DeadLetters()
    consumer = EventConsumer(
        "notifications",
        {**events.HANDLERS, payments.PaymentIssuedV1: fails_for_the_poison},
        service.runtime.uow,
        dead,
        deps=lambda: service.deps,
        unprocessable=errors.UNPROCESSABLE,
        backoff_ms=1,
    )
    first = other.payment_issued()
    await consumer.apply_batch(
        batch(make.submitted(), other.submitted(), first, poison, after_it, others)
    )
    assert [(letter.event_id, letter.attempts) for letter in dead.letters] == [(poison.id, 3)]
    assert await told(service, first, poison, after_it, others) == {
        first.id: INBOX_ONLY, poison.id: [], after_it.id: INBOX_ONLY, others.id: INBOX_ONLY
    }  # fmt: skip
    assert await gaps(service) == {make.person_id: 1, other.person_id: 2}
    names = await service.runtime.pool.fetch("SELECT person_id FROM recipients ORDER BY 1")
    assert len(names) == 2


async def test_reads_see_the_unit_of_works_own_writes_before_they_are_flushed(
    service, make
) -> None:
    async with NotificationsUnitOfWork(service.runtime.pool, events.read_ahead) as uow:
        assert await uow.first_times("notifications", [make.submitted()]) == [True]
        assert await uow.people.known(make.person_id) == (None, None)  # read ahead: unknown
        await uow.people.remember(make.person_id, first_name="Amina")
        await uow.people.remember(make.person_id, case_id="case-1")
        assert await uow.people.known(make.person_id) == ("Amina", "case-1")
        assert await uow.people.known(make.another().person_id) == (None, None)  # read on asking
        await uow.people.flag_contact_gap(
            make.person_id, "no contact details", "e-1", service.clock()
        )
        assert (await uow.people.contact_gaps(10))[0] == 1
