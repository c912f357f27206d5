"""A Kafka node killed mid-flow loses no event and applies none twice.

Two services built by the kit (`create_service_app`, as every service is, in this process) on
a three-node cluster (replication factor 3, `min.insync.replicas=2`): a producer, `assessment`,
whose route commits a state change and its event together (unit of work and outbox) and whose
supervised relay publishes them; and a consumer, `care-plans`, which applies each event to
PostgreSQL inbox first, in its own group, offsets after the commit. Each runs as its own Kafka
principal under the project's ACLs. While events flow, the leader of a partition in use is
killed with SIGKILL; later it is started again on its data and must rejoin every partition's
in-sync replicas. Then SQL checks that every produced event was applied exactly once (both
services use one database here, so that one query can compare them). The producer's route is
closed like every service route: its calls carry an assessor's token from the stack's provider.
"""

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError
from aiokafka.partitioner import DefaultPartitioner
from asgi_lifespan import LifespanManager
from contracts.assessment.v1 import AssessmentSubmitted, AssessmentSubmittedV1
from contracts.topics import ASSESSMENT_EVENTS
from devstack.drive import eventually
from devstack.kafka_cluster import replicas
from devstack.paths import repo_root
from devstack.stack import Infra
from devstack.tokens import ASSESSOR, Tokens
from fastapi import APIRouter, Depends, Request
from servicekit import auth
from servicekit.service import ServiceDefinition, create_service_app, runtime_of
from servicekit.settings import ServiceSettings
from servicekit.uow import AsyncpgUnitOfWork

from .conftest import DATABASE

pytestmark = [pytest.mark.integration, pytest.mark.fault]

TOPIC = ASSESSMENT_EVENTS.name
PRODUCER, CONSUMER = "assessment", "care-plans"  # principals with their ACLs
RATE = 15  # events offered per second (the consumer keeps up with about 40 here)
PEOPLE = 60  # event keys: every partition in use
MIGRATIONS = Path(__file__).parent / "migrations"
PATIENCE = 120.0  # s for each step; only a failing run waits this long (the machine is shared)
router = APIRouter()


@router.post(
    "/people/{person}/assessments",
    dependencies=[Depends(auth.require("assessment:write", roles=[auth.ASSESSOR]))],
)
async def submit(person: str, request: Request) -> dict[str, str]:
    """The producer's use case: a state change and its event in one transaction."""
    data = AssessmentSubmitted(
        case_id=person, assessment_id=str(uuid.uuid4()), assessor_id="a1", area_code="E09000033"
    )
    event = AssessmentSubmittedV1(source="/services/assessment", subject=person, data=data)
    async with runtime_of(request).uow() as uow:
        await uow.conn.execute(
            "INSERT INTO produced (event_id, subject) VALUES ($1, $2)", event.id, person
        )
        uow.emit(event)
        await uow.commit()
    return {"event_id": event.id}


async def apply(event: AssessmentSubmittedV1, uow: AsyncpgUnitOfWork, deps: object) -> None:
    await uow.conn.execute(
        "INSERT INTO applied (event_id, subject) VALUES ($1, $2)", event.id, event.subject
    )


class CountingUnitOfWork(AsyncpgUnitOfWork):
    """Counts the redeliveries the inbox absorbs."""

    def __init__(self, pool: asyncpg.Pool, counts: Counter[str]) -> None:
        super().__init__(pool)
        self.counts = counts

    async def first_time(self, consumer: str, event: Any) -> bool:
        first = await super().first_time(consumer, event)
        self.counts["delivered" if first else "redelivered"] += 1
        return first


@dataclass
class Services:
    http: httpx.AsyncClient  # the producer's
    fatal: list[str]  # what either service found fatal
    counts: Counter[str]  # the consumer's deliveries and redeliveries


def settings(stack: Infra, principal: str, **extra: Any) -> ServiceSettings:
    return ServiceSettings(
        environment="test",
        database_url=stack.runtime_database_url(DATABASE),
        migration_database_url=stack.migration_database_url(DATABASE),
        **stack.kafka_settings(principal),
        **stack.oidc.service_settings(principal),
        relay_poll_interval_ms=50,
        **extra,
    )


@pytest.fixture
async def services(three_brokers: Infra) -> AsyncIterator[Services]:
    """Both services started (the consumer without a relay: its outbox stays empty)."""
    fatal, counts = [], Counter[str]()
    producer = ServiceDefinition(name=PRODUCER, migrations=MIGRATIONS, routers=[router])
    consumer = ServiceDefinition(
        name=CONSUMER,
        migrations=MIGRATIONS,
        make_uow=lambda pool: CountingUnitOfWork(pool, counts),
        handlers={AssessmentSubmittedV1: apply},
        consumes=[TOPIC],
    )
    apps = [
        create_service_app(producer, settings(three_brokers, PRODUCER), on_fatal=fatal.append),
        create_service_app(
            consumer, settings(three_brokers, CONSUMER, relay_enabled=False), on_fatal=fatal.append
        ),
    ]
    async with (
        LifespanManager(apps[0], startup_timeout=PATIENCE, shutdown_timeout=30) as made,
        LifespanManager(apps[1], startup_timeout=PATIENCE, shutdown_timeout=30),
    ):
        transport = httpx.ASGITransport(app=made.app)
        assessor = (await Tokens.for_provider(repo_root(), three_brokers.oidc)).auth(
            ASSESSOR, "assessment"
        )
        async with httpx.AsyncClient(
            transport=transport, base_url="http://assessment", auth=assessor
        ) as http:
            yield Services(http, fatal, counts)


