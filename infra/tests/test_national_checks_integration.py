"""The national benchmark's SQL checks on the services' real schemas (real PostgreSQL): they pass
when each person has each effect once, and find a lost, doubled or unfinished one, or a dead
letter."""

import uuid
from datetime import UTC, date, datetime

import asyncpg
import pytest
from assessment.main import MIGRATIONS as ASSESSMENT
from care_plans.main import MIGRATIONS as CARE_PLANS
from devstack.national_checks import DECIDED_TEMPLATES, check_decided
from notifications.main import MIGRATIONS as NOTIFICATIONS
from payments.main import MIGRATIONS as PAYMENTS
from servicekit import db

pytestmark = pytest.mark.integration
SCHEMAS = {
    "assessment": ASSESSMENT,
    "payments": PAYMENTS,
    "care_plans": CARE_PLANS,
    "notifications": NOTIFICATIONS,
}
PEOPLE = ["P1", "P2"]
RULES = "GB-CARE-2026-27"


@pytest.fixture
async def dbs(infra):
    """A fresh database per service, migrated as the service migrates its own."""
    admin = await asyncpg.connect(infra.database_url("postgres"))
    conns = {}
    try:
        for service, migrations in SCHEMAS.items():
            name = f"t_{uuid.uuid4().hex[:12]}"
            await admin.execute(f'CREATE DATABASE "{name}"')
            pool = await db.create_pool(infra.database_url(name), 1, 2)
            await db.migrate(pool, migrations)
            await pool.close()
            conns[service] = await asyncpg.connect(infra.database_url(name))
        yield conns
    finally:
        for conn in conns.values():
            await conn.close()
        await admin.close()


async def decided(dbs, person: str) -> None:
    """What the consumers commit for a first decision, as far as the checks look."""
    n = person[1:]
    await dbs["payments"].execute(
        "INSERT INTO awards (award_id, person_id, first_day) VALUES ($1, $2, $3)",
        f"AW{n}",
        person,
        date(2026, 12, 1),
    )
    await award_version(dbs, f"AW{n}", 1, f"D{n}")
    await dbs["care_plans"].execute(
        "INSERT INTO plans (plan_id, person_id, current_version, status, review_policy)"
        " VALUES ($1, $2, 1, 'draft', '{}')",
        f"PL{n}",
        person,
    )
    for template in DECIDED_TEMPLATES:
        await message(dbs, person, template)


async def award_version(dbs, award: str, version: int, decision: str) -> None:
    await dbs["payments"].execute(
        "INSERT INTO award_versions (award_id, version, decision_id, decision_version,"
        " effective_from, rule_set_id, components, monthly_reduction_pence)"
        " VALUES ($1, $2, $3, 1, $4, $5, '[]', 0)",
        award,
        version,
        decision,
        date(2026, 12, 1),
        RULES,
    )


async def message(dbs, person: str, template: str, status: str = "delivered") -> None:
    await dbs["notifications"].execute(
        "INSERT INTO messages (notification_id, person_id, business_event_id, template_id,"
        " template_version, channel, body, status, source_event_time)"
        " VALUES ($1, $2, $3, $4, 1, 'inbox', 'text', $5, $6)",
        uuid.uuid4(),
        person,
        str(uuid.uuid4()),
        template,
        status,
        datetime.now(UTC),
    )


async def test_each_effect_once_passes_and_a_lost_one_is_found(dbs):
    for person in PEOPLE:
        await decided(dbs, person)
    assert await check_decided(dbs, PEOPLE, RULES) == []

    await dbs["notifications"].execute(
        "DELETE FROM messages WHERE person_id = 'P2' AND template_id = 'care-plan-ready'"
    )
    assert await check_decided(dbs, PEOPLE, RULES) == [
        "notifications: care-plan-ready messages: 1 missing (e.g. P2)"
    ]


async def test_a_doubled_effect_an_unfinished_message_and_a_dead_letter_are_found(dbs):
    for person in PEOPLE:
        await decided(dbs, person)
    await award_version(dbs, "AW1", 2, "D1-again")
    await message(dbs, "P2", "payment-issued", status="pending")
    await dbs["care_plans"].execute(
        'INSERT INTO dead_letters (consumer, topic, partition, "offset", event_id, event_type,'
        " error_class, reason, attempts) VALUES ('care-plans', 't', 0, 7, 'e', 'x', 'E', 'bad', 1)"
    )
    problems = await check_decided(dbs, PEOPLE, RULES)
    assert problems[0] == f"payments: award versions under {RULES}: 1 more than once (e.g. P1)"
    assert problems[1].startswith("notifications: messages not final: 1 (e.g. [('P2'")
    assert problems[2].startswith("care_plans: dead letters: 1 (e.g. [('care-plans', 'x', 'bad')")
    assert len(problems) == 3
