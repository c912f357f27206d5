"""National operations see every service's outbox, dead letters and consumer lag."""

import re

import httpx
import pytest
from devstack.drive import eventually
from devstack.signin import sign_in

pytestmark = pytest.mark.e2e


async def test_operations_staff_see_the_event_flows(platform) -> None:
    person = await platform.submit("e2e-ops", nino="TC100002B")
    await eventually(lambda: platform.inbox(person["person_id"]))
    async with httpx.AsyncClient(timeout=30) as browser:
        page = await sign_in(
            browser, platform.url("portal") + "/staff/sign-in", "sam.taylor@carebenefit.example"
        )
        assert page.status_code == 200 and page.url.path == "/ops" and "Operations" in page.text
    async with httpx.AsyncClient(timeout=30) as browser:  # a person's browser
        person_page = await sign_in(
            browser, platform.url("portal") + "/sign-in", "test.ops@example.com"
        )
        assert person_page.url.path == "/account"
        refused = await browser.get(platform.url("portal") + "/ops")
        assert refused.status_code == 403 and "Outbox" not in refused.text
    lag_rows = re.findall(
        r">(payments|care-plans|notifications)</th>\s*<td[^>]*>assessment\.events<", page.text
    )
    assert {"payments", "care-plans", "notifications"} <= set(lag_rows)
    assert "Outbox pending" in page.text and "not answering" not in page.text
