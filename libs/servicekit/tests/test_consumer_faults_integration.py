"""The consumer on the real servers when things go wrong: PostgreSQL crashing and restarting
mid-stream, a dead letter interrupted half-way, events of unknown types."""

import asyncio
import logging
import uuid

import pytest
from devstack.postgres import postgres_down
from faststream.kafka import KafkaBroker
from servicekit import db
from servicekit.consumer import EventConsumer
from servicekit.deadletter import DeadLetter, DeadLetters
from servicekit.skipped import SkippedEvents
from servicekit.supervision import Backoff
from servicekit.uow import AsyncpgUnitOfWork

from .support import (
    NO_MIGRATIONS,
    cluster_of,
    eventually,
    make_durable,
    read_topic,
    submitted,
    until_reachable,
)

pytestmark = [pytest.mark.integration, pytest.mark.fault]


@pytest.fixture
async def pool(fresh_database):
    pool = await db.create_pool(await make_durable(fresh_database))
    await db.migrate(pool, NO_MIGRATIONS)
    await pool.execute("CREATE TABLE applied (event_id text, subject text)")
    yield pool
    await pool.close()


@pytest.fixture
async def names(make_topics):
    name = f"kitf-{uuid.uuid4().hex[:8]}"
    await make_topics(f"{name}.in", f"{name}.dlq", partitions=1)
    return name, f"{name}.in"


async def record(event, uow, deps) -> None:
    if event.subject == "poison":
        raise ValueError("this event can never be applied")
    await uow.conn.execute("INSERT INTO applied VALUES ($1, $2)", event.id, event.subject)


async def start(infra, pool, name: str, topic: str, dead=None, **options) -> KafkaBroker:
    broker = KafkaBroker(**infra.faststream_options(), enable_idempotence=True, **options)
    consumer = EventConsumer(
        name, {type(submitted()): record}, lambda: AsyncpgUnitOfWork(pool),
        dead or DeadLetters(name, broker, pool), max_attempts=3, backoff_ms=10,
        skipped=SkippedEvents(name, pool), infrastructure_backoff=Backoff(cap=0.5),
    )  # fmt: skip
    consumer.subscribe(broker, [topic])
    await broker.start()
    return broker


async def count(pool, sql: str, *args) -> int:
    return await until_reachable(lambda: pool.fetchval(sql, *args))


async def test_postgresql_crashing_mid_stream_dead_letters_nothing_and_applies_each_event_once(
    infra,
    pool,
    names,
) -> None:
    name, topic = names
    broker = await start(infra, pool, name, topic)
    events = [submitted(f"p{i}") for i in range(60)]
    try:
        for event in events[:20]:
            await broker.publish(event.to_json_bytes(), topic, key=event.subject.encode())
        await eventually(lambda: count(pool, "SELECT count(*) FROM applied"))
        async with postgres_down(cluster_of(infra)):
            for event in events[20:]:
                await broker.publish(event.to_json_bytes(), topic, key=event.subject.encode())
            await asyncio.sleep(3)  # the consumer meets a server that is gone, then starting up
        await eventually(
            lambda: _is(count(pool, "SELECT count(DISTINCT event_id) FROM applied"), 60), 60
        )
        rows = await count(pool, "SELECT count(*) FROM applied")
        dead_rows = await count(pool, "SELECT count(*) FROM dead_letters")
    finally:
        await broker.stop()
    dead_records = await read_topic(infra.kafka_options(), f"{name}.dlq", want=1, timeout=2)
    print(f"consumer across a crash: {rows} rows for 60 events, {dead_rows} dead letters")
    assert rows == 60  # exactly once each
    assert dead_rows == 0 and dead_records == []  # no good event dead-lettered


class HangingBroker:
    """A broker whose publish never returns: the process 'dies' after the row, before the
    record."""

    async def publish(self, *args, **kwargs) -> None:
        await asyncio.Event().wait()


