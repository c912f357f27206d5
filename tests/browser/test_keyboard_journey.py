"""A whole journey with the keyboard only: sign in, find the award, report a change (the error
summary takes the focus when something is missing), check the answers and send, in a real
browser on the platform. No mouse click anywhere."""

import pytest
from devstack.signin import DEMO_PASSWORD

pytestmark = pytest.mark.browser


async def test_a_person_reports_a_change_using_only_the_keyboard(journey, platform) -> None:
    person = await platform.submit("browser-keys", nino="TC200007C", date_of_birth="1956-07-21")
    keys = journey.page.keyboard
    await journey.goto("/")
    await journey.tab_to("Sign in")
    await journey.enter()
    await journey.tab_to("Email address")
    await keys.type("test.keyboard@example.com")
    await journey.tab_to("Password")
    await keys.type(DEMO_PASSWORD)
    await journey.enter()
    assert await journey.heading() == "Your Care Benefit"

    await journey.tab_to("Your award")
    await journey.enter()
    await journey.tab_to("Report a change")
    await journey.enter()
    await journey.tab_to("Continue")
    await journey.enter()
    focused = await journey.page.evaluate("() => document.activeElement.className")
    assert "govuk-error-summary" in focused  # the summary takes the focus
    await journey.tab_to("Enter what has changed")  # its link leads to the field
    await keys.press("Enter")
    assert await journey.page.evaluate("() => document.activeElement.id") == "what_changed"
    await keys.type("I now use a wheelchair indoors")
    await journey.tab_to("Continue")
    await journey.enter()

    year, month, day = person["decision"]["effective_date"].split("-")
    await journey.tab_to("Day")
    await keys.type(str(int(day)))
    await keys.press("Tab")
    await keys.type(str(int(month)))
    await keys.press("Tab")
    await keys.type(year)
    await journey.enter()  # Enter in a field sends its form
    assert "I now use a wheelchair indoors" in await journey.text(".govuk-summary-list")
    await journey.tab_to("Report the change")
    await journey.enter()
    assert await journey.heading() == "Change reported"
