"""The portal works without JavaScript: a person opens each of their pages and reports a change
(text, a date with its error, check answers, confirmation); an assessor takes the case from the
queue and opens its record, care plan, the calculator and the caseload; all in a Chromium with
scripts switched off. Each page reached is
checked with axe-core as it rendered without scripts (its HTML, scripts removed, checked in a
second tab that may run axe)."""

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from devstack.drive import eventually
from devstack.tokens import ASSESSOR
from playwright.async_api import Page, async_playwright

from .conftest import CHROMIUM, FLAGS
from .staff import ASHA, staff_sign_in
from .support import (
    AXE,
    Journey,
)

pytestmark = pytest.mark.browser
CITIZEN_PAGES = ("/account", "/award", "/award/history", "/payments", "/plan", "/messages",
                 "/preferences")  # fmt: skip
SCRIPTS = re.compile(r"<script\b[^>]*>.*?</script>", re.S | re.I)


@dataclass
class ScriptlessJourney(Journey):
    axe_tab: Page | None = None

    async def opens(self, path: str) -> None:
        """The page answers 200 with its heading, and is checked."""
        response = await self.page.goto(self.base_url + path)
        assert response is not None and response.status == 200, (path, response)
        assert (await self.heading()).strip(), path
        await self.check()

    async def check(self):
        """axe-core on the page as it rendered with scripts off."""
        await self.page.wait_for_load_state("load")
        html = SCRIPTS.sub("", await self.page.content())
        html = html.replace("<head>", f'<head><base href="{self.page.url}">', 1)
        await self.axe_tab.set_content(html, wait_until="load")
        await self.axe_tab.add_script_tag(path=str(AXE))
        return await self.run_axe(self.axe_tab)


@pytest.fixture
async def scriptless(platform, tmp_path, chromium) -> AsyncIterator[ScriptlessJourney]:
    async with async_playwright() as playwright:
        context = await playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            locale="en-GB",
            timezone_id="Europe/London",
            java_script_enabled=False,
        )
        context.set_default_timeout(15_000)
        axe_tab = await chromium.new_page()
        try:
            page = await context.new_page()
            trip = ScriptlessJourney(page, platform.url("portal"), axe_tab=axe_tab)
            yield trip
            trip.assert_every_page_checked()
        finally:
            await axe_tab.close()
            await context.close()


async def test_scripts_are_really_off(scriptless, journey) -> None:
    body = "() => document.body.className"
    await journey.goto("/")
    assert "govuk-frontend-supported" in await journey.page.evaluate(body)  # the template's script
    await scriptless.goto("/")
    assert "govuk-frontend-supported" not in await scriptless.page.evaluate(body)


async def test_a_person_reports_a_change_without_javascript(scriptless, platform) -> None:
    person = await platform.submit("browser-noscript", nino="TC200012D", date_of_birth="1951-04-09")
    await scriptless.sign_in("test.noscript@example.com")
    for path in CITIZEN_PAGES:
        await scriptless.opens(path)
    await scriptless.click("Your award", role="link")
    await scriptless.click("Report a change", role="button")
    await scriptless.fill("What has changed?", exact=False, value="I moved to a bungalow")
    await scriptless.click("Continue")
    await scriptless.fill_date("2099-01-01")
    await scriptless.click("Continue")
    assert (await scriptless.title()).startswith("Error: ")
    await scriptless.fill_date(person["decision"]["effective_date"])
    await scriptless.click("Continue")
    await scriptless.click("Report the change")
    assert await scriptless.heading() == "Change reported"

    found = await eventually(
        lambda: platform.get(
            "assessment", "/caseload?view=unassigned&kind=change&q=TC200012D", user=ASSESSOR
        )
    )
    assert found["items"], "the change did not reach the caseload"
    await staff_sign_in(scriptless, ASHA)
    await scriptless.click("Unassigned queue", role="link")
    await scriptless.fill("National Insurance number or name", "TC200012D")
    await scriptless.click("Filter cases")
    row = scriptless.page.locator("#cases tbody tr").first
    assert "Change" in await row.inner_text()
    async with scriptless.page.expect_navigation():
        await row.get_by_role("button", name="Take the case of Test Person").click()
    await scriptless.check()
    await scriptless.goto("/assessor?view=mine&q=TC200012D")
    mine = scriptless.page.locator("#cases tbody tr").first
    assert "Yours" in await mine.inner_text()
    async with scriptless.page.expect_navigation():
        await mine.get_by_role("link").first.click()
    await scriptless.check()
    assert "I moved to a bungalow" in await scriptless.text()
    case_page = scriptless.page.url.removeprefix(platform.url("portal"))
    for path in (f"{case_page}/care-plan", "/assessor/calculator", "/assessor?view=all"):
        await scriptless.opens(path)
