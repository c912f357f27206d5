"""One assessment period's payment, with a statement that explains every line.

gross (weekly x 52 / 12 per component, reg 6 rounding) - means-test reduction
      - overpayment recovery (capped, and never below the minimum payable) = net
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from wording import long_date, pounds

from payments.domain.awards import AppliesBy, AwardVersion, WeeklyComponent, award_in_force
from payments.domain.money import monthly_from_weekly, require_non_negative_pence
from payments.domain.periods import AssessmentPeriod

BASIS_POINTS_PER_WHOLE = 10_000
# Every period's statement words its dates; a run plans hundreds of thousands of periods over a
# few dozen distinct dates, and wording a date (Babel) costs more than the rest of the line.
_day = lru_cache(maxsize=4096)(long_date)


@dataclass(frozen=True)
class RecoveryPolicy:
    """Recovery of an overpayment from each period's payment.

    Defaults: 15% of the gross monthly amount (DWP "Fair Repayment Rate" from 30 Apr 2025;
    O&R Regs 2013 reg 11) and at least 1p left to pay (C&P Regs 2013 Sch 6).
    """

    cap_basis_points: int = 1_500
    minimum_payable_pence: int = 1

    def __post_init__(self) -> None:
        if not 0 <= self.cap_basis_points <= BASIS_POINTS_PER_WHOLE:
            raise ValueError(f"recovery cap must be 0..10000 basis points: {self.cap_basis_points}")
        require_non_negative_pence(self.minimum_payable_pence, "minimum payable")

    def cap_pence(self, gross_pence: int) -> int:
        # Rounded down so the deduction can never exceed the percentage.
        return gross_pence * self.cap_basis_points // BASIS_POINTS_PER_WHOLE


@dataclass(frozen=True)
class MeansOverride:
    """Means inputs assessed elsewhere for this period (e.g. by Universal Credit), replacing the
    decision's own monthly reduction for that period only."""

    monthly_reduction_pence: int
    explanation: str
    removes_whole_award: bool = False

    def __post_init__(self) -> None:
        require_non_negative_pence(self.monthly_reduction_pence, "monthly reduction")


@dataclass(frozen=True)
class StatementLine:
    label: str
    amount_pence: int
    explanation: str


@dataclass(frozen=True)
class PeriodStatement:
    period: AssessmentPeriod
    lines: tuple[StatementLine, ...]
    net_pence: int
    decision_version: int
    rule_set_id: str
    gross_pence: int
    means_test_reduction_pence: int
    recovery_pence: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", tuple(self.lines))
        if sum(line.amount_pence for line in self.lines) != self.net_pence:
            raise ValueError("statement lines do not add up to the net amount")

    @property
    def net_monthly_pence(self) -> int:
        """What the award pays for the period: the gross less the means-test reduction, before
        any overpayment is recovered (what the ledger accrues for it)."""
        return self.gross_pence - self.means_test_reduction_pence


def recovery_deduction(
    gross_pence: int, after_reduction_pence: int, outstanding_pence: int, policy: RecoveryPolicy
) -> int:
    room_above_minimum = max(0, after_reduction_pence - policy.minimum_payable_pence)
    return max(0, min(outstanding_pence, policy.cap_pence(gross_pence), room_above_minimum))


def calculate_period(
    period: AssessmentPeriod,
    versions: Sequence[AwardVersion],
    outstanding_overpayment_pence: int = 0,
    policy: RecoveryPolicy = RecoveryPolicy(),
    means: MeansOverride | None = None,
) -> PeriodStatement:
    require_non_negative_pence(outstanding_overpayment_pence, "outstanding overpayment")
    award = award_in_force(period, versions)
    basis = _why_this_decision(award, period)
    lines = _component_lines(award.components, basis) or [_nil_award_line(basis)]
    gross = sum(line.amount_pence for line in lines)
    assessed = _assessed_reduction(award, gross, means)
    reduction = min(assessed, gross)
    if reduction:
        lines.append(_reduction_line(reduction, assessed, means))
    recovery = recovery_deduction(gross, gross - reduction, outstanding_overpayment_pence, policy)
    if recovery:
        lines.append(_recovery_line(recovery, outstanding_overpayment_pence, gross, policy))
    return PeriodStatement(
        period=period,
        lines=tuple(lines),
        net_pence=gross - reduction - recovery,
        decision_version=award.decision_version,
        rule_set_id=award.rule_set_id,
        gross_pence=gross,
        means_test_reduction_pence=reduction,
        recovery_pence=recovery,
    )


