"""Plan versions and review policies as JSON and back, losslessly.

A stored version body is `dataclasses.asdict` of the PlanVersion with dates as ISO strings, plus
derived figures (weekly_cost_pence, shortfall_pence, each item's weekly_cost_pence) for readers
of the database; loading ignores the derived figures and recomputes them. Bodies written before
the person's choices were recorded load with no choices.
"""

from dataclasses import asdict
from datetime import date
from typing import Any

from care_plans.domain.catalogue import ReviewPolicy
from care_plans.domain.plan_version import Agreement, PlanItem, PlanStatus, PlanVersion, TopUp


def version_to_json(version: PlanVersion) -> dict[str, Any]:
    body = _jsonable(asdict(version))
    body["weekly_cost_pence"] = version.weekly_cost_pence
    body["shortfall_pence"] = version.shortfall_pence
    for item, source in zip(body["items"], version.items, strict=True):
        item["weekly_cost_pence"] = source.weekly_cost_pence
    return body


def version_from_json(body: dict[str, Any]) -> PlanVersion:
    top_up, agreement = body.get("top_up"), body.get("agreement")
    return PlanVersion(
        number=body["number"],
        status=PlanStatus(body["status"]),
        created_on=date.fromisoformat(body["created_on"]),
        catalogue_id=body["catalogue_id"],
        decision_id=body["decision_id"],
        decision_version=body["decision_version"],
        area_code=body["area_code"],
        outcomes=tuple(body["outcomes"]),
        weekly_budget_pence=body["weekly_budget_pence"],
        items=tuple(_item(i) for i in body["items"]),
        top_up=None
        if top_up is None
        else TopUp(
            top_up["pence"],
            top_up["assessor_id"],
            top_up["reason"],
            date.fromisoformat(top_up["on"]),
        ),
        agreement=None
        if agreement is None
        else Agreement(
            agreement["version"],
            agreement["by"],
            agreement["by_id"],
            date.fromisoformat(agreement["on"]),
            agreement.get("reason"),
        ),
        next_review_on=_day(body.get("next_review_on")),
        preferred_providers=tuple((s, p) for s, p in body.get("preferred_providers") or ()),
        direct_payment_services=tuple(body.get("direct_payment_services") or ()),
    )


def policy_to_json(policy: ReviewPolicy) -> dict[str, Any]:
    return asdict(policy)


def policy_from_json(body: dict[str, Any]) -> ReviewPolicy:
    return ReviewPolicy(**body)


def _item(body: dict[str, Any]) -> PlanItem:
    return PlanItem(
        service_code=body["service_code"],
        description=body["description"],
        unit=body["unit"],
        outcomes=tuple(body["outcomes"]),
        units_per_week=body["units_per_week"],
        unit_rate_pence=body["unit_rate_pence"],
        provider_id=body["provider_id"],
        arranged_by=body["arranged_by"],
    )


def _day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _jsonable(v) for key, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value
