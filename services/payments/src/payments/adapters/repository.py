"""The PostgreSQL unit of work, and the repository of awards and their schedules. The other
repositories: people_store (UC claims, managed services), bank_account_store, run_store
(payment runs), bank_response_store, ledger_store. All of payments' SQL lives in adapters."""

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import date
from typing import Any, Self

import asyncpg
from contracts.envelope import Envelope
from servicekit.crypto import Sealer
from servicekit.uow import AsyncpgUnitOfWork, UnitOfWork

from payments.adapters import invoice_store, ledger_store, outbound
from payments.adapters.awards_ahead import AWARD as _AWARD
from payments.adapters.awards_ahead import AwardsAhead, only_waits
from payments.adapters.bank_account_store import PostgresBankAccounts
from payments.adapters.bank_response_store import PostgresBankResponses
from payments.adapters.people_store import PostgresManagedServices, PostgresUcClaims
from payments.adapters.run_history import PostgresManagedLookup, PostgresRunHistory
from payments.adapters.run_store import PostgresPaymentRuns
from payments.adapters.schedule_rows import (
    add_adjustment,
    replan,
    stored_statement,
    upsert_planned,
)
from payments.domain.award import Award, AwardChanges
from payments.domain.awards import AppliesBy, AwardVersion, RecordedDecision, WeeklyComponent
from payments.domain.records import (
    AccruedPeriod,
    PaidToProvider,
    PaymentsOfPerson,
    ScheduledPayment,
)
from payments.domain.uc_means import UcAssessedMeans, UcHousehold

_VERSIONS = (
    "SELECT award_id, version, decision_id, decision_version, effective_from, rule_set_id,"
    " components, monthly_reduction_pence, applies_by FROM award_versions"
)
_UC_PERIODS = (
    "SELECT person_id, uc_claim_id, period_start, period_end, capital_pence,"
    " unearned_income_pence, earned_income_pence, housing_costs_element,"
    " limited_capability_for_work, responsible_for_child FROM uc_periods"
)
_REST_OF_AWARD = """
SELECT
  (SELECT coalesce(jsonb_agg(to_jsonb(v) ORDER BY v.version), '[]') FROM award_versions v
    WHERE v.award_id = $1) AS versions,
  (SELECT coalesce(jsonb_agg(to_jsonb(u)), '[]') FROM uc_periods u
    WHERE $3::text IS NOT NULL AND u.person_id = $2 AND u.uc_claim_id = $3) AS uc_periods,
  (SELECT coalesce(sum(outstanding_pence), 0)::bigint FROM overpayments
    WHERE person_id = $2) AS to_recover"""
_NEW_VERSIONS = (
    "INSERT INTO award_versions (award_id, version, decision_id, decision_version,"
    " effective_from, rule_set_id, components, monthly_reduction_pence, applies_by)"
    " SELECT $1, v, d, dv, e, r, c::jsonb, m, a FROM unnest($6::int[], $7::text[], $8::int[],"
    " $9::date[], $10::text[], $11::text[], $12::bigint[], $13::text[])"
    " AS n(v, d, dv, e, r, c, m, a)"
)
_INSERT_AWARD = (
    "WITH award AS (INSERT INTO awards (award_id, person_id, first_day, uc_claim_id,"  # noqa: S608 (constants)
    " next_period_start) VALUES ($1,$2,$3,$4,$5)) " + _NEW_VERSIONS
)
_UPDATE_AWARD = (
    "WITH award AS (UPDATE awards SET first_day = $3, uc_claim_id = $4,"  # noqa: S608 (constants)
    " next_period_start = $5 WHERE award_id = $1 AND person_id = $2) " + _NEW_VERSIONS
)
_LEFT_TO_PLAN = """
    SELECT o.person_id, (o.outstanding - coalesce(p.planned, 0))::bigint AS left_to_plan
      FROM (SELECT person_id, sum(outstanding_pence) AS outstanding FROM overpayments
             WHERE person_id = ANY($1::text[]) AND outstanding_pence > 0 GROUP BY person_id) o
      LEFT JOIN (SELECT person_id, sum(recovery_pence) AS planned FROM scheduled_payments
                  WHERE person_id = ANY($1::text[]) AND accrued_entitlement_pence IS NULL
                  GROUP BY person_id) p USING (person_id)"""


