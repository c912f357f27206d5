"""Requests the integration tests share."""

import copy
from typing import Any

ELIGIBLE_FACTS: dict[str, Any] = {
    "descriptors": {
        "1": "1d",
        "2": "2b",
        "3": "3b",
        "4": "4c",
        "5": "5b",
        "6": "6c",
        "7": "7a",
        "8": "8a",
        "9": "9a",
        "10": "10b",
        "11": "11b",
        "12": "12c",
    },
    "care_act": {
        "impairment_or_illness": True,
        "outcomes": {"a": "a", "b": "a", "d": "b"},
        "significant_wellbeing_impact": True,
    },
    "means": {"capital_pence": 500000, "weekly_income_pence": {"state_pension": 23000}, "age": 70},
}
PERSON = {
    "nino": "JT 12 34 56 C",
    "full_name": "Ada Lovelace",
    "date_of_birth": "1955-12-10",
    "area_code": "E09000033",
}


def facts(**descriptors: str) -> dict[str, Any]:
    changed = copy.deepcopy(ELIGIBLE_FACTS)
    changed["descriptors"].update(descriptors)
    return changed


async def open_case(api) -> dict:  # noqa: ANN001
    response = await api.post("/cases", json=PERSON)
    assert response.status_code == 201, response.text
    return response.json()


async def decide_new_claim(api, assessor: str = "as-1") -> dict:  # noqa: ANN001
    """A case opened, assessed and submitted on the clock's today: the decision."""
    case = await open_case(api)
    recorded = await api.post(
        f"/cases/{case['case_id']}/assessments",
        json={"assessor_id": assessor, "facts": ELIGIBLE_FACTS},
    )
    assert recorded.status_code == 201, recorded.text
    submitted = await api.post(
        f"/cases/{case['case_id']}/assessments/{recorded.json()['assessment_id']}/submit",
        json={"assessor_id": assessor},
    )
    assert submitted.status_code == 201, submitted.text
    return submitted.json()


async def ask_reconsideration(api, decision_id: str, requested_on: str):  # noqa: ANN001, ANN201
    return await api.post(
        f"/decisions/{decision_id}/reconsiderations",
        json={
            "requested_on": requested_on,
            "reason": "My mobility is worse than assessed",
            "requested_by": "the person",
        },
    )


async def outbox(api) -> list:  # noqa: ANN001
    return await api.pool.fetch("SELECT type, key, payload FROM outbox ORDER BY position")


def short(event_type: str) -> str:
    return event_type.rsplit(".", 2)[-2]
