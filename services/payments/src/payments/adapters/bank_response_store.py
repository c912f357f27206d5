"""Bank response files in PostgreSQL: what each applied, and the payments they name."""

import json
from uuid import UUID

import asyncpg
from servicekit.uow import UnitOfWork

from payments.adapters import ledger_store
from payments.domain.bank_responses import AppliedResponses, SentPayment


class PostgresBankResponses:
    def __init__(self, conn: asyncpg.Connection, uow: UnitOfWork) -> None:
        self.conn, self.uow = conn, uow

    async def summary(self, sha256: str) -> dict[str, object] | None:
        return await self.conn.fetchval(
            "SELECT summary FROM bank_response_files WHERE sha256 = $1", sha256
        )

    async def in_file(self, file_id: str) -> list[UUID] | None:
        if not await self.conn.fetchval("SELECT 1 FROM bank_files WHERE file_id = $1", file_id):
            return None
        rows = await self.conn.fetch(
            "SELECT instruction_id FROM scheduled_payments WHERE last_file_id = $1"
            " AND status = 'instructed'",
            file_id,
        )
        return [r["instruction_id"] for r in rows]

    async def sent(self, instruction_ids: list[UUID]) -> dict[UUID, SentPayment]:
        rows = await self.conn.fetch(
            "SELECT instruction_id, person_id, status, attempts, amount_pence"
            " FROM scheduled_payments WHERE instruction_id = ANY($1::uuid[]) FOR UPDATE",
            instruction_ids,
        )
        return {r["instruction_id"]: SentPayment(*r) for r in rows}

    async def save(self, applied: AppliedResponses) -> None:
        await self.conn.execute(
            "INSERT INTO bank_response_files (sha256, summary) VALUES ($1, $2)",
            applied.sha256,
            applied.summary,
        )
        await self.conn.copy_records_to_table(
            "bank_responses",
            columns=("sha256", "line", "instruction_id", "attempt", "status", "reason", "outcome"),
            records=[(applied.sha256, *line) for line in applied.lines],
        )
        await ledger_store.post(self.conn, applied.journals)
        changed = list(applied.changed.values())
        if changed:
            await self.conn.execute(
                "UPDATE scheduled_payments s SET status = u.status, hold_reason = u.hold_reason,"
                " failure = coalesce(u.failure::jsonb, s.failure), updated_at = now()"
                " FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[])"
                " AS u(id, status, hold_reason, failure) WHERE s.instruction_id = u.id",
                [p.instruction_id for p in changed],
                [p.status for p in changed],
                [p.hold_reason for p in changed],
                [None if p.failure is None else json.dumps(p.failure) for p in changed],
            )
        self.uow.track(applied)
