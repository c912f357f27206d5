"""Awards, their versions, scheduled payments and UC claims in PostgreSQL."""

import json
from dataclasses import asdict
from datetime import date
from typing import Any

import asyncpg

from payments.domain.awards import AwardVersion, WeeklyComponent
from servicekit.uow import AsyncpgUnitOfWork


class PaymentsRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def knows_decision(self, decision_id: str) -> bool:
        return bool(await self.conn.fetchval(
            "SELECT 1 FROM award_versions WHERE decision_id = $1", decision_id))

    async def award_for_update(self, person_id: str) -> asyncpg.Record | None:
        return await self.conn.fetchrow(
            "SELECT award_id, person_id, first_day, uc_claim_id FROM awards"
            " WHERE person_id = $1 FOR UPDATE", person_id)

    async def add_award(self, award_id: str, person_id: str, first_day: date,
                        uc_claim_id: str | None) -> None:
        await self.conn.execute(
            "INSERT INTO awards (award_id, person_id, first_day, uc_claim_id) VALUES ($1,$2,$3,$4)",
            award_id, person_id, first_day, uc_claim_id)

    async def versions(self, award_id: str) -> list[AwardVersion]:
        rows = await self.conn.fetch(
            "SELECT version, effective_from, rule_set_id, components, monthly_reduction_pence"
            " FROM award_versions WHERE award_id = $1 ORDER BY version", award_id)
        return [AwardVersion(
            decision_version=r["version"], effective_from=r["effective_from"],
            components=tuple(WeeklyComponent(**c) for c in r["components"]),
            rule_set_id=r["rule_set_id"],
            monthly_means_test_reduction_pence=r["monthly_reduction_pence"]) for r in rows]

    async def add_version(self, award_id: str, decision_id: str, decision_version: int,
                          version: AwardVersion) -> None:
        await self.conn.execute(
            "INSERT INTO award_versions (award_id, version, decision_id, decision_version,"
            " effective_from, rule_set_id, components, monthly_reduction_pence)"
            " VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
            award_id, version.decision_version, decision_id, decision_version,
            version.effective_from, version.rule_set_id,
            [asdict(c) for c in version.components], version.monthly_means_test_reduction_pence)

    async def schedule(self, rows: list[tuple[Any, ...]]) -> None:
        """Upserts periods not yet paid; a period already instructed or paid is never touched."""
        await self.conn.executemany(
            "INSERT INTO scheduled_payments (instruction_id, award_id, person_id, period_start,"
            " period_end, due_date, amount_pence, statement) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)"
            " ON CONFLICT (instruction_id) DO UPDATE SET amount_pence = EXCLUDED.amount_pence,"
            " statement = EXCLUDED.statement, updated_at = now()"
            " WHERE scheduled_payments.status = 'scheduled'", rows)

    async def uc_claim(self, person_id: str) -> asyncpg.Record | None:
        return await self.conn.fetchrow(
            "SELECT uc_claim_id, first_period_start FROM uc_claims"
            " WHERE person_id = $1 AND closed_on IS NULL", person_id)

    async def open_uc_claim(self, person_id: str, uc_claim_id: str, first_period_start: date) -> None:
        await self.conn.execute(
            "INSERT INTO uc_claims (person_id, uc_claim_id, first_period_start) VALUES ($1,$2,$3)"
            " ON CONFLICT (person_id) DO UPDATE SET uc_claim_id = $2, first_period_start = $3,"
            " closed_on = NULL", person_id, uc_claim_id, first_period_start)

    async def close_uc_claim(self, person_id: str, closed_on: date) -> None:
        await self.conn.execute(
            "UPDATE uc_claims SET closed_on = $2 WHERE person_id = $1", person_id, closed_on)


class PaymentsUnitOfWork(AsyncpgUnitOfWork):
    payments: PaymentsRepository

    async def __aenter__(self) -> "PaymentsUnitOfWork":
        await super().__aenter__()
        self.payments = PaymentsRepository(self.conn)
        return self


def statement_json(statement: Any) -> dict[str, Any]:
    return json.loads(json.dumps(asdict(statement), default=str))
