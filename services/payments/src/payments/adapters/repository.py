"""The PostgreSQL unit of work and its repositories: awards and their schedules, UC claims,
managed services, bank accounts, bank responses (payment runs: run_store, the ledger:
ledger_store). All of payments' SQL lives in adapters."""

import json
from collections import defaultdict
from dataclasses import asdict
from datetime import date
from typing import Any, Self
from uuid import UUID

import asyncpg
from servicekit.uow import AsyncpgUnitOfWork, UnitOfWork

from payments.adapters import ledger_store, outbound
from payments.adapters.run_store import PostgresPaymentRuns
from payments.adapters.schedule_rows import add_adjustment, stored_statement, upsert_planned
from payments.domain.award import Award, AwardChanges
from payments.domain.awards import AwardVersion, RecordedDecision, WeeklyComponent
from payments.domain.bank_responses import AppliedResponses, SentPayment
from payments.domain.managed import ManagedServices, ProviderLine
from payments.domain.records import AccruedPeriod, PaymentsOfPerson, ScheduledPayment, UcClaim
from payments.domain.uc_means import UcAssessedMeans

_AWARD = "SELECT award_id, person_id, first_day, uc_claim_id, next_period_start FROM awards"
_VERSIONS = (
    "SELECT award_id, version, decision_id, decision_version, effective_from, rule_set_id,"
    " components, monthly_reduction_pence FROM award_versions"
)
_UC_PERIODS = (
    "SELECT person_id, uc_claim_id, period_start, period_end, capital_pence,"
    " unearned_income_pence, earned_income_pence FROM uc_periods"
)
_LEFT_TO_PLAN = """
    SELECT o.person_id, (o.outstanding - coalesce(p.planned, 0))::bigint AS left_to_plan
      FROM (SELECT person_id, sum(outstanding_pence) AS outstanding FROM overpayments
             WHERE person_id = ANY($1::text[]) AND outstanding_pence > 0 GROUP BY person_id) o
      LEFT JOIN (SELECT person_id, sum(recovery_pence) AS planned FROM scheduled_payments
                  WHERE person_id = ANY($1::text[]) AND accrued_entitlement_pence IS NULL
                  GROUP BY person_id) p USING (person_id)"""
MANAGED_SERVICES_SELECT = (
    "SELECT plan_id, plan_version, weekly_budget_pence, managed_weekly_pence,"
    " direct_payment_weekly_pence, top_up_weekly_pence, providers FROM managed_services"
)


