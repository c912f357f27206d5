"""The outbox on real PostgreSQL and Kafka: atomic with state, in order, never lost."""

import asyncio
import json

import pytest
from faststream.kafka import KafkaBroker
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from servicekit import db
from servicekit.outbox import OutboxRelay
from servicekit.service import kafka_publisher
from servicekit.telemetry import traceparent_of

from .support import NO_MIGRATIONS, emit, read_topic, submitted

pytestmark = pytest.mark.integration
TOPIC = "assessment.events"  # where AssessmentSubmittedV1 is routed


@pytest.fixture
async def pool(fresh_database):
    pool = await db.create_pool(fresh_database)
    await db.migrate(pool, NO_MIGRATIONS)
    yield pool
    await pool.close()


@pytest.fixture
async def broker(infra):
    broker = KafkaBroker(**infra.faststream_options(), enable_idempotence=True)
    await broker.start()
    yield broker
    await broker.stop()


async def ours(infra, subject: str, want: int) -> list:
    records = await read_topic(infra.kafka_options(), TOPIC, want=10_000, timeout=3)
    return [r for r in records if r.key == subject.encode()]


async def test_committed_events_are_published_in_order_with_their_key(infra, pool, broker) -> None:
    subject = f"p-{id(pool)}"
    events = [submitted(subject) for _ in range(5)]
    await emit(pool, *events)
    relay = OutboxRelay(pool, kafka_publisher(broker), lock_key=1)
    assert await relay.drain_once() == 5
    records = await ours(infra, subject, 5)
    assert [json.loads(r.value)["id"] for r in records] == [e.id for e in events]
    assert dict(records[0].headers)["ce_type"] == events[0].type.encode()
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0


async def test_a_rolled_back_change_publishes_nothing(pool) -> None:
    await emit(pool, submitted(), commit=False)
    assert await pool.fetchval("SELECT count(*) FROM outbox") == 0
    assert await pool.fetchval("SELECT to_regclass('state') IS NULL")


async def test_events_committed_before_a_crash_are_published_after_restart(
    infra, pool, broker
) -> None:
    subject = f"crash-{id(pool)}"
    event = submitted(subject)
    await emit(pool, event)  # committed; the process "dies" before its relay runs
    assert await ours(infra, subject, 1) == []
    restarted = OutboxRelay(pool, kafka_publisher(broker), lock_key=2)
    assert await restarted.drain_once() == 1
    assert [json.loads(r.value)["id"] for r in await ours(infra, subject, 1)] == [event.id]


async def test_a_publish_that_fails_half_way_leaves_rows_to_retry(infra, pool, broker) -> None:
    subject = f"half-{id(pool)}"
    events = [submitted(subject) for _ in range(3)]
    await emit(pool, *events)
    real = kafka_publisher(broker)

    async def publish_then_die(records) -> None:
        await real(records[:2])
        raise ConnectionError("killed between publish and mark")

    with pytest.raises(ConnectionError):
        await OutboxRelay(pool, publish_then_die, lock_key=3).drain_once()
    assert await pool.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL") == 3
    assert await OutboxRelay(pool, real, lock_key=3).drain_once() == 3
    ids = [json.loads(r.value)["id"] for r in await ours(infra, subject, 5)]
    assert ids == [e.id for e in events[:2]] + [e.id for e in events]  # duplicates, never gaps


async def test_only_one_relay_is_leader(pool, broker) -> None:
    first = OutboxRelay(pool, kafka_publisher(broker), lock_key=4, poll_interval=0.05)
    second = OutboxRelay(pool, kafka_publisher(broker), lock_key=4, poll_interval=0.05)
    tasks = [asyncio.create_task(first.run()), asyncio.create_task(second.run())]
    await asyncio.sleep(0.5)
    assert [first.is_leader, second.is_leader].count(True) == 1
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


async def test_each_published_event_has_a_publish_span_in_its_producers_trace(
    infra, pool, broker
) -> None:
    spans = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(spans))
    subject = f"traced-{id(pool)}"
    produced = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    events = [submitted(subject, traceparent=produced), submitted(subject)]
    await emit(pool, *events)
    await OutboxRelay(
        pool, kafka_publisher(broker, tracer_provider=provider), lock_key=5
    ).drain_once()
    traced, untraced = await ours(infra, subject, 2)
    publish = [s for s in spans.get_finished_spans() if s.name == f"{TOPIC} publish"]
    assert len(publish) == 2  # one each, the untraced event's a trace of its own
    first = next(s for s in publish if s.attributes["messaging.message.id"] == events[0].id)
    assert first.parent.span_id == 0xB7AD6B7169203331
    assert first.attributes["messaging.kafka.message.key"] == subject
    assert dict(traced.headers)["traceparent"].decode() == traceparent_of(first)
    assert [k for k, _ in traced.headers].count("traceparent") == 1
    assert dict(untraced.headers)["traceparent"].decode().split("-")[1] != produced.split("-")[1]
