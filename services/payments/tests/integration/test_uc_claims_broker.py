"""On the real broker: the simulator's UC claim events and assessment decisions reach the
payments consumer; a decision with a fraction of a penny is dead-lettered with the reason."""

import asyncio
import json
import os
import sys
import time
import uuid
from datetime import date

import pytest
from devstack.benefits_simulator import claim_opened, period_assessed, publish
from faststream.kafka import KafkaBroker
from payments.adapters.repository import PostgresPaymentsUnitOfWork
from payments.config import PaymentsSettings
from payments.entrypoints.errors import UNPROCESSABLE
from payments.entrypoints.events import HANDLERS
from payments.main import MIGRATIONS, dependencies, load_planning_data
from servicekit import db
from servicekit.consumer import EventConsumer
from servicekit.deadletter import DeadLetters

from ..unit.builders import decision
from .support import TODAY

pytestmark = pytest.mark.integration


async def eventually(check, within: float = 30.0):
    deadline = time.monotonic() + within
    while not (value := await check()):
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.1)
    return value


@pytest.fixture
async def wired(infra, fresh_database, make_topics):
    name = f"payments-{uuid.uuid4().hex[:8]}"
    claims, decisions = f"{name}.claims", f"{name}.decisions"
    await make_topics(claims, decisions, f"{name}.dlq")
    pool = await db.create_pool(fresh_database)
    await db.migrate(pool, MIGRATIONS)
    broker = KafkaBroker(**infra.faststream_options(), enable_idempotence=True)
    settings = PaymentsSettings(
        database_url=fresh_database, environment="test", **infra.encryption_settings("payments")
    )
    sealer = settings.sealer()
    deps = dependencies(settings, pool, load_planning_data(), lambda: TODAY, sealer)
    consumer = EventConsumer(
        name,
        HANDLERS,
        lambda: PostgresPaymentsUnitOfWork(pool, sealer),
        DeadLetters(name, broker, pool),
        max_attempts=2,
        backoff_ms=10,
        deps=lambda: deps,
        unprocessable=UNPROCESSABLE,
    )
    consumer.subscribe(broker, [claims, decisions])
    await broker.start()
    yield pool, claims, decisions, name
    await broker.stop()
    await pool.close()


def award_of(pool, person: str):
    return lambda: pool.fetchrow("SELECT * FROM awards WHERE person_id = $1", person)


async def test_uc_aligned_and_standalone_awards_and_a_poison_decision(infra, wired) -> None:
    pool, claims, decisions, name = wired
    kafka = infra.kafka_options()
    simulator = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "devstack.benefits_simulator",
        "--topic",
        claims,
        "open-claim",
        "--person",
        "uc",
        "--claim",
        "UC-1",
        "--first-period",
        "2025-03-03",
        env={**os.environ, **infra.kafka_env("admin", "BENEFITS_SYSTEM_")},
    )
    assert await simulator.wait() == 0
    await eventually(lambda: pool.fetchval("SELECT 1 FROM uc_claims WHERE person_id = 'uc'"))
    await publish(
        [decision(person="uc", decision_id="d-uc"), decision(person="own", decision_id="d-own")],
        kafka,
        decisions,
    )
    poison = json.loads(decision(person="own", decision_id="d-bad").to_json_bytes())
    poison["data"]["components"][0]["weekly_pence"] = 11040.5
    await _publish_raw(infra, decisions, json.dumps(poison).encode())
    aligned, standalone = (
        await eventually(award_of(pool, "uc")),
        await eventually(award_of(pool, "own")),
    )
    assert (aligned["first_day"], aligned["uc_claim_id"]) == (date(2025, 5, 3), "UC-1")
    assert (standalone["first_day"], standalone["uc_claim_id"]) == (date(2025, 5, 10), None)
    letter = await eventually(lambda: pool.fetchrow("SELECT * FROM dead_letters"))
    assert letter["consumer"] == name and "weekly_pence" in letter["reason"]
    assert letter["attempts"] == 1  # malformed: dead-lettered at once, never retried
    await publish(
        [period_assessed("uc", "UC-1", date(2025, 5, 3), date(2025, 6, 2), unearned=10_000)],
        kafka,
        claims,
    )
    await eventually(
        lambda: pool.fetchval(
            "SELECT amount_pence = 47840 - 10000 FROM scheduled_payments"
            " WHERE person_id = 'uc' AND period_start = '2025-05-03'"
        )
    )
    assert await pool.fetchval("SELECT count(*) FROM award_versions") == 2


async def test_a_claim_after_the_decision_realigns_the_award(infra, wired) -> None:
    pool, claims, decisions, _ = wired
    await publish([decision(person="late", decision_id="d-late")], infra.kafka_options(), decisions)
    await eventually(award_of(pool, "late"))
    await publish([claim_opened("late", "UC-9", date(2025, 4, 20))], infra.kafka_options(), claims)
    realigned = await eventually(
        lambda: pool.fetchrow(
            "SELECT * FROM awards WHERE person_id = 'late' AND uc_claim_id = 'UC-9'"
        )
    )
    assert realigned["first_day"] == date(2025, 4, 20)
    starts = await pool.fetch(
        "SELECT period_start FROM scheduled_payments WHERE person_id = 'late' ORDER BY 1"
    )
    assert [s["period_start"].day for s in starts] == [20, 20, 20, 20]


async def _publish_raw(infra, topic: str, value: bytes) -> None:
    broker = KafkaBroker(**infra.faststream_options())
    async with broker:
        await broker.publish(value, topic, key=b"own")
