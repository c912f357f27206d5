"""Checks assessment facts against a rule set; raises InvalidAssessment listing every problem."""

from datetime import date
from typing import Any

from assessment.domain.errors import FieldError, InvalidAssessment
from assessment.domain.facts import ActivityDays, AssessmentFacts
from assessment.domain.rules import Activity, OutcomeTest, RuleSet
from assessment.domain.validation_means import check_means
from assessment.domain.validation_values import check_flags, whole_number_problem


def validate_facts(facts: AssessmentFacts, rules: RuleSet, decided_on: date) -> None:
    errors: list[FieldError] = []
    _check_descriptors(facts.descriptors, rules, errors)
    care_act = facts.care_act
    check_flags(
        care_act, ("impairment_or_illness", "significant_wellbeing_impact"), "care_act", errors
    )
    _check_outcomes(
        care_act.outcomes, rules.adult_eligibility.outcome_test, "care_act.outcomes", errors
    )
    if facts.carer is not None:
        check_flags(
            facts.carer,
            ("necessary_care", "health_deteriorating", "significant_wellbeing_impact"),
            "carer",
            errors,
        )
        _check_outcomes(
            facts.carer.outcomes, rules.carer_eligibility.outcome_test, "carer.outcomes", errors
        )
    check_means(facts.means, rules, decided_on, errors)
    if errors:
        raise InvalidAssessment(errors)


def _check_descriptors(descriptors: Any, rules: RuleSet, errors: list[FieldError]) -> None:
    if not isinstance(descriptors, dict):
        errors.append(FieldError("descriptors", "must map activity numbers to descriptor codes"))
        return
    for number in descriptors.keys() - {a.number for a in rules.activities}:
        errors.append(FieldError(f"descriptors.{number}", f"there is no activity {number!r}"))
    for activity in rules.activities:
        field, given = f"descriptors.{activity.number}", descriptors.get(activity.number)
        if given is None:
            errors.append(
                FieldError(field, f"missing: every activity needs a descriptor ({activity.name})")
            )
        elif isinstance(given, ActivityDays):
            _check_activity_days(activity, given, field, rules, errors)
        elif isinstance(given, (list, tuple)):
            errors.append(
                FieldError(
                    field,
                    f"give one descriptor code, or the days each descriptor applies as "
                    f'{{"period_days": ..., "applies": [{{"descriptor": ..., "days": ...}}]}}; '
                    f"got {len(given)} codes: {given!r}",
                )
            )
        elif problem := _descriptor_problem(activity, given, rules):
            errors.append(FieldError(field, problem))


def _descriptor_problem(activity: Activity, code: Any, rules: RuleSet) -> str | None:
    owner = rules.activity_of_descriptor(code) if isinstance(code, str) else None
    if owner is None:
        return f"unknown descriptor code {code!r}"
    if owner.number != activity.number:
        return (
            f"descriptor {code} belongs to activity {owner.number}"
            f" ({owner.name}), not activity {activity.number}"
        )
    return None


def _check_activity_days(
    activity: Activity, given: ActivityDays, field: str, rules: RuleSet, errors: list[FieldError]
) -> None:
    """Each descriptor applies on 1 to period_days days; those that count (reliably done) must
    cover every day of the period between them (reg 7(1) weighs descriptors by their days)."""
    before = len(errors)
    period = given.period_days
    if problem := whole_number_problem(period, minimum=1):
        errors.append(FieldError(f"{field}.period_days", problem))
        period = None
    seen: set[str] = set()
    for index, entry in enumerate(given.applies):
        at = f"{field}.applies.{index}"
        if problem := _descriptor_problem(activity, entry.descriptor, rules):
            errors.append(FieldError(f"{at}.descriptor", problem))
        elif entry.descriptor in seen:
            errors.append(FieldError(f"{at}.descriptor", f"{entry.descriptor} is given twice"))
        seen.add(entry.descriptor)
        if problem := whole_number_problem(entry.days, minimum=1, maximum=period):
            errors.append(FieldError(f"{at}.days", problem))
        _check_reliability(entry.reliability, f"{at}.reliability", rules, errors)
    if len(errors) == before:
        _check_days_cover_the_period(activity, given, f"{field}.applies", rules, errors)


def _check_reliability(
    reliability: Any, field: str, rules: RuleSet, errors: list[FieldError]
) -> None:
    if not isinstance(reliability, dict):
        errors.append(FieldError(field, "must map reliability criteria to true or false"))
        return
    known = ", ".join(c.code for c in rules.reliability.criteria)
    for code, holds in reliability.items():
        if rules.reliability.criterion(code) is None:
            message = f"unknown reliability criterion {code!r}; use {known} (SI 2013/377 reg 4(2A))"
            errors.append(FieldError(f"{field}.{code}", message))
        elif not isinstance(holds, bool):
            errors.append(FieldError(f"{field}.{code}", "must be true or false"))


def _check_days_cover_the_period(
    activity: Activity, given: ActivityDays, field: str, rules: RuleSet, errors: list[FieldError]
) -> None:
    codes = {c.code for c in rules.reliability.criteria}
    counting = [e for e in given.applies if all(e.reliability.get(c, True) for c in codes)]
    covered = sum(e.days for e in counting)
    if covered < given.period_days:
        zero = activity.zero_point_descriptor().code
        errors.append(
            FieldError(
                field,
                f"the descriptors that count cover {covered} of the {given.period_days} days: "
                f"give the descriptor that applies on every day of the period ({zero} on days "
                "none of the others applies; one done only unreliably does not count)",
            )
        )


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
