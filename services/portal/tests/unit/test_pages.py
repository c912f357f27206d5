"""Portal pages over HTTP with the services replaced by a fake client (their APIs are tested in
each service and end to end)."""

import pytest
from httpx import ASGITransport, AsyncClient
from portal.clients import ServiceUnavailable
from portal.config import PortalSettings
from portal.main import create_app

PERSON = "P123"
DECISION = {
    "eligible": True,
    "effective_date": "2026-04-06",
    "review_date": "2027-04-06",
    "reconsideration_deadline": "2026-05-06",
    "body": {
        "award": {"payable_monthly_pence": 84327, "payable_weekly_pence": 19460},
        "explanation": [{"text": "You scored 13 points.", "citation": "SI 2013/377"}],
    },
}
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
    "person_id": PERSON,
    "award_id": "AW1",
    "first_day": "2026-04-06",
    "aligned_to_universal_credit": False,
    "net_monthly_pence": 84327,
    "next_payment": NEXT_PAYMENT,
    "owed_to_you_pence": 0,
    "overpayment_outstanding_pence": 0,
    "payments": [NEXT_PAYMENT],
}


class FakeClients:
    def __init__(self, down: set[str] = frozenset()) -> None:
        self.down = down

    async def get(self, service: str, path: str, **params):  # noqa: ANN003, ANN201
        if service in self.down:
            raise ServiceUnavailable(service)
        return {
            f"/people/{PERSON}/decision": DECISION,
            f"/people/{PERSON}/payments": PAYMENTS,
            f"/people/{PERSON}/plan": {
                "weekly_budget_pence": 19460,
                "status": "draft",
                "items": [{"description": "Home care", "weekly_cost_pence": 16250}],
            },
            f"/people/{PERSON}/messages": [
                {"subject": "We have made a decision", "body": "Dear Ada"}
            ],
        }.get(path)

    async def read(self, service: str, path: str, model, **params):  # noqa: ANN001, ANN003, ANN201
        body = await self.get(service, path, **params)
        return None if body is None else model.model_validate(body)

    async def post(self, service: str, path: str, body: dict):  # noqa: ANN201
        if body == {"nino": "JT123456C", "date_of_birth": "1952-03-27"}:
            return 200, {"person_id": PERSON}
        return 404, {"errors": [{"field": "nino", "message": "not found"}]}

    async def close(self) -> None:
        pass


def portal(clients: FakeClients) -> AsyncClient:
    app = create_app(PortalSettings(CAREBENEFIT_ENVIRONMENT="test"))
    app.app.state.clients = clients
    return AsyncClient(
        transport=ASGITransport(app), base_url="http://portal", follow_redirects=True
    )


SIGN_IN = {"nino": "JT 12 34 56 C", "dob-day": "27", "dob-month": "3", "dob-year": "1952"}


async def test_a_signed_in_person_sees_award_payment_plan_and_messages() -> None:
    async with portal(FakeClients()) as client:
        page = await client.post("/sign-in", data=SIGN_IN)
    assert page.status_code == 200
    for text in (
        "£843.27 a month",
        "£194.60 a week",
        "12 May 2026",
        "Home care",
        "We have made a decision",
        "You scored 13 points.",
    ):
        assert text in page.text


async def test_the_account_page_says_what_is_unavailable_instead_of_failing() -> None:
    async with portal(FakeClients(down={"payments"})) as client:
        page = await client.post("/sign-in", data=SIGN_IN)
    assert page.status_code == 200 and "cannot be shown right now (payments)" in page.text


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({**SIGN_IN, "nino": "12345"}, "Enter a National Insurance number in the correct format"),
        ({**SIGN_IN, "dob-month": "13"}, "Enter your date of birth as a real date"),
        ({**SIGN_IN, "dob-year": "1960"}, "We could not find you with those details"),
    ],
)
async def test_sign_in_errors_are_shown_govuk_style(form: dict, message: str) -> None:
    async with portal(FakeClients()) as client:
        page = await client.post("/sign-in", data=form)
    assert page.status_code == 400
    assert message in page.text and "<title>Error:" in page.text.replace("\n", "")
    assert "govuk-error-summary" in page.text


async def test_the_account_needs_a_signed_in_person() -> None:
    async with portal(FakeClients()) as client:
        page = await client.get("/account")
    assert page.url.path == "/sign-in"


async def test_every_page_carries_security_headers_with_a_nonce() -> None:
    async with portal(FakeClients()) as client:
        page = await client.get("/")
    csp = page.headers["content-security-policy"]
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in page.text and "object-src 'none'" in csp
    assert page.headers["x-content-type-options"] == "nosniff"


async def test_operations_is_for_operations_staff_only() -> None:
    async with portal(FakeClients()) as client:
        await client.post("/sign-in", data=SIGN_IN)
        assert (await client.get("/ops")).url.path == "/staff/sign-in"
        refused = await client.post("/staff/sign-in", data={"staff_id": "", "role": "ops"})
        assert refused.status_code == 400 and "Enter your staff ID" in refused.text


async def test_the_sign_in_form_posts_the_field_names_the_handler_reads() -> None:
    import re

    async with portal(FakeClients()) as client:
        form = (await client.get("/sign-in")).text
        names = re.findall(r'<input[^>]*name="([^"]+)"', form)
        values = dict(zip(names, ["JT 12 34 56 C", "27", "3", "1952"], strict=True))
        page = await client.post("/sign-in", data=values)
    assert names == ["nino", "dob-day", "dob-month", "dob-year"]
    assert page.status_code == 200 and "Your care award" in page.text
