"""Planned payments as scheduled_payments rows, and their statements as stored JSON.

The row's `entitlement_pence` is what the payment is worth before recovery: for a period, the
statement's `net_monthly_pence`; for arrears, the arrears.
"""

import json
from typing import Any

import asyncpg

from payments.domain.calculation import PeriodStatement, StatementLine
from payments.domain.records import Adjustment, StoredStatement
from payments.domain.schedule import PlannedPayment

_REPLACE_UNPAID = (
    "DO UPDATE SET amount_pence = EXCLUDED.amount_pence,"
    " entitlement_pence = EXCLUDED.entitlement_pence, recovery_pence = EXCLUDED.recovery_pence,"
    " statement = EXCLUDED.statement, due_date = EXCLUDED.due_date, updated_at = now()"
    " WHERE scheduled_payments.accrued_entitlement_pence IS NULL"
)
_UPSERT = (
    "INSERT INTO scheduled_payments (award_id, person_id, instruction_id, period_start,"
    " period_end, due_date, amount_pence, entitlement_pence, recovery_pence, statement)"
    " SELECT a, pe, i, s, e, d, n, en, r, st::jsonb FROM unnest($1::text[], $2::text[],"
    " $3::uuid[], $4::date[], $5::date[], $6::date[], $7::bigint[], $8::bigint[],"
    " $9::bigint[], $10::text[]) AS t(a, pe, i, s, e, d, n, en, r, st)"
    " ON CONFLICT (instruction_id) "
)
_REPLAN = (
    f"WITH planned AS ({_UPSERT}{_REPLACE_UNPAID})"  # noqa: S608 (constants only)
    " DELETE FROM scheduled_payments WHERE award_id = $11 AND kind = 'period'"
    " AND accrued_entitlement_pence IS NULL AND NOT (period_start = ANY($4::date[]))"
)
_REPLAN_MANY = (
    f"WITH planned AS ({_UPSERT}{_REPLACE_UNPAID})"  # noqa: S608 (constants only)
    " DELETE FROM scheduled_payments s WHERE s.award_id = ANY($11::text[]) AND s.kind = 'period'"
    " AND s.accrued_entitlement_pence IS NULL AND NOT EXISTS (SELECT 1 FROM"
    " unnest($1::text[], $4::date[]) AS p(a, start) WHERE p.a = s.award_id"
    " AND p.start = s.period_start)"
)


async def upsert_planned(
    conn: asyncpg.Connection,
    items: list[tuple[str, str, PlannedPayment]],
    replace_unpaid: bool = True,
) -> None:
    """Writes planned payments (award id, person id, plan). An existing row takes the new plan
    only while unpaid (``replace_unpaid``); a paid one is never touched."""
    conflict = _REPLACE_UNPAID if replace_unpaid else "DO NOTHING"
    await conn.execute(_UPSERT + conflict, *_columns(items))


async def replan(
    conn: asyncpg.Connection, award_id: str, person_id: str, planned: list[PlannedPayment]
) -> None:
    """One award's unpaid periods take the new plan and unpaid periods no longer planned are
    dropped, in one statement (the two touch different periods). A period already paid (its
    entitlement accrued) is never touched."""
    await conn.execute(_REPLAN, *_columns([(award_id, person_id, p) for p in planned]), award_id)


async def replan_many(
    conn: asyncpg.Connection, items: list[tuple[str, str, PlannedPayment]], award_ids: list[str]
) -> None:
    """`replan` for several awards at once: `items` plan every unpaid period of `award_ids`."""
    await conn.execute(_REPLAN_MANY, *_columns(items), award_ids)


def _columns(items: list[tuple[str, str, PlannedPayment]]) -> tuple[list[Any], ...]:
    planned = [p for _, _, p in items]
    return (
        [a for a, _, _ in items],
        [pe for _, pe, _ in items],
        [p.instruction_id for p in planned],
        [p.period.start for p in planned],
        [p.period.end for p in planned],
        [p.due_date for p in planned],
        [p.statement.net_pence for p in planned],
        [p.statement.net_monthly_pence for p in planned],
        [p.statement.recovery_pence for p in planned],
        [statement_text(p.statement) for p in planned],
    )


async def add_adjustment(conn: asyncpg.Connection, adjustment: Adjustment) -> None:
    """Arrears: accrued as they are added, so a run only sends them."""
    a = adjustment
    await conn.execute(
        "INSERT INTO scheduled_payments (instruction_id, award_id, person_id, kind,"
        " period_start, period_end, due_date, amount_pence, entitlement_pence,"
        " accrued_entitlement_pence, statement)"
        " VALUES ($1,$2,$3,'arrears',$4,$5,$6,$7,$7,$7,$8) ON CONFLICT DO NOTHING",
        a.instruction_id,
        a.award_id,
        a.person_id,
        a.period_start,
        a.period_end,
        a.due_date,
        a.amount_pence,
        adjustment_json(a),
    )


def statement_text(statement: PeriodStatement) -> str:
    return json.dumps(statement_json(statement))


def statement_json(statement: PeriodStatement) -> dict[str, Any]:
    return {
        "period": {
            "start": statement.period.start.isoformat(),
            "end": statement.period.end.isoformat(),
        },
        "lines": [_line(x) for x in statement.lines],
        "net_pence": statement.net_pence,
        "net_monthly_pence": statement.net_monthly_pence,
        "decision_version": statement.decision_version,
        "rule_set_id": statement.rule_set_id,
        "gross_pence": statement.gross_pence,
        "means_test_reduction_pence": statement.means_test_reduction_pence,
        "recovery_pence": statement.recovery_pence,
    }


def adjustment_json(adjustment: Adjustment) -> dict[str, Any]:
    return {
        "kind": "arrears",
        "cause": adjustment.cause,
        "lines": [_line(x) for x in adjustment.lines],
        "net_pence": adjustment.amount_pence,
    }


def stored_statement(stored: dict[str, Any], amount_pence: int) -> StoredStatement:
    """A stored statement (of either kind, from any version of this code) read back."""
    lines = tuple(
        StatementLine(*x) if isinstance(x, list) else StatementLine(**x)
        for x in stored.get("lines", ())
    )
    net_monthly = stored.get("net_monthly_pence")
    if net_monthly is None and "gross_pence" in stored:  # written before the name was added
        net_monthly = stored["gross_pence"] - stored["means_test_reduction_pence"]
    return StoredStatement(
        lines=lines,
        net_pence=stored.get("net_pence", amount_pence),
        net_monthly_pence=net_monthly,
        recovery_pence=stored.get("recovery_pence", 0),
        rule_set_id=stored.get("rule_set_id"),
        decision_version=stored.get("decision_version"),
        cause=stored.get("cause"),
    )


def _line(line: StatementLine) -> dict[str, Any]:
    return {"label": line.label, "amount_pence": line.amount_pence, "explanation": line.explanation}
