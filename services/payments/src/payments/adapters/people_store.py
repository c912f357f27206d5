"""A person's UC claim and managed-services arrangement in PostgreSQL (their bank account:
bank_account_store.py)."""

from dataclasses import asdict
from typing import Any

import asyncpg

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
            " capital_pence, unearned_income_pence, earned_income_pence, housing_costs_element,"
            " limited_capability_for_work, responsible_for_child)"
            " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)"
            " ON CONFLICT (person_id, uc_claim_id, period_start)"
            " DO UPDATE SET period_end = $4, capital_pence = $5, unearned_income_pence = $6,"
            " earned_income_pence = $7, housing_costs_element = $8,"
            " limited_capability_for_work = $9, responsible_for_child = $10, recorded_at = now()",
            person_id,
            uc_claim_id,
            means.period_start,
            means.period_end,
            means.capital_pence,
            means.unearned_income_pence,
            means.earned_income_pence,
            *asdict(means.household).values(),
        )

    async def periods(self, person_id: str, uc_claim_id: str) -> list[UcAssessedMeans]:
        rows = await self.conn.fetch(
            "SELECT period_start, period_end, capital_pence, unearned_income_pence,"
            " earned_income_pence FROM uc_periods WHERE person_id = $1 AND uc_claim_id = $2"
            " ORDER BY period_start",
            person_id,
            uc_claim_id,
        )
        return [UcAssessedMeans(**row) for row in rows]


class PostgresManagedServices:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def get(self, person_id: str) -> ManagedServices | None:
        row = await self.conn.fetchrow(f"{MANAGED_SERVICES_SELECT} WHERE person_id = $1", person_id)
        return managed_from(row) if row else None

    async def for_update(self, person_id: str) -> ManagedServices | None:
        row = await self.conn.fetchrow(
            f"{MANAGED_SERVICES_SELECT} WHERE person_id = $1 FOR UPDATE", person_id
        )
        return managed_from(row) if row else None

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


def managed_from(row: Any) -> ManagedServices:
    """A managed_services row (or a mapping of its columns) as the domain's arrangement."""
    values = dict(row)
    values["providers"] = tuple(ProviderLine(**p) for p in values["providers"])
    return ManagedServices(**values)
