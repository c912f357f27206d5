"""A Kafka node killed mid-flow loses no event and applies none twice.

On a three-node cluster (replication factor 3, `min.insync.replicas=2`) a producer commits a
state change and its event together (the kit's unit of work and outbox), the kit's relay
publishes them as the `assessment` principal, and a kit consumer applies them to PostgreSQL
as `care-plans`, in its own group, inbox first, offsets after the commit: the path every
service's events take. While events flow, the leader of a partition in use is killed with
SIGKILL; later it is started again on its data and must rejoin every partition's in-sync
replicas. Then SQL checks that every produced event was applied exactly once.
"""

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable
from datetime import datetime
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError
from aiokafka.partitioner import DefaultPartitioner
from contracts.assessment.v1 import AssessmentSubmitted, AssessmentSubmittedV1
from contracts.topics import ASSESSMENT_EVENTS
from devstack.drive import eventually
from devstack.kafka_cluster import replicas
from devstack.stack import Infra
from faststream.kafka import KafkaBroker
from servicekit import db
from servicekit.consumer import EventConsumer
from servicekit.deadletter import DeadLetters
from servicekit.outbox import OutboxRelay
from servicekit.service import kafka_publisher
from servicekit.uow import AsyncpgUnitOfWork

from .conftest import DATABASE

pytestmark = [pytest.mark.integration, pytest.mark.fault]

TOPIC = ASSESSMENT_EVENTS.name
PRODUCER, CONSUMER = "assessment", "care-plans"  # principals with their ACLs
RATE = 15  # events offered per second (the consumer keeps up with about 40 here)
PEOPLE = 60  # event keys: every partition in use
MIGRATIONS = Path(__file__).parent / "migrations"


def submitted(person: str) -> AssessmentSubmittedV1:
    data = AssessmentSubmitted(
        case_id=person, assessment_id=str(uuid.uuid4()), assessor_id="a1", area_code="E09000033"
    )
    return AssessmentSubmittedV1(source="/services/assessment", subject=person, data=data)


class CountingUnitOfWork(AsyncpgUnitOfWork):
    """Counts the redeliveries the inbox absorbs."""

    def __init__(self, pool: asyncpg.Pool, counts: Counter[str]) -> None:
        super().__init__(pool)
        self._counts = counts

    async def first_time(self, consumer: str, event: Any) -> bool:
        first = await super().first_time(consumer, event)
        self._counts["delivered" if first else "redelivered"] += 1
        return first


async def apply(event: AssessmentSubmittedV1, uow: AsyncpgUnitOfWork, deps: object) -> None:
    await uow.conn.execute(
        "INSERT INTO applied (event_id, subject) VALUES ($1, $2)", event.id, event.subject
    )


async def produce(pool: asyncpg.Pool, stop: asyncio.Event) -> None:
    """RATE events a second, each committed with its state change, until `stop`."""
    n, due = 0, time.monotonic()
    while not stop.is_set():
        event = submitted(f"person-{n % PEOPLE}")
        async with AsyncpgUnitOfWork(pool) as uow:
            await uow.conn.execute(
                "INSERT INTO produced (event_id, subject) VALUES ($1, $2)", event.id, event.subject
            )
            uow.emit(event)
            await uow.commit()
        n, due = n + 1, due + 1 / RATE
        await asyncio.sleep(max(0.0, due - time.monotonic()))


def partition_of(key: str, partitions: int) -> int:
    """Where the producer sends `key` (the client's default partitioner)."""
    return DefaultPartitioner()(key.encode(), list(range(partitions)), list(range(partitions)))


async def led_by(options: dict[str, Any], topics: list[str], node_id: int) -> int | None:
    """How many partitions of `topics` `node_id` leads (None while the cluster cannot say)."""
    try:
        described = [await replicas(options, topic) for topic in topics]
    except KafkaError:
        return None
    return sum(leader == node_id for parts in described for leader, _ in parts.values())


