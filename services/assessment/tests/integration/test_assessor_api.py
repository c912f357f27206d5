"""The assessor's journey over HTTP on real PostgreSQL, with the decision written to the outbox."""

import json

import pytest
from devstack.tokens import OTHER_ASSESSOR

from .support import ELIGIBLE_FACTS, PERSON, decide_new_claim, open_case, outbox, short

pytestmark = pytest.mark.integration
ASSESSOR_SUBJECT = "urn:carebenefit:staff:asha-patel"  # the client's token (devstack.tokens)


async def test_an_assessor_takes_a_case_from_creation_to_decision(api) -> None:
    decision = await decide_new_claim(api)
    assert decision["eligible"] is True and decision["rule_set_id"] == "GB-CARE-2025-26"
    assert decision["reconsideration_deadline"] == "2025-07-02"
    assert (decision["version"], decision["kind"]) == (1, "new_claim")
    assert decision["status"] == "current"
    current = (await api.get(f"/people/{decision['person_id']}/decision")).json()
    assert current["decision_id"] == decision["decision_id"]
    rows = await outbox(api)
    assert [short(r["type"]) for r in rows] == ["assessment_submitted", "decision_made"]
    made = rows[1]["payload"]
    assert rows[1]["key"] == decision["person_id"]
    award = decision["body"]["award"]
    assert made["data"]["award"]["net_weekly_pence"] == award["net_weekly_pence"]
    assert made["data"]["explanation"] and made["correlationid"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**PERSON, "nino": "QQ123"}, "nino"),
        ({**PERSON, "area_code": "Westminster"}, "area_code"),
        ({**PERSON, "date_of_birth": "10/12/1955"}, "date_of_birth"),
        ({k: v for k, v in PERSON.items() if k != "full_name"}, "full_name"),
    ],
)
async def test_bad_case_details_get_a_clear_4xx_naming_the_field(api, body, field) -> None:
    response = await api.post("/cases", json=body)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda f: f["descriptors"].update({"1": "1z"}), "facts.descriptors.1"),
        (lambda f: f["descriptors"].pop("12"), "facts.descriptors.12"),
        (lambda f: f["descriptors"].update({"2": "1b"}), "facts.descriptors.2"),
        (lambda f: f["means"].update({"capital_pence": 1000.5}), "facts.means.capital_pence"),
    ],
)
async def test_bad_assessments_are_refused_and_nothing_is_written(api, change, field) -> None:
    case = await open_case(api)
    facts = json.loads(json.dumps(ELIGIBLE_FACTS))
    change(facts)
    response = await api.post(f"/cases/{case['case_id']}/assessments", json={"facts": facts})
    assert response.status_code == 422, response.text
    assert field in [e["field"] for e in response.json()["errors"]]
    assert await api.pool.fetchval("SELECT count(*) FROM assessments") == 0


