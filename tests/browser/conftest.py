"""Journeys in Debian's Chromium, driven by Playwright, on the real platform.

The browser is the machine's own /usr/bin/chromium (installed from Debian's packages by
`make bootstrap`); Playwright never downloads one. Every page a test visits is checked with
axe-core (WCAG 2.2 A and AA rules); a test fails if a page it visited was not checked, or if a
check found a serious or critical violation.
"""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import BrowserContext, async_playwright

from .support import AXE, Journey

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
async def chromium(tmp_path_factory) -> AsyncIterator[BrowserContext]:
    """One Chromium for the session, with a fresh profile directory of its own."""
    profile: Path = tmp_path_factory.mktemp("chromium-profile")
    async with async_playwright() as playwright:
        context = await playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            locale="en-GB",
            timezone_id="Europe/London",
        )
        context.set_default_timeout(15_000)
        # Injected before any page script runs, so the portal's CSP does not need loosening.
        await context.add_init_script(path=str(AXE))
        try:
            yield context
        finally:
            await context.close()


@pytest.fixture
async def journey(chromium: BrowserContext, platform) -> AsyncIterator[Journey]:
    """A new tab with no cookies, on the portal; axe-checked on every page it visits."""
    await chromium.clear_cookies()
    page = await chromium.new_page()
    trip = Journey(page, platform.url("portal"))
    try:
        yield trip
        trip.assert_every_page_checked()
    finally:
        await page.close()