async def in_every_isr(options: dict[str, Any], topics: list[str], node_id: int) -> bool:
    try:
        described = [await replicas(options, topic) for topic in topics]
    except KafkaError:
        return False
    return all(node_id in isr for parts in described for _, isr in parts.values())


async def records_on(options: dict[str, Any], topic: str, partitions: int) -> int:
    """Records written to `topic` (no transactions: one offset per record)."""
    consumer = AIOKafkaConsumer(**options, group_id=None, enable_auto_commit=False)
    await consumer.start()
    try:
        parts = [TopicPartition(topic, p) for p in range(partitions)]
        return sum((await consumer.end_offsets(parts)).values())
    finally:
        await consumer.stop()


def service_broker(stack: Infra, principal: str) -> KafkaBroker:
    """A FastStream broker as the services make theirs (idempotent, acks=all)."""
    return KafkaBroker(
        **stack.faststream_options(principal),
        allow_auto_create_topics=False,
        client_id=principal,
        enable_idempotence=True,
        graceful_timeout=5,
    )


class Flow:
    """The producer, the relay (as `assessment`) and the consumer (as `care-plans`)."""

    def __init__(self, stack: Infra, pool: asyncpg.Pool) -> None:
        self.pool, self.counts = pool, Counter[str]()
        self.producer, self.consumer = (
            service_broker(stack, PRODUCER),
            service_broker(stack, CONSUMER),
        )
        consumer = EventConsumer(
            CONSUMER,
            {AssessmentSubmittedV1: apply},
            lambda: CountingUnitOfWork(pool, self.counts),
            DeadLetters(CONSUMER, self.consumer, pool),
        )
        consumer.subscribe(self.consumer, [TOPIC])
        self._stop, self._tasks = asyncio.Event(), []

    async def __aenter__(self) -> "Flow":
        await asyncio.gather(self.producer.start(), self.consumer.start())
        relay = OutboxRelay(self.pool, kafka_publisher(self.producer), lock_key=16_004)
        self._producing = asyncio.create_task(produce(self.pool, self._stop))
        self._tasks = [asyncio.create_task(relay.run()), self._producing]
        return self

    async def stop_producing(self) -> None:
        self._stop.set()
        await self._producing

    async def __aexit__(self, *exc: object) -> None:
        self._stop.set()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await asyncio.gather(self.consumer.stop(), self.producer.stop())

    async def scalar(self, sql: str, *args: Any) -> Any:
        return await self.pool.fetchval(sql, *args)

    async def applied_at_least(self, count: int) -> bool:
        return await self.scalar("SELECT count(DISTINCT event_id) >= $1 FROM applied", count)

    async def resumed_after(self, moment: datetime) -> float | None:
        """Seconds from `moment` until the first event produced after it was applied."""
        return await self.scalar(
            "SELECT extract(epoch FROM min(a.applied_at) - $1) FROM applied a"
            " JOIN produced p USING (event_id) WHERE p.produced_at > $1",
            moment,
        )


OUTCOME = {
    "produced": "SELECT count(*) FROM produced",
    "lost": "SELECT count(*) FROM produced p WHERE NOT EXISTS"
    " (SELECT 1 FROM applied a WHERE a.event_id = p.event_id)",
    "applied twice": "SELECT count(*) FROM (SELECT event_id FROM applied GROUP BY event_id"
    " HAVING count(*) > 1) AS twice",
    "applied, never produced": "SELECT count(*) FROM applied a WHERE NOT EXISTS"
    " (SELECT 1 FROM produced p WHERE p.event_id = a.event_id)",
    "inbox": f"SELECT count(*) FROM inbox WHERE consumer = '{CONSUMER}'",
    "unpublished": "SELECT count(*) FROM outbox WHERE published_at IS NULL",
    "dead letters": "SELECT count(*) FROM dead_letters",
    "slowest ms": "SELECT (1000 * extract(epoch FROM max(a.applied_at - p.produced_at)))::int"
    " FROM applied a JOIN produced p USING (event_id)",
}


