"""Recalculating periods already paid when a new (backdated or reconsidered) decision arrives.

Each paid period is recalculated under every decision known now. The differences are summed:
more due than paid is arrears, paid in the next run; less due than paid is an overpayment,
recovered from future periods at the capped rate. Only entitlement is compared: recovery of
some other debt deducted from a past payment was still money the person was entitled to.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from payments.domain.awards import AwardVersion
from payments.domain.calculation import (
    MeansOverride,
    PeriodStatement,
    RecoveryPolicy,
    calculate_period,
)
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


MeansByPeriodStart = Mapping[date, MeansOverride]


def recalculate_paid_periods(
    paid: Sequence[PaidPeriod],
    versions: Sequence[AwardVersion],
    means_for: MeansByPeriodStart | None = None,
) -> Recalculation:
    """``means_for``: means assessed elsewhere (UC) for some periods, keyed by period start."""
    _require_each_period_once(paid)
    means_for = means_for or {}
    differences = tuple(
        _difference(p, versions, means_for.get(p.period.start))
        for p in sorted(paid, key=lambda p: p.period)
    )
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
    means_for: MeansByPeriodStart | None = None,
) -> tuple[list[PeriodStatement], int]:
    """Statements for the coming ``periods`` as recovery proceeds, and what is left to recover."""
    require_non_negative_pence(outstanding_pence, "outstanding overpayment")
    means_for = means_for or {}
    statements = []
    for period in sorted(periods):
        means = means_for.get(period.start)
        statement = calculate_period(period, versions, outstanding_pence, policy, means)
        outstanding_pence -= statement.recovery_pence
        statements.append(statement)
    return statements, outstanding_pence


def _difference(
    paid: PaidPeriod, versions: Sequence[AwardVersion], means: MeansOverride | None
) -> PeriodDifference:
    due = calculate_period(paid.period, versions, means=means)
    return PeriodDifference(
        period=paid.period,
        paid_pence=paid.entitlement_paid_pence,
        due_pence=due.net_monthly_pence,
        decision_version=due.decision_version,
    )


def _require_each_period_once(paid: Sequence[PaidPeriod]) -> None:
    starts = [p.period.start for p in paid]
    if len(starts) != len(set(starts)):
        raise ValueError("each paid period may appear only once")
