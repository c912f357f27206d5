"""The portal in-process on the session's real PostgreSQL and real OpenID Connect provider; the
four services are replaced by a recording fake (their APIs are tested in each service and end
to end). httpx sends `http://portal.test` to the app and everything else (the provider) over
the network, so a test signs in exactly as a browser would."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from devstack import oidc
from devstack.paths import repo_root
from devstack.signin import sign_in
from portal.clients import Answer, ServiceClients, ServiceUnavailable
from portal.config import PortalSettings
from portal.main import create_app

PORTAL = "http://portal.test"
SECRET = "test-secret-that-is-long-enough-for-production-0123456789"
PEOPLE = {  # NINO + date of birth -> person id, as the assessment service would match them
    ("TC100003C", "1961-01-01"): "P-ONE",
    ("TC100004D", "1962-02-02"): "P-TWO",
}
CITIZEN_ONE, CITIZEN_TWO = "test.one@example.com", "test.two@example.com"
UNKNOWN, LOCKED = "test.unknown@example.com", "test.locked@example.com"
OPS, ASSESSOR = "sam.taylor@carebenefit.example", "asha.patel@carebenefit.example"
pytestmark = pytest.mark.integration


DECISION = {
    "decision_id": "D1",
    "case_id": "C1",
    "person_id": "P-ONE",
    "version": 1,
    "rule_set_id": "GB-CARE-2026-27",
    "eligible": True,
    "effective_date": "2026-04-06",
    "review_date": "2027-04-06",
    "reconsideration_deadline": "2026-05-06",
    "body": {
        "rule_set_id": "GB-CARE-2026-27",
        "rule_set_status": "proposed",
        "decided_on": "2026-04-06",
        "components": {},
        "care_act": {
            "eligible": True,
            "impairment_or_illness": True,
            "outcomes_not_achieved": [],
            "significant_wellbeing_impact": True,
        },
        "carer": None,
        "means": dict.fromkeys(
            (
                "capital_pence",
                "tariff_income_weekly_pence",
                "counted_income_weekly_pence",
                "disregarded_income_weekly_pence",
                "minimum_income_guarantee_weekly_pence",
                "housing_costs_weekly_pence",
                "disability_related_expenditure_weekly_pence",
                "weekly_contribution_pence",
            ),
            0,
        )
        | {"financially_eligible": True},
        "award": {
            "weekly_pence_by_component": {"daily_living": 19460},
            "gross_weekly_pence": 19460,
            "weekly_contribution_pence": 0,
            "after_contribution_weekly_pence": 19460,
            "after_contribution_monthly_pence": 84327,
            "net_monthly_pence": 84327,
            "net_weekly_pence": 19460,
        },
        "eligible": True,
        "effective_date": "2026-04-06",
        "review_date": "2027-04-06",
        "explanation": [
            {"rule": "functional", "text": "You scored 13 points.", "citation": "SI 2013/377"}
        ],
    },
}


def decision() -> dict:
    return DECISION


def history(person: str) -> dict:
    """DecisionHistory: the one decision, as its first version."""
    version = {
        **DECISION,
        "person_id": person,
        "kind": "new_claim",
        "status": "current",
        "assessment_id": "A1",
        "decided_on": "2026-04-06",
        "decided_by": "as-1",
        "supersedes": None,
        "superseded_by": None,
    }
    return {"person_id": person, "decisions": [version], "reconsiderations": [], "changes": []}


NEXT_PAYMENT = {
    "instruction_id": "7b426972-6f74-5a34-b5ce-49e975f6db62",
    "kind": "period",
    "period_start": "2026-04-06",
    "period_end": "2026-05-05",
    "due_date": "2026-05-12",
    "amount_pence": 84327,
    "recovery_pence": 0,
    "status": "scheduled",
    "attempts": 0,
    "statement": {"lines": [], "net_pence": 84327, "net_monthly_pence": 84327},
}
PAYMENTS = {
    "person_id": "P-ONE",
    "award_id": "AW1",
    "first_day": "2026-04-06",
    "aligned_to_universal_credit": False,
    "net_monthly_pence": 84327,
    "next_payment": NEXT_PAYMENT,
    "owed_to_you_pence": 0,
    "overpayment_outstanding_pence": 0,
    "payments": [NEXT_PAYMENT],
}


PLAN = {  # a care-plans PlanView, as GET /people/{person_id}/plan answers
    "plan_id": "P-ONE:D-1",
    "person_id": "P-ONE",
    "version": 1,
    "status": "draft",
    "created_on": "2026-04-06",
    "catalogue_id": "CB-PROVIDERS-2026-27",
    "decision_id": "D-1",
    "decision_version": 1,
    "area_code": "E08000025",
    "outcomes": ["b"],
    "weekly_budget_pence": 19460,
    "weekly_cost_pence": 16250,
    "shortfall_pence": 0,
    "items": [
        {
            "service_code": "HOME_CARE_HOUR",
            "description": "Home care",
            "unit": "hour",
            "outcomes": ["b"],
            "units_per_week": 5,
            "unit_rate_pence": 3250,
            "weekly_cost_pence": 16250,
            "provider_id": "PRV-0001",
            "arranged_by": "scheme",
        }
    ],
    "preferred_providers": {},
    "direct_payment_services": [],
    "version_count": 1,
    "in_force_version": None,
    "split": None,
}


class FakeServices:
    """The services' read APIs for two people; records every call with its bearer token."""

    def __init__(self, down: frozenset[str] = frozenset(), **decision_changes) -> None:
        self.down, self.calls = down, []
        self.decision_changes = decision_changes  # e.g. reconsideration_deadline="2099-01-01"
        self.sent: list[tuple[str, str, dict]] = []  # what the portal asked services to do

    async def get(self, service: str, path: str, token: str | None = None, headers=None, **params):
        self.calls.append((service, path, token))
        if service in self.down:
            raise ServiceUnavailable(service)
        person = path.split("/")[2] if path.startswith("/people/") else None
        if path == "/ops/status":
            return {
                "outbox": {"pending": 0, "oldest_pending_seconds": 0.0},
                "relay": {"leader": True, "published": 0},
                "dead_letters": {"count": 0},
            }
        if person not in PEOPLE.values():
            return None
        return {
            "/decision": {**decision(), **self.decision_changes},
            "/decisions": history(person),
            "/preferences": {
                "person_id": person,
                "channels": ["inbox"],
                "email": None,
                "phone": None,
                "address_lines": [],
                "postcode": None,
                "accessible_format": "none",
            },
            "/payments": PAYMENTS | {"person_id": person},
            "/plan": PLAN,
            "/messages": {
                "person_id": person,
                "messages": [
                    {
                        "notification_id": "n-1",
                        "template_id": "decision-made",
                        "subject": "We have made a decision",
                        "body": f"Dear {person}",
                        "created_at": "2026-04-06T09:00:00Z",
                    }
                ],
            },
        }[path.removeprefix(f"/people/{person}")]

    read = ServiceClients.read

    async def send(
        self, method: str, service: str, path: str, body: dict, token: str | None = None
    ) -> Answer:
        status, answer = await self.post(service, path, body, token)
        return Answer(status, answer, {})

    async def post(self, service: str, path: str, body: dict, token: str | None = None):
        self.calls.append((service, path, token))
        if path.endswith("/preferences"):
            if "@" not in (body.get("email") or "@"):  # as notifications refuses one
                return 422, {"errors": [{"field": "email", "message": "Enter a valid email"}]}
            self.sent.append((service, path, body))
            return 200, {"person_id": path.split("/")[2], **body}
        if path.endswith(("/reconsiderations", "/changes")):
            if service in self.down:
                raise ServiceUnavailable(service)
            self.sent.append((service, path, body))
            return 201, {"ok": True}
        person = PEOPLE.get((body.get("nino"), body.get("date_of_birth")))
        if path == "/people/verify" and person:
            return 200, {"person_id": person}
        return 404, {"errors": [{"field": "nino", "message": "not found"}]}

    async def close(self) -> None:
        pass