def _assessed_reduction(award: AwardVersion, gross: int, means: MeansOverride | None) -> int:
    if means is None:
        return award.monthly_means_test_reduction_pence
    return gross if means.removes_whole_award else means.monthly_reduction_pence


def _why_this_decision(award: AwardVersion, period: AssessmentPeriod) -> str:
    decision = f"Decision {award.decision_version} (rates {award.rule_set_id})"
    if award.applies_by is AppliesBy.PERIOD_START:
        return (
            f"{decision} applies to periods beginning on or after "
            f"{_day(award.effective_from)}; this period began on {_day(period.start)}."
        )
    return (
        f"{decision} was in force on {_day(period.end)}, the last day of this period, "
        "so it applies to the whole period."
    )


def gross_monthly_pence(components: Sequence[WeeklyComponent]) -> int:
    """The weekly total converted once, as the decision states it."""
    return monthly_from_weekly(sum(c.weekly_pence for c in components))


def component_label(name: str) -> str:
    """'daily_living' -> 'Daily living'."""
    return name.replace("_", " ").strip().capitalize()


def percent_from_basis_points(basis_points: int) -> str:
    """1500 -> '15%'; 1250 -> '12.5%'; 1234 -> '12.34%'."""
    whole, hundredths = divmod(basis_points, 100)
    if not hundredths:
        return f"{whole}%"
    return f"{whole}.{hundredths:02d}".rstrip("0") + "%"


def _component_lines(components: Sequence[WeeklyComponent], basis: str) -> list[StatementLine]:
    """One line per component; the last absorbs the penny that converting each part separately
    can leave, so the lines add up to the award's monthly amount and never differ from it."""
    lines = [_component_line(c, basis) for c in components]
    if not lines:
        return lines
    difference = gross_monthly_pence(components) - sum(line.amount_pence for line in lines)
    if difference:
        last = lines[-1]
        lines[-1] = StatementLine(
            last.label,
            last.amount_pence + difference,
            f"{last.explanation} Adjusted by {pounds(difference)} so the parts add up to "
            f"{pounds(gross_monthly_pence(components))}, the weekly total × 52 ÷ 12.",
        )
    return lines


def _component_line(component: WeeklyComponent, basis: str) -> StatementLine:
    monthly = monthly_from_weekly(component.weekly_pence)
    return StatementLine(
        label=component_label(component.name),
        amount_pence=monthly,
        explanation=(
            f"{pounds(component.weekly_pence)} a week × 52 weeks ÷ 12 months = "
            f"{pounds(monthly)} a month, to the nearest penny. {basis}"
        ),
    )


def _nil_award_line(basis: str) -> StatementLine:
    return StatementLine("No award", 0, f"Nothing is awarded for this period. {basis}")


def _reduction_line(
    applied_pence: int, assessed_pence: int, means: MeansOverride | None = None
) -> StatementLine:
    explanation = (
        f"Your financial assessment reduces your award by {pounds(assessed_pence)} a month."
        if means is None
        else means.explanation
    )
    if applied_pence < assessed_pence:
        explanation += " That is more than your award, so nothing is paid for this period."
    return StatementLine("Means-test reduction", -applied_pence, explanation)


def _recovery_line(
    recovery_pence: int, outstanding_pence: int, gross_pence: int, policy: RecoveryPolicy
) -> StatementLine:
    cap_percent = percent_from_basis_points(policy.cap_basis_points)
    explanation = (
        f"Repays part of an overpayment: {pounds(outstanding_pence)} was outstanding. "
        f"We take no more than {cap_percent} of your monthly award "
        f"({pounds(policy.cap_pence(gross_pence))}) and always leave at least "
        f"{pounds(policy.minimum_payable_pence)} to pay you. "
        f"{pounds(outstanding_pence - recovery_pence)} will remain outstanding."
    )
    return StatementLine("Overpayment recovery", -recovery_pence, explanation)