class PostgresAwards:
    def __init__(self, conn: asyncpg.Connection, uow: UnitOfWork) -> None:
        self.conn, self.uow = conn, uow
        self.ahead = AwardsAhead(conn)

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

    async def read_ahead(self, people: Iterable[str]) -> None:
        """Read these people's awards now, as `for_person` would, each then handed out (and
        saves of them written, see awards_ahead) without a statement until `write_behind`."""
        await self.ahead.read_ahead(people, self._load_rest)

    async def write_behind(self) -> None:
        await self.ahead.write_all_and_forget()

    async def for_person(self, person_id: str) -> Award | None:
        """The award locked, then its paid periods locked, then the rest in one statement
        (each after the locks, so it sees whatever committed before they were granted)."""
        if person_id in self.ahead.read:
            ahead = self.ahead.read[person_id]
            if ahead is not None:
                self.uow.track(ahead)
            return ahead
        row = await self.conn.fetchrow(f"{_AWARD} WHERE person_id = $1 FOR UPDATE", person_id)
        if row is None:
            return None
        award = Award(**row)
        award.paid = [
            AccruedPeriod(*r)
            for r in await self.conn.fetch(
                "SELECT period_start, period_end, accrued_entitlement_pence"
                " FROM scheduled_payments WHERE award_id = $1 AND kind = 'period'"
                " AND accrued_entitlement_pence IS NOT NULL ORDER BY period_start FOR UPDATE",
                award.award_id,
            )
        ]
        rest = await self.conn.fetchrow(
            _REST_OF_AWARD, award.award_id, person_id, award.uc_claim_id
        )
        self._load_rest(award, rest)
        self.uow.track(award)
        return award

    @staticmethod
    def _load_rest(award: Award, rest: Any) -> None:
        award.decisions = [_decision(_version_row(v)) for v in rest["versions"]]
        if award.uc_claim_id is not None:
            award.uc_means = {m.period_start: m for m in map(_means_json, rest["uc_periods"])}
        award.to_recover_pence = rest["to_recover"]

    async def save(self, award: Award) -> None:
        changes, award.changes = award.changes, AwardChanges()
        self.uow.track(award)
        if award.person_id in self.ahead.read:
            if only_waits(changes):
                self.ahead.wait(award, changes)
                return
            self.ahead.read[award.person_id] = award
            await self.ahead.write([award.award_id])  # what waited for it goes first
        await self._save_row(award, changes.decisions)
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
            " recovery_pence, status, hold_reason, executed_on, attempts, statement,"
            " accrued_entitlement_pence IS NOT NULL AS accrued, provider_pence,"
            " contribution_pence FROM scheduled_payments WHERE person_id = $1"
            " ORDER BY period_start, kind",
            person_id,
        )
        shares: dict[Any, list[PaidToProvider]] = defaultdict(list)
        for r in await self.conn.fetch(
            "SELECT instruction_id, provider_id, amount_pence, contribution_pence"
            " FROM provider_lines WHERE person_id = $1 ORDER BY provider_id",
            person_id,
        ):
            shares[r["instruction_id"]].append(PaidToProvider(*list(r.values())[1:]))
        balances = await self.conn.fetchrow(
            "SELECT coalesce(sum(credit_pence - debit_pence) FILTER"
            " (WHERE account LIKE 'person:%'), 0)::bigint AS owed,"
            " coalesce(sum(debit_pence - credit_pence) FILTER"
            " (WHERE account LIKE 'overpayment_receivable:%'), 0)::bigint AS overpaid,"
            " coalesce(sum(debit_pence - credit_pence) FILTER"
            " (WHERE account LIKE 'contribution_receivable:%'), 0)::bigint AS contribution,"
            " coalesce(sum(credit_pence - debit_pence) FILTER"
            " (WHERE account LIKE 'contribution_credit:%'), 0)::bigint AS credit"
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
            payments=tuple(_scheduled(r, shares.get(r["instruction_id"], ())) for r in rows),
            owed_to_you_pence=balances["owed"],
            overpayment_outstanding_pence=balances["overpaid"],
            managed_services=managed,
            contribution_outstanding_pence=balances["contribution"],
            invoices=await invoice_store.invoices_of(self.conn, person_id),
            contribution_credit_pence=balances["credit"],
        )

    async def _save_row(self, award: Award, decisions: Sequence[RecordedDecision]) -> None:
        """The award's row and its new versions, in one statement."""
        values = (
            award.award_id,
            award.person_id,
            award.first_day,
            award.uc_claim_id,
            award.next_period_start,
            [d.terms.decision_version for d in decisions],
            [d.decision_id for d in decisions],
            [d.decision_version for d in decisions],
            [d.terms.effective_from for d in decisions],
            [d.terms.rule_set_id for d in decisions],
            [json.dumps([asdict(c) for c in d.terms.components]) for d in decisions],
            [d.terms.monthly_means_test_reduction_pence for d in decisions],
            [d.terms.applies_by.value for d in decisions],
        )
        await self.conn.execute(_INSERT_AWARD if award.is_new else _UPDATE_AWARD, *values)
        award.is_new = False

    async def _replan(self, award: Award, changes: AwardChanges) -> None:
        """Unpaid periods take the new plan; unpaid periods no longer planned are dropped.
        A period already paid (its entitlement accrued) is never touched here."""
        await replan(self.conn, award.award_id, award.person_id, list(changes.replanned or []))

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


