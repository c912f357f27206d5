"""Payment runs in PostgreSQL: runs, claiming due payments in batches, recording what was sent,
and the advisory lock that keeps to one run at a time."""

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import fields
from datetime import date
from typing import Any
from uuid import UUID

import asyncpg
from servicekit.crypto import Sealer
from servicekit.db import keeps_session_state
from servicekit.uow import write_outbox

from payments.adapters import invoice_store, ledger_store
from payments.adapters.outbound import to_contract_events
from payments.adapters.people_store import managed_from
from payments.adapters.sealed import ACCOUNT_NUMBER, BANK_FILE, PAYEE_NAME, SORT_CODE
from payments.domain.batch import DuePayment, OpenOverpayment, PaymentBatch
from payments.domain.calculation import StatementLine
from payments.domain.contributions import OpenContribution
from payments.domain.errors import RunInProgress
from payments.domain.instructions import RemittanceLine
from payments.domain.managed_care import ProviderLineDue
from payments.domain.provider_payments import ProviderBatch, ProviderPayment
from payments.domain.records import (
    BankFileSummary,
    PaymentRun,
    ProviderPaymentSummary,
    RemittanceAdvice,
)

RUN_LOCK_KEY = 7_302_001  # pg advisory lock: one payment run at a time
# A run's remittance lines with no provider payment yet: one new payment per provider.
NEW_PROVIDER_PAYMENTS = """
SELECT l.provider_instruction_id AS instruction_id, l.provider_id,
       sum(l.amount_pence)::bigint AS amount_pence, 'scheduled' AS status, 0 AS attempts,
       NULL::text AS payee_ref, NULL::text AS hold_reason, true AS is_new,
       count(*)::int AS line_count
  FROM provider_lines l
 WHERE l.run_id = $1
   AND NOT EXISTS (SELECT 1 FROM provider_payments p
                    WHERE p.instruction_id = l.provider_instruction_id)
 GROUP BY l.provider_instruction_id, l.provider_id
 ORDER BY l.provider_id"""
PROVIDER_PAYMENTS = """
SELECT p.instruction_id, p.run_id, p.provider_id, p.amount_pence, count(l.*)::int AS people,
       p.status, p.attempts, p.hold_reason, p.last_file_id AS file_id
  FROM provider_payments p
  LEFT JOIN provider_lines l ON l.provider_instruction_id = p.instruction_id"""
REMITTANCE_LINES = """
SELECT provider_instruction_id, person_id, period_start, period_end, amount_pence
  FROM provider_lines WHERE provider_instruction_id = ANY($1::uuid[])
 ORDER BY person_id, period_start"""
PROVIDER_LINE_COLUMNS = tuple(f.name for f in fields(ProviderLineDue))

CLAIM_DUE = """
WITH due AS (
    SELECT instruction_id FROM scheduled_payments
     WHERE status = 'scheduled' AND due_date <= $1
     LIMIT $2 FOR UPDATE SKIP LOCKED)
SELECT s.instruction_id, s.award_id, s.person_id, s.kind, s.period_start, s.period_end,
       s.due_date, s.amount_pence, s.entitlement_pence, s.recovery_pence, s.attempts,
       s.accrued_entitlement_pence, s.statement::text AS statement,
       a.uc_claim_id, c.closed_on AS uc_closed_on,
       b.payee_name, b.sort_code, b.account_number, b.cooling_off_until,
       CASE WHEN m.person_id IS NOT NULL THEN json_build_object(
           'plan_id', m.plan_id, 'plan_version', m.plan_version,
           'weekly_budget_pence', m.weekly_budget_pence,
           'managed_weekly_pence', m.managed_weekly_pence,
           'direct_payment_weekly_pence', m.direct_payment_weekly_pence,
           'top_up_weekly_pence', m.top_up_weekly_pence, 'providers', m.providers)::text
       END AS managed
  FROM due JOIN scheduled_payments s USING (instruction_id)
  JOIN awards a ON a.award_id = s.award_id
  LEFT JOIN uc_claims c ON c.person_id = s.person_id AND c.uc_claim_id = a.uc_claim_id
  LEFT JOIN bank_accounts b ON b.person_id = s.person_id
  LEFT JOIN managed_services m ON m.person_id = s.person_id AND s.kind = 'period'
        AND s.accrued_entitlement_pence IS NULL"""
