"""Awards, their versions, the payment schedule, overpayments and UC claims in PostgreSQL.

Handlers see only these methods (tests use a FakePaymentsRepository with the same ones).
"""

from dataclasses import asdict
from datetime import date
from typing import Any

import asyncpg
from servicekit.uow import AsyncpgUnitOfWork

from payments.adapters import ledger_store
from payments.adapters.records import AccruedPeriod, Adjustment, Award, UcClaim
from payments.adapters.schedule_rows import upsert_planned
from payments.domain.awards import AwardVersion, WeeklyComponent
from payments.domain.managed import ManagedServices, ProviderLine
from payments.domain.schedule import PlannedPayment
from payments.domain.uc_means import UcAssessedMeans

_AWARD = "SELECT award_id, person_id, first_day, uc_claim_id, next_period_start FROM awards"


class PaymentsRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def knows_decision(self, decision_id: str) -> bool:
        return bool(await self.conn.fetchval(
            "SELECT 1 FROM award_versions WHERE decision_id = $1", decision_id))

    async def award_for_update(self, person_id: str) -> Award | None:
        row = await self.conn.fetchrow(f"{_AWARD} WHERE person_id = $1 FOR UPDATE", person_id)
        return Award(**row) if row else None

    async def add_award(self, award: Award) -> None:
        await self.conn.execute(
            "INSERT INTO awards (award_id, person_id, first_day, uc_claim_id, next_period_start)"
            " VALUES ($1,$2,$3,$4,$5)", *asdict(award).values())

    async def save_award(self, award: Award) -> None:
        await self.conn.execute(
            "UPDATE awards SET first_day = $2, uc_claim_id = $3, next_period_start = $4"
            " WHERE award_id = $1",
            award.award_id, award.first_day, award.uc_claim_id, award.next_period_start)

    async def versions(self, award_id: str) -> list[AwardVersion]:
        rows = await self.conn.fetch(
            "SELECT version, effective_from, rule_set_id, components, monthly_reduction_pence"
            " FROM award_versions WHERE award_id = $1 ORDER BY version", award_id)
        return [version_from_row(r) for r in rows]

    async def latest_decision(self, award_id: str) -> tuple[str, int]:
        row = await self.conn.fetchrow(
            "SELECT decision_id, decision_version FROM award_versions WHERE award_id = $1"
            " ORDER BY version DESC LIMIT 1", award_id)
        return row["decision_id"], row["decision_version"]

    async def add_version(self, award_id: str, decision_id: str, decision_version: int,
                          version: AwardVersion) -> None:
        await self.conn.execute(
            "INSERT INTO award_versions (award_id, version, decision_id, decision_version,"
            " effective_from, rule_set_id, components, monthly_reduction_pence)"
            " VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
            award_id, version.decision_version, decision_id, decision_version,
            version.effective_from, version.rule_set_id,
            [asdict(c) for c in version.components], version.monthly_means_test_reduction_pence)

    async def accrued_periods(self, award_id: str) -> list[AccruedPeriod]:
        rows = await self.conn.fetch(
            "SELECT period_start, period_end, accrued_entitlement_pence FROM scheduled_payments"
            " WHERE award_id = $1 AND kind = 'period' AND accrued_entitlement_pence IS NOT NULL"
            " ORDER BY period_start FOR UPDATE", award_id)
        return [AccruedPeriod(*r) for r in rows]

    async def set_accrued_entitlements(self, award_id: str, values: dict[date, int]) -> None:
        await self.conn.execute(
            "UPDATE scheduled_payments s SET accrued_entitlement_pence = v.pence,"
            " updated_at = now() FROM unnest($2::date[], $3::bigint[]) AS v(start, pence)"
            " WHERE s.award_id = $1 AND s.kind = 'period' AND s.period_start = v.start",
            award_id, list(values), list(values.values()))

    async def replan(self, award: Award, planned: list[PlannedPayment]) -> None:
        """Unpaid periods take the new plan; unpaid periods no longer planned are dropped.
        A period already paid (its entitlement accrued) is never touched here."""
        await upsert_planned(self.conn, [(award.award_id, award.person_id, p) for p in planned])
        await self.conn.execute(
            "DELETE FROM scheduled_payments WHERE award_id = $1 AND kind = 'period'"
            " AND accrued_entitlement_pence IS NULL AND NOT (period_start = ANY($2::date[]))",
            award.award_id, [p.period.start for p in planned])

    async def add_adjustment(self, row: Adjustment) -> None:
        await self.conn.execute(
            "INSERT INTO scheduled_payments (instruction_id, award_id, person_id, kind,"
            " period_start, period_end, due_date, amount_pence, entitlement_pence,"
            " accrued_entitlement_pence, statement)"
            " VALUES ($1,$2,$3,'arrears',$4,$5,$6,$7,$7,$7,$8)"
            " ON CONFLICT DO NOTHING",
            row.instruction_id, row.award_id, row.person_id, row.period_start, row.period_end,
            row.due_date, row.amount_pence, row.statement)

    async def outstanding_overpayment(self, person_id: str) -> int:
        return await self.conn.fetchval(
            "SELECT coalesce(sum(outstanding_pence), 0)::bigint FROM overpayments"
            " WHERE person_id = $1",
            person_id)

    async def add_overpayment(self, overpayment_id: str, award: Award, amount_pence: int,
                              reason: str) -> None:
        await self.conn.execute(
            "INSERT INTO overpayments (overpayment_id, person_id, award_id, amount_pence,"
            " outstanding_pence, reason) VALUES ($1,$2,$3,$4,$4,$5)",
            overpayment_id, award.person_id, award.award_id, amount_pence, reason)

    async def post(self, entries: list[ledger_store.Posted]) -> None:
        await ledger_store.post(self.conn, entries)

    async def uc_claim(self, person_id: str) -> UcClaim | None:
        row = await self.conn.fetchrow(
            "SELECT uc_claim_id, first_period_start, closed_on FROM uc_claims"
            " WHERE person_id = $1", person_id)
        return UcClaim(**row) if row else None

    async def save_uc_claim(self, person_id: str, claim: UcClaim) -> None:
        await self.conn.execute(
            "INSERT INTO uc_claims (person_id, uc_claim_id, first_period_start, closed_on)"
            " VALUES ($1,$2,$3,$4) ON CONFLICT (person_id) DO UPDATE SET uc_claim_id = $2,"
            " first_period_start = $3, closed_on = $4", person_id, *asdict(claim).values())

    async def add_uc_period(self, person_id: str, claim_id: str, means: UcAssessedMeans) -> None:
        await self.conn.execute(
            "INSERT INTO uc_periods (person_id, uc_claim_id, period_start, period_end,"
            " capital_pence, unearned_income_pence, earned_income_pence)"
            " VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (person_id, uc_claim_id, period_start)"
            " DO UPDATE SET period_end = $4, capital_pence = $5, unearned_income_pence = $6,"
            " earned_income_pence = $7, recorded_at = now()",
            person_id, claim_id, *asdict(means).values())

    async def uc_means(self, person_id: str, claim_id: str) -> dict[date, UcAssessedMeans]:
        rows = await self.conn.fetch(
            "SELECT period_start, period_end, capital_pence, unearned_income_pence,"
            " earned_income_pence FROM uc_periods WHERE person_id = $1 AND uc_claim_id = $2",
            person_id, claim_id)
        return {r["period_start"]: UcAssessedMeans(**r) for r in rows}

    async def managed_services_for_update(self, person_id: str) -> ManagedServices | None:
        row = await self.conn.fetchrow(
            f"{MANAGED_SERVICES_SELECT} WHERE person_id = $1 FOR UPDATE", person_id)
        return managed_services_from_row(row) if row else None

    async def save_managed_services(self, person_id: str, arrangement: ManagedServices,
                                    event_id: str) -> None:
        """Insert or replace; the WHERE keeps an older version of the same plan from ever
        overwriting a newer one, even without the handler's check."""
        a = arrangement
        await self.conn.execute(
            "INSERT INTO managed_services (person_id, plan_id, plan_version, weekly_budget_pence,"
            " managed_weekly_pence, direct_payment_weekly_pence, top_up_weekly_pence, providers,"
            " event_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT (person_id) DO UPDATE SET"
            " plan_id = $2, plan_version = $3, weekly_budget_pence = $4,"
            " managed_weekly_pence = $5, direct_payment_weekly_pence = $6,"
            " top_up_weekly_pence = $7, providers = $8, event_id = $9, updated_at = now()"
            " WHERE managed_services.plan_id <> $2 OR managed_services.plan_version < $3",
            person_id, a.plan_id, a.plan_version, a.weekly_budget_pence, a.managed_weekly_pence,
            a.direct_payment_weekly_pence, a.top_up_weekly_pence,
            [asdict(p) for p in a.providers], event_id)


MANAGED_SERVICES_SELECT = (
    "SELECT plan_id, plan_version, weekly_budget_pence, managed_weekly_pence,"
    " direct_payment_weekly_pence, top_up_weekly_pence, providers FROM managed_services")


def managed_services_from_row(row: Any) -> ManagedServices:
    values = dict(row)
    values["providers"] = tuple(ProviderLine(**p) for p in values["providers"])
    return ManagedServices(**values)


def version_from_row(row: Any) -> AwardVersion:
    return AwardVersion(
        decision_version=row["version"], effective_from=row["effective_from"],
        components=tuple(WeeklyComponent(**c) for c in row["components"]),
        rule_set_id=row["rule_set_id"],
        monthly_means_test_reduction_pence=row["monthly_reduction_pence"])


class PaymentsUnitOfWork(AsyncpgUnitOfWork):
    payments: PaymentsRepository

    async def __aenter__(self) -> "PaymentsUnitOfWork":
        await super().__aenter__()
        self.payments = PaymentsRepository(self.conn)
        return self