@pytest.fixture
async def pool(three_brokers: Infra) -> AsyncIterator[asyncpg.Pool]:
    """The service's pool (its runtime role), migrated by its migration role."""
    pool = await db.create_pool(three_brokers.runtime_database_url(DATABASE))
    await db.migrate(pool, MIGRATIONS, three_brokers.migration_database_url(DATABASE))
    yield pool
    await pool.close()


async def test_killing_a_partition_leader_mid_flow_loses_nothing_and_applies_nothing_twice(
    three_brokers: Infra, pool: asyncpg.Pool
) -> None:
    stack, cluster = three_brokers, three_brokers.kafka_cluster
    assert cluster is not None and len(cluster.nodes) == 3
    topics = [TOPIC, "__consumer_offsets"]
    async with Flow(stack, pool) as flow:
        started = time.monotonic()
        await eventually(lambda: flow.applied_at_least(2 * RATE))
        leaders = {
            p: lead for p, (lead, _) in (await replicas(stack.kafka_options(), TOPIC)).items()
        }
        victim = leaders[partition_of("person-0", len(leaders))]
        survivors = cluster.admin_options([n.node_id for n in cluster.nodes if n.node_id != victim])

        killed_at, killed_at_db = time.monotonic(), await flow.scalar("SELECT clock_timestamp()")
        cluster.kill(victim)
        await eventually(lambda: _is(led_by(survivors, topics, victim), 0), timeout=45)
        moved_s = time.monotonic() - killed_at
        resumed_s = await eventually(lambda: flow.resumed_after(killed_at_db), timeout=45)
        await asyncio.sleep(1)  # flowing on two nodes

        restarted_at = time.monotonic()
        await cluster.restart(victim)
        up_s = time.monotonic() - restarted_at
        await eventually(lambda: in_every_isr(survivors, topics, victim), timeout=60)
        rejoin_s = time.monotonic() - restarted_at
        await asyncio.sleep(1)  # flowing on three again

        await flow.stop_producing()
        flow_s = time.monotonic() - started
        produced = await flow.scalar("SELECT count(*) FROM produced")
        await eventually(lambda: flow.applied_at_least(produced), timeout=60)
        await asyncio.sleep(1)  # time for a late duplicate to show itself
        after_kill = await flow.scalar(
            "SELECT count(*) FROM produced WHERE produced_at > $1", killed_at_db
        )
        outcome = {name: await flow.scalar(sql) for name, sql in OUTCOME.items()}
    on_topic = await records_on(stack.kafka_options(), TOPIC, len(leaders))

    print(
        f"three brokers: {produced} events at {RATE}/s over {flow_s:.0f} s, {after_kill} of them"
        f" after node {victim} (leader of {sum(v == victim for v in leaders.values())} of"
        f" {len(leaders)} partitions) was killed; every partition led by a survivor"
        f" {moved_s:.1f} s after the kill; first event produced after it applied"
        f" {resumed_s:.1f} s after it; slowest event {outcome['slowest ms'] / 1000:.1f} s from"
        f" commit to applied; node {victim} serving {up_s:.1f} s after its restart and in every"
        f" ISR after {rejoin_s:.1f} s; {on_topic - produced} duplicate records on the topic,"
        f" {flow.counts['redelivered']} redeliveries absorbed by the inbox; {outcome}"
    )
    assert after_kill > 0  # the flow went on while a node was down
    assert outcome["produced"] == produced == outcome["inbox"]
    wrong = ("lost", "applied twice", "applied, never produced", "unpublished", "dead letters")
    assert {name: outcome[name] for name in wrong if outcome[name]} == {}
    assert on_topic >= produced


async def _is(value: Awaitable[Any], expected: Any) -> bool:
    return await value == expected
