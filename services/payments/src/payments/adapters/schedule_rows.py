"""Planned payments as scheduled_payments rows, and statements as stored JSON."""

import json
from typing import Any

import asyncpg

from payments.domain.calculation import PeriodStatement
from payments.domain.schedule import PlannedPayment


async def upsert_planned(conn: asyncpg.Connection, items: list[tuple[str, str, PlannedPayment]],
                         replace_unpaid: bool = True) -> None:
    """Writes planned payments (award id, person id, plan). An existing row takes the new plan
    only while unpaid (``replace_unpaid``); a paid one is never touched."""
    conflict = (
        "DO UPDATE SET amount_pence = EXCLUDED.amount_pence,"
        " entitlement_pence = EXCLUDED.entitlement_pence, recovery_pence = EXCLUDED.recovery_pence,"
        " statement = EXCLUDED.statement, due_date = EXCLUDED.due_date, updated_at = now()"
        " WHERE scheduled_payments.accrued_entitlement_pence IS NULL"
        if replace_unpaid else "DO NOTHING")
    planned = [p for _, _, p in items]
    await conn.execute(
        "INSERT INTO scheduled_payments (award_id, person_id, instruction_id, period_start,"
        " period_end, due_date, amount_pence, entitlement_pence, recovery_pence, statement)"
        " SELECT a, pe, i, s, e, d, n, en, r, st::jsonb FROM unnest($1::text[], $2::text[],"
        " $3::uuid[], $4::date[], $5::date[], $6::date[], $7::bigint[], $8::bigint[],"
        " $9::bigint[], $10::text[]) AS t(a, pe, i, s, e, d, n, en, r, st)"
        f" ON CONFLICT (instruction_id) {conflict}",
        [a for a, _, _ in items], [pe for _, pe, _ in items],
        [p.instruction_id for p in planned], [p.period.start for p in planned],
        [p.period.end for p in planned], [p.due_date for p in planned],
        [p.statement.net_pence for p in planned],
        [p.statement.entitlement_pence for p in planned],
        [p.statement.recovery_pence for p in planned],
        [statement_text(p.statement) for p in planned])


def statement_text(statement: PeriodStatement) -> str:
    return json.dumps({
        "period": {"start": statement.period.start.isoformat(),
                   "end": statement.period.end.isoformat()},
        "lines": [{"label": x.label, "amount_pence": x.amount_pence, "explanation": x.explanation}
                  for x in statement.lines],
        "net_pence": statement.net_pence, "decision_version": statement.decision_version,
        "rule_set_id": statement.rule_set_id, "gross_pence": statement.gross_pence,
        "means_test_reduction_pence": statement.means_test_reduction_pence,
        "recovery_pence": statement.recovery_pence,
    })


def statement_json(statement: Any) -> dict[str, Any]:
    return json.loads(statement_text(statement))
