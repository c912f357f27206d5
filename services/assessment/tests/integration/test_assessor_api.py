"""The assessor's journey over HTTP on real PostgreSQL, with the decision written to the outbox."""

import json
from datetime import date

import pytest
from asgi_lifespan import LifespanManager
from httpx import ASGITransport, AsyncClient

from assessment.config import AssessmentSettings
from assessment.main import create_app

pytestmark = pytest.mark.integration
TODAY = date(2025, 6, 2)

ELIGIBLE_FACTS = {
    "descriptors": {"1": "1d", "2": "2b", "3": "3b", "4": "4c", "5": "5b", "6": "6c",
                    "7": "7a", "8": "8a", "9": "9a", "10": "10b", "11": "11b", "12": "12c"},
    "care_act": {"impairment_or_illness": True, "outcomes": {"a": "a", "b": "a", "d": "b"},
                 "significant_wellbeing_impact": True},
    "means": {"capital_pence": 500000, "weekly_income_pence": {"state_pension": 23000}, "age": 70},
}
PERSON = {"nino": "JT 12 34 56 C", "full_name": "Ada Lovelace", "date_of_birth": "1955-12-10",
          "area_code": "E09000033"}


@pytest.fixture
async def api(infra, fresh_database):  # noqa: ANN001, ANN201
    settings = AssessmentSettings(database_url=fresh_database, relay_enabled=False,
                                  kafka_bootstrap_servers=infra.bootstrap_servers)
    app = create_app(settings, today=lambda: TODAY)
    async with LifespanManager(app) as manager:
        async with AsyncClient(transport=ASGITransport(manager.app), base_url="http://t") as client:
            client.pool = app.app.app.state.runtime.pool if hasattr(app, "app") else None
            yield client


async def open_case(api) -> dict:  # noqa: ANN001
    response = await api.post("/cases", json=PERSON)
    assert response.status_code == 201, response.text
    return response.json()


async def test_an_assessor_takes_a_case_from_creation_to_decision(api) -> None:  # noqa: ANN001
    case = await open_case(api)
    recorded = await api.post(f"/cases/{case['case_id']}/assessments",
                              json={"assessor_id": "as-1", "facts": ELIGIBLE_FACTS})
    assert recorded.status_code == 201, recorded.text
    submitted = await api.post(
        f"/cases/{case['case_id']}/assessments/{recorded.json()['assessment_id']}/submit",
        json={"assessor_id": "as-1"})
    assert submitted.status_code == 201, submitted.text
    decision = submitted.json()
    assert decision["eligible"] is True and decision["rule_set_id"] == "GB-CARE-2025-26"
    assert decision["reconsideration_deadline"] == "2025-07-02"
    current = (await api.get(f"/people/{case['person_id']}/decision")).json()
    assert current["decision_id"] == decision["decision_id"]
    outbox = await api.pool.fetch("SELECT type, key, payload FROM outbox ORDER BY position")
    assert [r["type"].rsplit(".", 2)[-2] for r in outbox] == ["assessment_submitted", "decision_made"]
    made = outbox[1]["payload"]
    assert outbox[1]["key"] == case["person_id"]
    assert made["data"]["award"]["net_weekly_pence"] == decision["body"]["award"]["payable_weekly_pence"]
    assert made["data"]["explanation"] and made["correlationid"]


@pytest.mark.parametrize(("body", "field"), [
    ({**PERSON, "nino": "QQ123"}, "nino"),
    ({**PERSON, "area_code": "Westminster"}, "area_code"),
    ({**PERSON, "date_of_birth": "10/12/1955"}, "date_of_birth"),
    ({k: v for k, v in PERSON.items() if k != "full_name"}, "full_name"),
])
async def test_bad_case_details_get_a_clear_4xx_naming_the_field(api, body, field) -> None:  # noqa: ANN001
    response = await api.post("/cases", json=body)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


@pytest.mark.parametrize(("change", "field"), [
    (lambda f: f["descriptors"].update({"1": "1z"}), "facts.descriptors.1"),
    (lambda f: f["descriptors"].pop("12"), "facts.descriptors.12"),
    (lambda f: f["means"].update({"capital_pence": 1000.5}), "facts.means.capital_pence"),
])
async def test_bad_assessments_are_refused_and_nothing_is_written(api, change, field) -> None:  # noqa: ANN001
    case = await open_case(api)
    facts = json.loads(json.dumps(ELIGIBLE_FACTS))
    change(facts)
    response = await api.post(f"/cases/{case['case_id']}/assessments",
                              json={"assessor_id": "as-1", "facts": facts})
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]
    assert await api.pool.fetchval("SELECT count(*) FROM assessments") == 0


async def test_an_unknown_case_is_a_404_and_a_second_submit_a_409(api) -> None:  # noqa: ANN001
    assert (await api.post("/cases/nope/assessments", json={"assessor_id": "a", "facts": ELIGIBLE_FACTS})).status_code == 404
    case = await open_case(api)
    aid = (await api.post(f"/cases/{case['case_id']}/assessments",
                          json={"assessor_id": "as-1", "facts": ELIGIBLE_FACTS})).json()["assessment_id"]
    url = f"/cases/{case['case_id']}/assessments/{aid}/submit"
    assert (await api.post(url, json={"assessor_id": "as-1"})).status_code == 201
    second = await api.post(url, json={"assessor_id": "as-1"})
    assert second.status_code == 409 and second.json()["errors"][0]["field"] == "case_id"
