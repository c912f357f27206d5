"""SQL for payment runs: runs, claiming due payments in batches, recording what was sent."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

import asyncpg

RUN_LOCK_KEY = 7_302_001  # pg advisory lock: one payment run at a time

CLAIM_DUE = """
WITH due AS (
    SELECT instruction_id FROM scheduled_payments
     WHERE status = 'scheduled' AND due_date <= $1
     LIMIT $2 FOR UPDATE SKIP LOCKED)
SELECT s.instruction_id, s.award_id, s.person_id, s.kind, s.period_start, s.period_end,
       s.due_date, s.amount_pence, s.entitlement_pence, s.recovery_pence, s.attempts,
       s.accrued_entitlement_pence, s.statement::text AS statement,
       a.uc_claim_id, c.closed_on AS uc_closed_on,
       b.payee_name, b.sort_code, b.account_number
  FROM due JOIN scheduled_payments s USING (instruction_id)
  JOIN awards a ON a.award_id = s.award_id
  LEFT JOIN uc_claims c ON c.person_id = s.person_id AND c.uc_claim_id = a.uc_claim_id
  LEFT JOIN bank_accounts b ON b.person_id = s.person_id"""


@dataclass
class RowUpdate:
    instruction_id: UUID
    status: str
    attempts: int
    amount_pence: int
    recovery_pence: int
    accrued_entitlement_pence: int | None
    hold_reason: str | None = None
    executed_on: date | None = None


@dataclass
class Run:
    run_id: str
    run_date: date
    status: str = "in_progress"
    batches: int = 0
    instructed: int = 0
    held: int = 0
    nil: int = 0
    total_pence: int = 0
    outcome: str = "created"
    """created, resumed (an unfinished run carried on) or already_completed (nothing to do)."""
    files: list[str] = field(default_factory=list)


async def open_run(conn: asyncpg.Connection, run_date: date) -> tuple[Run | None, Run | None]:
    """(the unfinished run, if any; the latest completed run for this date, if any)."""
    unfinished = await conn.fetchrow(
        "SELECT * FROM payment_runs WHERE status = 'in_progress'")
    completed = await conn.fetchrow(
        "SELECT * FROM payment_runs WHERE run_date = $1 AND status = 'completed'"
        " ORDER BY started_at DESC LIMIT 1", run_date)
    return _run(unfinished), _run(completed)


async def anything_due(conn: asyncpg.Connection, run_date: date) -> bool:
    return bool(await conn.fetchval(
        "SELECT 1 FROM scheduled_payments WHERE status = 'scheduled' AND due_date <= $1 LIMIT 1",
        run_date))


async def create_run(conn: asyncpg.Connection, run_date: date) -> Run:
    sequence = await conn.fetchval(
        "SELECT count(*) + 1 FROM payment_runs WHERE run_date = $1", run_date)
    run = Run(f"PR{run_date:%Y%m%d}-{sequence:02d}", run_date)
    await conn.execute("INSERT INTO payment_runs (run_id, run_date, status) VALUES ($1, $2, $3)",
                       run.run_id, run.run_date, run.status)
    return run


async def claim_due(conn: asyncpg.Connection, run_date: date, limit: int) -> list[Any]:
    return await conn.fetch(CLAIM_DUE, run_date, limit)


async def apply_updates(conn: asyncpg.Connection, run_id: str, file_id: str | None,
                        updates: list[RowUpdate]) -> None:
    await conn.execute(
        "UPDATE scheduled_payments s SET status = u.status, attempts = u.attempts,"
        " amount_pence = u.amount, recovery_pence = u.recovery,"
        " accrued_entitlement_pence = coalesce(u.accrued, s.accrued_entitlement_pence),"
        " hold_reason = u.hold_reason, executed_on = coalesce(u.executed_on, s.executed_on),"
        " last_run_id = $1,"
        " last_file_id = CASE WHEN u.status = 'instructed' THEN $2 ELSE s.last_file_id END,"
        " updated_at = now()"
        " FROM unnest($3::uuid[], $4::text[], $5::int[], $6::bigint[], $7::bigint[], $8::bigint[],"
        " $9::text[], $10::date[]) AS u(id, status, attempts, amount, recovery, accrued,"
        " hold_reason, executed_on) WHERE s.instruction_id = u.id",
        run_id, file_id, [u.instruction_id for u in updates], [u.status for u in updates],
        [u.attempts for u in updates], [u.amount_pence for u in updates],
        [u.recovery_pence for u in updates], [u.accrued_entitlement_pence for u in updates],
        [u.hold_reason for u in updates], [u.executed_on for u in updates])


async def add_bank_file(conn: asyncpg.Connection, file_id: str, run_id: str, batch_no: int,
                        transactions: int, total_pence: int, content: bytes) -> None:
    await conn.execute(
        "INSERT INTO bank_files (file_id, run_id, batch_no, transactions, total_pence, content)"
        " VALUES ($1,$2,$3,$4,$5,$6)", file_id, run_id, batch_no, transactions, total_pence,
        content)


async def count_batch(conn: asyncpg.Connection, run_id: str, instructed: int, held: int,
                      nil: int, total_pence: int) -> int:
    """Adds a batch to the run's totals; its number. Locks the run's row until commit, so
    batch numbers never clash."""
    return await conn.fetchval(
        "UPDATE payment_runs SET batches = batches + 1, instructed = instructed + $2,"
        " held = held + $3, nil = nil + $4, total_pence = total_pence + $5 WHERE run_id = $1"
        " RETURNING batches", run_id, instructed, held, nil, total_pence)


async def complete_run(conn: asyncpg.Connection, run_id: str) -> Run:
    row = await conn.fetchrow(
        "UPDATE payment_runs SET status = 'completed', completed_at = now() WHERE run_id = $1"
        " RETURNING *", run_id)
    return _run(row)


async def get_run(conn: asyncpg.Connection | asyncpg.Pool, run_id: str) -> Run | None:
    return _run(await conn.fetchrow("SELECT * FROM payment_runs WHERE run_id = $1", run_id))


async def run_files(conn: asyncpg.Connection | asyncpg.Pool, run_id: str,
                    with_content: bool = False) -> list[Any]:
    content = ", content" if with_content else ""
    return await conn.fetch(
        f"SELECT file_id, batch_no, transactions, total_pence{content} FROM bank_files"
        " WHERE run_id = $1 ORDER BY batch_no", run_id)


async def open_overpayments(conn: asyncpg.Connection, people: list[str]) -> list[Any]:
    return await conn.fetch(
        "SELECT overpayment_id, person_id, outstanding_pence FROM overpayments"
        " WHERE person_id = ANY($1::text[]) AND outstanding_pence > 0"
        " ORDER BY person_id, raised_at, overpayment_id FOR UPDATE", people)


async def recover(conn: asyncpg.Connection, recovered: dict[str, int]) -> None:
    await conn.execute(
        "UPDATE overpayments o SET outstanding_pence = o.outstanding_pence - r.pence"
        " FROM unnest($1::text[], $2::bigint[]) AS r(id, pence) WHERE o.overpayment_id = r.id",
        list(recovered), list(recovered.values()))


def _run(row: Any) -> Run | None:
    if row is None:
        return None
    fields = {k: row[k] for k in ("run_id", "run_date", "status", "batches", "instructed", "held",
                                  "nil", "total_pence")}
    return Run(**fields)
