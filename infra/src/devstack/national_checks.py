"""What `devstack.national_bench` reads from each service's database after each phase, person by
person, and checks with `devstack.flow_checks` before it prints a figure."""

from datetime import date
from typing import Any

import asyncpg

from devstack.flow_checks import all_equal, none_of, once_each

Dbs = dict[str, asyncpg.Connection]
SERVICES = ("assessment", "payments", "care_plans", "notifications")
DECIDED_TEMPLATES = ("decision-made", "payment-schedule-created", "care-plan-ready")
PAID_TEMPLATES = ("payment-issued", "statement-ready")
FINAL = ("delivered", "permanent_failure")


async def column(conn: asyncpg.Connection, sql: str, *args: Any) -> list[Any]:
    return [r[0] for r in await conn.fetch(sql, *args)]


async def pairs(conn: asyncpg.Connection, sql: str, *args: Any) -> dict[Any, Any]:
    return {r[0]: r[1] for r in await conn.fetch(sql, *args)}


async def pending(dbs: Dbs) -> int:
    """Events written to any outbox and not yet published."""
    sql = "SELECT count(*) FROM outbox WHERE published_at IS NULL"
    return sum([await dbs[s].fetchval(sql) for s in SERVICES])


async def dead_letters(dbs: Dbs) -> list[str]:
    problems = []
    for s in SERVICES:
        rows = await dbs[s].fetch("SELECT consumer, event_type, reason FROM dead_letters")
        problems += none_of(f"{s}: dead letters", [tuple(r) for r in rows])
    return problems


async def messages_of(dbs: Dbs, template: str) -> list[str]:
    return await column(
        dbs["notifications"], "SELECT person_id FROM messages WHERE template_id = $1", template
    )


async def not_final(dbs: Dbs) -> list[str]:
    rows = await dbs["notifications"].fetch(
        "SELECT person_id, template_id, status FROM messages WHERE status <> ALL($1::text[])",
        list(FINAL),
    )
    return none_of("notifications: messages not final", [tuple(r) for r in rows])


async def messages_each(dbs: Dbs, people: list[str], number: int) -> list[str]:
    found = await pairs(
        dbs["notifications"], "SELECT person_id, count(*) FROM messages GROUP BY person_id"
    )
    return all_equal("notifications: messages per person", dict.fromkeys(people, number), found)


async def check_decided(dbs: Dbs, people: list[str], rule_set_id: str) -> list[str]:
    """Each person's first decision: an award, its schedule, a care plan and three messages."""
    payments, plans = dbs["payments"], dbs["care_plans"]
    problems = once_each("payments: awards", people, await column(payments, AWARDS))
    versions = await column(payments, AWARD_VERSIONS, rule_set_id)
    problems += once_each(f"payments: award versions under {rule_set_id}", people, versions)
    problems += once_each(
        "care-plans: plans", people, await column(plans, "SELECT person_id FROM plans")
    )
    for template in DECIDED_TEMPLATES:
        found = await messages_of(dbs, template)
        problems += once_each(f"notifications: {template} messages", people, found)
    return problems + await not_final(dbs) + await dead_letters(dbs)


AWARDS = "SELECT person_id FROM awards"
AWARD_VERSIONS = (
    "SELECT a.person_id FROM award_versions v JOIN awards a USING (award_id)"
    " WHERE v.rule_set_id = $1"
)
DECISIONS = (
    "SELECT person_id, decision_id, (body -> 'award' ->> 'net_weekly_pence')::bigint AS weekly,"
    " (body -> 'award' ->> 'net_monthly_pence')::bigint AS monthly"
    " FROM decisions WHERE kind = $1"
)
DECISION_MESSAGES = (
    "SELECT person_id, count(*) FROM messages m WHERE template_id = 'decision-made' AND EXISTS"
    " (SELECT FROM inbox i WHERE i.event_id = m.business_event_id"
    " AND i.event_type LIKE '%.decision_made.%') GROUP BY person_id"
)


async def decisions_of(dbs: Dbs, kind: str) -> list[asyncpg.Record]:
    """Assessment's decisions of `kind`, with the amounts their DecisionMade carried (read from
    the decisions, not the outbox: a seeded state models those events as published long ago and
    pruned, devstack.seed_decided)."""
    return await dbs["assessment"].fetch(DECISIONS, kind)


