"""A person's award: the decisions that shaped it, the periods already paid, the schedule ahead.

Anything that changes the award (a decision, a UC assessment, realignment to a UC claim) settles
it:

1. the periods already paid are recalculated under every decision known now: the difference is
   arrears (paid in the next run) or an overpayment (recovered from future payments at the capped
   rate), posted to the ledger and explained in a statement;
2. every period not yet paid is planned again, up to the horizon, recovering any overpayment.

The ids of arrears, overpayments and statements derive from the cause, so replaying a cause can
never raise a second overpayment or pay arrears twice. What settling changed waits in
`changes` for the repository to store; what happened is recorded in `events`.
"""

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import MappingProxyType

from wording import long_date, pounds

from payments.domain.awards import AwardVersion, Decision, RecordedDecision
from payments.domain.calculation import MeansOverride, StatementLine
from payments.domain.errors import InvalidDecision
from payments.domain.events import OverpaymentRaised, PaymentScheduleSet, StatementIssued
from payments.domain.instructions import adjustment_instruction_id
from payments.domain.ledger import Posted, arrears_accrued, journal_id, overpayment_raised
from payments.domain.periods import AssessmentPeriod, period_containing
from payments.domain.recalculation import PaidPeriod, Recalculation, recalculate_paid_periods
from payments.domain.records import AccruedPeriod, Adjustment, UcClaim
from payments.domain.schedule import PlannedPayment, periods_to_plan, plan_payments
from payments.domain.uc_means import UcAssessedMeans, uc_means_override
from payments.domain.working_days import WorkingDayCalendar

SCHEDULE_HORIZON = timedelta(days=92)  # about three assessment periods ahead
STATEMENT_NAMESPACE = uuid.UUID("5d0c86c4-4c0e-5a0b-9a53-0f5a3c1e7b21")
NOTHING: Mapping = MappingProxyType({})
REALIGNED = "Your payments now follow your Universal Credit assessment periods."


@dataclass(frozen=True)
class Cause:
    id: str
    """What changed the award (a decision id, a UC event id): keys its ids, so replaying it
    can never raise a second overpayment or pay arrears twice."""
    why: str


@dataclass(frozen=True)
class RaisedOverpayment:
    overpayment_id: str
    amount_pence: int
    reason: str


@dataclass(slots=True)
class AwardChanges:
    """What the repository stores when the award is saved."""

    # Empty tuples, not lists: a roll-forward holds thousands of awards that change nothing but
    # `extended`, and every empty container would be one more object for the garbage collector.
    decisions: tuple[RecordedDecision, ...] = ()
    accrued: Mapping[date, int] = field(default_factory=lambda: NOTHING)
    """Periods already paid whose entitlement was recalculated: period start -> new amount."""
    arrears: tuple[Adjustment, ...] = ()
    overpayments: tuple[RaisedOverpayment, ...] = ()
    journals: tuple[Posted, ...] = ()
    replanned: Sequence[PlannedPayment] | None = None
    """Every unpaid period, planned again (unpaid periods not in it are dropped)."""
    extended: Sequence[PlannedPayment] = ()
    """Periods added after those already planned (nothing else is touched)."""


