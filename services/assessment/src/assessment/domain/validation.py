"""Checks assessment facts against a rule set; raises InvalidAssessment listing every problem."""

from datetime import date
from typing import Any

from assessment.domain.errors import FieldError, InvalidAssessment
from assessment.domain.facts import AssessmentFacts, MeansFacts
from assessment.domain.rules import OutcomeTest, RuleSet


def validate_facts(facts: AssessmentFacts, rules: RuleSet, decided_on: date) -> None:
    errors: list[FieldError] = []
    _check_descriptors(facts.descriptors, rules, errors)
    care_act = facts.care_act
    _check_flags(
        care_act, ("impairment_or_illness", "significant_wellbeing_impact"), "care_act", errors
    )
    _check_outcomes(
        care_act.outcomes, rules.adult_eligibility.outcome_test, "care_act.outcomes", errors
    )
    if facts.carer is not None:
        _check_flags(
            facts.carer,
            ("necessary_care", "health_deteriorating", "significant_wellbeing_impact"),
            "carer",
            errors,
        )
        _check_outcomes(
            facts.carer.outcomes, rules.carer_eligibility.outcome_test, "carer.outcomes", errors
        )
    _check_means(facts.means, rules, decided_on, errors)
    if errors:
        raise InvalidAssessment(errors)


def age_on(means: MeansFacts, on: date) -> int:
    if means.date_of_birth is None:
        return means.age  # type: ignore[return-value]  # validation ensures one is given
    born = means.date_of_birth
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _check_descriptors(descriptors: Any, rules: RuleSet, errors: list[FieldError]) -> None:
    if not isinstance(descriptors, dict):
        errors.append(FieldError("descriptors", "must map activity numbers to descriptor codes"))
        return
    for number in descriptors.keys() - {a.number for a in rules.activities}:
        errors.append(FieldError(f"descriptors.{number}", f"there is no activity {number!r}"))
    for activity in rules.activities:
        field, code = f"descriptors.{activity.number}", descriptors.get(activity.number)
        if code is None:
            errors.append(
                FieldError(field, f"missing: every activity needs a descriptor ({activity.name})")
            )
        elif isinstance(code, (list, tuple)):
            errors.append(
                FieldError(
                    field, f"give exactly one descriptor per activity, got {len(code)}: {code!r}"
                )
            )
        elif not isinstance(code, str) or rules.activity_of_descriptor(code) is None:
            errors.append(FieldError(field, f"unknown descriptor code {code!r}"))
        elif activity.descriptor(code) is None:
            owner = rules.activity_of_descriptor(code)
            errors.append(
                FieldError(
                    field,
                    f"descriptor {code} belongs to activity {owner.number}"
                    f" ({owner.name}), not activity {activity.number}",
                )
            )


def _check_flags(facts: Any, names: tuple[str, ...], prefix: str, errors: list[FieldError]) -> None:
    for name in names:
        if not isinstance(getattr(facts, name), bool):
            errors.append(FieldError(f"{prefix}.{name}", "must be true or false"))


def _check_outcomes(
    outcomes: Any, test: OutcomeTest, prefix: str, errors: list[FieldError]
) -> None:
    if not isinstance(outcomes, dict):
        errors.append(FieldError(prefix, "must map outcome codes to a limb code or null"))
        return
    limb_codes = ", ".join(limb.code for limb in test.limbs)
    for code, limb in outcomes.items():
        if not isinstance(code, str) or test.outcome(code) is None:
            errors.append(FieldError(f"{prefix}.{code}", f"unknown outcome code {code!r}"))
        elif limb is not None and (not isinstance(limb, str) or test.limb(limb) is None):
            errors.append(
                FieldError(
                    f"{prefix}.{code}", f"unknown limb {limb!r}: use one of {limb_codes}, or null"
                )
            )


def _check_pence(value: Any, field: str, errors: list[FieldError]) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        errors.append(FieldError(field, f"money must be a whole number of pence, got {value!r}"))
    elif value < 0:
        errors.append(FieldError(field, f"must not be negative, got {value}"))


def _check_means(means: MeansFacts, rules: RuleSet, on: date, errors: list[FieldError]) -> None:
    _check_pence(means.capital_pence, "means.capital_pence", errors)
    _check_pence(means.housing_costs_pence, "means.housing_costs_pence", errors)
    _check_pence(
        means.disability_related_expenditure_pence,
        "means.disability_related_expenditure_pence",
        errors,
    )
    if not isinstance(means.weekly_income_pence, dict):
        errors.append(FieldError("means.weekly_income_pence", "must map income types to pence"))
    else:
        for kind, pence in means.weekly_income_pence.items():
            field = f"means.weekly_income_pence.{kind}"
            if rules.means_test.income_type(kind) is None:
                known = ", ".join(t.code for t in rules.means_test.income_types)
                message = f"unknown income type {kind!r}; use one of {known}"
                errors.append(FieldError(field, message))
            else:
                _check_pence(pence, field, errors)
    _check_age(means, rules, on, errors)


def _check_age(means: MeansFacts, rules: RuleSet, on: date, errors: list[FieldError]) -> None:
    if (means.age is None) == (means.date_of_birth is None):
        errors.append(FieldError("means.age", "give exactly one of age or date_of_birth"))
        return
    if means.date_of_birth is not None and not isinstance(means.date_of_birth, date):
        errors.append(FieldError("means.date_of_birth", "must be a date"))
        return
    if means.age is not None and (isinstance(means.age, bool) or not isinstance(means.age, int)):
        message = f"must be a whole number of years, got {means.age!r}"
        errors.append(FieldError("means.age", message))
        return
    age, field = age_on(means, on), "means.age" if means.age is not None else "means.date_of_birth"
    if age < 0 or age > 130:
        errors.append(FieldError(field, f"gives an impossible age {age}"))
    elif rules.means_test.mig_band_for(age) is None:
        youngest = min(b.from_age for b in rules.means_test.minimum_income_guarantee)
        errors.append(FieldError(field, f"age {age} is under {youngest}: this is an adult benefit"))
