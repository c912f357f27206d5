"""National operations see every service's outbox, dead letters and consumer lag."""

import re

import httpx
import pytest

from .support import eventually, inbox_of, submit_assessment

pytestmark = pytest.mark.e2e


async def test_operations_staff_see_the_event_flows(platform) -> None:  # noqa: ANN001
    person = await submit_assessment(platform.url("assessment"), correlation_id="e2e-ops")
    await eventually(lambda: inbox_of(platform.url("notifications"), person["person_id"]))
    async with httpx.AsyncClient(
        base_url=platform.url("portal"), follow_redirects=True, timeout=30
    ) as portal:
        page = await portal.post("/staff/sign-in", data={"staff_id": "ops-1", "role": "ops"})
    assert page.status_code == 200 and "Operations" in page.text
    lag_rows = re.findall(
        r">(payments|care-plans|notifications)</th>\s*<td[^>]*>assessment\.events<", page.text
    )
    assert {"payments", "care-plans", "notifications"} <= set(lag_rows)
    assert "Outbox pending" in page.text and "not answering" not in page.text
