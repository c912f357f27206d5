"""The outbox relay under its supervisor while PostgreSQL crashes mid-batch (`pg_ctl stop -m
immediate`, then started again): it fails, says why, reconnects, leads again, loses nothing."""

import asyncio
import json
import uuid

import pytest
from devstack.postgres import postgres_down
from faststream.kafka import KafkaBroker
from servicekit import db
from servicekit.outbox import OutboxRelay
from servicekit.publishing import kafka_publisher
from servicekit.supervision import Supervisor

from .support import (
    NO_MIGRATIONS,
    cluster_of,
    emit,
    eventually,
    make_durable,
    read_topic,
    submitted,
    until_reachable,
)

pytestmark = [pytest.mark.integration, pytest.mark.fault]
TOPIC = "assessment.events"
LOCK_KEY = 7_301_777


async def test_the_relay_survives_a_postgresql_crash_mid_batch_and_publishes_everything(
    infra,
    fresh_database,
) -> None:
    cluster = cluster_of(infra)
    pool = await db.create_pool(await make_durable(fresh_database))
    await db.migrate(pool, NO_MIGRATIONS)
    broker = KafkaBroker(**infra.faststream_options(), enable_idempotence=True)
    await broker.start()
    subject = f"crash-{uuid.uuid4().hex[:8]}"
    before = [submitted(subject) for _ in range(40)]
    await emit(pool, *before)
    in_flight, publish = asyncio.Event(), kafka_publisher(broker)

    async def slow_publish(records) -> None:
        in_flight.set()  # the batch's transaction is open while this waits
        await asyncio.sleep(0.3)
        await publish(records)

    relay = OutboxRelay(pool, slow_publish, lock_key=LOCK_KEY, batch_size=10, poll_interval=0.05)
    supervisor = Supervisor(backoff_cap=0.5)
    task = supervisor.start("outbox-relay", relay.run)
    try:
        await in_flight.wait()
        async with postgres_down(cluster):
            reasons = await eventually(lambda: _now(supervisor.reasons()), timeout=10)
        after = [submitted(subject) for _ in range(20)]
        await until_reachable(lambda: emit(pool, *after))
        await eventually(lambda: _unpublished_is(pool, 0), timeout=30)
        locks = await pool.fetchval(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = $1", LOCK_KEY
        )
        leading, running = relay.is_leader, not task.done()
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await broker.stop()
        await pool.close()
    records = await read_topic(infra.kafka_options(), TOPIC, want=10_000, timeout=5)
    ids = [json.loads(r.value)["id"] for r in records if r.key == subject.encode()]
    restarts = supervisor.tasks["outbox-relay"].restarts
    print(f"relay: {len(ids)} records for 60 events, {restarts} restarts, said: {reasons}")
    assert set(ids) == {e.id for e in before + after}  # every event, duplicates allowed
    assert reasons[0].startswith("outbox-relay: ")
    assert reasons[0].endswith(("(database)", "(network)"))
    assert restarts >= 1 and running  # failed, restarted, never gave up
    assert leading and locks == 1  # the leader lock was taken again


async def _now(value):
    return value


async def _unpublished_is(pool, count: int) -> bool:
    async def pending() -> int:
        return await pool.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL")

    return await until_reachable(pending) == count
