"""A person's UC claim, managed-services arrangement and bank account (sealed) in PostgreSQL."""

from dataclasses import asdict
from typing import Any
from uuid import UUID

import asyncpg
from servicekit.crypto import Sealer

from payments.adapters.sealed import ACCOUNT_NUMBER, PAYEE_NAME, SORT_CODE
from payments.domain.managed import ManagedServices, ProviderLine
from payments.domain.records import UcClaim
from payments.domain.uc_means import UcAssessedMeans

MANAGED_SERVICES_SELECT = (
    "SELECT plan_id, plan_version, weekly_budget_pence, managed_weekly_pence,"
    " direct_payment_weekly_pence, top_up_weekly_pence, providers FROM managed_services"
)


class PostgresUcClaims:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def get(self, person_id: str) -> UcClaim | None:
        row = await self.conn.fetchrow(
            "SELECT uc_claim_id, first_period_start, closed_on FROM uc_claims WHERE person_id = $1",
            person_id,
        )
        return UcClaim(**row) if row else None

    async def save(self, person_id: str, claim: UcClaim) -> None:
        await self.conn.execute(
            "INSERT INTO uc_claims (person_id, uc_claim_id, first_period_start, closed_on)"
            " VALUES ($1,$2,$3,$4) ON CONFLICT (person_id) DO UPDATE SET uc_claim_id = $2,"
            " first_period_start = $3, closed_on = $4",
            person_id,
            *asdict(claim).values(),
        )

    async def add_period(self, person_id: str, uc_claim_id: str, means: UcAssessedMeans) -> None:
        await self.conn.execute(
            "INSERT INTO uc_periods (person_id, uc_claim_id, period_start, period_end,"
            " capital_pence, unearned_income_pence, earned_income_pence)"
            " VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (person_id, uc_claim_id, period_start)"
            " DO UPDATE SET period_end = $4, capital_pence = $5, unearned_income_pence = $6,"
            " earned_income_pence = $7, recorded_at = now()",
            person_id,
            uc_claim_id,
            *asdict(means).values(),
        )


class PostgresManagedServices:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def get(self, person_id: str) -> ManagedServices | None:
        row = await self.conn.fetchrow(f"{MANAGED_SERVICES_SELECT} WHERE person_id = $1", person_id)
        return _managed(row) if row else None

    async def for_update(self, person_id: str) -> ManagedServices | None:
        row = await self.conn.fetchrow(
            f"{MANAGED_SERVICES_SELECT} WHERE person_id = $1 FOR UPDATE", person_id
        )
        return _managed(row) if row else None

    async def save(self, person_id: str, arrangement: ManagedServices, event_id: str) -> None:
        """Insert or replace; the WHERE keeps an older version of the same plan from ever
        overwriting a newer one, even without the use case's check."""
        a = arrangement
        await self.conn.execute(
            "INSERT INTO managed_services (person_id, plan_id, plan_version, weekly_budget_pence,"
            " managed_weekly_pence, direct_payment_weekly_pence, top_up_weekly_pence, providers,"
            " event_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT (person_id) DO UPDATE SET"
            " plan_id = $2, plan_version = $3, weekly_budget_pence = $4,"
            " managed_weekly_pence = $5, direct_payment_weekly_pence = $6,"
            " top_up_weekly_pence = $7, providers = $8, event_id = $9, updated_at = now()"
            " WHERE managed_services.plan_id <> $2 OR managed_services.plan_version < $3",
            person_id,
            a.plan_id,
            a.plan_version,
            a.weekly_budget_pence,
            a.managed_weekly_pence,
            a.direct_payment_weekly_pence,
            a.top_up_weekly_pence,
            [asdict(p) for p in a.providers],
            event_id,
        )


class PostgresBankAccounts:
    """Each detail is stored sealed (adapters/sealed.py); run_store opens them for a run."""

    def __init__(self, conn: asyncpg.Connection, sealer: Sealer) -> None:
        self.conn, self.sealer = conn, sealer

    async def save(
        self, person_id: str, payee_name: str, sort_code: str, account_number: str
    ) -> None:
        seal = self.sealer.seal
        await self.conn.execute(
            "INSERT INTO bank_accounts (person_id, payee_name, sort_code, account_number)"
            " VALUES ($1,$2,$3,$4) ON CONFLICT (person_id) DO UPDATE SET payee_name = $2,"
            " sort_code = $3, account_number = $4, updated_at = now()",
            person_id,
            seal(PAYEE_NAME, person_id, payee_name),
            seal(SORT_CODE, person_id, sort_code),
            seal(ACCOUNT_NUMBER, person_id, account_number),
        )

    async def release_held(self, person_id: str) -> list[UUID]:
        rows = await self.conn.fetch(
            "UPDATE scheduled_payments SET status = 'scheduled', hold_reason = NULL,"
            " updated_at = now() WHERE person_id = $1 AND status = 'held'"
            " RETURNING instruction_id",
            person_id,
        )
        return [r["instruction_id"] for r in rows]


def _managed(row: Any) -> ManagedServices:
    values = dict(row)
    values["providers"] = tuple(ProviderLine(**p) for p in values["providers"])
    return ManagedServices(**values)