class Portal:
    def __init__(
        self, http: httpx.AsyncClient, app, services: FakeServices, client_id: str
    ) -> None:
        self.http, self.app, self.services, self.client_id = http, app, services, client_id

    @property
    def pool(self):
        return self.app.app.app.state.pool

    async def sign_in(self, username: str, start: str = "/sign-in") -> httpx.Response:
        return await sign_in(self.http, PORTAL + start, username)

    def session_cookie(self) -> str:
        return self.http.cookies.get("carebenefit_session", domain="portal.test")


def settings(database_url: str, client: oidc.PortalClient, issuer: str, **extra) -> PortalSettings:
    return PortalSettings(
        CAREBENEFIT_ENVIRONMENT=extra.pop("environment", "test"),
        database_url=database_url,
        session_secret=SECRET,
        **{k.removeprefix("PORTAL_").lower(): v for k, v in client.env(issuer).items()},
        **extra,
    )


@pytest.fixture
async def portal_client(infra, tmp_path: Path) -> oidc.PortalClient:
    return await oidc.register_portal(
        repo_root(), infra.oidc_issuer, infra.oidc.registration_token, PORTAL, tmp_path / "key.pem"
    )


@pytest.fixture
async def start_portal(infra, fresh_database, portal_client):
    """`async with start_portal(services=...) as portal:` a running portal and a browser."""

    @asynccontextmanager
    async def start(services: FakeServices | None = None, **extra) -> AsyncIterator[Portal]:
        services = services or FakeServices()
        app = create_app(settings(fresh_database, portal_client, infra.oidc_issuer, **extra))
        app.app.app.state.clients = services
        async with (
            LifespanManager(app, startup_timeout=60),
            httpx.AsyncClient(
                mounts={PORTAL: httpx.ASGITransport(app)}, base_url=PORTAL, timeout=30
            ) as http,
        ):
            yield Portal(http, app, services, portal_client.client_id)

    return start


@pytest.fixture
async def portal(start_portal) -> AsyncIterator[Portal]:
    async with start_portal() as running:
        yield running