@dataclass(slots=True)
class Award:
    award_id: str
    person_id: str
    first_day: date
    uc_claim_id: str | None = None
    next_period_start: date | None = None
    decisions: Sequence[RecordedDecision] = ()
    paid: Sequence[AccruedPeriod] = ()
    uc_means: Mapping[date, UcAssessedMeans] = field(default_factory=lambda: NOTHING)
    """What UC assessed for the periods of the claim the award is aligned to."""
    to_recover_pence: int = 0
    """Overpayment outstanding that the periods planned here are to recover."""
    is_new: bool = False
    events: list[object] = field(default_factory=list)
    changes: AwardChanges = field(default_factory=AwardChanges)

    @classmethod
    def start(cls, person_id: str, effective: date, claim: UcClaim | None) -> "Award":
        """Aligned to the person's Universal Credit assessment periods when they have an open
        claim that began on or before the award (the whole UC period containing the effective
        date is paid: D&A Regs Sch 1 para 20); otherwise on the award's own monthly periods."""
        award = cls(f"AW{uuid.uuid4().hex[:14]}", person_id, effective, is_new=True)
        if claim is not None and not claim.is_closed and claim.first_period_start <= effective:
            award.first_day = period_containing(claim.first_period_start, effective).start
            award.uc_claim_id = claim.uc_claim_id
        return award

    @property
    def versions(self) -> list[AwardVersion]:
        return [d.terms for d in self.decisions]

    def knows(self, decision_id: str) -> bool:
        return any(d.decision_id == decision_id for d in self.decisions)

    def decide(self, decision: Decision, today: date, calendar: WorkingDayCalendar) -> None:
        """Takes in a new decision: from its effective date it governs the award."""
        previous = self.decisions[-1].decision_id if self.decisions else None
        recorded = RecordedDecision(
            decision.decision_id, decision.decision_version, decision.terms(len(self.decisions) + 1)
        )
        self.decisions = (*self.decisions, recorded)
        self.changes.decisions += (recorded,)
        why = (
            f"Decision {decision.decision_id} changed your award from "
            f"{long_date(decision.effective_date)}."
        )
        try:
            planned = self.settle(Cause(decision.decision_id, why), today, calendar)
        except (ValueError, LookupError) as exc:  # e.g. a date outside the bank-holiday calendar
            raise InvalidDecision(f"decision {decision.decision_id}: {exc}") from exc
        self._record_schedule(recorded, planned, previous)

    def align_to(
        self, claim: UcClaim, cause_id: str, today: date, calendar: WorkingDayCalendar
    ) -> None:
        """Follows the claim's assessment periods from the start, if nothing has been paid yet
        and the award began on or after the claim (docs/payments.md)."""
        if self.uc_claim_id == claim.uc_claim_id or self.paid:
            return
        effective = min(v.effective_from for v in self.versions)
        if effective < claim.first_period_start:
            return  # the award began before the claim: it keeps its own periods
        self.first_day = period_containing(claim.first_period_start, effective).start
        self.uc_claim_id = claim.uc_claim_id
        planned = self.settle(Cause(cause_id, REALIGNED), today, calendar)
        latest = self.decisions[-1]
        self._record_schedule(latest, planned, previous=latest.decision_id)

    def reassess(
        self, means: UcAssessedMeans, cause_id: str, today: date, calendar: WorkingDayCalendar
    ) -> None:
        """Takes in what UC assessed for one of its periods."""
        self.uc_means = {**self.uc_means, means.period_start: means}
        why = (
            "Universal Credit assessed your income and capital for the period from "
            f"{long_date(means.period_start)}."
        )
        self.settle(Cause(f"uc-period/{cause_id}", why), today, calendar)

    def settle(
        self, cause: Cause, today: date, calendar: WorkingDayCalendar
    ) -> list[PlannedPayment]:
        means = self.means_overrides()
        overpayment = self._settle_paid_periods(means, cause, today)
        to_recover = self.to_recover_pence + (overpayment.amount_pence if overpayment else 0)
        until = max(today, self.first_day) + SCHEDULE_HORIZON
        paid = {a.period_start for a in self.paid}
        periods, self.next_period_start = periods_to_plan(
            self.first_day, until, self.versions, skip=paid
        )
        planned, _ = plan_payments(
            self.person_id, self.award_id, periods, self.versions, calendar, to_recover, means
        )
        self.changes.replanned = planned
        if overpayment is not None:
            per_period = next((p.statement.recovery_pence for p in planned), 0)
            self.events.append(
                OverpaymentRaised(
                    self.person_id,
                    overpayment.overpayment_id,
                    overpayment.amount_pence,
                    overpayment.reason,
                    per_period,
                )
            )
        return planned

    def extend(self, until: date, calendar: WorkingDayCalendar) -> None:
        """Plans the periods after those already planned, up to ``until`` (the roll-forward)."""
        periods, next_start = periods_to_plan(
            self.first_day, until, self.versions, start_from=self.next_period_start
        )
        planned, _ = plan_payments(
            self.person_id,
            self.award_id,
            periods,
            self.versions,
            calendar,
            self.to_recover_pence,
            self.means_overrides(),
        )
        self.changes.extended = planned
        self.next_period_start = next_start

    def means_overrides(self) -> dict[date, MeansOverride]:
        """UC-assessed means for the periods of an award aligned to a UC claim."""
        overrides = {}
        for start, means in self.uc_means.items():
            try:
                overrides[start] = uc_means_override(means)
            except LookupError:
                continue  # a period before the first UC rates we hold: the decision's means stand
        return overrides

    def _settle_paid_periods(
        self, means: dict[date, MeansOverride], cause: Cause, today: date
    ) -> RaisedOverpayment | None:
        if not self.paid:
            return None
        paid = [
            PaidPeriod(AssessmentPeriod(a.period_start, a.period_end), a.accrued_entitlement_pence)
            for a in self.paid
        ]
        result = recalculate_paid_periods(paid, self.versions, means)
        changed = {d.period.start: d.due_pence for d in result.differences if d.difference_pence}
        if not changed:
            return None
        self.changes.accrued = {**self.changes.accrued, **changed}
        self.paid = tuple(
            AccruedPeriod(
                a.period_start,
                a.period_end,
                changed.get(a.period_start, a.accrued_entitlement_pence),
            )
            for a in self.paid
        )
        lines = recalculation_lines(result)
        start, end = min(a.period_start for a in self.paid), max(a.period_end for a in self.paid)
        statement_id = str(uuid.uuid5(STATEMENT_NAMESPACE, f"{self.award_id}/{cause.id}"))
        self.events.append(
            StatementIssued(
                self.person_id, statement_id, start, end, lines, result.net_difference_pence
            )
        )
        if result.arrears_pence:
            self._accrue_arrears(cause, start, end, today, result.arrears_pence, lines)
        if result.overpayment is None:
            return None
        return self._raise_overpayment(cause, statement_id, start, end, result)

    def _accrue_arrears(
        self,
        cause: Cause,
        start: date,
        end: date,
        today: date,
        amount: int,
        lines: tuple[StatementLine, ...],
    ) -> None:
        instruction = adjustment_instruction_id(self.person_id, self.award_id, cause.id)
        self.changes.arrears += (
            Adjustment(
                instruction,
                self.award_id,
                self.person_id,
                start,
                end,
                today,
                amount,
                cause.why,
                lines,
            ),
        )
        entry = arrears_accrued(journal_id(instruction, "accrued"), self.person_id, amount)
        self.changes.journals += (Posted(entry, "arrears_accrued", self.person_id, instruction),)

    def _raise_overpayment(
        self, cause: Cause, statement_id: str, start: date, end: date, result: Recalculation
    ) -> RaisedOverpayment:
        amount = result.overpayment.amount_pence
        overpayment_id = f"OP{uuid.uuid5(STATEMENT_NAMESPACE, statement_id).hex[:16]}"
        reason = (
            f"{cause.why} We had paid you {pounds(amount)} more than you were "
            f"entitled to for {long_date(start)} to {long_date(end)}."
        )
        raised = RaisedOverpayment(overpayment_id, amount, reason)
        self.changes.overpayments += (raised,)
        entry = overpayment_raised(journal_id(overpayment_id, "raised"), self.person_id, amount)
        self.changes.journals += (Posted(entry, "overpayment_raised", self.person_id),)
        return raised

    def _record_schedule(
        self, decision: RecordedDecision, planned: Sequence[PlannedPayment], previous: str | None
    ) -> None:
        self.events.append(
            PaymentScheduleSet(
                person_id=self.person_id,
                award_id=self.award_id,
                decision_id=decision.decision_id,
                decision_version=decision.decision_version,
                net_monthly_pence=decision.terms.net_monthly_pence,
                first_period_start=self.first_day,
                aligned_to_universal_credit=self.uc_claim_id is not None,
                upcoming=tuple(planned),
                previous_decision_id=previous,
            )
        )


def recalculation_lines(result: Recalculation) -> tuple[StatementLine, ...]:
    return tuple(
        StatementLine(
            f"{long_date(d.period.start)} to {long_date(d.period.end)}",
            d.difference_pence,
            f"We paid {pounds(d.paid_pence)} for this period. Under decision "
            f"{d.decision_version} you were entitled to {pounds(d.due_pence)}.",
        )
        for d in result.differences
        if d.difference_pence
    )
