"""Plan versions and review policies as JSON and back, losslessly (pydantic reads and writes the
domain's dataclasses as they are).

A stored version body is the PlanVersion's fields with dates as ISO strings, plus derived figures
(weekly_cost_pence, shortfall_pence, each item's weekly_cost_pence) for readers of the database;
loading ignores the derived figures and recomputes them. Bodies written before the person's
choices were recorded load with no choices.
"""

from typing import Any

from pydantic import TypeAdapter

from care_plans.domain.catalogue import ReviewPolicy
from care_plans.domain.plan_version import PlanVersion

_VERSION = TypeAdapter(PlanVersion)
_POLICY = TypeAdapter(ReviewPolicy)


def version_to_json(version: PlanVersion) -> dict[str, Any]:
    body = _VERSION.dump_python(version, mode="json")
    body["weekly_cost_pence"] = version.weekly_cost_pence
    body["shortfall_pence"] = version.shortfall_pence
    for item, source in zip(body["items"], version.items, strict=True):
        item["weekly_cost_pence"] = source.weekly_cost_pence
    return body


def version_from_json(body: dict[str, Any]) -> PlanVersion:
    return _VERSION.validate_python(body)


def policy_to_json(policy: ReviewPolicy) -> dict[str, Any]:
    return _POLICY.dump_python(policy, mode="json")


def policy_from_json(body: dict[str, Any]) -> ReviewPolicy:
    return _POLICY.validate_python(body)
