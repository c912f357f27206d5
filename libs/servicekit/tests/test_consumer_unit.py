"""The consumer's rules, on fakes: idempotency, bounded retries, dead letters, transient errors."""

from types import SimpleNamespace

import pytest
from servicekit.consumer import EventConsumer, Unprocessable
from servicekit.supervision import Backoff
from servicekit.testing import FakeUnitOfWork

from .support import submitted


class FakeDeadLetters:
    def __init__(self) -> None:
        self.sent: list = []

    async def send(self, letter) -> None:
        self.sent.append(letter)


RECORD = SimpleNamespace(topic="t", partition=0, offset=7, key=b"k", value=b"{}", headers=[])


def consumer_with(handler, uow: FakeUnitOfWork, dead: FakeDeadLetters) -> EventConsumer:
    return EventConsumer(
        "svc", {type(submitted()): handler}, lambda: uow, dead, max_attempts=3, backoff_ms=0,
        infrastructure_backoff=Backoff(first=0.01), infrastructure_wait=0.1,
    )  # fmt: skip


async def test_a_redelivered_event_is_applied_once() -> None:
    calls, uow, dead = [], FakeUnitOfWork(), FakeDeadLetters()

    async def handler(event, uow, deps) -> None:
        calls.append(event.id)

    consumer, event = consumer_with(handler, uow, dead), submitted()
    await consumer.apply(event, RECORD)
    await consumer.apply(event, RECORD)
    assert calls == [event.id]


async def test_a_failing_handler_is_retried_then_dead_lettered() -> None:
    attempts, uow, dead = [], FakeUnitOfWork(), FakeDeadLetters()

    async def handler(event, uow, deps) -> None:
        attempts.append(1)
        raise ValueError("amount has a fraction of a penny")

    await consumer_with(handler, uow, dead).apply(submitted(), RECORD)
    assert len(attempts) == 3
    assert [(d.attempts, d.error_class, d.reason) for d in dead.sent] == [
        (3, "ValueError", "amount has a fraction of a penny")
    ]


async def test_a_handler_that_succeeds_on_retry_is_not_dead_lettered() -> None:
    attempts, uow, dead = [], FakeUnitOfWork(), FakeDeadLetters()

    async def handler(event, uow, deps) -> None:
        attempts.append(1)
        if len(attempts) < 2:
            raise RuntimeError("flaky")

    await consumer_with(handler, uow, dead).apply(submitted(), RECORD)
    assert len(attempts) == 2 and dead.sent == [] and uow.committed


async def test_an_unprocessable_event_is_dead_lettered_at_once() -> None:
    uow, dead = FakeUnitOfWork(), FakeDeadLetters()

    async def handler(event, uow, deps) -> None:
        raise Unprocessable("decision for an unknown person")

    await consumer_with(handler, uow, dead).apply(submitted(), RECORD)
    assert [d.attempts for d in dead.sent] == [1]


async def test_infrastructure_failures_are_raised_not_dead_lettered() -> None:
    uow, dead = FakeUnitOfWork(), FakeDeadLetters()

    async def handler(event, uow, deps) -> None:
        raise ConnectionRefusedError("database is down")

    with pytest.raises(ConnectionRefusedError):
        await consumer_with(handler, uow, dead).apply(submitted(), RECORD)
    assert dead.sent == [] and not uow.committed


async def test_events_emitted_by_a_handler_carry_causation_and_correlation() -> None:
    uow, dead = FakeUnitOfWork(), FakeDeadLetters()
    cause = submitted(correlationid="flow-1")

    async def handler(event, uow, deps) -> None:
        from servicekit.events import new_event

        uow.emit(new_event(type(event), source="/s", subject=event.subject, data=event.data))

    await consumer_with(handler, uow, dead).apply(cause, RECORD)
    [emitted] = uow.published
    assert (emitted.causationid, emitted.correlationid) == (cause.id, "flow-1")


async def test_events_mapped_from_aggregates_at_commit_carry_causation_and_correlation(
    monkeypatch,
) -> None:
    from servicekit.events import new_event

    class Plan:
        def __init__(self) -> None:
            self.events = ["drafted"]

    def outbound(plan: Plan) -> list:  # runs at commit, as a service's adapters/outbound.py does
        cause = submitted()
        return [new_event(type(cause), source="/s", subject="p", data=cause.data)]

    uow, dead, cause = FakeUnitOfWork(), FakeDeadLetters(), submitted(correlationid="flow-2")
    monkeypatch.setattr(FakeUnitOfWork, "outbound", staticmethod(outbound))

    async def handler(event, uow, deps) -> None:
        uow.track(Plan())

    await consumer_with(handler, uow, dead).apply(cause, RECORD)
    [emitted] = uow.published
    assert (emitted.causationid, emitted.correlationid) == (cause.id, "flow-2")


class UnknownPerson(Exception):
    """A service's domain error naming an event it can never apply."""


async def test_a_domain_error_declared_unprocessable_is_dead_lettered_at_once() -> None:
    uow, dead, attempts = FakeUnitOfWork(), FakeDeadLetters(), []

    async def handler(event, uow, deps) -> None:
        attempts.append(1)
        raise UnknownPerson("no such person P1")

    consumer = EventConsumer(
        "svc",
        {type(submitted()): handler},
        lambda: uow,
        dead,
        backoff_ms=0,
        unprocessable=(UnknownPerson,),
    )
    await consumer.apply(submitted(), RECORD)
    assert len(attempts) == 1
    assert [(d.error_class, d.reason) for d in dead.sent] == [
        ("UnknownPerson", "no such person P1")
    ]


async def test_handlers_receive_the_services_dependencies() -> None:
    uow, seen = FakeUnitOfWork(), []

    async def handler(event, uow, deps) -> None:
        seen.append(deps)

    consumer = EventConsumer(
        "svc", {type(submitted()): handler}, lambda: uow, FakeDeadLetters(), deps=lambda: "deps"
    )
    await consumer.apply(submitted(), RECORD)
    assert seen == ["deps"]


async def test_a_batch_handed_to_the_handler_is_freed_without_the_cycle_collector():
    """FastStream keeps the decoder's result in the message's own cache: a result that refers
    to the message makes a cycle, and every batch (records, bodies) waits for a full garbage
    collection (the soak's heap steps)."""
    import gc
    import weakref

    from faststream.message import StreamMessage
    from servicekit.consumer import _batch_of

    message = StreamMessage(raw_message=(RECORD,), body=[RECORD.value])
    message.consumer = SimpleNamespace()
    message.set_decoder(_batch_of)
    batch = await message.decode()
    assert batch.records == [RECORD] and batch.consumer is message.consumer
    freed = weakref.ref(message)
    gc.disable()
    try:
        del message, batch
        assert freed() is None, "the message outlived its last reference (a reference cycle)"
    finally:
        gc.enable()
