"""Every route of every running service, tried with no token, a token for another service, a
person's token on staff work and on someone else's record, and a reviewer reviewing their own
decision: all refused. The routes come from the apps' own route tables (devstack.access_table),
so a route added later is tried too; the tokens come from the session's real provider."""

import re
from datetime import date

import httpx
import pytest
from devstack.access_table import SERVICES, policies
from devstack.drive import FACTS, eventually, random_nino
from devstack.tokens import ASSESSOR, CITIZEN, OPERATIONS, PAYMENTS_OFFICER, REVIEWER, bearer

pytestmark = pytest.mark.e2e
OPEN = {
    (service, "GET", path)
    for service in SERVICES
    for path in ("/health/live", "/health/ready", "/metrics")  # metrics: counts, nobody's data
} | {("notifications", "POST", "/notify/callback")}
ROUTES = [(s, method, path, policy) for s in SERVICES for method, path, policy in policies(s)]


def concrete(path: str, **values: str) -> str:
    """`/people/{person_id}/plan` with the given values, `x` for the rest."""
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "x"), path)


async def call(platform, service: str, method: str, path: str, **options) -> httpx.Response:
    async with httpx.AsyncClient(base_url=platform.url(service), timeout=30) as http:
        return await http.request(method, path, **options)


def test_only_the_declared_routes_are_open() -> None:
    assert {(s, m, p) for s, m, p, policy in ROUTES if policy.open is not None} == OPEN


async def test_what_the_services_serve_is_what_the_route_tables_say(platform) -> None:
    for service in SERVICES:
        schema = (await call(platform, service, "GET", "/openapi.json")).json()  # test: open
        served = {(m.upper(), p) for p, ops in schema["paths"].items() for m in ops}
        assert served <= {(m, p) for s, m, p, _ in ROUTES if s == service}, service


async def test_every_other_route_without_a_token_or_with_another_services_is_401(
    platform, tokens
) -> None:
    closed = [(s, m, p) for s, m, p, policy in ROUTES if policy.open is None]
    assert len(closed) > 40
    for service, method, path in closed:
        foreign = "payments" if service != "payments" else "assessment"
        for headers in ({}, bearer(await tokens.staff(ASSESSOR, foreign))):
            response = await call(platform, service, method, concrete(path), headers=headers)
            assert response.status_code == 401, (service, method, path, response.text)
            assert response.headers["www-authenticate"].startswith("Bearer")
    for service in SERVICES:
        assert (await call(platform, service, "GET", "/health/live")).status_code == 200
        assert (await call(platform, service, "GET", "/health/ready")).status_code == 200


async def test_a_persons_token_on_staff_work_and_a_services_on_anyones_record_is_403(
    platform, tokens
) -> None:
    for service, method, path, policy in ROUTES:
        if policy.open is not None or policy.person or not (policy.roles or policy.services):
            continue  # open, the person's own, or any caller's (the calculator)
        person = bearer(await tokens.person(CITIZEN, service, "P-someone"))
        response = await call(platform, service, method, concrete(path), headers=person)
        assert response.status_code == 403, (service, method, path, response.text)
    own_client = bearer(await tokens.service("assessment", "payments", "payments:read"))
    response = await call(platform, "payments", "GET", "/people/P-1/payments", headers=own_client)
    assert response.status_code == 403  # a service reads no one's payments
    sweep = "/ops/reviews/run"  # the review sweep job's: care-plans' own client may
    own = bearer(await tokens.service("care-plans", "care-plans", "care-plans:write"))
    assert (await call(platform, "care-plans", "POST", sweep, headers=own)).status_code == 200
    reader = bearer(await tokens.service("assessment", "care-plans", "care-plans:read"))
    assert (await call(platform, "care-plans", "POST", sweep, headers=reader)).status_code == 403
    officer = bearer(await tokens.staff(PAYMENTS_OFFICER, "assessment"))
    response = await call(platform, "assessment", "POST", "/cases", headers=officer, json={})
    assert response.status_code == 403  # a payments officer opens no case


async def test_staff_are_refused_what_only_the_person_does(platform, tokens) -> None:
    """Routes for the person alone (marking a message read): every staff role is refused."""
    only_theirs = [(s, m, p) for s, m, p, policy in ROUTES if policy.person and not policy.roles]
    assert ("notifications", "POST", "/people/{person_id}/messages/{notification_id}/read") in (
        only_theirs
    )
    for service, method, path in only_theirs:
        for user in (ASSESSOR, REVIEWER, PAYMENTS_OFFICER, OPERATIONS):
            staff = bearer(await tokens.staff(user, service))
            response = await call(platform, service, method, concrete(path), headers=staff)
            assert response.status_code == 403, (user, service, method, path, response.text)