_RUN_COLUMNS = (
    "run_id",
    "run_date",
    "status",
    "batches",
    "instructed",
    "held",
    "nil",
    "total_pence",
    "provider_payments",
    "provider_held",
    "provider_total_pence",
    "started_by",
    "approved_by",
    "approved_at",
)


@asynccontextmanager
async def payment_run_lock(pool: asyncpg.Pool) -> AsyncIterator[None]:
    """Held on its own connection for the whole run (a session lock, not a transaction)."""
    async with pool.acquire() as conn:
        keeps_session_state(conn)  # should the unlock below not run, the pool's reset unlocks
        if not await conn.fetchval("SELECT pg_try_advisory_lock($1)", RUN_LOCK_KEY):
            raise RunInProgress()
        try:
            yield
        finally:
            await conn.execute("SELECT pg_advisory_unlock($1)", RUN_LOCK_KEY)


class PostgresPaymentRuns:
    """Bank details and bank files are sealed at rest (adapters/sealed.py)."""

    def __init__(self, conn: asyncpg.Connection, sealer: Sealer) -> None:
        self.conn, self.sealer = conn, sealer

    async def unfinished(self) -> PaymentRun | None:
        return _run(
            await self.conn.fetchrow("SELECT * FROM payment_runs WHERE status = 'in_progress'")
        )

    async def completed(self, run_date: date) -> PaymentRun | None:
        return _run(
            await self.conn.fetchrow(
                "SELECT * FROM payment_runs WHERE run_date = $1 AND status = 'completed'"
                " ORDER BY started_at DESC LIMIT 1",
                run_date,
            )
        )

    async def anything_due(self, run_date: date) -> bool:
        return bool(
            await self.conn.fetchval(
                "SELECT 1 FROM scheduled_payments WHERE status = 'scheduled' AND due_date <= $1"
                " LIMIT 1",
                run_date,
            )
        )

    async def create(self, run_date: date, started_by: str) -> PaymentRun:
        sequence = await self.conn.fetchval(
            "SELECT count(*) + 1 FROM payment_runs WHERE run_date = $1", run_date
        )
        run = PaymentRun(f"PR{run_date:%Y%m%d}-{sequence:02d}", run_date, started_by=started_by)
        await self.conn.execute(
            "INSERT INTO payment_runs (run_id, run_date, status, started_by)"
            " VALUES ($1, $2, $3, $4)",
            run.run_id,
            run.run_date,
            run.status,
            started_by,
        )
        return run

    async def approve(self, run_id: str, approved_by: str) -> bool:
        return (
            await self.conn.fetchval(
                "UPDATE payment_runs SET approved_by = $2, approved_at = now()"
                " WHERE run_id = $1 AND approved_by IS NULL RETURNING true",
                run_id,
                approved_by,
            )
            is not None
        )

    async def claim_due(self, run_date: date, limit: int) -> list[DuePayment]:
        rows = await self.conn.fetch(CLAIM_DUE, run_date, limit)
        return [_due(r, self._bank_details(r)) for r in rows]

    def _bank_details(self, row: Any) -> tuple[str | None, str | None, str | None]:
        person_id, open_ = row["person_id"], self.sealer.open
        if row["account_number"] is None:  # no bank account on file
            return None, None, None
        return (
            open_(PAYEE_NAME, person_id, row["payee_name"]),
            open_(SORT_CODE, person_id, row["sort_code"]),
            open_(ACCOUNT_NUMBER, person_id, row["account_number"]),
        )

    async def open_overpayments(self, people: list[str]) -> list[OpenOverpayment]:
        rows = await self.conn.fetch(
            "SELECT overpayment_id, person_id, outstanding_pence FROM overpayments"
            " WHERE person_id = ANY($1::text[]) AND outstanding_pence > 0"
            " ORDER BY person_id, raised_at, overpayment_id FOR UPDATE",
            people,
        )
        return [OpenOverpayment(*r) for r in rows]

    async def open_contributions(self, people: list[str]) -> list[OpenContribution]:
        rows = await self.conn.fetch(
            "SELECT c.contribution_id, c.person_id, c.outstanding_pence, i.invoice_reference"
            " FROM contributions c LEFT JOIN contribution_invoices i USING (contribution_id)"
            " WHERE c.person_id = ANY($1::text[]) AND c.outstanding_pence > 0"
            " ORDER BY c.person_id, c.raised_at, c.contribution_id FOR UPDATE OF c",
            people,
        )
        return [OpenContribution(*r) for r in rows]

    async def post_batch(self, batch: PaymentBatch) -> None:
        """Its journals, recoveries and events. The events are written now, not on commit:
        numbering the batch next locks the run's row until commit, and the other worker's batch
        should not wait for this batch's outbox rows too."""
        await ledger_store.post(self.conn, batch.journals)
        await _store_managed_care(self.conn, batch)
        await invoice_store.save_invoices(self.conn, batch.invoices)
        if batch.recovered:
            await self.conn.execute(
                "UPDATE overpayments o SET outstanding_pence = o.outstanding_pence - r.pence"
                " FROM unnest($1::text[], $2::bigint[]) AS r(id, pence)"
                " WHERE o.overpayment_id = r.id",
                list(batch.recovered),
                list(batch.recovered.values()),
            )
        if batch.collected:
            await self.conn.execute(
                "UPDATE contributions c SET outstanding_pence = c.outstanding_pence - r.pence"
                " FROM unnest($1::text[], $2::bigint[]) AS r(id, pence)"
                " WHERE c.contribution_id = r.id",
                list(batch.collected),
                list(batch.collected.values()),
            )
        events = list(to_contract_events(batch))
        batch.events.clear()
        if events:
            await write_outbox(self.conn, events, notify="outbox")  # the relay wakes on commit

    async def number_batch(self, batch: PaymentBatch) -> int:
        return await self.conn.fetchval(
            "UPDATE payment_runs SET batches = batches + 1, instructed = instructed + $2,"
            " held = held + $3, nil = nil + $4, total_pence = total_pence + $5"
            " WHERE run_id = $1 RETURNING batches",
            batch.run.run_id,
            len(batch.instructions),
            batch.held,
            batch.nil,
            batch.total_pence,
        )

    async def save_batch(self, batch: PaymentBatch, bank_file: bytes | None) -> None:
        u = batch.updates
        await self.conn.execute(
            "UPDATE scheduled_payments s SET status = u.status, attempts = u.attempts,"
            " amount_pence = u.amount, recovery_pence = u.recovery,"
            " accrued_entitlement_pence = coalesce(u.accrued, s.accrued_entitlement_pence),"
            " provider_pence = coalesce(u.provider, s.provider_pence),"
            " contribution_pence = coalesce(u.contribution, s.contribution_pence),"
            " collected_pence = coalesce(u.collected, s.collected_pence),"
            " hold_reason = u.hold_reason, executed_on = coalesce(u.executed_on, s.executed_on),"
            " last_run_id = $1,"
            " last_file_id = CASE WHEN u.status = 'instructed' THEN $2 ELSE s.last_file_id END,"
            " updated_at = now()"
            " FROM unnest($3::uuid[], $4::text[], $5::int[], $6::bigint[], $7::bigint[],"
            " $8::bigint[], $9::text[], $10::date[], $11::bigint[], $12::bigint[], $13::bigint[])"
            " AS u(id, status, attempts, amount, recovery, accrued, hold_reason, executed_on,"
            " provider, contribution, collected) WHERE s.instruction_id = u.id",
            batch.run.run_id,
            batch.file_id,
            [x.instruction_id for x in u],
            [x.status for x in u],
            [x.attempts for x in u],
            [x.amount_pence for x in u],
            [x.recovery_pence for x in u],
            [x.accrued_entitlement_pence for x in u],
            [x.hold_reason for x in u],
            [x.executed_on for x in u],
            [x.provider_pence for x in u],
            [x.contribution_pence for x in u],
            [x.collected_pence for x in u],
        )
        if bank_file is not None:
            await self._save_bank_file(batch, bank_file)

    async def provider_payments_due(self, run_id: str) -> list[ProviderPayment]:
        """Without their remittance lines (loaded file by file: remittance_lines)."""
        new = await self.conn.fetch(NEW_PROVIDER_PAYMENTS, run_id)
        waiting = await self.conn.fetch(
            "SELECT instruction_id, provider_id, amount_pence, status, attempts, payee_ref,"
            " hold_reason, (SELECT count(*) FROM provider_lines l"
            " WHERE l.provider_instruction_id = p.instruction_id)::int AS line_count"
            " FROM provider_payments p WHERE status IN ('scheduled', 'held')"
            " ORDER BY instruction_id FOR UPDATE"
        )
        return [ProviderPayment(**dict(row)) for row in (*new, *waiting)]

    async def remittance_lines(self, ids: list[UUID]) -> dict[UUID, tuple[RemittanceLine, ...]]:
        lines: dict[UUID, list[RemittanceLine]] = {i: [] for i in ids}
        for row in await self.conn.fetch(REMITTANCE_LINES, ids):
            lines[row["provider_instruction_id"]].append(RemittanceLine(*list(row.values())[1:]))
        return {i: tuple(x) for i, x in lines.items()}

    async def number_provider_batch(self, batch: ProviderBatch) -> int:
        return await self.conn.fetchval(
            "UPDATE payment_runs SET batches = batches + 1,"
            " provider_payments = provider_payments + $2, provider_held = provider_held + $3,"
            " provider_total_pence = provider_total_pence + $4 WHERE run_id = $1"
            " RETURNING batches",
            batch.run.run_id,
            len(batch.instructions),
            batch.held,
            batch.total_pence,
        )

    async def save_provider_batch(self, batch: ProviderBatch, bank_file: bytes | None) -> None:
        await ledger_store.post(self.conn, batch.journals)
        run_id, file_id = batch.run.run_id, batch.file_id
        await self.conn.executemany(
            "INSERT INTO provider_payments AS p (instruction_id, run_id, provider_id,"
            " amount_pence, status, attempts, payee_ref, hold_reason, executed_on, last_run_id,"
            " last_file_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$2,"
            " CASE WHEN $5 = 'instructed' THEN $10 END)"
            " ON CONFLICT (instruction_id) DO UPDATE SET status = $5, attempts = $6,"
            " payee_ref = $7, hold_reason = $8, executed_on = coalesce($9, p.executed_on),"
            " last_run_id = $2, last_file_id = coalesce(EXCLUDED.last_file_id, p.last_file_id),"
            " updated_at = now()",
            [
                (
                    u.instruction_id,
                    run_id,
                    u.provider_id,
                    u.amount_pence,
                    u.status,
                    u.attempts,
                    u.payee_ref,
                    u.hold_reason,
                    u.executed_on,
                    file_id,
                )
                for u in batch.updates
            ],
        )
        if bank_file is not None:
            await self._save_bank_file(batch, bank_file)

    async def _save_bank_file(self, batch: PaymentBatch | ProviderBatch, bank_file: bytes) -> None:
        """Sealed whole: a pain.001 holds every payee's bank details."""
        await self.conn.execute(
            "INSERT INTO bank_files (file_id, run_id, batch_no, transactions, total_pence,"
            " content) VALUES ($1,$2,$3,$4,$5,$6)",
            batch.file_id,
            batch.run.run_id,
            batch.number,
            len(batch.instructions),
            batch.total_pence,
            self.sealer.seal(BANK_FILE, batch.file_id, bank_file.decode()),
        )

    async def complete(self, run_id: str) -> PaymentRun:
        return _run(
            await self.conn.fetchrow(
                "UPDATE payment_runs SET status = 'completed', completed_at = now()"
                " WHERE run_id = $1 RETURNING *",
                run_id,
            )
        )

    async def get(self, run_id: str) -> PaymentRun | None:
        run = _run(await self.conn.fetchrow("SELECT * FROM payment_runs WHERE run_id = $1", run_id))
        if run is not None:
            run.files = await self.files(run_id)
            run.provider_payment_list = await self.provider_payments(run_id)
        return run

    async def provider_payments(
        self, run_id: str, provider_id: str | None = None
    ) -> list[ProviderPaymentSummary]:
        rows = await self.conn.fetch(
            f"{PROVIDER_PAYMENTS} WHERE (p.run_id = $1 OR p.last_run_id = $1)"
            " AND ($2::text IS NULL OR p.provider_id = $2)"
            " GROUP BY p.instruction_id ORDER BY p.provider_id, p.run_id",
            run_id,
            provider_id,
        )
        return [ProviderPaymentSummary(**r) for r in rows]

    async def remittance(self, run_id: str, provider_id: str) -> RemittanceAdvice | None:
        """The run's own payment to the provider (not one it only sent again)."""
        found = [p for p in await self.provider_payments(run_id, provider_id) if p.run_id == run_id]
        if not found:
            return None
        rows = await self.conn.fetch(REMITTANCE_LINES, [found[0].instruction_id])
        return RemittanceAdvice(
            found[0], tuple(RemittanceLine(*list(r.values())[1:]) for r in rows)
        )

    async def files(self, run_id: str) -> list[BankFileSummary]:
        rows = await self.conn.fetch(
            "SELECT file_id, batch_no, transactions, total_pence FROM bank_files"
            " WHERE run_id = $1 ORDER BY batch_no",
            run_id,
        )
        return [BankFileSummary(*r) for r in rows]

    async def file_contents(self, run_id: str) -> list[tuple[str, bytes]]:
        rows = await self.conn.fetch(
            "SELECT file_id, content FROM bank_files WHERE run_id = $1 ORDER BY batch_no", run_id
        )
        return [(r["file_id"], self._open_file(r["file_id"], r["content"])) for r in rows]

    async def bank_file(self, run_id: str, file_id: str) -> bytes | None:
        content = await self.conn.fetchval(
            "SELECT content FROM bank_files WHERE run_id = $1 AND file_id = $2", run_id, file_id
        )
        return None if content is None else self._open_file(file_id, content)

    def _open_file(self, file_id: str, content: str) -> bytes:
        return self.sealer.open(BANK_FILE, file_id, content).encode()


