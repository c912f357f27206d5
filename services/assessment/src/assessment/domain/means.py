"""Means test (Care Act charging): capital and tariff income, income counted, and the weekly
contribution — at home above the Minimum Income Guarantee, in a care home above the Personal
Expenses Allowance."""

from dataclasses import dataclass
from datetime import date

from wording import long_date, pounds

from assessment.domain.ages import PensionCreditStatus, age_on, pension_credit_status
from assessment.domain.explanation import ExplanationLine, citations
from assessment.domain.facts import CARE_HOME, MeansFacts
from assessment.domain.guarantee import Guarantee, PremiumApplied, minimum_income_guarantee
from assessment.domain.income import Disregard, count_income
from assessment.domain.money import ceiling_division
from assessment.domain.rules import RuleSet
from assessment.domain.rules_means import MeansTestRules


@dataclass(frozen=True)
class MeansResult:
    capital_pence: int
    financially_eligible: bool
    tariff_income_weekly_pence: int
    counted_income_weekly_pence: int
    disregarded_income_weekly_pence: int
    minimum_income_guarantee_weekly_pence: int
    """0 in a care home, where the Personal Expenses Allowance applies instead."""
    housing_costs_weekly_pence: int
    disability_related_expenditure_weekly_pence: int
    weekly_contribution_pence: int
    care_setting: str
    personal_expenses_allowance_weekly_pence: int
    """0 at home."""
    pension_credit_age: bool | None
    """None where it does not matter (in a care home, or capital over the upper limit) and only
    an age was given."""
    premiums: tuple[PremiumApplied, ...]
    disregards: tuple[Disregard, ...]


def tariff_income(capital_pence: int, rules: MeansTestRules) -> int:
    """£1 a week for each £250, or part of £250, of capital over the lower limit."""
    excess = capital_pence - rules.capital_lower_limit.pence
    if excess <= 0:
        return 0
    steps = ceiling_division(excess, rules.tariff_income.step_pence)
    return steps * rules.tariff_income.weekly_pence_per_step


def charging_formula(counted_income: int, tariff: int, mig: int, housing: int, dre: int) -> int:
    return max(0, counted_income + tariff - mig - housing - dre)


def assess_means(
    means: MeansFacts, rules: RuleSet, on: date, full_cost_pence: int
) -> tuple[MeansResult, list[ExplanationLine]]:
    """Above the upper capital limit the person pays the full cost (`full_cost_pence`)."""
    charging = rules.means_test
    capital = means.capital_pence
    eligible = capital <= charging.capital_upper_limit.pence
    tariff = tariff_income(capital, charging) if eligible else 0
    income = count_income(means, rules, publicly_funded=eligible)
    person = pension_credit_status(means.age, means.date_of_birth, on, rules.pension_credit_age)
    in_home = means.care_setting == CARE_HOME
    guarantee = None
    if not in_home and eligible:
        if person is None:  # validate_facts asks for the date of birth where it matters
            raise ValueError("the date of birth is needed for the guarantee credit")
        guarantee = _guarantee(means, rules, on, person)
    allowance = charging.care_home.personal_expenses_allowance.pence if in_home else 0
    housing, dre = means.housing_costs_pence, means.disability_related_expenditure_pence
    kept = guarantee.weekly_pence if guarantee else allowance
    formula = charging_formula(income.counted_pence, tariff, kept, housing, dre)
    result = MeansResult(
        capital_pence=capital,
        financially_eligible=eligible,
        tariff_income_weekly_pence=tariff,
        counted_income_weekly_pence=income.counted_pence,
        disregarded_income_weekly_pence=income.disregarded_pence,
        minimum_income_guarantee_weekly_pence=guarantee.weekly_pence if guarantee else 0,
        housing_costs_weekly_pence=housing,
        disability_related_expenditure_weekly_pence=dre,
        weekly_contribution_pence=formula if eligible else full_cost_pence,
        care_setting=means.care_setting,
        personal_expenses_allowance_weekly_pence=allowance,
        pension_credit_age=person.reached if person else None,
        premiums=guarantee.premiums if guarantee else (),
        disregards=income.disregards,
    )
    lines = [_capital_line(result, charging), *income.lines]
    if eligible:
        lines += _kept_lines(result, means, rules, on, guarantee)
    return result, lines