async def test_two_descriptors_for_one_activity_as_repeated_json_keys(api) -> None:
    case = await open_case(api)
    body = json.dumps({"facts": ELIGIBLE_FACTS})
    body = body.replace('"1": "1d"', '"1": "1d", "1": "1a"')
    response = await api.post(
        f"/cases/{case['case_id']}/assessments",
        content=body,
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert error["field"] == "facts.descriptors.1" and "exactly one descriptor" in error["message"]
    assert await api.pool.fetchval("SELECT count(*) FROM assessments") == 0


async def test_an_unknown_case_is_a_404_and_a_second_submit_a_409(api) -> None:
    unknown = await api.post("/cases/nope/assessments", json={"facts": ELIGIBLE_FACTS})
    assert unknown.status_code == 404
    case = await open_case(api)
    recorded = await api.post(
        f"/cases/{case['case_id']}/assessments",
        json={"facts": ELIGIBLE_FACTS},
    )
    aid = recorded.json()["assessment_id"]
    url = f"/cases/{case['case_id']}/assessments/{aid}/submit"
    assert (await api.post(url)).status_code == 201
    second = await api.post(url)
    assert second.status_code == 409 and second.json()["errors"][0]["field"] == "case_id"


async def test_assessors_see_a_case_and_a_persons_cases(api) -> None:
    decision = await decide_new_claim(api)
    detail = (await api.get(f"/cases/{decision['case_id']}")).json()
    assert detail["case"]["status"] == "decided"
    assert [a["assessor_id"] for a in detail["assessments"]] == [ASSESSOR_SUBJECT]
    assert [(d["version"], d["status"]) for d in detail["decisions"]] == [(1, "current")]
    listed = (await api.get("/cases", params={"person_id": decision["person_id"]})).json()
    assert [(c["case_id"], c["current_decision_id"]) for c in listed["cases"]] == [
        (decision["case_id"], decision["decision_id"])
    ]
    assert (await api.get("/cases/nope")).status_code == 404
    assert (await api.get("/cases")).json()["errors"][0]["field"] == "query.person_id"


async def test_the_calculator_evaluates_on_a_date_and_records_nothing(api) -> None:
    response = await api.post("/calculator", json={"on": "2024-05-01", "case": ELIGIBLE_FACTS})
    assert response.status_code == 200, response.text
    assert response.json()["rule_set_id"] == "GB-CARE-2024-25"
    bad = await api.post("/calculator", json={"on": "2019-01-01", "case": ELIGIBLE_FACTS})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "on"
    for table in ("people", "decisions", "outbox"):
        assert await api.pool.fetchval(f"SELECT count(*) FROM {table}") == 0


async def test_a_decision_by_reg_7_with_premiums_is_stored_and_published(api) -> None:
    case = await open_case(api)
    facts = json.loads(json.dumps(ELIGIBLE_FACTS))
    facts["descriptors"]["4"] = {
        "period_days": 28,
        "applies": [
            {"descriptor": "4a", "days": 10, "reliability": {"safely": False}},
            {"descriptor": "4c", "days": 20},
            {"descriptor": "4g", "days": 16},
        ],
    }
    facts["means"] = {
        "capital_pence": 0,
        "weekly_income_pence": {"employment_and_support_allowance": 20000, "dla_care": 11040},
        "age": 40,
        "entitled_to_carers_allowance": True,
    }
    recorded = await api.post(f"/cases/{case['case_id']}/assessments", json={"facts": facts})
    assert recorded.status_code == 201, recorded.text
    submitted = await api.post(
        f"/cases/{case['case_id']}/assessments/{recorded.json()['assessment_id']}/submit"
    )
    assert submitted.status_code == 201, submitted.text
    body = submitted.json()["body"]
    washing = body["components"]["daily_living"]["activities"][3]
    assert (washing["descriptor"], washing["choice"]["rule"]) == ("4g", "several_over")
    assert [p["premium"] for p in body["means"]["premiums"]] == [
        "disability",
        "enhanced_disability",
        "carer",
    ]
    detail = (await api.get(f"/cases/{case['case_id']}")).json()
    assert detail["assessments"][0]["facts"] == facts
    made = (await outbox(api))[-1]["payload"]["data"]
    assert made["charging_rule_set_id"] == "GB-CARE-2025-26"
    assert made["means"]["minimum_income_guarantee_weekly_pence"] == 11250 + 4965 + 2425 + 5325
    assert [(p["premium"], p["weekly_pence"]) for p in made["means"]["premiums"]] == [
        ("disability", 4965),
        ("enhanced_disability", 2425),
        ("carer", 5325),
    ]
    assert any(
        line["rule"] == "means.disregard.night_care.dla_care" for line in made["explanation"]
    )


async def test_a_case_assigned_to_a_colleague_is_read_only_with_a_purpose(api) -> None:
    decision = await decide_new_claim(api)
    case_id, person_id = decision["case_id"], decision["person_id"]
    other = await api.as_user(OTHER_ASSESSOR)
    reads = (f"/cases/{case_id}", f"/people/{person_id}/decision", f"/cases?person_id={person_id}")
    for path in reads:  # unassigned: the team's shared queue
        assert (await api.get(path, headers=other)).status_code == 200, path
    taken = await api.post(f"/cases/{case_id}/assignment", json={"assigned_to": ASSESSOR_SUBJECT})
    assert taken.status_code == 200, taken.text
    for path in (*reads, f"/people/{person_id}/decisions"):
        refused = await api.get(path, headers=other)
        assert refused.status_code == 403 and "X-Access-Purpose" in refused.text, path
        assert (await api.get(path)).status_code == 200, path  # the assigned assessor's own
    explained = {**other, "X-Access-Purpose": "Covering for the assigned assessor"}
    assert (await api.get(f"/cases/{case_id}", headers=explained)).status_code == 200
    trail = await api.pool.fetch(
        "SELECT actor, outcome, purpose FROM audit WHERE person_id = $1 AND resource = $2"
        " AND actor <> $3 ORDER BY seq",
        person_id,
        "GET /cases/{case_id}",
        ASSESSOR_SUBJECT,
    )
    assert [(r["outcome"], r["purpose"]) for r in trail][-2:] == [
        ("denied", None),
        ("allowed", "Covering for the assigned assessor"),
    ]
