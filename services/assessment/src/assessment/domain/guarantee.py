"""The Minimum Income Guarantee (SI 2014/2672 reg 7): the personal amount for the household and
age, an amount for each dependent child, and the premiums the person would get "as if on Income
Support" (under pension credit age) or Pension Credit."""

from dataclasses import dataclass

from wording import pounds

from assessment.domain.ages import PensionCreditStatus
from assessment.domain.explanation import ExplanationLine, listed
from assessment.domain.facts import PREMIUM_FACTS, MeansFacts
from assessment.domain.income import benefit_rate
from assessment.domain.rules import RuleSet
from assessment.domain.rules_means import COUPLE, LONE_PARENT, SINGLE, PersonalAmount, Premium


@dataclass(frozen=True)
class PremiumApplied:
    premium: str
    weekly_pence: int
    citation: str


@dataclass(frozen=True)
class Guarantee:
    weekly_pence: int
    personal_amount: PersonalAmount
    children_weekly_pence: int
    premiums: tuple[PremiumApplied, ...]
    person: PensionCreditStatus
    lines: tuple[ExplanationLine, ...]


def household_of(means: MeansFacts) -> str:
    if means.partner is not None:
        return COUPLE
    return LONE_PARENT if means.dependent_children > 0 else SINGLE


def minimum_income_guarantee(
    means: MeansFacts,
    rules: RuleSet,
    age: int,
    person: PensionCreditStatus,
    partner: PensionCreditStatus | None,
) -> Guarantee:
    mig = rules.means_test.minimum_income_guarantee
    household = household_of(means)
    at_pension_age = person.reached or (partner is not None and partner.reached)
    amount = mig.personal_amount(household, age, at_pension_age)
    if amount is None:  # validate_facts checks the age has an amount
        raise ValueError(f"no guarantee credit amount for age {age}")
    children = means.dependent_children * mig.per_dependent_child.pence
    lines: list[ExplanationLine] = []
    if children:
        lines.append(_children_line(means.dependent_children, rules))
    premiums = []
    for premium in mig.premiums:
        reasons = _qualifies(premium, means, rules)
        if not reasons:
            continue
        if premium.under_pension_credit_age_only and person.reached:
            lines.append(_premium_line(premium, reasons, None))
            continue
        pence = premium.pence_for(household)
        premiums.append(PremiumApplied(premium.code, pence, premium.citation))
        lines.append(_premium_line(premium, reasons, pence))
    total = amount.weekly_pence + children + sum(p.weekly_pence for p in premiums)
    lines.append(_total_line(total, amount, age, children, premiums, rules))
    return Guarantee(total, amount, children, tuple(premiums), person, tuple(lines))


def _qualifies(premium: Premium, means: MeansFacts, rules: RuleSet) -> list[str]:
    """Why the person would get the premium (empty: they would not)."""
    reasons = []
    for benefit in premium.qualifying_benefits:
        if benefit.income_type not in means.weekly_income_pence:
            continue
        title = rules.means_test.title_of(benefit.income_type)
        rate = benefit_rate(benefit.income_type, means, rules)
        if not benefit.rates:
            reasons.append(f"you get {title}")
        elif rate in benefit.rates:
            reasons.append(f"you get {title} at the {rate} rate")
    reasons += [PREMIUM_FACTS[fact] for fact in premium.qualifying_facts if getattr(means, fact)]
    return reasons


def _premium_line(premium: Premium, reasons: list[str], pence: int | None) -> ExplanationLine:
    because = _sentence(reasons)
    if pence is None:
        text = (
            f"{because}, but the {premium.title} is only for people under pension credit age, "
            "so we do not add it."
        )
    else:
        text = f"{because}, so we add the {premium.title} of {pounds(pence)} a week."
    return ExplanationLine(f"means.premium.{premium.code}", premium.citation, text)


def _children_line(count: int, rules: RuleSet) -> ExplanationLine:
    child = rules.means_test.minimum_income_guarantee.per_dependent_child
    each = "your dependent child" if count == 1 else f"each of your {count} dependent children"
    return ExplanationLine(
        "means.minimum_income_guarantee.children",
        child.citation,
        f"We add {pounds(child.pence)} a week for {each}: {pounds(count * child.pence)}.",
    )


def _total_line(
    total: int,
    amount: PersonalAmount,
    age: int,
    children: int,
    premiums: list[PremiumApplied],
    rules: RuleSet,
) -> ExplanationLine:
    mig = rules.means_test.minimum_income_guarantee
    extras = [f"{pounds(children)} for your children"] if children else []
    names = {p.code: p.title for p in mig.premiums}
    extras += [f"{pounds(p.weekly_pence)} {names[p.premium]}" for p in premiums]
    if extras:
        parts = " + ".join([f"{pounds(amount.weekly_pence)} for a {amount.label}", *extras])
        text = f"You keep a Minimum Income Guarantee of {pounds(total)} a week: {parts}."
    else:
        text = (
            f"You keep a Minimum Income Guarantee of {pounds(total)} a week (the amount for a "
            f"{amount.label}; you are {age})."
        )
    return ExplanationLine("means.minimum_income_guarantee", amount.citation, text)


def _sentence(reasons: list[str]) -> str:
    joined = listed(reasons)
    return joined[0].upper() + joined[1:]