class PostgresPaymentsUnitOfWork(AsyncpgUnitOfWork):
    outbound = staticmethod(outbound.to_contract_events)

    def __init__(self, pool: asyncpg.Pool, sealer: Sealer) -> None:
        super().__init__(pool)
        self.sealer = sealer

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.awards = PostgresAwards(self.conn, self)
        self.uc_claims = PostgresUcClaims(self.conn)
        self.managed_services = PostgresManagedServices(self.conn)
        self.bank_accounts = PostgresBankAccounts(self.conn, self.sealer, self)
        self.runs = PostgresPaymentRuns(self.conn, self.sealer)
        self.bank_responses = PostgresBankResponses(self.conn, self)
        self.incoming_payments = invoice_store.PostgresIncomingPayments(self.conn, self)
        self.ledger = ledger_store.PostgresLedger(self.conn)
        self.run_history = PostgresRunHistory(self.conn)
        self.managed_lookup = PostgresManagedLookup(self.conn)
        return self

    async def _commit(self, events: list[Envelope[Any]]) -> None:
        await self.awards.ahead.write()  # what a run's saves left, when no write_behind came
        await super()._commit(events)


def _version(row: Any) -> AwardVersion:
    return AwardVersion(
        decision_version=row["version"],
        effective_from=row["effective_from"],
        components=tuple(WeeklyComponent(**c) for c in row["components"]),
        rule_set_id=row["rule_set_id"],
        monthly_means_test_reduction_pence=row["monthly_reduction_pence"],
        applies_by=AppliesBy(row["applies_by"]),
    )


def _decision(row: Any) -> RecordedDecision:
    return RecordedDecision(row["decision_id"], row["decision_version"], _version(row))


def _version_row(v: dict[str, Any]) -> dict[str, Any]:
    """An award_versions row read as JSON, with its date as a date."""
    return {**v, "effective_from": date.fromisoformat(v["effective_from"])}


def _means_json(u: dict[str, Any]) -> UcAssessedMeans:
    start, end = date.fromisoformat(u["period_start"]), date.fromisoformat(u["period_end"])
    return _means({**u, "period_start": start, "period_end": end})


def _means(row: Any) -> UcAssessedMeans:
    return UcAssessedMeans(
        row["period_start"],
        row["period_end"],
        row["capital_pence"],
        row["unearned_income_pence"],
        row["earned_income_pence"],
        UcHousehold(
            row["housing_costs_element"],
            row["limited_capability_for_work"],
            row["responsible_for_child"],
        ),
    )


def _scheduled(row: Any, providers: Sequence[PaidToProvider]) -> ScheduledPayment:
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
        accrued=row["accrued"],
        provider_pence=row["provider_pence"],
        contribution_pence=row["contribution_pence"],
        providers=tuple(providers),
    )
