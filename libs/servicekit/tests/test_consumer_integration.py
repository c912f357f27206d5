"""The consumer on the real broker: redelivery changes nothing, poison is dead-lettered and the
consumer keeps going, and an offset is never committed for work that did not commit."""

import uuid

import pytest
from faststream.kafka import KafkaBroker
from servicekit import db
from servicekit.consumer import EventConsumer
from servicekit.deadletter import DeadLetters
from servicekit.uow import AsyncpgUnitOfWork

from .support import NO_MIGRATIONS, eventually, read_topic, submitted

pytestmark = pytest.mark.integration


@pytest.fixture
async def pool(fresh_database):
    pool = await db.create_pool(fresh_database)
    await db.migrate(pool, NO_MIGRATIONS)
    await pool.execute("CREATE TABLE applied (event_id text, subject text)")
    yield pool
    await pool.close()


@pytest.fixture
async def names(make_topics):
    name = f"kit-{uuid.uuid4().hex[:8]}"
    await make_topics(f"{name}.in", f"{name}.dlq", partitions=1)
    return name, f"{name}.in"


DB_DOWN_ATTEMPTS: list[str] = []


async def record(event, uow, deps) -> None:
    if event.subject == "poison":
        raise ValueError("this event can never be applied")
    if event.subject == "db-down":
        DB_DOWN_ATTEMPTS.append(event.id)
        raise ConnectionRefusedError("database unavailable")
    await uow.conn.execute("INSERT INTO applied VALUES ($1, $2)", event.id, event.subject)


async def start_consumer(infra, pool, name: str, topic: str) -> KafkaBroker:
    broker = KafkaBroker(**infra.faststream_options(), enable_idempotence=True)
    consumer = EventConsumer(
        name,
        {type(submitted()): record},
        lambda: AsyncpgUnitOfWork(pool),
        DeadLetters(name, broker, pool),
        max_attempts=3,
        backoff_ms=10,
    )
    consumer.subscribe(broker, [topic])
    await broker.start()
    return broker


def applied(pool, subject: str):
    return lambda: pool.fetchval("SELECT count(*) FROM applied WHERE subject = $1", subject)


async def test_a_duplicate_delivery_changes_nothing(infra, pool, names) -> None:
    name, topic = names
    broker = await start_consumer(infra, pool, name, topic)
    event = submitted("twice")
    for _ in range(2):
        await broker.publish(event.to_json_bytes(), topic, key=b"twice")
    await broker.publish(submitted("marker").to_json_bytes(), topic, key=b"twice")
    await eventually(applied(pool, "marker"))
    await broker.stop()
    assert await applied(pool, "twice")() == 1
    assert await pool.fetchval("SELECT count(*) FROM inbox WHERE event_id = $1", event.id) == 1


async def test_malformed_and_failing_messages_are_dead_lettered_and_the_consumer_goes_on(
    infra, pool, names
) -> None:
    name, topic = names
    broker = await start_consumer(infra, pool, name, topic)
    await broker.publish(b"{not json", topic, key=b"k")
    await broker.publish(submitted("poison").to_json_bytes(), topic, key=b"k")
    await broker.publish(submitted("after").to_json_bytes(), topic, key=b"k")
    await eventually(applied(pool, "after"))
    await broker.stop()
    letters = await read_topic(infra.kafka_options(), f"{name}.dlq", want=2)
    headers = [dict(r.headers) for r in letters]
    assert [h["dlq.error_class"] for h in headers] == [b"MalformedEvent", b"ValueError"]
    assert headers[0]["dlq.reason"].startswith(b"not a JSON object")
    assert [h["dlq.attempts"] for h in headers] == [b"1", b"3"]
    assert {h["dlq.original_topic"] for h in headers} == {topic.encode()}
    assert letters[0].value == b"{not json"
    assert await pool.fetchval("SELECT count(*) FROM dead_letters") == 2


async def test_work_that_failed_to_commit_is_redelivered_after_a_restart(
    infra, pool, names
) -> None:
    """Why NACK_ON_ERROR: FastStream's default (ACK_FIRST) commits before the handler runs, so a
    crash mid-way loses the message. Here the offset stays uncommitted and a new consumer in the
    same group receives the message again."""
    name, topic = names
    broker = await start_consumer(infra, pool, name, topic)
    stuck = submitted("db-down")
    await broker.publish(stuck.to_json_bytes(), topic, key=b"k")
    await eventually(lambda: _async(DB_DOWN_ATTEMPTS.count(stuck.id) >= 3), timeout=15)
    await broker.stop()
    assert await applied(pool, "db-down")() == 0
    assert await pool.fetchval("SELECT count(*) FROM dead_letters") == 0

    async def recovered(event, uow, deps) -> None:
        await uow.conn.execute("INSERT INTO applied VALUES ($1, 'recovered')", event.id)

    again = KafkaBroker(**infra.faststream_options())
    EventConsumer(
        name,
        {type(stuck): recovered},
        lambda: AsyncpgUnitOfWork(pool),
        DeadLetters(name, again, pool),
    ).subscribe(again, [topic])
    await again.start()
    await eventually(applied(pool, "recovered"))
    await again.stop()
    assert await pool.fetchval("SELECT event_id FROM applied") == stuck.id


async def _async(value: bool) -> bool:
    return value
