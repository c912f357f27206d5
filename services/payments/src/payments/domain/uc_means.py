"""Means inputs taken from the person's Universal Credit assessment of the same period.

When a care award is aligned to a UC claim, the benefits system tells us what it assessed for
each assessment period (capital, unearned and earned income) and the household facts UC's work
allowance depends on. For that period those figures replace the decision's own means-test
reduction, charged as UC takes them (policy choice; UC Regs 2013, rates from the dated data in
`payments/rates/uc-means.yaml`):

- capital above the upper limit: nothing is payable (reg 18);
- capital above the lower limit counts as tariff income for each step or part of one (reg 72);
- unearned income counts in full (reg 66);
- earned income less the work allowance is tapered (reg 22(1)(b)), with fractions of a penny
  of one half or more rounded up (reg 6). There is a work allowance only if the claimant (or a
  joint claimant) is responsible for a child or qualifying young person or has limited
  capability for work (reg 22(1)(b)); it is the lower one if the award includes a housing costs
  element and the higher one otherwise (reg 22(2)).

A fact the benefits system did not send is read the safe way (docs/payments.md): without
either condition shown there is no work allowance, and when housing costs are not said the
lower allowance applies. The statement says so. A later assessment of the same period with the
facts replaces it, and what was underpaid is paid as arrears.

Rates apply to assessment periods BEGINNING on or after their date (DWP practice).
"""

from dataclasses import dataclass
from datetime import date
from enum import Enum

from wording import long_date, pounds

from payments.domain.calculation import MeansOverride, percent_from_basis_points
from payments.domain.errors import UcClaimRefused
from payments.domain.money import require_non_negative_pence

BASIS_POINTS = 10_000


@dataclass(frozen=True, slots=True)
class UcHousehold:
    """What UC knew about the household for the period; None where it did not say."""

    housing_costs_element: bool | None = None
    limited_capability_for_work: bool | None = None
    responsible_for_child: bool | None = None
    """Responsible for a child or a qualifying young person (either joint claimant)."""


NOT_SAID = UcHousehold()


@dataclass(frozen=True)
class UcAssessedMeans:
    period_start: date
    period_end: date
    capital_pence: int
    unearned_income_pence: int
    earned_income_pence: int
    household: UcHousehold = NOT_SAID

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
    """UC's means rates for assessment periods beginning on or after ``periods_from``."""

    periods_from: date
    work_allowance_lower_pence: int
    work_allowance_higher_pence: int
    taper_basis_points: int
    capital_lower_pence: int
    capital_upper_pence: int
    tariff_step_pence: int
    tariff_per_step_pence: int
    source: str
    proposed: bool = False

    def __post_init__(self) -> None:
        if self.work_allowance_lower_pence > self.work_allowance_higher_pence:
            raise ValueError(f"{self.periods_from}: the lower work allowance exceeds the higher")
        if not 0 <= self.taper_basis_points <= BASIS_POINTS:
            raise ValueError(f"{self.periods_from}: the taper must be 0..10000 basis points")
        if self.capital_lower_pence > self.capital_upper_pence or self.tariff_step_pence <= 0:
            raise ValueError(f"{self.periods_from}: impossible capital limits or tariff step")


@dataclass(frozen=True)
class UcMeansTable:
    rates: tuple[UcMeansRules, ...]

    def __post_init__(self) -> None:
        days = [r.periods_from for r in self.rates]
        if days != sorted(set(days)):
            raise ValueError("UC means rates must be listed once each, oldest first")

    def for_period(self, period_start: date) -> UcMeansRules:
        applicable = [r for r in self.rates if r.periods_from <= period_start]
        if not applicable:
            raise LookupError(f"no UC means rules for periods starting {period_start}")
        return applicable[-1]


class WorkAllowance(Enum):
    NONE = "none"
    LOWER = "lower"
    HIGHER = "higher"


@dataclass(frozen=True)
class WorkAllowanceApplied:
    kind: WorkAllowance
    pence: int
    why: str


def work_allowance(household: UcHousehold, rules: UcMeansRules) -> WorkAllowanceApplied:
    """Which work allowance UC gives the household (reg 22), reading what is not said safely."""
    if not (household.limited_capability_for_work or household.responsible_for_child):
        said = (
            household.limited_capability_for_work is False
            and household.responsible_for_child is False
        )
        why = (
            "there is no work allowance, because nobody in your claim has limited capability "
            "for work or is responsible for a child"
            if said
            else "there is no work allowance, because Universal Credit did not tell us that "
            "anyone in your claim has limited capability for work or is responsible for a "
            "child; if they do, tell Universal Credit and we will pay what you are owed"
        )
        return WorkAllowanceApplied(WorkAllowance.NONE, 0, why + " (UC Regs 2013 reg 22(1)(b))")
    if household.housing_costs_element is False:
        return WorkAllowanceApplied(
            WorkAllowance.HIGHER,
            rules.work_allowance_higher_pence,
            "the higher work allowance applies, because your Universal Credit includes no "
            "housing costs (UC Regs 2013 reg 22(2))",
        )
    why = (
        "your Universal Credit includes housing costs"
        if household.housing_costs_element
        else "Universal Credit did not tell us whether your award includes housing costs"
    )
    return WorkAllowanceApplied(
        WorkAllowance.LOWER,
        rules.work_allowance_lower_pence,
        f"the lower work allowance applies, because {why} (UC Regs 2013 reg 22(2))",
    )


def tariff_income(capital_pence: int, rules: UcMeansRules) -> int:
    excess = capital_pence - rules.capital_lower_pence
    if excess <= 0:
        return 0
    steps = -(-excess // rules.tariff_step_pence)  # each step or part of a step
    return steps * rules.tariff_per_step_pence


def tapered_earnings(earned_pence: int, allowance_pence: int, rules: UcMeansRules) -> int:
    above = max(0, earned_pence - allowance_pence)
    return (above * rules.taper_basis_points + BASIS_POINTS // 2) // BASIS_POINTS


def uc_means_override(means: UcAssessedMeans, table: UcMeansTable) -> MeansOverride:
    rules = table.for_period(means.period_start)
    source = f"Universal Credit assessed your period from {long_date(means.period_start)}"
    if rules.proposed:
        source += " (at proposed rates, not yet confirmed)"
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
    allowance = work_allowance(means.household, rules)
    tapered = tapered_earnings(means.earned_income_pence, allowance.pence, rules)
    total = means.unearned_income_pence + tariff + tapered
    return MeansOverride(
        total,
        (
            f"{source}. Unearned income {pounds(means.unearned_income_pence)}; "
            f"income from capital of {pounds(means.capital_pence)} "
            f"{pounds(tariff)}; earnings of {pounds(means.earned_income_pence)} less a "
            f"work allowance of {pounds(allowance.pence)}, at "
            f"{percent_from_basis_points(rules.taper_basis_points)}: {pounds(tapered)} "
            f"({allowance.why}). Together these reduce your award by {pounds(total)} this month."
        ),
    )
