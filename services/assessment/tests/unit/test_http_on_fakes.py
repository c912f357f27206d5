"""The HTTP routes composed with fakes, as main.py composes them with PostgreSQL: commands in,
read models out, domain errors as statuses naming the field."""

from datetime import date
from types import SimpleNamespace

import pytest
from assessment.entrypoints import errors, http, reads
from assessment.entrypoints.dependencies import Dependencies
from contracts.api.assessment import CaseDetail, CurrentDecision
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
