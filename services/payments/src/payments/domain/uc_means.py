"""Means inputs taken from the person's Universal Credit assessment of the same period.

When a care award is aligned to a UC claim, the benefits system tells us what it assessed for
each assessment period (capital, unearned and earned income). For that period those figures
replace the decision's own means-test reduction, charged by UC's own rules (policy choice,
parameters from UC Regs 2013):

- capital above £16,000: nothing is payable (reg 18);
- capital above £6,000 counts as £4.35 a month for each £250 or part of £250 (reg 72);
- unearned income counts in full (reg 66);
- earned income above the (higher) work allowance is tapered at 55% (reg 22), with fractions of
  a penny of one half or more rounded up (reg 6).

Rates apply to assessment periods BEGINNING on or after the uprating date (DWP practice).
"""

from dataclasses import dataclass
from datetime import date

from wording import long_date, pounds

from payments.domain.calculation import MeansOverride, percent_from_basis_points
from payments.domain.errors import UcClaimRefused
from payments.domain.money import require_non_negative_pence

BASIS_POINTS = 10_000


@dataclass(frozen=True)
class UcAssessedMeans:
    period_start: date
    period_end: date
    capital_pence: int
    unearned_income_pence: int
    earned_income_pence: int

    def __post_init__(self) -> None:
        for name in ("capital_pence", "unearned_income_pence", "earned_income_pence"):
            require_non_negative_pence(getattr(self, name), name.replace("_", " "))
        if self.period_end < self.period_start:
            raise ValueError("a UC assessment period cannot end before it starts")

    @classmethod
    def assessed(cls, uc_claim_id: str, *values: object) -> "UcAssessedMeans":
        """From the benefits system's figures; what makes no sense refuses the whole event."""
        try:
            return cls(*values)  # type: ignore[arg-type]
        except (TypeError, ValueError) as exc:
            raise UcClaimRefused(f"UC period assessed for claim {uc_claim_id}: {exc}") from exc


@dataclass(frozen=True)
class UcMeansRules:
    periods_from: date
    work_allowance_pence: int
    taper_basis_points: int = 5_500
    capital_lower_pence: int = 600_000
    capital_upper_pence: int = 1_600_000
    tariff_step_pence: int = 25_000
    tariff_per_step_pence: int = 435


# uk-rules.md §1.2: higher work allowance £673 (APs from 8 Apr 2024), £684 (from 7 Apr 2025).
UC_MEANS_RULES = (
    UcMeansRules(date(2024, 4, 8), 67_300),
    UcMeansRules(date(2025, 4, 7), 68_400),
)


def rules_for(period_start: date, table: tuple[UcMeansRules, ...] = UC_MEANS_RULES) -> UcMeansRules:
    applicable = [r for r in table if r.periods_from <= period_start]
    if not applicable:
        raise LookupError(f"no UC means rules for periods starting {period_start}")
    return max(applicable, key=lambda r: r.periods_from)


def tariff_income(capital_pence: int, rules: UcMeansRules) -> int:
    excess = capital_pence - rules.capital_lower_pence
    if excess <= 0:
        return 0
    steps = -(-excess // rules.tariff_step_pence)  # each £250 or part of £250
    return steps * rules.tariff_per_step_pence


def tapered_earnings(earned_pence: int, rules: UcMeansRules) -> int:
    above = max(0, earned_pence - rules.work_allowance_pence)
    return (above * rules.taper_basis_points + BASIS_POINTS // 2) // BASIS_POINTS


def uc_means_override(means: UcAssessedMeans, rules: UcMeansRules | None = None) -> MeansOverride:
    rules = rules or rules_for(means.period_start)
    source = f"Universal Credit assessed your period from {long_date(means.period_start)}"
    if means.capital_pence > rules.capital_upper_pence:
        return MeansOverride(
            0,
            (
                f"{source}: your capital of {pounds(means.capital_pence)} is over "
                f"{pounds(rules.capital_upper_pence)}, so nothing is payable for this period."
            ),
            removes_whole_award=True,
        )
    tariff = tariff_income(means.capital_pence, rules)
    tapered = tapered_earnings(means.earned_income_pence, rules)
    total = means.unearned_income_pence + tariff + tapered
    return MeansOverride(
        total,
        (
            f"{source}. Unearned income {pounds(means.unearned_income_pence)}; "
            f"income from capital of {pounds(means.capital_pence)} "
            f"{pounds(tariff)}; earnings of {pounds(means.earned_income_pence)} less a "
            f"work allowance of {pounds(rules.work_allowance_pence)}, at "
            f"{percent_from_basis_points(rules.taper_basis_points)}: {pounds(tapered)}. "
            f"Together these reduce your award by {pounds(total)} this month."
        ),
    )