def _guarantee(
    means: MeansFacts, rules: RuleSet, on: date, person: PensionCreditStatus
) -> Guarantee:
    partner = None
    if means.partner is not None:
        born = means.partner.date_of_birth
        partner = pension_credit_status(means.partner.age, born, on, rules.pension_credit_age)
    age = age_on(means.age, means.date_of_birth, on)
    return minimum_income_guarantee(means, rules, age, person, partner)


def _kept_lines(
    result: MeansResult,
    means: MeansFacts,
    rules: RuleSet,
    on: date,
    guarantee: Guarantee | None,
) -> list[ExplanationLine]:
    charging = rules.means_test
    if guarantee is None:
        allowance = charging.care_home.personal_expenses_allowance
        return [
            ExplanationLine(
                "means.personal_expenses_allowance",
                allowance.citation,
                "You live in a care home, so instead of a Minimum Income Guarantee you keep a "
                f"Personal Expenses Allowance of {pounds(allowance.pence)} a week.",
            ),
            _contribution_line(result, charging.care_home.contribution_citation),
        ]
    return [
        _pension_credit_line(means, guarantee.person, rules, on),
        *guarantee.lines,
        ExplanationLine(
            "means.deductions",
            charging.deductions_citation,
            f"We also allow your housing costs of {pounds(result.housing_costs_weekly_pence)} "
            "a week and your disability-related expenses of "
            f"{pounds(result.disability_related_expenditure_weekly_pence)} a week.",
        ),
        _contribution_line(result, charging.contribution_citation),
    ]


def _pension_credit_line(
    means: MeansFacts, person: PensionCreditStatus, rules: RuleSet, on: date
) -> ExplanationLine:
    if person.reached_on is not None:
        verb = "reached" if person.reached else "will reach"
        text = f"You {verb} pension credit age on {long_date(person.reached_on)}."
    else:
        side = "over" if person.reached else "under"
        text = f"At {age_on(means.age, None, on)} you are {side} pension credit age."
    if means.partner is not None:
        text += " As a member of a couple, the amount for couples applies."
    return ExplanationLine("means.pension_credit_age", rules.pension_credit_age.citation, text)


def _capital_line(result: MeansResult, rules: MeansTestRules) -> ExplanationLine:
    lower, upper = rules.capital_lower_limit, rules.capital_upper_limit
    capital = pounds(result.capital_pence)
    if not result.financially_eligible:
        return ExplanationLine(
            "means.capital",
            upper.citation,
            f"Your savings and other capital are {capital}, which is over the upper limit of "
            f"{pounds(upper.pence)}, so you pay the full cost of your care and we cannot fund it.",
        )
    if result.tariff_income_weekly_pence == 0:
        return ExplanationLine(
            "means.capital",
            lower.citation,
            f"Your savings and other capital are {capital}. We ignore capital up to "
            f"{pounds(lower.pence)}, so we count no income from it.",
        )
    step = rules.tariff_income
    return ExplanationLine(
        "means.capital",
        citations(lower.citation, step.citation),
        f"Your savings and other capital are {capital}, which is "
        f"{pounds(result.capital_pence - lower.pence)} over the lower limit of "
        f"{pounds(lower.pence)}. We count {pounds(step.weekly_pence_per_step)} a week for each "
        f"{pounds(step.step_pence)}, or part of {pounds(step.step_pence)}, over the limit: "
        f"{pounds(result.tariff_income_weekly_pence)} a week.",
    )


def _contribution_line(result: MeansResult, citation: str) -> ExplanationLine:
    r = result
    income = (
        f"{pounds(r.counted_income_weekly_pence)} counted income + "
        f"{pounds(r.tariff_income_weekly_pence)} from capital − "
    )
    if r.care_setting == CARE_HOME:
        kept = f"{pounds(r.personal_expenses_allowance_weekly_pence)} personal expenses allowance"
    else:
        kept = (
            f"{pounds(r.minimum_income_guarantee_weekly_pence)} guarantee − "
            f"{pounds(r.housing_costs_weekly_pence)} housing − "
            f"{pounds(r.disability_related_expenditure_weekly_pence)} disability-related "
            "expenses"
        )
    ending = (
        ""
        if r.weekly_contribution_pence > 0
        else " This comes to nothing or less, so you pay nothing."
    )
    return ExplanationLine(
        "means.contribution",
        citation,
        f"Your weekly contribution is {pounds(r.weekly_contribution_pence)}: "
        f"{income}{kept}.{ending}",
    )
