"""Builds AssessmentFacts from plain nested data (a parsed JSON case).

Only the shape is checked here (sections present, no unknown keys, dates parse); values are
checked against the rule set by validate_facts, so a float for money arrives there as a float.
"""

from datetime import date
from typing import Any

from assessment.domain.decision import Decision, decide
from assessment.domain.errors import FieldError, InvalidAssessment
from assessment.domain.facts import AssessmentFacts, CareActFacts, CarerFacts, MeansFacts
from assessment.domain.rules import RuleSet

_SECTIONS: dict[str, tuple[set[str], set[str]]] = {  # section -> (required keys, optional keys)
    "": ({"descriptors", "care_act", "means"}, {"carer"}),
    "care_act": ({"impairment_or_illness", "outcomes", "significant_wellbeing_impact"}, set()),
    "carer": (
        {"necessary_care", "health_deteriorating", "outcomes", "significant_wellbeing_impact"},
        set(),
    ),
    "means": (
        {"capital_pence", "weekly_income_pence"},
        {"age", "date_of_birth", "disability_related_expenditure_pence", "housing_costs_pence"},
    ),
}


def decide_case(data: Any, rules: RuleSet, on: date) -> Decision:
    """decide() for a case as plain data; InvalidAssessment lists every problem at once."""
    return decide(facts_from_mapping(data), rules, on)


def facts_from_mapping(data: Any) -> AssessmentFacts:
    errors: list[FieldError] = []
    top = _section(data, "", errors)
    care_act = _section(top.get("care_act"), "care_act", errors)
    means = _section(top.get("means"), "means", errors)
    carer = _section(top["carer"], "carer", errors) if top.get("carer") is not None else None
    date_of_birth = _date_of_birth(means.get("date_of_birth"), errors)
    if errors:
        raise InvalidAssessment(errors)
    return AssessmentFacts(
        descriptors=top["descriptors"],
        care_act=CareActFacts(**care_act),
        means=MeansFacts(**{**means, "date_of_birth": date_of_birth}),
        carer=CarerFacts(**carer) if carer is not None else None,
    )


def _section(value: Any, name: str, errors: list[FieldError]) -> dict[str, Any]:
    required, optional = _SECTIONS[name]
    if not isinstance(value, dict):
        errors.append(FieldError(name or "$", "must be a JSON object"))
        return {}
    for key in sorted(required - value.keys()):
        errors.append(FieldError(_path(name, key), "is required"))
    for key in sorted(value.keys() - required - optional):
        errors.append(FieldError(_path(name, key), "unknown field"))
    return value


def _path(section: str, key: str) -> str:
    return f"{section}.{key}" if section else key


def _date_of_birth(value: Any, errors: list[FieldError]) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        message = f"must be a date YYYY-MM-DD, got {value!r}"
        errors.append(FieldError("means.date_of_birth", message))
        return None
