"""The accessibility check itself: it must fail a page that has a serious violation."""

import pytest

from .support import AccessibilityViolations, Journey

pytestmark = pytest.mark.browser

INACCESSIBLE = """<!doctype html><html lang="en"><head><title>t</title></head><body><main>
<h1>Form</h1><form><input type="text" name="nino"><img src="data:,"></form></main></body></html>"""


async def test_a_page_with_an_unlabelled_field_and_an_image_without_alt_fails(chromium) -> None:
    page = await chromium.new_page()
    try:
        await page.set_content(INACCESSIBLE)
        with pytest.raises(AccessibilityViolations, match="image-alt.*critical") as failed:
            await Journey(page, "").check()
        assert "label" in str(failed.value)
    finally:
        await page.close()


async def test_a_page_visited_but_not_checked_is_reported(chromium) -> None:
    page = await chromium.new_page()
    try:
        trip = Journey(page, "")
        await page.set_content("<title>x</title>")
        trip.visited.append("about:blank#unchecked")
        with pytest.raises(AssertionError, match="never checked"):
            trip.assert_every_page_checked()
    finally:
        await page.close()
