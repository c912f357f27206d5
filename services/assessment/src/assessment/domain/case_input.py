"""Builds AssessmentFacts from plain nested data (a parsed JSON case).

Only the shape is checked here (sections present, no unknown keys, dates parse); values are
checked against the rule set by validate_facts, so a float for money arrives there as a float.
"""

from datetime import date
from typing import Any

from assessment.domain.decision import Decision, decide
from assessment.domain.errors import FieldError, InvalidAssessment
from assessment.domain.facts import (
    ActivityDays,
    AssessmentFacts,
    CareActFacts,
    CarerFacts,
    DescriptorDays,
    MeansFacts,
    PartnerFacts,
)
from assessment.domain.rules import RuleSet

_MEANS_OPTIONAL = {
    "age",
    "date_of_birth",
    "disability_related_expenditure_pence",
    "housing_costs_pence",
    "benefit_rates",
    "night_care_arranged",
    "entitled_to_carers_allowance",
    "dependent_children",
    "partner",
    "care_setting",
    "days_in_care_home",
}
_SHAPES: dict[str, tuple[set[str], set[str]]] = {  # shape -> (required keys, optional keys)
    "": ({"descriptors", "care_act", "means"}, {"carer"}),
    "care_act": ({"impairment_or_illness", "outcomes", "significant_wellbeing_impact"}, set()),
    "carer": (
        {"necessary_care", "health_deteriorating", "outcomes", "significant_wellbeing_impact"},
        set(),
    ),
    "means": ({"capital_pence", "weekly_income_pence"}, _MEANS_OPTIONAL),
    "partner": (set(), {"age", "date_of_birth"}),
    "activity": ({"period_days", "applies"}, set()),
    "applies": ({"descriptor", "days"}, {"reliability"}),
}


def decide_case(data: Any, rules: RuleSet, on: date) -> Decision:
    """decide() for a case as plain data; InvalidAssessment lists every problem at once."""
    return decide(facts_from_mapping(data), rules, on)


def facts_from_mapping(data: Any) -> AssessmentFacts:
    errors: list[FieldError] = []
    top = _section(data, "", "", errors)
    care_act = _section(top.get("care_act"), "care_act", "care_act", errors)
    means = _section(top.get("means"), "means", "means", errors)
    carer = (
        _section(top["carer"], "carer", "carer", errors) if top.get("carer") is not None else None
    )
    descriptors = _descriptors(top.get("descriptors"), errors)
    partner = _partner(means.get("partner"), errors)
    date_of_birth = _date(means.get("date_of_birth"), "means.date_of_birth", errors)
    if errors:
        raise InvalidAssessment(errors)
    return AssessmentFacts(
        descriptors=descriptors,
        care_act=CareActFacts(**care_act),
        means=MeansFacts(**{**means, "date_of_birth": date_of_birth, "partner": partner}),
        carer=CarerFacts(**carer) if carer is not None else None,
    )


def _section(value: Any, shape: str, path: str, errors: list[FieldError]) -> dict[str, Any]:
    required, optional = _SHAPES[shape]
    if not isinstance(value, dict):
        errors.append(FieldError(path or "$", "must be a JSON object"))
        return {}
    for key in sorted(required - value.keys()):
        errors.append(FieldError(_path(path, key), "is required"))
    for key in sorted(value.keys() - required - optional):
        errors.append(FieldError(_path(path, key), "unknown field"))
    return value


def _path(section: str, key: str) -> str:
    return f"{section}.{key}" if section else key


def _descriptors(value: Any, errors: list[FieldError]) -> Any:
    """Descriptor codes pass through (validate_facts checks them); objects become ActivityDays."""
    if not isinstance(value, dict):
        return value
    return {
        number: _activity_days(given, f"descriptors.{number}", errors)
        if isinstance(given, dict)
        else given
        for number, given in value.items()
    }


def _activity_days(value: dict[str, Any], path: str, errors: list[FieldError]) -> ActivityDays:
    activity = _section(value, "activity", path, errors)
    applies = activity.get("applies")
    if not isinstance(applies, list) or not applies:
        if "applies" in activity:
            errors.append(FieldError(f"{path}.applies", "must be a non-empty list"))
        applies = []
    entries = [
        _section(entry, "applies", f"{path}.applies.{index}", errors)
        for index, entry in enumerate(applies)
    ]
    return ActivityDays(
        period_days=activity.get("period_days"),  # type: ignore[arg-type]  # checked later
        applies=tuple(
            DescriptorDays(e.get("descriptor"), e.get("days"), e.get("reliability", {}))
            for e in entries
        ),
    )


def _partner(value: Any, errors: list[FieldError]) -> PartnerFacts | None:
    if value is None:
        return None
    partner = _section(value, "partner", "means.partner", errors)
    born = _date(partner.get("date_of_birth"), "means.partner.date_of_birth", errors)
    return PartnerFacts(age=partner.get("age"), date_of_birth=born)


def _date(value: Any, field: str, errors: list[FieldError]) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        errors.append(FieldError(field, f"must be a date YYYY-MM-DD, got {value!r}"))
        return None
