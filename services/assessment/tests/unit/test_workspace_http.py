"""The assessors' workspace routes composed with fakes: the caseload, assigning, an assessment in
progress page by page, versions (ETag / If-Match), rule sets and golden cases. Tokens are
stood in for by a table of principals (real tokens: the browser tests on the platform)."""

from datetime import date
from types import SimpleNamespace

import pytest
from assessment.entrypoints import caseload, drafts, errors, http, reads, rulesets
from assessment.entrypoints.dependencies import Dependencies
from contracts.api.assessment import CaseDetail, Caseload, GoldenCase, RuleSets, RuleSetView
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from servicekit.auth import InvalidToken, Principal
from servicekit.http import install_error_handlers
from servicekit.testing import FixedClock

from .fakes import FakeAssessmentUnitOfWork
from .scenarios import ELIGIBLE_FACTS, RULEBOOK

SCOPES = frozenset({"assessment:read", "assessment:write", "assessment:decide"})
PRINCIPALS = {
    "asha": Principal("staff:asha", "portal", frozenset({"assessor"}), SCOPES),
    "grace": Principal("staff:grace", "portal", frozenset({"assessor", "reviewer"}), SCOPES),
    "oliver": Principal("staff:oliver", "portal", frozenset({"payments_officer"}), SCOPES),
}
PERSON = {
    "nino": "JT123456C",
    "full_name": "Ada",
    "date_of_birth": "1955-12-10",
    "area_code": "E09000033",
}


class Tokens:
    async def principal(self, token: str) -> Principal:
        if token not in PRINCIPALS:
            raise InvalidToken("unknown token")
        return PRINCIPALS[token]


@pytest.fixture
async def api():
    uow = FakeAssessmentUnitOfWork()
    app = FastAPI()
    deps = Dependencies(uow=lambda: uow, today=FixedClock(date(2025, 6, 2)), rulebook=RULEBOOK)
    app.state.runtime = SimpleNamespace(deps=deps)
    app.state.token_validator = Tokens()
    install_error_handlers(app, errors.HTTP_STATUS)
    for module in (http, reads, caseload, drafts, rulesets):
        app.include_router(module.router)
    async with AsyncClient(transport=ASGITransport(app), base_url="http://t") as client:
        yield client