class PostgresAwards:
    def __init__(self, conn: asyncpg.Connection, uow: UnitOfWork) -> None:
        self.conn, self.uow = conn, uow

    async def knows_decision(self, decision_id: str) -> bool:
        return bool(
            await self.conn.fetchval(
                "SELECT 1 FROM award_versions WHERE decision_id = $1", decision_id
            )
        )

    async def exists(self, person_id: str) -> bool:
        return bool(
            await self.conn.fetchval("SELECT 1 FROM awards WHERE person_id = $1", person_id)
        )

    async def for_person(self, person_id: str) -> Award | None:
        row = await self.conn.fetchrow(f"{_AWARD} WHERE person_id = $1 FOR UPDATE", person_id)
        if row is None:
            return None
        award = Award(**row)
        award.decisions = [
            _decision(r)
            for r in await self.conn.fetch(
                f"{_VERSIONS} WHERE award_id = $1 ORDER BY version", award.award_id
            )
        ]
        award.paid = [
            AccruedPeriod(*r)
            for r in await self.conn.fetch(
                "SELECT period_start, period_end, accrued_entitlement_pence"
                " FROM scheduled_payments WHERE award_id = $1 AND kind = 'period'"
                " AND accrued_entitlement_pence IS NOT NULL ORDER BY period_start FOR UPDATE",
                award.award_id,
            )
        ]
        if award.uc_claim_id is not None:
            rows = await self.conn.fetch(
                f"{_UC_PERIODS} WHERE person_id = $1 AND uc_claim_id = $2",
                person_id,
                award.uc_claim_id,
            )
            award.uc_means = {r["period_start"]: _means(r) for r in rows}
        award.to_recover_pence = await self.conn.fetchval(
            "SELECT coalesce(sum(outstanding_pence), 0)::bigint FROM overpayments"
            " WHERE person_id = $1",
            person_id,
        )
        self.uow.track(award)
        return award

    async def save(self, award: Award) -> None:
        await self._save_row(award)
        changes, award.changes = award.changes, AwardChanges()
        if changes.decisions:
            await self._add_decisions(award.award_id, changes.decisions)
        if changes.accrued:
            await self.conn.execute(
                "UPDATE scheduled_payments s SET accrued_entitlement_pence = v.pence,"
                " updated_at = now() FROM unnest($2::date[], $3::bigint[]) AS v(start, pence)"
                " WHERE s.award_id = $1 AND s.kind = 'period' AND s.period_start = v.start",
                award.award_id,
                list(changes.accrued),
                list(changes.accrued.values()),
            )
        for adjustment in changes.arrears:
            await add_adjustment(self.conn, adjustment)
        for raised in changes.overpayments:
            await self.conn.execute(
                "INSERT INTO overpayments (overpayment_id, person_id, award_id, amount_pence,"
                " outstanding_pence, reason) VALUES ($1,$2,$3,$4,$4,$5)",
                raised.overpayment_id,
                award.person_id,
                award.award_id,
                raised.amount_pence,
                raised.reason,
            )
        await ledger_store.post(self.conn, changes.journals)
        if changes.replanned is not None:
            await self._replan(award, changes)
        self.uow.track(award)

    async def due_to_extend(self, until: date, after: str, limit: int) -> list[Award]:
        rows = await self.conn.fetch(
            f"{_AWARD} WHERE next_period_start <= $1 AND award_id > $2 ORDER BY award_id"
            " LIMIT $3 FOR UPDATE SKIP LOCKED",
            until,
            after,
            limit,
        )
        awards = [Award(**r) for r in rows]
        if not awards:
            return awards
        decisions: dict[str, list[RecordedDecision]] = defaultdict(list)
        for r in await self.conn.fetch(
            f"{_VERSIONS} WHERE award_id = ANY($1::text[]) ORDER BY award_id, version",
            [a.award_id for a in awards],
        ):
            decisions[r["award_id"]].append(_decision(r))
        people = [a.person_id for a in awards]
        left = {
            r["person_id"]: max(0, r["left_to_plan"])
            for r in await self.conn.fetch(_LEFT_TO_PLAN, people)
        }
        means = await self._uc_means([a for a in awards if a.uc_claim_id])
        for award in awards:
            award.decisions = decisions[award.award_id]
            award.to_recover_pence = left.get(award.person_id, 0)
            award.uc_means = means.get((award.person_id, award.uc_claim_id), {})
        return awards

    async def save_extended(self, awards: list[Award]) -> None:
        items = [(a.award_id, a.person_id, p) for a in awards for p in a.changes.extended]
        if items:
            await upsert_planned(self.conn, items, replace_unpaid=False)
        await self.conn.execute(
            "UPDATE awards a SET next_period_start = n.start FROM unnest($1::text[], $2::date[])"
            " AS n(id, start) WHERE a.award_id = n.id",
            [a.award_id for a in awards],
            [a.next_period_start for a in awards],
        )

    async def payments_of(self, person_id: str) -> PaymentsOfPerson | None:
        award = await self.conn.fetchrow(f"{_AWARD} WHERE person_id = $1", person_id)
        if award is None:
            return None
        latest = await self.conn.fetchrow(
            f"{_VERSIONS} WHERE award_id = $1 ORDER BY version DESC LIMIT 1", award["award_id"]
        )
        rows = await self.conn.fetch(
            "SELECT instruction_id, kind, period_start, period_end, due_date, amount_pence,"
            " recovery_pence, status, hold_reason, executed_on, attempts, statement"
            " FROM scheduled_payments WHERE person_id = $1 ORDER BY period_start, kind",
            person_id,
        )
        balances = await self.conn.fetchrow(
            "SELECT coalesce(sum(credit_pence - debit_pence) FILTER"
            " (WHERE account LIKE 'person:%'), 0)::bigint AS owed,"
            " coalesce(sum(debit_pence - credit_pence) FILTER"
            " (WHERE account LIKE 'overpayment_receivable:%'), 0)::bigint AS overpaid"
            " FROM ledger_postings WHERE person_id = $1",
            person_id,
        )
        managed = await PostgresManagedServices(self.conn).get(person_id)
        return PaymentsOfPerson(
            person_id=person_id,
            award_id=award["award_id"],
            first_day=award["first_day"],
            aligned_to_universal_credit=award["uc_claim_id"] is not None,
            net_monthly_pence=_version(latest).net_monthly_pence if latest else 0,
            payments=tuple(_scheduled(r) for r in rows),
            owed_to_you_pence=balances["owed"],
            overpayment_outstanding_pence=balances["overpaid"],
            managed_services=managed,
        )

    async def _save_row(self, award: Award) -> None:
        values = (
            award.award_id,
            award.person_id,
            award.first_day,
            award.uc_claim_id,
            award.next_period_start,
        )
        if award.is_new:
            await self.conn.execute(
                "INSERT INTO awards (award_id, person_id, first_day, uc_claim_id,"
                " next_period_start) VALUES ($1,$2,$3,$4,$5)",
                *values,
            )
            award.is_new = False
            return
        await self.conn.execute(
            "UPDATE awards SET first_day = $3, uc_claim_id = $4, next_period_start = $5"
            " WHERE award_id = $1 AND person_id = $2",
            *values,
        )

    async def _add_decisions(self, award_id: str, decisions: list[RecordedDecision]) -> None:
        for d in decisions:
            v = d.terms
            await self.conn.execute(
                "INSERT INTO award_versions (award_id, version, decision_id, decision_version,"
                " effective_from, rule_set_id, components, monthly_reduction_pence)"
                " VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
                award_id,
                v.decision_version,
                d.decision_id,
                d.decision_version,
                v.effective_from,
                v.rule_set_id,
                [asdict(c) for c in v.components],
                v.monthly_means_test_reduction_pence,
            )

    async def _replan(self, award: Award, changes: AwardChanges) -> None:
        """Unpaid periods take the new plan; unpaid periods no longer planned are dropped.
        A period already paid (its entitlement accrued) is never touched here."""
        planned = changes.replanned or []
        await upsert_planned(self.conn, [(award.award_id, award.person_id, p) for p in planned])
        await self.conn.execute(
            "DELETE FROM scheduled_payments WHERE award_id = $1 AND kind = 'period'"
            " AND accrued_entitlement_pence IS NULL AND NOT (period_start = ANY($2::date[]))",
            award.award_id,
            [p.period.start for p in planned],
        )

    async def _uc_means(self, aligned: list[Award]) -> dict[tuple, dict[date, UcAssessedMeans]]:
        if not aligned:
            return {}
        rows = await self.conn.fetch(
            f"{_UC_PERIODS} WHERE person_id = ANY($1::text[])", [a.person_id for a in aligned]
        )
        means: dict[tuple, dict[date, UcAssessedMeans]] = defaultdict(dict)
        for r in rows:
            means[(r["person_id"], r["uc_claim_id"])][r["period_start"]] = _means(r)
        return means


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
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def save(
        self, person_id: str, payee_name: str, sort_code: str, account_number: str
    ) -> None:
        await self.conn.execute(
            "INSERT INTO bank_accounts (person_id, payee_name, sort_code, account_number)"
            " VALUES ($1,$2,$3,$4) ON CONFLICT (person_id) DO UPDATE SET payee_name = $2,"
            " sort_code = $3, account_number = $4, updated_at = now()",
            person_id,
            payee_name,
            sort_code,
            account_number,
        )

    async def release_held(self, person_id: str) -> list[UUID]:
        rows = await self.conn.fetch(
            "UPDATE scheduled_payments SET status = 'scheduled', hold_reason = NULL,"
            " updated_at = now() WHERE person_id = $1 AND status = 'held'"
            " RETURNING instruction_id",
            person_id,
        )
        return [r["instruction_id"] for r in rows]


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


