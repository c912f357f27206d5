"""In memory, the repositories the event use cases need (the same methods as the PostgreSQL
adapters; tests/integration/test_repositories.py runs one suite over both)."""

import copy
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from payments.adapters.outbound import to_contract_events
from payments.adapters.schedule_rows import adjustment_json, statement_json
from payments.domain import ledger
from payments.domain.award import Award, AwardChanges
from payments.domain.awards import RecordedDecision
from payments.domain.bank_details import COOLING_OFF, BankDetailsChange, CurrentBankDetails
from payments.domain.ledger import Posted
from payments.domain.managed import ManagedServices
from payments.domain.records import AccruedPeriod, UcClaim
from payments.domain.uc_means import UcAssessedMeans
from servicekit.testing import FakeUnitOfWork


@dataclass
class StoredAward:
    award_id: str
    person_id: str
    first_day: date
    uc_claim_id: str | None
    next_period_start: date | None


class FakeStore:
    """Everything the fake repositories hold, with helpers tests use to look and to act."""

    def __init__(self) -> None:
        self.awards: dict[str, StoredAward] = {}
        self.versions_of: dict[str, list[tuple[str, int, Any]]] = {}
        self.rows: dict[UUID, dict[str, Any]] = {}
        self.overpayments: dict[str, dict[str, Any]] = {}
        self.journals: list[Posted] = []
        self.claims: dict[str, UcClaim] = {}
        self.uc_periods: dict[tuple[str, str], dict[date, UcAssessedMeans]] = {}
        self.managed: dict[str, ManagedServices] = {}
        self.bank_accounts: dict[str, CurrentBankDetails] = {}
        self.bank_account_changes: list[BankDetailsChange] = []

    def periods(self, award_id: str) -> list[dict[str, Any]]:
        return sorted(
            (r for r in self.rows.values() if r["award_id"] == award_id and r["kind"] == "period"),
            key=lambda r: r["period_start"],
        )

    def pay_periods_ending_before(self, day: date) -> None:
        """What a payment run does to each period, in short: accrue, recover, send."""
        for key, row in self.rows.items():
            if row["kind"] == "period" and row["accrued"] is None and row["period_end"] < day:
                person, e, r = row["person_id"], row["entitlement_pence"], row["recovery_pence"]
                row.update(accrued=e, status="paid")
                if e:
                    entry = ledger.period_award_accrued(
                        ledger.journal_id(key, "accrued"), person, e
                    )
                    self.journals.append(Posted(entry, "period_accrued", person))
                if row["amount_pence"]:
                    entry = ledger.payment_issued(
                        ledger.journal_id(key, "issued", 1), person, row["amount_pence"]
                    )
                    self.journals.append(Posted(entry, "payment_issued", person))
                assert r == 0, "recovery is not simulated by this helper"

    def balances(self) -> dict[str, int]:
        return ledger.account_balances([p.entry for p in self.journals])

    def post(self, journals: list[Posted]) -> None:
        known = {p.entry.id for p in self.journals}
        assert not known & {p.entry.id for p in journals}, "a journal posted twice"
        self.journals.extend(journals)


class FakeAwards:
    def __init__(self, store: FakeStore, uow: FakeUnitOfWork) -> None:
        self.store, self.uow = store, uow

    async def knows_decision(self, decision_id: str) -> bool:
        versions = self.store.versions_of.values()
        return any(d == decision_id for vs in versions for d, _, _ in vs)

    async def exists(self, person_id: str) -> bool:
        return person_id in self.store.awards

    async def read_ahead(self, people) -> None:
        """Nothing to read ahead: `for_person` reads the store each time."""

    async def write_behind(self) -> None:
        """Nothing waits: `save` writes the store at once."""

    async def for_person(self, person_id: str) -> Award | None:
        stored = self.store.awards.get(person_id)
        if stored is None:
            return None
        award = Award(**vars(stored))
        award.decisions = [
            RecordedDecision(d, v, terms)
            for d, v, terms in self.store.versions_of.get(stored.award_id, [])
        ]
        award.paid = [
            AccruedPeriod(r["period_start"], r["period_end"], r["accrued"])
            for r in self.store.periods(stored.award_id)
            if r["accrued"] is not None
        ]
        if stored.uc_claim_id is not None:
            award.uc_means = dict(self.store.uc_periods.get((person_id, stored.uc_claim_id), {}))
        award.to_recover_pence = sum(
            o["outstanding"]
            for o in self.store.overpayments.values()
            if o["person_id"] == person_id
        )
        self.uow.track(award)
        return award

    async def save(self, award: Award) -> None:
        store, changes = self.store, award.changes
        award.changes, award.is_new = AwardChanges(), False
        store.awards[award.person_id] = StoredAward(
            award.award_id,
            award.person_id,
            award.first_day,
            award.uc_claim_id,
            award.next_period_start,
        )
        versions = store.versions_of.setdefault(award.award_id, [])
        versions += [(d.decision_id, d.decision_version, d.terms) for d in changes.decisions]
        for row in store.periods(award.award_id):
            if row["period_start"] in changes.accrued:
                row["accrued"] = changes.accrued[row["period_start"]]
        for a in changes.arrears:
            store.rows.setdefault(
                a.instruction_id,
                {
                    "award_id": a.award_id,
                    "person_id": a.person_id,
                    "kind": "arrears",
                    "period_start": a.period_start,
                    "period_end": a.period_end,
                    "due_date": a.due_date,
                    "amount_pence": a.amount_pence,
                    "entitlement_pence": a.amount_pence,
                    "recovery_pence": 0,
                    "accrued": a.amount_pence,
                    "status": "scheduled",
                    "statement": adjustment_json(a),
                },
            )
        for o in changes.overpayments:
            assert o.overpayment_id not in store.overpayments, "an overpayment raised twice"
            store.overpayments[o.overpayment_id] = {
                "person_id": award.person_id,
                "amount": o.amount_pence,
                "outstanding": o.amount_pence,
                "reason": o.reason,
            }
        store.post(changes.journals)
        if changes.replanned is not None:
            self._replan(award, changes.replanned)
        self.uow.track(award)

    def _replan(self, award: Award, planned: list) -> None:
        starts = {p.period.start for p in planned}
        for key, row in list(self.store.rows.items()):
            if (
                row["award_id"] == award.award_id
                and row["kind"] == "period"
                and row["accrued"] is None
                and row["period_start"] not in starts
            ):
                del self.store.rows[key]
        for p in planned:
            row = self.store.rows.get(p.instruction_id)
            if row is None or row["accrued"] is None:
                self.store.rows[p.instruction_id] = {
                    "award_id": award.award_id,
                    "person_id": award.person_id,
                    "kind": "period",
                    "period_start": p.period.start,
                    "period_end": p.period.end,
                    "due_date": p.due_date,
                    "amount_pence": p.statement.net_pence,
                    "entitlement_pence": p.statement.net_monthly_pence,
                    "recovery_pence": p.statement.recovery_pence,
                    "accrued": None,
                    "status": (row or {}).get("status", "scheduled"),
                    "statement": statement_json(p.statement),
                }