def as_(who: str, version: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {who}"}
    return headers | ({"If-Match": version} if version else {})


async def test_the_queue_then_my_cases_after_taking_one(api) -> None:
    case = (await api.post("/cases", json=PERSON, headers=as_("asha"))).json()
    assert (await api.get("/caseload?view=unassigned")).status_code == 401
    assert (await api.get("/caseload", headers=as_("oliver"))).status_code == 403
    queue = Caseload.model_validate(
        (await api.get("/caseload?view=unassigned", headers=as_("asha"))).json()
    )
    [item] = queue.items
    assert (item.case_id, item.work, item.due_on, item.person.full_name) == (
        case["case_id"],
        "new_claim",
        date(2025, 6, 30),
        "Ada",
    )
    taken = await api.post(
        f"/cases/{case['case_id']}/assignment",
        json={"assigned_to": "staff:asha"},
        headers=as_("asha", '"1"'),
    )
    assert taken.status_code == 200 and taken.headers["ETag"] == '"2"'
    assert taken.json()["assigned_to"] == "staff:asha"
    mine = Caseload.model_validate((await api.get("/caseload", headers=as_("asha"))).json())
    assert [i.case_id for i in mine.items] == [case["case_id"]]
    assert mine.counts_by_status == {"open": 1, "decided": 0, "under_reconsideration": 0}
    assert not (await api.get("/caseload?view=unassigned", headers=as_("asha"))).json()["items"]
    found = await api.get("/caseload?view=all&q=JT 12 34 56 C", headers=as_("grace"))
    assert [i["case_id"] for i in found.json()["items"]] == [case["case_id"]]


async def test_a_stale_page_gets_409_naming_the_version(api) -> None:
    case = (await api.post("/cases", json=PERSON, headers=as_("asha"))).json()
    path = f"/cases/{case['case_id']}/assignment"
    await api.post(path, json={"assigned_to": "staff:asha"}, headers=as_("asha", '"1"'))
    stale = await api.post(path, json={"assigned_to": "staff:grace"}, headers=as_("grace", '"1"'))
    assert stale.status_code == 409
    assert stale.json()["errors"][0]["field"] == "version"
    detail = await api.get(f"/cases/{case['case_id']}", headers=as_("asha"))
    assert detail.headers["ETag"] == '"2"' and detail.json()["case"]["assigned_to"] == "staff:asha"


async def test_an_assessment_page_by_page_to_a_decision(api) -> None:
    case = (await api.post("/cases", json=PERSON, headers=as_("asha"))).json()
    base = f"/cases/{case['case_id']}/draft"
    started = await api.post(base, json={"purpose": "new_claim"}, headers=as_("asha", '"1"'))
    assert started.status_code == 201, started.text
    version = started.headers["ETag"]
    sections = {
        **ELIGIBLE_FACTS["descriptors"],
        "care_act": ELIGIBLE_FACTS["care_act"],
        "carer": None,
        "means": ELIGIBLE_FACTS["means"],
    }
    days = {
        "period_days": 28,
        "applies": [{"descriptor": "1a", "days": 12}, {"descriptor": "1e", "days": 16}],
    }
    sections["1"] = days
    for section, value in sections.items():
        saved = await api.put(
            f"{base}/sections/{section}",
            json={"value": value, "note": "seen"},
            headers=as_("asha", version),
        )
        assert saved.status_code == 200, (section, saved.text)
        version = saved.headers["ETag"]
    draft = CaseDetail.model_validate(saved.json()).draft
    assert draft is not None and draft.answered == draft.sections
    chosen = draft.activity_results["1"]
    assert (chosen.descriptor, chosen.points) == ("1e", 4)
    assert "16 of the 28 days, more than half" in chosen.explanation[-1]
    submitted = await api.post(f"{base}/submit", headers=as_("asha", version))
    assert submitted.status_code == 201, submitted.text
    decision = submitted.json()["decision"]
    assert (decision["kind"], decision["decided_by"]) == ("new_claim", "staff:asha")
    detail = CaseDetail.model_validate(
        (await api.get(f"/cases/{case['case_id']}", headers=as_("asha"))).json()
    )
    assert detail.draft is None and detail.assessments[0].section_notes["1"] == "seen"


async def test_a_part_that_does_not_fit_is_refused_naming_the_field(api) -> None:
    case = (await api.post("/cases", json=PERSON, headers=as_("asha"))).json()
    base = f"/cases/{case['case_id']}/draft"
    version = (await api.post(base, json={"purpose": "new_claim"}, headers=as_("asha"))).headers[
        "ETag"
    ]
    wrong_days = {"period_days": 28, "applies": [{"descriptor": "1e", "days": 30}]}
    refused = await api.put(
        f"{base}/sections/1", json={"value": wrong_days}, headers=as_("asha", version)
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "descriptors.1.applies.0.days"
    pence = {**ELIGIBLE_FACTS["means"], "capital_pence": 12.5}
    refused = await api.put(
        f"{base}/sections/means", json={"value": pence}, headers=as_("asha", version)
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "means.capital_pence"
    unknown = await api.put(
        f"{base}/sections/13", json={"value": "13a"}, headers=as_("asha", version)
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "section"


async def test_rule_sets_and_a_golden_case(api) -> None:
    listed = RuleSets.model_validate((await api.get("/rule-sets", headers=as_("asha"))).json())
    assert [r.rule_set_id for r in listed.rule_sets] == [
        "GB-CARE-2024-25",
        "GB-CARE-2025-26",
        "GB-CARE-2026-27",
    ]
    view = RuleSetView.model_validate(
        (await api.get("/rule-sets/GB-CARE-2025-26", headers=as_("asha"))).json()
    )
    assert [d.code for d in view.activities[0].descriptors][:2] == ["1a", "1b"]
    assert [c.code for c in view.reliability] == [
        "safely",
        "acceptable_standard",
        "repeatedly",
        "reasonable_time",
    ]
    assert view.care_act.minimum_not_achieved == 2 and len(view.carer.limbs) == 3
    golden = await api.post(
        "/calculator/golden", json={"on": "2025-10-01", "case": ELIGIBLE_FACTS}, headers=as_("asha")
    )
    case = GoldenCase.model_validate(golden.json())
    assert case.args == ["--on", "2025-10-01"] and case.exit_code == 0
    assert "payable_monthly_pence" in case.output["award"]  # the command's published names


async def test_the_calculator_under_a_named_rule_set(api) -> None:
    body = {"on": "2025-10-01", "case": ELIGIBLE_FACTS}
    in_force = (await api.post("/calculator", json=body, headers=as_("asha"))).json()
    proposed = (
        await api.post(
            "/calculator", json=body | {"rule_set_id": "GB-CARE-2026-27"}, headers=as_("asha")
        )
    ).json()
    assert (in_force["rule_set_id"], proposed["rule_set_id"]) == (
        "GB-CARE-2025-26",
        "GB-CARE-2026-27",
    )
    assert proposed["award"]["gross_weekly_pence"] != in_force["award"]["gross_weekly_pence"]
    unknown = await api.post(
        "/calculator", json=body | {"rule_set_id": "GB-NOPE"}, headers=as_("asha")
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "rule_set_id"


async def test_who_is_on_a_case_reads_without_the_record(api) -> None:
    case = (await api.post("/cases", json=PERSON, headers=as_("asha"))).json()
    path = f"/cases/{case['case_id']}/assignment"
    assert (await api.get(path)).status_code == 401
    assert (await api.get(path, headers=as_("asha"))).json() == {
        "case_id": case["case_id"],
        "assigned_to": None,
        "version": 1,
    }