async def check_uprated(
    dbs: Dbs, people: list[str], rule_set_id: str, effective: date
) -> list[str]:
    """Each person uprated once: an uprating decision in assessment; a payments award version
    under the new rule set from its date, paid at the new monthly rate for periods beginning on
    or after it (the old before); a plan revision for the decision at its new budget; the
    decision recorded by notifications with its weekly amount, and one message for it (a
    second decision-made message, for a DecisionMade notifications applied) and no other."""
    uprated = await decisions_of(dbs, "uprating")
    problems = once_each("assessment: uprating decisions", people, [r[0] for r in uprated])
    old = {r[0]: r for r in await decisions_of(dbs, "new_claim")}
    new = {r[0]: r for r in uprated}
    payments = dbs["payments"]
    rows = await payments.fetch(
        "SELECT a.person_id, v.effective_from FROM award_versions v JOIN awards a"
        " USING (award_id) WHERE v.rule_set_id = $1",
        rule_set_id,
    )
    problems += once_each(
        f"payments: award versions under {rule_set_id}", people, [r[0] for r in rows]
    )
    problems += all_equal(
        "payments: uprated versions' effective date",
        dict.fromkeys(people, effective),
        {r[0]: r[1] for r in rows},
    )
    problems += await _rates_by_period(payments, old, new, effective)
    plans = await dbs["care_plans"].fetch(
        "SELECT p.person_id, v.decision_id, (v.body ->> 'weekly_budget_pence')::bigint"
        " FROM plan_versions v JOIN plans p USING (plan_id) WHERE v.number > 1"
    )
    problems += once_each("care-plans: plan revisions", people, [r[0] for r in plans])
    expected = {p: (d["decision_id"], d["weekly"]) for p, d in new.items()}
    problems += all_equal(
        "care-plans: revisions' decision and budget", expected, {r[0]: (r[1], r[2]) for r in plans}
    )
    return problems + await _told_of_uprating(dbs, people, expected)


async def _told_of_uprating(dbs: Dbs, people: list[str], expected: dict) -> list[str]:
    told = dbs["notifications"]
    recorded = await told.fetch(
        "SELECT person_id, decision_id, weekly_pence FROM decisions WHERE kind = 'uprating'"
    )
    problems = once_each(
        "notifications: uprating decisions recorded", people, [r[0] for r in recorded]
    )
    problems += all_equal(
        "notifications: uprating decisions' id and weekly amount",
        expected,
        {r[0]: (r[1], r[2]) for r in recorded},
    )
    problems += all_equal(
        "notifications: decision-made messages for an applied DecisionMade (the new claim's"
        " and the uprating's)",
        dict.fromkeys(people, 2),
        await pairs(told, DECISION_MESSAGES),
    )
    problems += await messages_each(dbs, people, len(DECIDED_TEMPLATES) + 1)
    return problems + await not_final(dbs) + await dead_letters(dbs)


async def _rates_by_period(
    payments: asyncpg.Connection, old: dict, new: dict, effective: date
) -> list[str]:
    rows = await payments.fetch(
        "SELECT person_id, period_start, entitlement_pence FROM scheduled_payments"
    )
    monthly = {
        kind: {p: d["monthly"] for p, d in each.items()}
        for kind, each in (("old", old), ("new", new))
    }
    return rates_by_period([tuple(r) for r in rows], monthly["old"], monthly["new"], effective)


def rates_by_period(
    rows: list[tuple[str, date, int]], old: dict[str, int], new: dict[str, int], effective: date
) -> list[str]:
    """Each (person, period start, monthly entitlement) at the old rate for periods beginning
    before the uprating's date and at the new one from it; and everyone uprated has a period at
    the new rate."""
    expected = {
        (person, start): (new if start >= effective else old).get(person)
        for person, start, _ in rows
    }
    problems = all_equal(
        "payments: periods' monthly entitlement (old rates before the uprating, new from it)",
        expected,
        {(person, start): pence for person, start, pence in rows},
    )
    at_new = {person for person, start, _ in rows if start >= effective}
    return problems + once_each("payments: people with a period at the new rates", new, at_new)


async def check_paid(dbs: Dbs, people: list[str], run_id: str) -> list[str]:
    """Each person paid once by the run, announced once (PaymentIssued, StatementIssued) and
    told once of each, in a final state."""
    payments = dbs["payments"]
    problems = []
    for kind in ("payment_issued", "statement_issued"):
        keys = await column(payments, "SELECT key FROM outbox WHERE type LIKE $1", f"%.{kind}.%")
        problems += once_each(f"payments: {kind} events", people, keys)
    instructed = await column(
        payments,
        "SELECT person_id FROM scheduled_payments WHERE status IN ('instructed', 'paid')",
    )
    problems += once_each("payments: payments instructed", people, instructed)
    for template in PAID_TEMPLATES:
        found = await messages_of(dbs, template)
        problems += once_each(f"notifications: {template} messages", people, found)
    total = len(DECIDED_TEMPLATES) + 1 + len(PAID_TEMPLATES)
    problems += await messages_each(dbs, people, total)
    run = await payments.fetchrow("SELECT instructed FROM payment_runs WHERE run_id = $1", run_id)
    if run is None or run["instructed"] != len(people):
        problems.append(f"payments: run {run_id} instructed {run and run['instructed']}")
    return problems + await not_final(dbs) + await dead_letters(dbs)
