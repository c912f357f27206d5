"""Recalculating periods already paid when a new (backdated or reconsidered) decision arrives.

Each paid period is recalculated under every decision known now. The differences are summed:
more due than paid is arrears, paid in the next run; less due than paid is an overpayment,
recovered from future periods at the capped rate. Only entitlement is compared: recovery of
some other debt deducted from a past payment was still money the person was entitled to.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from payments.domain.awards import AwardVersion
from payments.domain.calculation import PeriodStatement, RecoveryPolicy, calculate_period
from payments.domain.money import require_non_negative_pence
from payments.domain.periods import AssessmentPeriod


@dataclass(frozen=True)
class PaidPeriod:
    period: AssessmentPeriod
    entitlement_paid_pence: int

    def __post_init__(self) -> None:
        require_non_negative_pence(self.entitlement_paid_pence, "entitlement paid")


@dataclass(frozen=True)
class PeriodDifference:
    period: AssessmentPeriod
    paid_pence: int
    due_pence: int
    decision_version: int

    @property
    def difference_pence(self) -> int:
        return self.due_pence - self.paid_pence


@dataclass(frozen=True)
class Overpayment:
    amount_pence: int
    raised_by_decision_version: int

    def __post_init__(self) -> None:
        if require_non_negative_pence(self.amount_pence, "overpayment") == 0:
            raise ValueError("an overpayment must be more than nothing")


@dataclass(frozen=True)
class Recalculation:
    differences: tuple[PeriodDifference, ...]
    arrears_pence: int
    overpayment: Overpayment | None

    @property
    def net_difference_pence(self) -> int:
        return sum(d.difference_pence for d in self.differences)


def recalculate_paid_periods(
    paid: Sequence[PaidPeriod], versions: Sequence[AwardVersion]
) -> Recalculation:
    _require_each_period_once(paid)
    differences = tuple(_difference(p, versions) for p in sorted(paid, key=lambda p: p.period))
    net = sum(d.difference_pence for d in differences)
    overpayment = None
    if net < 0:
        newest = max(v.decision_version for v in versions)
        overpayment = Overpayment(amount_pence=-net, raised_by_decision_version=newest)
    return Recalculation(differences, arrears_pence=max(net, 0), overpayment=overpayment)


def recover_over_periods(
    outstanding_pence: int,
    periods: Sequence[AssessmentPeriod],
    versions: Sequence[AwardVersion],
    policy: RecoveryPolicy = RecoveryPolicy(),
) -> tuple[list[PeriodStatement], int]:
    """Statements for the coming ``periods`` as recovery proceeds, and what is left to recover."""
    require_non_negative_pence(outstanding_pence, "outstanding overpayment")
    statements = []
    for period in sorted(periods):
        statement = calculate_period(period, versions, outstanding_pence, policy)
        outstanding_pence -= statement.recovery_pence
        statements.append(statement)
    return statements, outstanding_pence


def _difference(paid: PaidPeriod, versions: Sequence[AwardVersion]) -> PeriodDifference:
    due = calculate_period(paid.period, versions)
    return PeriodDifference(
        period=paid.period,
        paid_pence=paid.entitlement_paid_pence,
        due_pence=due.entitlement_pence,
        decision_version=due.decision_version,
    )


def _require_each_period_once(paid: Sequence[PaidPeriod]) -> None:
    starts = [p.period.start for p in paid]
    if len(starts) != len(set(starts)):
        raise ValueError("each paid period may appear only once")
