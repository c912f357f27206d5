"""A person reads a message in their inbox (it is then read), changes their contact
preferences (a bad mobile number is named on the field), and the next message goes by the new
channel, with its delivery status on the message's page; in a real browser on the platform."""

import pytest
from devstack.drive import eventually

from .test_plan_journeys import plans_api

pytestmark = pytest.mark.browser


async def test_a_person_reads_a_message_and_it_is_read_from_then_on(journey, platform) -> None:
    person = await platform.submit("browser-message", nino="TC200005A", date_of_birth="1954-05-19")
    messages = await eventually(lambda: _both(platform, person["person_id"]))
    first = next(m for m in messages if m["template_id"] == "decision-made")
    await journey.sign_in("test.message@example.com")
    assert await journey.text("#unread") == f"{len(messages)} unread messages"
    await journey.click("Messages", role="link")
    assert "Unread" in await journey.text("#inbox")
    await journey.click(first["subject"], role="link")
    assert await journey.heading() == first["subject"]
    assert "What you will get" in await journey.text("#message-body")  # Notify markup as HTML
    await journey.click("Back to your messages", role="link")
    assert (await journey.text("#inbox")).count("Unread") == len(messages) - 1
    await journey.goto("/account")
    left = len(messages) - 1
    assert await journey.text("#unread") == f"{left} unread message{'s' if left != 1 else ''}"


async def _both(platform, person_id: str) -> list[dict] | None:
    """The decision's message and the care plan's (and any others by then)."""
    messages = await platform.inbox(person_id) or []
    sent = {m["template_id"] for m in messages}
    return messages if {"decision-made", "care-plan-ready"} <= sent else None


async def test_new_contact_preferences_are_used_for_the_next_message(journey, platform) -> None:
    person = await platform.submit("browser-prefs", nino="TC200006B", date_of_birth="1955-06-20")
    pid = person["person_id"]
    plan = await eventually(lambda: platform.get("care-plans", f"/people/{pid}/plan"))
    await journey.sign_in("test.prefs@example.com")
    assert "Tell us how to contact you" in await journey.text(".govuk-task-list")
    await journey.click("Contact preferences", role="link")
    await journey.click("Change how we contact you", role="link")
    await journey.page.get_by_label("Text message", exact=True).check()
    await journey.fill("UK mobile number", "12345")
    await journey.click("Save")
    assert (await journey.title()).startswith("Error: ")
    assert "Enter a UK mobile number" in await journey.text(".govuk-error-summary")
    await journey.fill("UK mobile number", "07700 900 123")
    await journey.click("Save")
    assert "Your contact preferences have been saved" in await journey.text()
    assert "Text message" in await journey.text("#preferences")
    await journey.click("Change format", role="link")
    await journey.page.get_by_label("Large print", exact=True).check()
    await journey.click("Save")
    assert "Large print" in await journey.text("#preferences")

    # the next message: the plan is agreed (an assessor funds its shortfall first)
    path = f"/plans/{plan['plan_id']}"
    await plans_api(platform, "POST", path + "/propose", seen_version=1)
    funded = await plans_api(
        platform,
        "POST",
        path + "/top-up",
        seen_version=2,
        reason="Family pays the difference",
        pence=plan["shortfall_pence"],
    )
    if plan["shortfall_pence"] == 0:
        funded = await platform.get("care-plans", path)
    await plans_api(  # the assessor agrees it with the person (on the telephone)
        platform,
        "POST",
        path + "/agree",
        seen_version=funded["version"],
        reason="Agreed with the person by telephone",
    )
    agreed = await eventually(lambda: _by_text(platform, pid), timeout=30)
    await journey.goto("/messages")
    await journey.click(agreed["subject"], role="link")
    assert "By text message" in await journey.text("#deliveries")


async def _by_text(platform, person_id: str) -> dict | None:
    for message in await platform.inbox(person_id) or []:
        if message["template_id"] == "plan-agreed" and any(
            d["channel"] == "sms" for d in message["deliveries"]
        ):
            return message
    return None
