"""In-memory stand-ins for handler tests: the same methods as PaymentsRepository."""

from dataclasses import replace
from datetime import date
from typing import Any

from payments.adapters.ledger_store import Posted
from payments.adapters.records import AccruedPeriod, Adjustment, Award, UcClaim
from payments.adapters.schedule_rows import statement_json
from payments.domain import ledger
from payments.domain.awards import AwardVersion
from payments.domain.managed import ManagedServices
from payments.domain.schedule import PlannedPayment
from payments.domain.uc_means import UcAssessedMeans
from servicekit.testing import FakeUnitOfWork


class FakePaymentsRepository:
    def __init__(self) -> None:
        self.awards: dict[str, Award] = {}
        self.versions_of: dict[str, list[tuple[str, int, AwardVersion]]] = {}
        self.rows: dict[Any, dict[str, Any]] = {}
        self.overpayments: dict[str, dict[str, Any]] = {}
        self.journals: list[Posted] = []
        self.claims: dict[str, UcClaim] = {}
        self.uc_periods: dict[tuple[str, str], dict[date, UcAssessedMeans]] = {}
        self.managed: dict[str, ManagedServices] = {}

    async def knows_decision(self, decision_id: str) -> bool:
        return any(d == decision_id for vs in self.versions_of.values() for d, _, _ in vs)

    async def award_for_update(self, person_id: str) -> Award | None:
        award = self.awards.get(person_id)
        return replace(award) if award else None

    async def add_award(self, award: Award) -> None:
        self.awards[award.person_id] = replace(award)

    async def save_award(self, award: Award) -> None:
        self.awards[award.person_id] = replace(award)

    async def versions(self, award_id: str) -> list[AwardVersion]:
        return [v for _, _, v in self.versions_of.get(award_id, [])]

    async def latest_decision(self, award_id: str) -> tuple[str, int]:
        decision_id, decision_version, _ = self.versions_of[award_id][-1]
        return decision_id, decision_version

    async def add_version(self, award_id: str, decision_id: str, decision_version: int,
                          version: AwardVersion) -> None:
        self.versions_of.setdefault(award_id, []).append((decision_id, decision_version, version))

    async def accrued_periods(self, award_id: str) -> list[AccruedPeriod]:
        return [AccruedPeriod(r["period_start"], r["period_end"], r["accrued"])
                for r in self.periods(award_id) if r["accrued"] is not None]

    async def set_accrued_entitlements(self, award_id: str, values: dict[date, int]) -> None:
        for row in self.periods(award_id):
            if row["period_start"] in values:
                row["accrued"] = values[row["period_start"]]

    async def replan(self, award: Award, planned: list[PlannedPayment]) -> None:
        starts = {p.period.start for p in planned}
        for key, row in list(self.rows.items()):
            if (row["award_id"] == award.award_id and row["kind"] == "period"
                    and row["accrued"] is None and row["period_start"] not in starts):
                del self.rows[key]
        for p in planned:
            row = self.rows.get(p.instruction_id)
            if row is None or row["accrued"] is None:
                self.rows[p.instruction_id] = {
                    "award_id": award.award_id, "person_id": award.person_id, "kind": "period",
                    "period_start": p.period.start, "period_end": p.period.end,
                    "due_date": p.due_date, "amount_pence": p.statement.net_pence,
                    "entitlement_pence": p.statement.entitlement_pence,
                    "recovery_pence": p.statement.recovery_pence, "accrued": None,
                    "status": (row or {}).get("status", "scheduled"),
                    "statement": statement_json(p.statement)}

    async def add_adjustment(self, row: Adjustment) -> None:
        self.rows.setdefault(row.instruction_id, {
            "award_id": row.award_id, "person_id": row.person_id, "kind": "arrears",
            "period_start": row.period_start, "period_end": row.period_end,
            "due_date": row.due_date, "amount_pence": row.amount_pence,
            "entitlement_pence": row.amount_pence, "recovery_pence": 0,
            "accrued": row.amount_pence, "status": "scheduled", "statement": row.statement})

    async def outstanding_overpayment(self, person_id: str) -> int:
        return sum(o["outstanding"] for o in self.overpayments.values()
                   if o["person_id"] == person_id)

    async def add_overpayment(self, overpayment_id: str, award: Award, amount_pence: int,
                              reason: str) -> None:
        assert overpayment_id not in self.overpayments, "an overpayment raised twice"
        self.overpayments[overpayment_id] = {"person_id": award.person_id,
                                             "amount": amount_pence, "outstanding": amount_pence,
                                             "reason": reason}

    async def post(self, entries: list[Posted]) -> None:
        known = {p.entry.id for p in self.journals}
        assert not known & {p.entry.id for p in entries}, "a journal posted twice"
        self.journals.extend(entries)

    async def uc_claim(self, person_id: str) -> UcClaim | None:
        return self.claims.get(person_id)

    async def save_uc_claim(self, person_id: str, claim: UcClaim) -> None:
        self.claims[person_id] = claim

    async def add_uc_period(self, person_id: str, claim_id: str, means: UcAssessedMeans) -> None:
        self.uc_periods.setdefault((person_id, claim_id), {})[means.period_start] = means

    async def uc_means(self, person_id: str, claim_id: str) -> dict[date, UcAssessedMeans]:
        return dict(self.uc_periods.get((person_id, claim_id), {}))

    async def managed_services_for_update(self, person_id: str) -> ManagedServices | None:
        return self.managed.get(person_id)

    async def save_managed_services(self, person_id: str, arrangement: ManagedServices,
                                    event_id: str) -> None:
        current = self.managed.get(person_id)
        assert arrangement.supersedes(current), "an older plan version would overwrite a newer"
        self.managed[person_id] = arrangement

    # --- test helpers -----------------------------------------------------------------------

    def periods(self, award_id: str) -> list[dict[str, Any]]:
        return sorted((r for r in self.rows.values()
                       if r["award_id"] == award_id and r["kind"] == "period"),
                      key=lambda r: r["period_start"])

    def pay_periods_ending_before(self, day: date) -> None:
        """What a payment run does to each period, in short: accrue, recover, send."""
        for key, row in self.rows.items():
            if row["kind"] == "period" and row["accrued"] is None and row["period_end"] < day:
                person, e, r = row["person_id"], row["entitlement_pence"], row["recovery_pence"]
                row.update(accrued=e, status="paid")
                if e:
                    self.journals.append(Posted(ledger.period_award_accrued(
                        ledger.journal_id(key, "accrued"), person, e), "period_accrued", person))
                if row["amount_pence"]:
                    self.journals.append(Posted(ledger.payment_issued(
                        ledger.journal_id(key, "issued", 1), person, row["amount_pence"]),
                        "payment_issued", person))
                assert r == 0, "recovery is not simulated by this helper"

    def balances(self) -> dict[str, int]:
        return ledger.account_balances([p.entry for p in self.journals])


class FakePaymentsUnitOfWork(FakeUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.payments = FakePaymentsRepository()
