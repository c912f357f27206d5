"""Weekly income for the means test: what is counted and what is ignored, and why.

Beyond the income types the Charging Regulations ignore outright, two disregards apply:
- at home with no night care arranged, a benefit paid at its day-and-night rate (Attendance
  Allowance higher, DLA care highest) is counted only at its day rate (statutory guidance
  Annex C); PIP daily living has no day/night split and is counted in full;
- in a care home the scheme pays for, Attendance Allowance, DLA care and PIP daily living are
  not paid after 28 days, so they are not counted after then.
"""

from dataclasses import dataclass

from wording import pounds

from assessment.domain.explanation import ExplanationLine, plural
from assessment.domain.facts import CARE_HOME, MeansFacts
from assessment.domain.rules import RuleSet
from assessment.domain.rules_means import IncomeType

NIGHT_CARE, CARE_HOME_STAY = "night_care", "care_home_stay"


@dataclass(frozen=True)
class Disregard:
    disregard: str
    """night_care or care_home_stay."""
    income_type: str
    weekly_pence: int
    citation: str


@dataclass(frozen=True)
class Income:
    counted_pence: int
    disregarded_pence: int
    disregards: tuple[Disregard, ...]
    lines: tuple[ExplanationLine, ...]


def benefit_rate(code: str, means: MeansFacts, rules: RuleSet) -> str | None:
    """The rate a benefit is paid at: as recorded, or the rate its weekly amount equals."""
    if code in means.benefit_rates:
        return means.benefit_rates[code]
    rates = rules.benefit_rates.get(code)
    pence = means.weekly_income_pence.get(code)
    return rates.rate_paying(pence) if rates is not None and pence is not None else None


def count_income(means: MeansFacts, rules: RuleSet, publicly_funded: bool) -> Income:
    counted = disregarded = 0
    disregards: list[Disregard] = []
    lines: list[ExplanationLine] = []
    for kind in rules.means_test.income_types:  # the rule set's order, not the input's
        pence = means.weekly_income_pence.get(kind.code)
        if pence is None:
            continue
        ignored, reason = _ignored(kind, pence, means, rules, publicly_funded)
        counted += pence - ignored
        disregarded += ignored
        lines.append(_income_line(kind, pence, ignored))
        if reason is not None:
            disregard, line = reason
            lines.append(line)
            if disregard is not None:
                disregards.append(disregard)
    return Income(counted, disregarded, tuple(disregards), tuple(lines))


Reason = tuple[Disregard | None, ExplanationLine] | None


def _ignored(
    kind: IncomeType, pence: int, means: MeansFacts, rules: RuleSet, publicly_funded: bool
) -> tuple[int, Reason]:
    """How much of this income is ignored, and the line (and disregard) that says why."""
    if not kind.counted:
        return pence, None
    if means.care_setting == CARE_HOME:
        return _care_home_stay(kind, pence, means, rules, publicly_funded)
    return _night_care(kind, pence, means, rules)


def _care_home_stay(
    kind: IncomeType, pence: int, means: MeansFacts, rules: RuleSet, publicly_funded: bool
) -> tuple[int, Reason]:
    home = rules.means_test.care_home
    if not publicly_funded or kind.code not in home.stopping_income_types:
        return 0, None
    days, limit = means.days_in_care_home or 0, home.benefits_stop_after_days
    stay = f"You have been in a care home paid for by Care Benefit for {plural(days, 'day')}."
    if days <= limit:
        text = (
            f"{stay} {kind.title} stops after {limit} days in a care home paid for from public "
            "funds; until then we count it."
        )
        return 0, (None, _line("care_home_stay", kind, home.benefits_stop_citation, text))
    text = (
        f"{stay} {kind.title} is not paid after {limit} days in a care home paid for from "
        "public funds, so we do not count it."
    )
    disregard = Disregard(CARE_HOME_STAY, kind.code, pence, home.benefits_stop_citation)
    return pence, (disregard, _line("care_home_stay", kind, home.benefits_stop_citation, text))


def _night_care(
    kind: IncomeType, pence: int, means: MeansFacts, rules: RuleSet
) -> tuple[int, Reason]:
    night = rules.means_test.night_care
    benefit = night.for_income_type(kind.code)
    if benefit is None or benefit_rate(kind.code, means, rules) != benefit.paid_at:
        return 0, None
    paid_at = f"{kind.title} is paid at the {benefit.paid_at} rate, for help by day and by night."
    if means.night_care_arranged:
        text = f"{paid_at} Night care is arranged for you, so we count all of it."
        return 0, (None, _line("night_care", kind, night.citation, text))
    day_rate = rules.benefit_rates[kind.code].rates[benefit.counted_at]
    ignored = max(0, pence - day_rate)
    text = (
        f"{paid_at} No night care is arranged for you, so we count it only at the "
        f"{benefit.counted_at} rate of {pounds(day_rate)} and ignore {pounds(ignored)} a week."
    )
    disregard = Disregard(NIGHT_CARE, kind.code, ignored, night.citation)
    return ignored, (disregard, _line("night_care", kind, night.citation, text))


def _line(rule: str, kind: IncomeType, citation: str, text: str) -> ExplanationLine:
    return ExplanationLine(f"means.disregard.{rule}.{kind.code}", citation, text)


def _income_line(kind: IncomeType, pence: int, ignored: int) -> ExplanationLine:
    if not kind.counted:
        treatment = "which we ignore"
    elif ignored == 0:
        treatment = "which we count"
    elif ignored == pence:
        treatment = "which we do not count"
    else:
        treatment = f"of which we count {pounds(pence - ignored)}"
    return ExplanationLine(
        f"means.income.{kind.code}",
        kind.citation,
        f"{kind.title}: {pounds(pence)} a week, {treatment}.",
    )
