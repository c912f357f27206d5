"""Requests the integration tests share."""

from ..unit.scenarios import ELIGIBLE_FACTS, facts

__all__ = ["ELIGIBLE_FACTS", "PERSON", "facts"]

PERSON = {
    "nino": "JT 12 34 56 C",
    "full_name": "Ada Lovelace",
    "date_of_birth": "1955-12-10",
    "area_code": "E09000033",
}


async def open_case(api) -> dict:
    response = await api.post("/cases", json=PERSON)
    assert response.status_code == 201, response.text
    return response.json()


async def decide_new_claim(api, assessor: str | None = None) -> dict:
    """A case opened, assessed and submitted on the clock's today by `assessor` (a provider
    account; the client's own, an assessor's, by default): the decision."""
    headers = await api.as_user(assessor) if assessor else None
    case = await open_case(api)
    recorded = await api.post(
        f"/cases/{case['case_id']}/assessments",
        json={"facts": ELIGIBLE_FACTS},
        headers=headers,
    )
    assert recorded.status_code == 201, recorded.text
    submitted = await api.post(
        f"/cases/{case['case_id']}/assessments/{recorded.json()['assessment_id']}/submit",
        headers=headers,
    )
    assert submitted.status_code == 201, submitted.text
    return submitted.json()


async def ask_reconsideration(api, decision_id: str, requested_on: str):
    return await api.post(
        f"/decisions/{decision_id}/reconsiderations",
        json={
            "requested_on": requested_on,
            "reason": "My mobility is worse than assessed",
            "requested_by": "the person",
        },
    )


async def outbox(api) -> list:
    return await api.pool.fetch("SELECT type, key, payload FROM outbox ORDER BY position")


def short(event_type: str) -> str:
    return event_type.rsplit(".", 2)[-2]
