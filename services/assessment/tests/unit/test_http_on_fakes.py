"""The HTTP routes composed with fakes, as main.py composes them with PostgreSQL: commands in,
read models out, domain errors as statuses naming the field."""

from datetime import date
from types import SimpleNamespace

import pytest
from assessment.entrypoints import errors, http, reads
from assessment.entrypoints.dependencies import Dependencies
from contracts.api.assessment import CaseDetail, CurrentDecision, DecisionBody
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from servicekit.auth import Principal, install_auth
from servicekit.http import install_error_handlers
from servicekit.testing import FixedClock, KnownTokens

from .fakes import FakeAssessmentUnitOfWork
from .scenarios import ELIGIBLE_FACTS, RULEBOOK

ASSESSOR = Principal(
    subject="as-1",
    client_id="portal",
    roles=frozenset({"assessor"}),
    scopes=frozenset(
        {"assessment:read", "assessment:write", "assessment:decide", "assessment:verify"}
    ),
    actor="portal",
)
PERSON = {
    "nino": "JT123456C",
    "full_name": "Ada",
    "date_of_birth": "1955-12-10",
    "area_code": "E09000033",
}


@pytest.fixture
async def api():
    uow = FakeAssessmentUnitOfWork()
    app = FastAPI()
    deps = Dependencies(uow=lambda: uow, today=FixedClock(date(2025, 6, 2)), rulebook=RULEBOOK)
    app.state.runtime = SimpleNamespace(deps=deps)
    install_error_handlers(app, errors.HTTP_STATUS)
    install_auth(app, KnownTokens({"assessor": ASSESSOR}))
    app.include_router(http.router)
    app.include_router(reads.router)
    headers = {"Authorization": "Bearer assessor"}
    async with AsyncClient(
        transport=ASGITransport(app), base_url="http://t", headers=headers
    ) as client:
        yield client


async def test_a_submitted_assessment_is_the_persons_decision(api) -> None:
    case = (await api.post("/cases", json=PERSON)).json()
    recorded = await api.post(
        f"/cases/{case['case_id']}/assessments",
        json={"facts": ELIGIBLE_FACTS},
    )
    path = f"/cases/{case['case_id']}/assessments/{recorded.json()['assessment_id']}/submit"
    submitted = await api.post(path)
    assert submitted.status_code == 201, submitted.text
    current = CurrentDecision.model_validate(
        (await api.get(f"/people/{case['person_id']}/decision")).json()
    )
    assert current.decision_id == submitted.json()["decision_id"]
    assert (
        current.body.award.net_monthly_pence
        == submitted.json()["body"]["award"]["net_monthly_pence"]
    )
    detail = CaseDetail.model_validate((await api.get(f"/cases/{case['case_id']}")).json())
    assert (detail.case.status, detail.case.current_decision_id) == ("decided", current.decision_id)


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "field"),
    [
        ("get", "/cases/nope", None, 404, "case_id"),
        ("get", "/people/nope/decision", None, 404, "person_id"),
        (
            "post",
            "/decisions/nope/reconsiderations",
            {"requested_on": "2025-06-02", "reason": "r", "requested_by": "me"},
            404,
            "decision_id",
        ),
        (
            "post",
            "/people/verify",
            {"nino": "JT123456C", "date_of_birth": "1955-12-10"},
            404,
            "nino",
        ),
        ("post", "/calculator", {"on": "2019-01-01", "case": ELIGIBLE_FACTS}, 422, "on"),
        ("post", "/calculator", {"case": {**ELIGIBLE_FACTS, "carer": 1}}, 422, "case.carer"),
    ],
)
async def test_domain_errors_are_statuses_naming_the_field(api, method, path, body, status, field):
    response = await api.request(method, path, json=body)
    assert response.status_code == status
    assert response.json()["errors"][0]["field"] == field


async def test_a_decided_case_refuses_another_assessment_with_409(api) -> None:
    case = (await api.post("/cases", json=PERSON)).json()
    url = f"/cases/{case['case_id']}/assessments"
    recorded = (await api.post(url, json={"facts": ELIGIBLE_FACTS})).json()
    await api.post(f"{url}/{recorded['assessment_id']}/submit")
    again = await api.post(url, json={"facts": ELIGIBLE_FACTS})
    assert again.status_code == 409 and again.json()["errors"][0]["field"] == "case_id"