class FakeUcClaims:
    def __init__(self, store: FakeStore) -> None:
        self.store = store

    async def get(self, person_id: str) -> UcClaim | None:
        return self.store.claims.get(person_id)

    async def save(self, person_id: str, claim: UcClaim) -> None:
        self.store.claims[person_id] = claim

    async def add_period(self, person_id: str, uc_claim_id: str, means: UcAssessedMeans) -> None:
        self.store.uc_periods.setdefault((person_id, uc_claim_id), {})[means.period_start] = means

    async def periods(self, person_id: str, uc_claim_id: str) -> list[UcAssessedMeans]:
        assessed = self.store.uc_periods.get((person_id, uc_claim_id), {})
        return [assessed[start] for start in sorted(assessed)]


class FakeManagedServices:
    def __init__(self, store: FakeStore) -> None:
        self.store = store

    async def for_update(self, person_id: str) -> ManagedServices | None:
        return self.store.managed.get(person_id)

    async def save(self, person_id: str, arrangement: ManagedServices, event_id: str) -> None:
        if arrangement.supersedes(self.store.managed.get(person_id)):
            self.store.managed[person_id] = arrangement


class FakeBankAccounts:
    def __init__(self, store: FakeStore, uow: FakeUnitOfWork) -> None:
        self.store, self.uow = store, uow

    async def current(self, person_id: str) -> CurrentBankDetails | None:
        return self.store.bank_accounts.get(person_id)

    async def save(self, change: BankDetailsChange) -> None:
        self.store.bank_account_changes.append(change)
        await self.save_verified(change.current)
        self.uow.track(change)

    async def save_verified(self, current: CurrentBankDetails) -> None:
        self.store.bank_accounts[current.person_id] = current

    async def history(self, person_id: str) -> list[BankDetailsChange]:
        return [c for c in reversed(self.store.bank_account_changes) if c.person_id == person_id]

    async def release_held(self, person_id: str) -> list[UUID]:
        return self._release(lambda row: row["person_id"] == person_id)

    async def hold_for_cooling_off(self, person_id: str) -> None:
        for row in self.store.rows.values():
            if row["person_id"] == person_id and row["status"] == "held":
                row["hold_reason"] = COOLING_OFF

    async def release_cooled_off(self, run_date: date) -> int:
        def over(row: dict[str, Any]) -> bool:
            current = self.store.bank_accounts.get(row["person_id"])
            waiting = current is not None and current.cooling_off(run_date)
            return row["hold_reason"] == COOLING_OFF and not waiting

        return len(self._release(over))

    def _release(self, which: Any) -> list[UUID]:
        released = [
            key for key, row in self.store.rows.items() if row["status"] == "held" and which(row)
        ]
        for key in released:
            self.store.rows[key].update(status="scheduled", hold_reason=None)
        return released


class FakePaymentsUnitOfWork(FakeUnitOfWork):
    outbound = staticmethod(to_contract_events)

    def __init__(self) -> None:
        super().__init__()
        self.payments = FakeStore()
        self.awards = FakeAwards(self.payments, self)
        self.uc_claims = FakeUcClaims(self.payments)
        self.managed_services = FakeManagedServices(self.payments)
        self.bank_accounts = FakeBankAccounts(self.payments, self)

    async def __aenter__(self) -> "FakePaymentsUnitOfWork":
        await super().__aenter__()
        self._snapshot = copy.deepcopy(self.payments.__dict__)
        return self

    async def _commit(self, events: list) -> None:
        await super()._commit(events)
        self._snapshot = None

    async def _rollback(self) -> None:
        """What was stored since the unit of work began is forgotten, as PostgreSQL would."""
        await super()._rollback()
        if getattr(self, "_snapshot", None) is not None:
            self.payments.__dict__ = self._snapshot
            self._snapshot = None