async def test_a_dead_letter_cut_short_between_its_row_and_its_record_is_finished_later(
    infra,
    pool,
    names,
) -> None:
    name, topic = names
    first = await start(
        infra, pool, name, topic, dead=DeadLetters(name, HangingBroker(), pool), graceful_timeout=1
    )
    await first.publish(submitted("poison").to_json_bytes(), topic, key=b"k")
    await first.publish(submitted("after").to_json_bytes(), topic, key=b"k")
    pending = "SELECT count(*) FROM dead_letters WHERE published_at IS NULL"
    await eventually(lambda: count(pool, pending))
    await first.stop()  # the handler is cancelled: no record, no offset commit
    assert await read_topic(infra.kafka_options(), f"{name}.dlq", want=1, timeout=1) == []

    again = await start(infra, pool, name, topic)
    await eventually(lambda: count(pool, "SELECT count(*) FROM applied WHERE subject = 'after'"))
    # in a batch the good event is applied before the poison is set aside: wait for that too
    published = "SELECT count(*) FROM dead_letters WHERE published_at IS NOT NULL"
    await eventually(lambda: count(pool, published))
    await again.stop()
    letters = await read_topic(infra.kafka_options(), f"{name}.dlq", want=2, timeout=3)
    rows = await pool.fetch("SELECT error_class, attempts, published_at FROM dead_letters")
    assert len(letters) == 1 and dict(letters[0].headers)["dlq.error_class"] == b"ValueError"
    assert [(r["error_class"], r["published_at"] is not None) for r in rows] == [
        ("ValueError", True)
    ]


async def test_a_dead_letter_already_published_is_not_published_again(infra, pool, names) -> None:
    name, topic = names
    broker = KafkaBroker(**infra.faststream_options(), enable_idempotence=True)
    await broker.start()
    record_ = type("Record", (), dict(topic=topic, partition=0, offset=9, key=b"k",
                                       value=b"{not json", headers=[]))  # fmt: skip
    letter = DeadLetter.of(record_, ValueError("not JSON"), attempts=1)
    try:
        for _ in range(2):  # delivered again after a crash between the mark and the commit
            await DeadLetters(name, broker, pool).send(letter)
    finally:
        await broker.stop()
    letters = await read_topic(infra.kafka_options(), f"{name}.dlq", want=2, timeout=3)
    assert len(letters) == 1
    assert await pool.fetchval("SELECT count(*) FROM dead_letters") == 1


async def test_events_of_unknown_types_are_skipped_counted_and_logged_once(
    infra,
    pool,
    names,
    caplog,
) -> None:
    name, topic = names
    broker = await start(infra, pool, name, topic)
    newer = b'{"type": "uk.gov.carebenefit.assessment.decision_made.v9", "id": "x"}'
    other = b'{"type": "uk.gov.carebenefit.elsewhere.thing_happened.v1", "id": "y"}'
    with caplog.at_level(logging.WARNING, logger="servicekit.skipped"):
        for raw in (newer, newer, other, newer):
            await broker.publish(raw, topic, key=b"k")
        await broker.publish(submitted("after").to_json_bytes(), topic, key=b"k")
        await eventually(lambda: count(pool, "SELECT count(*) FROM applied"))
    await broker.stop()
    rows = await pool.fetch("SELECT event_type, topic, skipped FROM skipped_events ORDER BY 1")
    assert [tuple(r) for r in rows] == [
        ("uk.gov.carebenefit.assessment.decision_made.v9", topic, 3),
        ("uk.gov.carebenefit.elsewhere.thing_happened.v1", topic, 1),
    ]
    logged = [r.getMessage() for r in caplog.records if "unknown type" in r.getMessage()]
    assert len(logged) == 2
    assert await pool.fetchval("SELECT count(*) FROM dead_letters") == 0


async def _is(value, expected) -> bool:
    return await value == expected