class PostgresPaymentsUnitOfWork(AsyncpgUnitOfWork):
    outbound = staticmethod(outbound.to_contract_events)

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.awards = PostgresAwards(self.conn, self)
        self.uc_claims = PostgresUcClaims(self.conn)
        self.managed_services = PostgresManagedServices(self.conn)
        self.bank_accounts = PostgresBankAccounts(self.conn)
        self.runs = PostgresPaymentRuns(self.conn)
        self.bank_responses = PostgresBankResponses(self.conn, self)
        self.ledger = ledger_store.PostgresLedger(self.conn)
        return self


def _version(row: Any) -> AwardVersion:
    return AwardVersion(
        decision_version=row["version"],
        effective_from=row["effective_from"],
        components=tuple(WeeklyComponent(**c) for c in row["components"]),
        rule_set_id=row["rule_set_id"],
        monthly_means_test_reduction_pence=row["monthly_reduction_pence"],
    )


def _decision(row: Any) -> RecordedDecision:
    return RecordedDecision(row["decision_id"], row["decision_version"], _version(row))


def _means(row: Any) -> UcAssessedMeans:
    return UcAssessedMeans(
        row["period_start"],
        row["period_end"],
        row["capital_pence"],
        row["unearned_income_pence"],
        row["earned_income_pence"],
    )


def _managed(row: Any) -> ManagedServices:
    values = dict(row)
    values["providers"] = tuple(ProviderLine(**p) for p in values["providers"])
    return ManagedServices(**values)


def _scheduled(row: Any) -> ScheduledPayment:
    return ScheduledPayment(
        instruction_id=row["instruction_id"],
        kind=row["kind"],
        period_start=row["period_start"],
        period_end=row["period_end"],
        due_date=row["due_date"],
        amount_pence=row["amount_pence"],
        recovery_pence=row["recovery_pence"],
        status=row["status"],
        hold_reason=row["hold_reason"],
        executed_on=row["executed_on"],
        attempts=row["attempts"],
        statement=stored_statement(row["statement"], row["amount_pence"]),
    )
