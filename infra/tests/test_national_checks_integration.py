"""The national benchmark's SQL checks on the services' real schemas (real PostgreSQL): they pass
when each person has each effect once, and find a lost, doubled or unfinished one, or a dead
letter; the uprating's check reads no outbox (a seeded state has pruned them)."""

import json
import uuid
from datetime import UTC, date, datetime

import asyncpg
import pytest
from assessment.main import MIGRATIONS as ASSESSMENT
from care_plans.main import MIGRATIONS as CARE_PLANS
from contracts.assessment.v1 import DecisionMadeV1
from devstack.national_checks import DECIDED_TEMPLATES, check_decided, check_uprated
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


async def award_version(
    dbs, award: str, version: int, decision: str, rules=RULES, start=date(2026, 12, 1)
) -> None:
    await dbs["payments"].execute(
        "INSERT INTO award_versions (award_id, version, decision_id, decision_version,"
        " effective_from, rule_set_id, components, monthly_reduction_pence)"
        " VALUES ($1, $2, $3, 1, $4, $5, '[]', 0)",
        award,
        version,
        decision,
        start,
        rules,
    )


async def message(
    dbs, person: str, template: str, status: str = "delivered", event: str | None = None
) -> None:
    await dbs["notifications"].execute(
        "INSERT INTO messages (notification_id, person_id, business_event_id, template_id,"
        " template_version, channel, body, status, source_event_time)"
        " VALUES ($1, $2, $3, $4, 1, 'inbox', 'text', $5, $6)",
        uuid.uuid4(),
        person,
        event or str(uuid.uuid4()),
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


RISE, EFFECTIVE = "GB-CARE-REHEARSAL", date(2027, 1, 1)
WEEKLY, MONTHLY = {"D": 9_000, "U": 9_500}, {"D": 39_000, "U": 41_167}
"""Each person's new-claim decision (D…) and uprating decision (U…): net pence."""


async def uprated(dbs, person: str) -> None:
    """What the uprating job and the consumers commit for a decided person, as far as the
    checks look: the decisions, the award version and periods, the plan revision, and the
    notifications' record of both decisions and their messages (each for an applied event)."""
    await decided(dbs, person)
    n = person[1:]
    await assessment_decisions(dbs, person)
    await award_version(dbs, f"AW{n}", 2, f"U{n}", RISE, EFFECTIVE)
    for start, kind in ((date(2026, 12, 1), "D"), (EFFECTIVE, "U")):
        await period(dbs, person, start, MONTHLY[kind])
    await dbs["care_plans"].execute(
        "INSERT INTO plan_versions (plan_id, number, status, decision_id, body)"
        " VALUES ($1, 2, 'draft', $2, $3)",
        f"PL{n}",
        f"U{n}",
        json.dumps({"weekly_budget_pence": WEEKLY["U"]}),
    )
    for kind, made in (("D", "new_claim"), ("U", "uprating")):
        await dbs["notifications"].execute(
            "INSERT INTO decisions (decision_id, person_id, case_id, decided_on, weekly_pence,"
            " reasons_summary, kind) VALUES ($1, $2, $3, $4, $5, '', $6)",
            f"{kind}{n}",
            person,
            f"C{n}",
            date(2026, 12, 1),
            WEEKLY[kind],
            made,
        )
    await dbs["notifications"].execute(
        "DELETE FROM messages WHERE person_id = $1 AND template_id = 'decision-made'", person
    )
    for kind in WEEKLY:
        await applied(dbs, event := f"{kind}{n}-made")
        await message(dbs, person, "decision-made", event=event)


async def assessment_decisions(dbs, person: str) -> None:
    n, conn = person[1:], dbs["assessment"]
    await conn.execute(
        "INSERT INTO people (person_id, nino, nino_hash, full_name, date_of_birth, area_code)"
        " VALUES ($1, $2, $3, 'A Person', '1950-01-01', 'E09000001')",
        person,
        f"cb1.{n}",
        f"hash-{n}",
    )
    await conn.execute(
        "INSERT INTO cases (case_id, person_id, status) VALUES ($1, $2, 'decided')", f"C{n}", person
    )
    await conn.execute(
        "INSERT INTO assessments (assessment_id, case_id, kind, assessor_id, facts)"
        " VALUES ($1, $2, 'initial', 'assessor', '{}')",
        f"A{n}",
        f"C{n}",
    )
    await conn.execute(
        "INSERT INTO decisions (decision_id, case_id, person_id, version, assessment_id,"
        " rule_set_id, eligible, effective_date, review_date, reconsideration_deadline, body,"
        " kind, decided_on, status, superseded_by) VALUES"
        " ($1, $3, $4, 1, $5, $6, true, $8, $8, $8, $9, 'new_claim', $8, 'superseded', $2),"
        " ($2, $3, $4, 2, $5, $7, true, $8, $8, $8, $10, 'uprating', $8, 'current', NULL)",
        f"D{n}",
        f"U{n}",
        f"C{n}",
        person,
        f"A{n}",
        RULES,
        RISE,
        date(2026, 12, 1),
        *(
            json.dumps({"award": {"net_weekly_pence": WEEKLY[k], "net_monthly_pence": MONTHLY[k]}})
            for k in ("D", "U")
        ),
    )


async def period(dbs, person: str, start: date, pence: int) -> None:
    await dbs["payments"].execute(
        "INSERT INTO scheduled_payments (instruction_id, award_id, person_id, period_start,"
        " period_end, due_date, amount_pence, entitlement_pence, statement)"
        " VALUES ($1, $2, $3, $4, $4, $4, $5, $5, '{}')",
        uuid.uuid4(),
        f"AW{person[1:]}",
        person,
        start,
        pence,
    )


async def applied(dbs, event: str) -> None:
    await dbs["notifications"].execute(
        "INSERT INTO inbox (consumer, source, event_id, event_type)"
        " VALUES ('notifications', 'assessment', $1, $2)",
        event,
        DecisionMadeV1.model_fields["type"].default,
    )


async def test_the_uprating_check_reads_the_domain_tables_not_the_outboxes(dbs):
    for person in PEOPLE:
        await uprated(dbs, person)
    assert await check_uprated(dbs, PEOPLE, RISE, EFFECTIVE) == []
    for conn in dbs.values():
        assert await conn.fetchval("SELECT count(*) FROM outbox") == 0


async def test_the_uprating_check_finds_a_lost_message_a_wrong_amount_and_an_unknown_event(dbs):
    for person in PEOPLE:
        await uprated(dbs, person)
    told = dbs["notifications"]
    await told.execute("DELETE FROM messages WHERE business_event_id = 'U2-made'")
    await told.execute("UPDATE decisions SET weekly_pence = 9400 WHERE decision_id = 'U1'")
    await told.execute("DELETE FROM inbox WHERE event_id = 'D1-made'")
    assert await check_uprated(dbs, PEOPLE, RISE, EFFECTIVE) == [
        "notifications: uprating decisions' id and weekly amount: 1 wrong"
        " (e.g. P1: expected ('U1', 9500), found ('U1', 9400))",
        "notifications: decision-made messages for an applied DecisionMade (the new claim's"
        " and the uprating's): 2 wrong (e.g. P1: expected 2, found 1)",
        "notifications: messages per person: 1 wrong (e.g. P2: expected 4, found 3)",
    ]


async def test_the_uprating_check_finds_an_old_rate_after_the_rise_and_a_wrong_budget(dbs):
    for person in PEOPLE:
        await uprated(dbs, person)
    await dbs["payments"].execute(
        "UPDATE scheduled_payments SET entitlement_pence = $1, amount_pence = $1"
        " WHERE person_id = 'P2' AND period_start = $2",
        MONTHLY["D"],
        EFFECTIVE,
    )
    await dbs["care_plans"].execute(
        "UPDATE plan_versions SET body = '{\"weekly_budget_pence\": 9000}'"
        " WHERE plan_id = 'PL1' AND number = 2"
    )
    problems = await check_uprated(dbs, PEOPLE, RISE, EFFECTIVE)
    assert len(problems) == 2
    assert problems[0].startswith("payments: periods' monthly entitlement")
    assert (
        "1 wrong (e.g. ('P2', datetime.date(2027, 1, 1)): expected 41167, found 39000)"
        in (problems[0])
    )
    assert problems[1] == (
        "care-plans: revisions' decision and budget: 1 wrong"
        " (e.g. P1: expected ('U1', 9500), found ('U1', 9000))"
    )