async def _store_managed_care(conn: asyncpg.Connection, batch: PaymentBatch) -> None:
    """The batch's remittance lines (paid to providers after the batches) and contributions."""
    if batch.provider_lines:
        await conn.copy_records_to_table(
            "provider_lines",
            columns=PROVIDER_LINE_COLUMNS,
            records=[
                tuple(getattr(x, c) for c in PROVIDER_LINE_COLUMNS) for x in batch.provider_lines
            ],
        )
    if batch.contributions:
        await conn.copy_records_to_table(
            "contributions",
            columns=(
                "contribution_id",
                "person_id",
                "instruction_id",
                "amount_pence",
                "outstanding_pence",
                "reason",
            ),
            records=[
                (
                    c.contribution_id,
                    c.person_id,
                    c.instruction_id,
                    c.amount_pence,
                    c.amount_pence,
                    c.reason,
                )
                for c in batch.contributions
            ],
        )


def _run(row: Any) -> PaymentRun | None:
    return None if row is None else PaymentRun(**{k: row[k] for k in _RUN_COLUMNS})


def _due(row: Any, bank_details: tuple[str | None, str | None, str | None]) -> DuePayment:
    lines = tuple(
        StatementLine(x["label"], x["amount_pence"], x["explanation"])
        for x in json.loads(row["statement"]).get("lines", ())
        if isinstance(x, dict)
    )
    return DuePayment(
        row["instruction_id"],
        row["award_id"],
        row["person_id"],
        row["kind"],
        row["period_start"],
        row["period_end"],
        row["due_date"],
        row["amount_pence"],
        row["entitlement_pence"],
        row["recovery_pence"],
        row["attempts"],
        row["accrued_entitlement_pence"],
        lines,
        row["uc_claim_id"],
        row["uc_closed_on"],
        *bank_details,
        None if row["managed"] is None else managed_from(json.loads(row["managed"])),
        row["cooling_off_until"],
    )