NEW_FACTS = {
    **ELIGIBLE_FACTS,
    "descriptors": {
        **ELIGIBLE_FACTS["descriptors"],
        "1": {
            "period_days": 28,
            "applies": [
                {"descriptor": "1a", "days": 16, "reliability": {"safely": False}},
                {"descriptor": "1e", "days": 20},
                {"descriptor": "1f", "days": 8},
            ],
        },
    },
    "means": {
        "capital_pence": 0,
        "weekly_income_pence": {"employment_and_support_allowance": 20000, "dla_care": 11040},
        "date_of_birth": "1980-02-29",
        "entitled_to_carers_allowance": True,
        "partner": {"age": 50},
    },
}


async def test_the_calculator_takes_the_new_facts_and_shows_how_it_used_them(api) -> None:
    response = await api.post("/calculator", json={"on": "2025-06-02", "case": NEW_FACTS})
    assert response.status_code == 200, response.text
    body = DecisionBody.model_validate(response.json())
    first = body.components["daily_living"].activities[0]
    assert (first.descriptor, first.choice.rule) == ("1e", "one_over")
    assert [(c.descriptor, c.counts) for c in first.choice.considered] == [
        ("1a", False),
        ("1e", True),
        ("1f", True),
    ]
    means = body.means
    assert [(p.premium, p.weekly_pence) for p in means.premiums] == [
        ("disability", 3540),
        ("enhanced_disability", 1745),
        ("carer", 5325),
    ]
    assert [(d.disregard, d.weekly_pence) for d in means.disregards] == [("night_care", 3650)]
    assert body.charging_rule_set_id == "GB-CARE-2025-26"


async def test_recorded_facts_are_kept_as_given(api) -> None:
    case = (await api.post("/cases", json=PERSON)).json()
    await api.post(f"/cases/{case['case_id']}/assessments", json={"facts": NEW_FACTS})
    detail = CaseDetail.model_validate((await api.get(f"/cases/{case['case_id']}")).json())
    assert detail.assessments[0].facts == NEW_FACTS


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"care_setting": "hospital"},
            "case.means.care_setting",
            "Input should be 'own_home' or 'care_home'",
        ),
        ({"days_in_care_home": "ten"}, "case.means.days_in_care_home", "must be a whole number"),
        ({"night_care_arranged": "no"}, "case.means.night_care_arranged", "must be true or false"),
        ({"capital_pence": 10.5}, "case.means.capital_pence", "money must be a whole number"),
        ({"partner": {"age": 50, "name": "x"}}, "case.means.partner.name", "Extra inputs"),
    ],
)
async def test_badly_formed_new_means_facts_are_422_naming_the_field(
    api, change, field, message
) -> None:
    case = {**NEW_FACTS, "means": {**NEW_FACTS["means"], **change}}
    response = await api.post("/calculator", json={"case": case})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == field and error["message"].startswith(message), error


@pytest.mark.parametrize(
    ("activity", "field", "message"),
    [
        (5, "case.descriptors.1", "give one descriptor code, or"),
        ({"period_days": 28, "applies": []}, "case.descriptors.1.applies", "List should have"),
        (
            {"period_days": 28, "applies": [{"descriptor": "1a", "days": "all"}]},
            "case.descriptors.1.applies.0.days",
            "must be a whole number",
        ),
        (
            {"period_days": 28, "applies": [{"descriptor": "1a", "days": 10}]},
            "case.descriptors.1.applies",
            "the descriptors that count cover 10 of the 28 days",
        ),
    ],
)
async def test_bad_descriptor_days_are_422_naming_the_field(api, activity, field, message) -> None:
    case = {**NEW_FACTS, "descriptors": {**NEW_FACTS["descriptors"], "1": activity}}
    response = await api.post("/calculator", json={"case": case})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == field and error["message"].startswith(message), error