@pytest.fixture(scope="module")
async def someone(platform) -> dict[str, str]:
    """A real person with a case, a decision and a care plan."""
    person = await platform.submit("security-someone")
    pid = person["person_id"]
    plan = await eventually(lambda: platform.get("care-plans", f"/people/{pid}/plan"))
    decision = person["decision"]
    return {
        "person_id": pid,
        "case_id": decision["case_id"],
        "decision_id": decision["decision_id"],
        "plan_id": plan["plan_id"],
    }


def others_records(someone: dict[str, str]) -> dict[tuple[str, str, str], dict]:
    """Requests for `someone`'s records on the routes a person may use whose path does not name
    the person: the service finds the record first, then refuses."""
    asked = {"requested_on": date.today().isoformat(), "reason": "r", "requested_by": "me"}
    return {
        ("assessment", "GET", "/cases"): {"params": {"person_id": someone["person_id"]}},
        ("assessment", "GET", "/cases/{case_id}"): {},
        ("assessment", "POST", "/decisions/{decision_id}/reconsiderations"): {"json": asked},
        ("care-plans", "GET", "/plans/{plan_id}"): {},
        ("care-plans", "GET", "/plans/{plan_id}/versions"): {},
        ("care-plans", "POST", "/plans/{plan_id}/agree"): {"json": {"seen_version": 1}},
        ("care-plans", "PUT", "/plans/{plan_id}/choices"): {"json": {"seen_version": 1}},
        ("care-plans", "GET", "/plans/{plan_id}/providers"): {},
        ("care-plans", "GET", "/plans/{plan_id}/services"): {},
        ("care-plans", "POST", "/plans/{plan_id}/changes-requested"): {
            "json": {"seen_version": 1, "reason": "r"}
        },
    }


async def test_a_persons_token_on_someone_elses_record_is_403(platform, tokens, someone):
    requests = others_records(someone)
    by_path = [(s, m, p) for s, m, p, policy in ROUTES if policy.person and "{person_id}" in p]
    by_record = {(s, m, p) for s, m, p, policy in ROUTES if policy.person} - set(by_path)
    assert by_record == set(requests), "say how to reach someone's record on the new route"
    for service, method, path in [*by_path, *requests]:
        mine = bearer(await tokens.person(CITIZEN, service, "P-not-them"))
        options = requests.get((service, method, path), {})
        url = concrete(path, **someone)
        response = await call(platform, service, method, url, headers=mine, **options)
        assert response.status_code == 403, (service, method, path, response.text)
    case = await platform.get("assessment", f"/cases/{someone['case_id']}")
    assert case["case"]["status"] == "decided" and case["reconsiderations"] == []
    plan = await platform.get("care-plans", f"/plans/{someone['plan_id']}")
    assert plan["version"] == 1  # not agreed, no choices made


async def test_a_reviewer_who_made_the_decision_cannot_review_it_whatever_the_body_says(
    platform, tokens
) -> None:
    grace = bearer(await tokens.staff(REVIEWER, "assessment"))  # an assessor who also reviews
    async with httpx.AsyncClient(
        base_url=platform.url("assessment"), timeout=30, headers=grace
    ) as http:
        person = {
            "nino": random_nino(),
            "full_name": "Rhiannon Jones",
            "date_of_birth": "1950-05-05",
            "area_code": "E09000033",
        }
        case = (await http.post("/cases", json=person)).json()
        facts = {"facts": FACTS}
        recorded = (await http.post(f"/cases/{case['case_id']}/assessments", json=facts)).json()
        submit = f"/cases/{case['case_id']}/assessments/{recorded['assessment_id']}/submit"
        decision = (await http.post(submit)).json()
        asked = await http.post(
            f"/decisions/{decision['decision_id']}/reconsiderations",
            json={"requested_on": date.today().isoformat(), "reason": "r", "requested_by": "me"},
        )
        decide = f"/reconsiderations/{asked.json()['reconsideration_id']}/decide"
        own = await http.post(decide, json={"facts": "unchanged"})
        assert own.status_code == 422 and own.json()["errors"][0]["field"] == "reviewer_id"
        claimed = await http.post(decide, json={"facts": "unchanged", "reviewer_id": "someone"})
        assert claimed.status_code == 422
        assert [e["field"] for e in claimed.json()["errors"]] == ["reviewer_id"]
        asha = bearer(await tokens.staff(ASSESSOR, "assessment"))  # no reviewer role
        refused = await http.post(decide, json={"facts": "unchanged"}, headers=asha)
        assert refused.status_code == 403
        detail = (await http.get(f"/cases/{case['case_id']}")).json()
    assert [d["status"] for d in detail["decisions"]] == ["under_reconsideration"]
    assert detail["decisions"][0]["decided_by"] == "urn:carebenefit:staff:grace-adeyemi"
