"""National operations read payment runs in a real browser on the real platform: the runs,
one run's files and the bank's answers, held payments and the ledger reconciliation. Every
page is axe-checked (the journey fixture).

The run here is dated before any payment falls due, so it pays nobody: a run that paid would
pay every browser test's people at once. What a paying run shows (files, rejections, returns)
is proven on real PostgreSQL in payments' tests/integration/test_run_history_api.py and on the
page with a run's full read model in the portal's tests/integration/test_ops_console.py."""

import httpx
import pytest
from devstack.tokens import PAYMENTS_OFFICER, bearer

from .test_operations_console import sign_in_as_operator

pytestmark = pytest.mark.browser
RUN_DATE = "2020-01-06"


async def test_an_operator_reads_the_payment_runs_and_the_reconciliation(journey, platform):
    officer = bearer(await platform.tokens.staff(PAYMENTS_OFFICER, "payments"))
    async with httpx.AsyncClient(timeout=60) as http:
        started = await http.post(
            platform.url("payments") + "/payment-runs", json={"run_date": RUN_DATE},
            headers=officer,
        )  # fmt: skip
    assert started.status_code in (200, 201), started.text
    await sign_in_as_operator(journey)
    await journey.click("Payment runs", role="link")
    assert await journey.heading() == "Payment runs"
    assert "Balanced" in await journey.text() or "Not balanced" in await journey.text()
    assert "checks pass" in await journey.text()
    row = journey.page.locator("#run-list tbody tr").filter(has_text="06 January 2020")
    assert "completed" in await row.inner_text()
    async with journey.page.expect_navigation():
        await row.get_by_role("link").click()
    await journey.check()
    assert await journey.heading() == "Payment run of 06 January 2020"
    assert started.json()["run_id"] in await journey.text()
    assert "No file: nothing was sent." in await journey.text("#main-content")
    assert "No response from the bank yet." in await journey.text("#main-content")
