"""The charging part of a rule set (SI 2014/2672): capital, income, the Minimum Income Guarantee,
the night-care disregard and care homes, as plain frozen data with citations.

The charging part has its own `effective_from`: the amending Charging Regulations take effect on
6 April, while benefits uprate on the uprating date (RuleBook composes the two).
"""

from dataclasses import dataclass
from datetime import date

SINGLE, LONE_PARENT, COUPLE = "single", "lone_parent", "couple"


@dataclass(frozen=True)
class CitedPence:
    pence: int
    citation: str
    verify: str | None = None


@dataclass(frozen=True)
class TariffIncome:
    step_pence: int
    weekly_pence_per_step: int
    citation: str
    verify: str | None = None


@dataclass(frozen=True)
class IncomeType:
    code: str
    title: str
    counted: bool
    citation: str
    verify: str | None = None


@dataclass(frozen=True)
class PersonalAmount:
    """The MIG's personal amount for a household from `from_age`, or at pension credit age."""

    household: str
    from_age: int
    pension_credit_age: bool
    label: str
    weekly_pence: int
    citation: str
    verify: str | None = None


@dataclass(frozen=True)
class QualifyingBenefit:
    income_type: str
    rates: tuple[str, ...]
    """Empty: any rate qualifies."""


@dataclass(frozen=True)
class Premium:
    """A premium added to the MIG for someone who would get it on Income Support or Pension
    Credit: qualifying benefits received, or a qualifying fact recorded."""

    code: str
    title: str
    single_pence: int
    couple_pence: int
    under_pension_credit_age_only: bool
    qualifying_benefits: tuple[QualifyingBenefit, ...]
    qualifying_facts: tuple[str, ...]
    citation: str
    verify: str | None = None

    def pence_for(self, household: str) -> int:
        return self.couple_pence if household == COUPLE else self.single_pence


@dataclass(frozen=True)
class MinimumIncomeGuarantee:
    personal_amounts: tuple[PersonalAmount, ...]
    per_dependent_child: CitedPence
    premiums: tuple[Premium, ...]
    citation: str

    def personal_amount(
        self, household: str, age: int, pension_credit_age: bool
    ) -> PersonalAmount | None:
        """The household's own row, else the single person's (a lone parent at pension credit
        age has no row of their own)."""
        for kind in dict.fromkeys((household, SINGLE)):
            rows = [
                row
                for row in self.personal_amounts
                if row.household == kind
                and row.pension_credit_age == pension_credit_age
                and row.from_age <= age
            ]
            if rows:
                return max(rows, key=lambda row: row.from_age)
        return None

    def youngest_age(self) -> int:
        return min(row.from_age for row in self.personal_amounts)


@dataclass(frozen=True)
class NightCareBenefit:
    income_type: str
    paid_at: str
    counted_at: str


@dataclass(frozen=True)
class NightCareDisregard:
    """Where no night care is arranged, the night-care part of a benefit paid at a rate for day
    and night needs is ignored: it is counted at the day-only rate."""

    benefits: tuple[NightCareBenefit, ...]
    citation: str
    verify: str | None = None

    def for_income_type(self, code: str) -> NightCareBenefit | None:
        return next((b for b in self.benefits if b.income_type == code), None)


@dataclass(frozen=True)
class CareHomeRules:
    personal_expenses_allowance: CitedPence
    benefits_stop_after_days: int
    stopping_income_types: tuple[str, ...]
    benefits_stop_citation: str
    contribution_citation: str
    verify: str | None = None


@dataclass(frozen=True)
class MeansTestRules:
    rule_set_id: str
    """The rule set this charging part comes from (it may differ from the benefit part's)."""
    effective_from: date
    status: str
    status_note: str | None
    capital_lower_limit: CitedPence
    capital_upper_limit: CitedPence
    tariff_income: TariffIncome
    minimum_income_guarantee: MinimumIncomeGuarantee
    income_types: tuple[IncomeType, ...]
    night_care: NightCareDisregard
    care_home: CareHomeRules
    deductions_citation: str
    contribution_citation: str

    def income_type(self, code: str) -> IncomeType | None:
        return next((t for t in self.income_types if t.code == code), None)

    def title_of(self, code: str) -> str:
        kind = self.income_type(code)
        return kind.title if kind is not None else code
