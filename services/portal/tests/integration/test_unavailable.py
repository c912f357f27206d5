"""When a service is down or answers 503: pages that cannot render get GOV.UK's "Sorry, the
service is unavailable" page (503, Retry-After); the account page shows what it can."""

import httpx
import pytest
from portal.clients import ServiceClients, ServiceUnavailable

from .conftest import CITIZEN_ONE, FakeServices

pytestmark = pytest.mark.integration


def needing_payments(portal, retry_after: int | None) -> None:
    async def page() -> None:
        raise ServiceUnavailable("payments", retry_after)

    portal.app.app.app.add_api_route("/needs-payments", page)


@pytest.mark.parametrize(("given", "expected"), [(None, "30"), (5, "5")])
async def test_a_page_that_cannot_render_gets_the_service_unavailable_page(
    portal, given: int | None, expected: str
) -> None:
    needing_payments(portal, given)
    page = await portal.http.get("/needs-payments")
    assert page.status_code == 503 and page.headers["Retry-After"] == expected
    assert '<h1 class="govuk-heading-l">Sorry, the service is unavailable</h1>' in page.text
    assert "Try again later." in page.text
    assert "Sorry, the service is unavailable – Care Benefit – GOV.UK" in page.text


async def test_the_account_page_still_shows_what_it_can_when_services_are_down(
    start_portal,
) -> None:
    async with start_portal(FakeServices(down=frozenset({"payments", "notifications"}))) as portal:
        page = await portal.sign_in(CITIZEN_ONE)
    assert page.status_code == 200
    assert (
        "cannot be shown right now: your payments, your messages and contact details." in page.text
    )
    assert "£843.27 a month" in page.text  # the decision still shows


def answering(status: int, headers: dict[str, str]) -> ServiceClients:
    clients = ServiceClients({"payments": "http://payments"})
    clients._http = httpx.AsyncClient(
        transport=httpx.MockTransport(lambda r: httpx.Response(status, headers=headers, json={}))
    )
    return clients


async def test_a_service_answering_503_is_unavailable_with_its_retry_after() -> None:
    with pytest.raises(ServiceUnavailable) as raised:
        await answering(503, {"Retry-After": "5"}).get("payments", "/people/P1/payments")
    assert (raised.value.service, raised.value.retry_after) == ("payments", 5)
    with pytest.raises(ServiceUnavailable) as raised:
        await answering(503, {}).post("payments", "/payment-runs", {})
    assert raised.value.retry_after is None
    assert await answering(409, {}).post("payments", "/payment-runs", {}) == (409, {})
