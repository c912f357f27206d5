"""Checks the means facts against a rule set (validation.py checks the rest)."""

from datetime import date
from typing import Any

from wording import pounds

from assessment.domain.ages import age_on, pension_credit_status
from assessment.domain.errors import FieldError
from assessment.domain.explanation import listed
from assessment.domain.facts import CARE_HOME, OWN_HOME, MeansFacts
from assessment.domain.rules import RuleSet
from assessment.domain.validation_values import check_flags, check_pence, whole_number_problem


def check_means(means: MeansFacts, rules: RuleSet, on: date, errors: list[FieldError]) -> None:
    before = len(errors)
    check_pence(means.capital_pence, "means.capital_pence", errors)
    check_pence(means.housing_costs_pence, "means.housing_costs_pence", errors)
    check_pence(
        means.disability_related_expenditure_pence,
        "means.disability_related_expenditure_pence",
        errors,
    )
    _check_income(means, rules, errors)
    check_flags(means, ("night_care_arranged", "entitled_to_carers_allowance"), "means", errors)
    if problem := whole_number_problem(means.dependent_children):
        errors.append(FieldError("means.dependent_children", problem))
    _check_care_setting(means, errors)
    _check_age(means.age, means.date_of_birth, "means", on, rules, errors, adult=True)
    if means.partner is not None:
        partner = means.partner
        _check_age(partner.age, partner.date_of_birth, "means.partner", on, rules, errors)
    if len(errors) == before and _guarantee_applies(means, rules):
        _check_pension_credit_age_is_known(means, on, rules, errors)
        _check_rates_are_known(means, rules, errors)


def _check_income(means: MeansFacts, rules: RuleSet, errors: list[FieldError]) -> None:
    if not isinstance(means.weekly_income_pence, dict):
        errors.append(FieldError("means.weekly_income_pence", "must map income types to pence"))
        return
    for kind, pence in means.weekly_income_pence.items():
        field = f"means.weekly_income_pence.{kind}"
        if rules.means_test.income_type(kind) is None:
            known = ", ".join(t.code for t in rules.means_test.income_types)
            errors.append(FieldError(field, f"unknown income type {kind!r}; use one of {known}"))
        else:
            check_pence(pence, field, errors)
    if not isinstance(means.benefit_rates, dict):
        errors.append(FieldError("means.benefit_rates", "must map income types to a rate"))
        return
    for kind, rate in means.benefit_rates.items():
        field, rates = f"means.benefit_rates.{kind}", rules.benefit_rates.get(kind)
        if rates is None:
            known = ", ".join(rules.benefit_rates)
            errors.append(FieldError(field, f"no rates for {kind!r}; rates are known for {known}"))
        elif rate not in rates.rates:
            names = listed(list(rates.rates), "or")
            errors.append(FieldError(field, f"unknown rate {rate!r}; use {names}"))
        elif kind not in means.weekly_income_pence:
            errors.append(FieldError(field, f"{kind} is not in means.weekly_income_pence"))


def _check_care_setting(means: MeansFacts, errors: list[FieldError]) -> None:
    setting, days = means.care_setting, means.days_in_care_home
    if setting not in (OWN_HOME, CARE_HOME):
        errors.append(FieldError("means.care_setting", f"must be {OWN_HOME} or {CARE_HOME}"))
    elif setting == OWN_HOME and days is not None:
        errors.append(FieldError("means.days_in_care_home", f"only for care_setting {CARE_HOME}"))
    elif setting == CARE_HOME:
        if days is None:
            errors.append(FieldError("means.days_in_care_home", "is required in a care home"))
        elif problem := whole_number_problem(days):
            errors.append(FieldError("means.days_in_care_home", problem))
        for name in ("housing_costs_pence", "disability_related_expenditure_pence"):
            if getattr(means, name):
                message = (
                    "is not deducted for someone living in a care home (the Personal Expenses "
                    "Allowance applies instead); leave it out"
                )
                errors.append(FieldError(f"means.{name}", message))


def _check_age(
    age: Any,
    born: Any,
    prefix: str,
    on: date,
    rules: RuleSet,
    errors: list[FieldError],
    adult: bool = False,
) -> None:
    if (age is None) == (born is None):
        errors.append(FieldError(f"{prefix}.age", "give exactly one of age or date_of_birth"))
        return
    if born is not None and not isinstance(born, date):
        errors.append(FieldError(f"{prefix}.date_of_birth", "must be a date"))
        return
    if age is not None and (isinstance(age, bool) or not isinstance(age, int)):
        errors.append(FieldError(f"{prefix}.age", f"must be a whole number of years, got {age!r}"))
        return
    years, field = (
        age_on(age, born, on),
        f"{prefix}.age" if age is not None else f"{prefix}.date_of_birth",
    )
    youngest = rules.means_test.minimum_income_guarantee.youngest_age()
    if years < 0 or years > 130:
        errors.append(FieldError(field, f"gives an impossible age {years}"))
    elif adult and years < youngest:
        errors.append(
            FieldError(field, f"age {years} is under {youngest}: this is an adult benefit")
        )


def _guarantee_applies(means: MeansFacts, rules: RuleSet) -> bool:
    """The Minimum Income Guarantee decides the contribution: at home, capital within the limit."""
    capital = means.capital_pence
    within = isinstance(capital, int) and capital <= rules.means_test.capital_upper_limit.pence
    return means.care_setting == OWN_HOME and within


def _check_pension_credit_age_is_known(
    means: MeansFacts, on: date, rules: RuleSet, errors: list[FieldError]
) -> None:
    people = [("means", means.age, means.date_of_birth)]
    if means.partner is not None:
        people.append(("means.partner", means.partner.age, means.partner.date_of_birth))
    for prefix, age, born in people:
        if pension_credit_status(age, born, on, rules.pension_credit_age) is None:
            message = (
                f"at {age} on {on.isoformat()}, whether pension credit age has been reached "
                f"depends on the date of birth: give {prefix}.date_of_birth instead"
            )
            errors.append(FieldError(f"{prefix}.age", message))


def _check_rates_are_known(means: MeansFacts, rules: RuleSet, errors: list[FieldError]) -> None:
    """A benefit whose rate matters (premiums, night care) is at one of this year's rates, or its
    rate is recorded in benefit_rates."""
    for kind, rates in rules.benefit_rates.items():
        pence = means.weekly_income_pence.get(kind)
        if pence is None or kind in means.benefit_rates or rates.rate_paying(pence) is not None:
            continue
        title = rules.means_test.title_of(kind)
        named = [f"{name} {pounds(amount)}" for name, amount in rates.rates.items()]
        message = (
            f"give the rate {title} is paid at: {pounds(pence)} a week is none of this year's "
            f"rates ({listed(named, 'or')})"
        )
        errors.append(FieldError(f"means.benefit_rates.{kind}", message))