@pytest.fixture
async def pool(three_brokers: Infra) -> AsyncIterator[asyncpg.Pool]:
    """For the checks, as the services' runtime role."""
    pool = await asyncpg.create_pool(three_brokers.runtime_database_url(DATABASE))
    yield pool
    await pool.close()


async def produce(http: httpx.AsyncClient, stop: asyncio.Event) -> None:
    """RATE submissions a second until `stop`."""
    n, due = 0, time.monotonic()
    while not stop.is_set():
        (await http.post(f"/people/person-{n % PEOPLE}/assessments")).raise_for_status()
        n, due = n + 1, due + 1 / RATE
        await asyncio.sleep(max(0.0, due - time.monotonic()))


def partition_of(key: str, partitions: int) -> int:
    """Where the producer sends `key` (the client's default partitioner)."""
    return DefaultPartitioner()(key.encode(), list(range(partitions)), list(range(partitions)))


async def led_by(options: dict[str, Any], topics: list[str], node_id: int) -> int | None:
    """How many partitions of `topics` `node_id` leads (None while the cluster cannot say)."""
    try:
        described = [await replicas(options, topic) for topic in topics]
    except (KafkaError, OSError, TimeoutError):  # the cluster cannot say yet
        return None
    return sum(leader == node_id for parts in described for leader, _ in parts.values())


async def in_every_isr(options: dict[str, Any], topics: list[str], node_id: int) -> bool:
    try:
        described = [await replicas(options, topic) for topic in topics]
    except (KafkaError, OSError, TimeoutError):  # the cluster cannot say yet
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


async def applied_at_least(pool: asyncpg.Pool, count: int) -> bool:
    return await pool.fetchval("SELECT count(DISTINCT event_id) >= $1 FROM applied", count)


async def resumed_after(pool: asyncpg.Pool, moment: datetime) -> float | None:
    """Seconds from `moment` until the first event produced after it was applied."""
    return await pool.fetchval(
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


@pytest.mark.timeout(600)  # about a minute alone; JVM restarts crawl when the machine is shared
async def test_killing_a_partition_leader_mid_flow_loses_nothing_and_applies_nothing_twice(
    three_brokers: Infra, services: Services, pool: asyncpg.Pool
) -> None:
    stack, cluster = three_brokers, three_brokers.kafka_cluster
    assert cluster is not None and len(cluster.nodes) == 3
    topics, stop = [TOPIC, "__consumer_offsets"], asyncio.Event()
    producing = asyncio.create_task(produce(services.http, stop))
    try:
        started = time.monotonic()
        await eventually(lambda: applied_at_least(pool, 2 * RATE), timeout=PATIENCE)
        leaders = {
            p: lead for p, (lead, _) in (await replicas(stack.kafka_options(), TOPIC)).items()
        }
        victim = leaders[partition_of("person-0", len(leaders))]
        survivors = cluster.admin_options([n.node_id for n in cluster.nodes if n.node_id != victim])

        killed_at, killed_at_db = time.monotonic(), await pool.fetchval("SELECT clock_timestamp()")
        cluster.kill(victim)
        await eventually(lambda: _is(led_by(survivors, topics, victim), 0), timeout=PATIENCE)
        moved_s = time.monotonic() - killed_at
        resumed_s = await eventually(lambda: resumed_after(pool, killed_at_db), timeout=PATIENCE)
        await asyncio.sleep(1)  # flowing on two nodes

        restarted_at = time.monotonic()
        await cluster.restart(victim, timeout=PATIENCE)
        up_s = time.monotonic() - restarted_at
        await eventually(lambda: in_every_isr(survivors, topics, victim), timeout=PATIENCE)
        rejoin_s = time.monotonic() - restarted_at
        await asyncio.sleep(1)  # flowing on three again
    finally:
        stop.set()
        await producing
    flow_s = time.monotonic() - started
    produced = await pool.fetchval("SELECT count(*) FROM produced")
    await eventually(lambda: applied_at_least(pool, produced), timeout=PATIENCE)
    await asyncio.sleep(1)  # time for a late duplicate to show itself
    after_kill = await pool.fetchval(
        "SELECT count(*) FROM produced WHERE produced_at > $1", killed_at_db
    )
    outcome = {name: await pool.fetchval(sql) for name, sql in OUTCOME.items()}
    on_topic = await records_on(stack.kafka_options(), TOPIC, len(leaders))

    print(
        f"three brokers: {produced} events at {RATE}/s over {flow_s:.0f} s, {after_kill} of them"
        f" after node {victim} (leader of {sum(v == victim for v in leaders.values())} of"
        f" {len(leaders)} partitions) was killed; every partition led by a survivor"
        f" {moved_s:.1f} s after the kill; first event produced after it applied"
        f" {resumed_s:.1f} s after it; slowest event {outcome['slowest ms'] / 1000:.1f} s from"
        f" commit to applied; node {victim} serving {up_s:.1f} s after its restart and in every"
        f" ISR after {rejoin_s:.1f} s; {on_topic - produced} duplicate records on the topic,"
        f" {services.counts['redelivered']} redeliveries absorbed by the inbox;"
        f" {outcome}"
    )
    assert after_kill > 0  # the flow went on while a node was down
    assert outcome["produced"] == produced == outcome["inbox"]
    wrong = ("lost", "applied twice", "applied, never produced", "unpublished", "dead letters")
    assert {name: outcome[name] for name in wrong if outcome[name]} == {}
    assert on_topic >= produced
    assert services.fatal == []  # neither service gave up


async def _is(value: Awaitable[Any], expected: Any) -> bool:
    return await value == expected
