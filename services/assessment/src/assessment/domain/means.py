"""Means test (Care Act charging, non-residential): capital, tariff income, weekly contribution."""

from dataclasses import dataclass

from wording import pounds

from assessment.domain.explanation import ExplanationLine, citations
from assessment.domain.facts import MeansFacts
from assessment.domain.money import ceiling_division
from assessment.domain.rules import MeansTestRules


@dataclass(frozen=True)
class MeansResult:
    capital_pence: int
    financially_eligible: bool
    tariff_income_weekly_pence: int
    counted_income_weekly_pence: int
    disregarded_income_weekly_pence: int
    minimum_income_guarantee_weekly_pence: int
    housing_costs_weekly_pence: int
    disability_related_expenditure_weekly_pence: int
    weekly_contribution_pence: int


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
    means: MeansFacts, rules: MeansTestRules, age: int, full_cost_pence: int
) -> tuple[MeansResult, list[ExplanationLine]]:
    """Above the upper capital limit the person pays the full cost (`full_cost_pence`)."""
    capital = means.capital_pence
    eligible = capital <= rules.capital_upper_limit.pence
    tariff = tariff_income(capital, rules) if eligible else 0
    counted, disregarded, income_lines = _income(means.weekly_income_pence, rules)
    band = rules.mig_band_for(age)
    housing, dre = means.housing_costs_pence, means.disability_related_expenditure_pence
    formula = charging_formula(counted, tariff, band.weekly_pence, housing, dre)
    result = MeansResult(
        capital,
        eligible,
        tariff,
        counted,
        disregarded,
        band.weekly_pence,
        housing,
        dre,
        formula if eligible else full_cost_pence,
    )
    lines = [_capital_line(result, rules), *income_lines]
    if eligible:
        lines += [
            ExplanationLine(
                "means.minimum_income_guarantee",
                band.citation,
                f"You keep a Minimum Income Guarantee of {pounds(band.weekly_pence)} "
                f"a week (the amount for a {band.label}; you are {age}).",
            ),
            ExplanationLine(
                "means.deductions",
                rules.deductions_citation,
                f"We also allow your housing costs of {pounds(housing)} a week and "
                f"your disability-related expenses of {pounds(dre)} a week.",
            ),
            _contribution_line(result, rules),
        ]
    return result, lines


def _income(
    weekly_income: dict[str, int], rules: MeansTestRules
) -> tuple[int, int, list[ExplanationLine]]:
    counted = disregarded = 0
    lines = []
    for kind in rules.income_types:  # the rule set's order, not the input's
        pence = weekly_income.get(kind.code)
        if pence is None:
            continue
        if kind.counted:
            counted += pence
        else:
            disregarded += pence
        lines.append(
            ExplanationLine(
                f"means.income.{kind.code}",
                kind.citation,
                f"{kind.title}: {pounds(pence)} a week, which we "
                f"{'count' if kind.counted else 'ignore'}.",
            )
        )
    return counted, disregarded, lines


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


def _contribution_line(result: MeansResult, rules: MeansTestRules) -> ExplanationLine:
    r = result
    sum_text = (
        f"{pounds(r.counted_income_weekly_pence)} counted income + "
        f"{pounds(r.tariff_income_weekly_pence)} from capital − "
        f"{pounds(r.minimum_income_guarantee_weekly_pence)} guarantee − "
        f"{pounds(r.housing_costs_weekly_pence)} housing − "
        f"{pounds(r.disability_related_expenditure_weekly_pence)} disability-related "
        f"expenses"
    )
    ending = (
        ""
        if r.weekly_contribution_pence > 0
        else " This comes to nothing or less, so you pay nothing."
    )
    return ExplanationLine(
        "means.contribution",
        rules.contribution_citation,
        f"Your weekly contribution is {pounds(r.weekly_contribution_pence)}: {sum_text}.{ending}",
    )
