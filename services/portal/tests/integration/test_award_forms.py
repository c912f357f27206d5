"""Bad input on the award's forms gets a GOV.UK error on the field and nothing is sent; a form
sent twice acts once and lands on the same confirmation; after the deadline a page says what to
do instead. The services are the recording fake (conftest), the sign-in is real."""

import re
from datetime import date, timedelta

from .conftest import CITIZEN_ONE, FakeServices

SOON = (date.today() + timedelta(days=20)).isoformat()
THE_PAST = "2026-04-06"  # the fake decision's effective date


def hidden(page: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', page).group(1)


async def post(portal, path: str, **fields: str):
    form = (await portal.http.get(path)).text
    data = {"csrf_token": hidden(form, "csrf_token"), "submission": hidden(form, "submission")}
    return await portal.http.post(path, data={**data, **fields}, follow_redirects=False)


async def test_an_empty_or_over_long_reason_is_named_on_the_field_and_nothing_is_sent(
    start_portal,
) -> None:
    async with start_portal(FakeServices(reconsideration_deadline=SOON)) as portal:
        await portal.sign_in(CITIZEN_ONE)
        empty = await post(portal, "/award/reconsideration/why", reason="   ")
        assert empty.status_code == 422
        assert "<title>Error: " in empty.text and 'href="#reason"' in empty.text
        assert "Enter why you think the decision is wrong" in empty.text
        long = await post(portal, "/award/reconsideration/why", reason="x" * 2001)
        assert long.status_code == 422
        assert "Your answer must be 2000 characters or fewer" in long.text
        assert await portal.pool.fetchval("SELECT count(*) FROM form_drafts") == 0
        assert portal.services.sent == []


async def test_a_request_sent_twice_acts_once_and_lands_on_the_same_confirmation(
    start_portal,
) -> None:
    async with start_portal(FakeServices(reconsideration_deadline=SOON)) as portal:
        await portal.sign_in(CITIZEN_ONE)
        answered = await post(portal, "/award/reconsideration/why", reason="My needs are greater")
        assert answered.headers["location"] == "/award/reconsideration/what-is-wrong"
        check = (await portal.http.get("/award/reconsideration/check")).text
        form = {
            "csrf_token": hidden(check, "csrf_token"),
            "submission": hidden(check, "submission"),
        }
        first = await portal.http.post(
            "/award/reconsideration/check", data=form, follow_redirects=True
        )
        second = await portal.http.post(
            "/award/reconsideration/check", data=form, follow_redirects=True
        )
        assert str(first.url).endswith("/award/reconsideration/sent")
        assert str(second.url) == str(first.url)
        assert [(p, b["reason"]) for _, p, b in portal.services.sent] == [
            ("/people/P-ONE/reconsiderations", "My needs are greater")
        ]


async def test_after_the_deadline_a_page_says_what_to_do_and_nothing_can_be_sent(
    portal,
) -> None:
    await portal.sign_in(CITIZEN_ONE)  # the fake decision's deadline was 6 May 2026
    page = await portal.http.get("/award/reconsideration")
    assert "The last day to ask us to look again at this decision was 6 May 2026" in page.text
    assert "What you can do instead" in page.text
    csrf = hidden(page.text, "csrf_token")
    late = await portal.http.post(
        "/award/reconsideration/check", data={"csrf_token": csrf, "submission": "t-1"}
    )
    assert late.headers["location"] == "/award/reconsideration"
    step = await portal.http.get("/award/reconsideration/why", follow_redirects=False)
    assert step.headers["location"] == "/award/reconsideration"
    assert portal.services.sent == []


async def test_a_change_dated_in_the_future_or_before_the_award_is_refused_on_the_date(
    portal,
) -> None:
    await portal.sign_in(CITIZEN_ONE)
    await post(portal, "/award/change", what_changed="I moved house")
    future = date.today() + timedelta(days=1)
    for day, words in (
        (future, "The date it changed must be today or in the past"),
        (date(2026, 4, 5), "must be on or after 6 April 2026, when your award started"),
    ):
        refused = await post(
            portal,
            "/award/change/when",
            **{"changed_on-day": str(day.day), "changed_on-month": str(day.month)},
            **{"changed_on-year": str(day.year)},
        )
        assert refused.status_code == 422 and words in refused.text
        assert 'href="#changed_on-day"' in refused.text
    partial = await post(portal, "/award/change/when", **{"changed_on-day": "3"})
    assert "The date it changed must include a month and year" in partial.text
    assert 'href="#changed_on-month"' in partial.text
    fine = await post(
        portal,
        "/award/change/when",
        **{"changed_on-day": "6", "changed_on-month": "4", "changed_on-year": "2026"},
    )
    assert fine.headers["location"] == "/award/change/check"
    assert portal.services.sent == []  # nothing sent until the answers are checked


async def test_a_service_down_when_sending_changes_nothing_and_says_so(start_portal) -> None:
    services = FakeServices(reconsideration_deadline=SOON)
    async with start_portal(services) as portal:
        await portal.sign_in(CITIZEN_ONE)
        await post(portal, "/award/reconsideration/why", reason="My needs are greater")
        check = (await portal.http.get("/award/reconsideration/check")).text
        services.down = frozenset({"assessment"})
        form = {
            "csrf_token": hidden(check, "csrf_token"),
            "submission": hidden(check, "submission"),
        }
        down = await portal.http.post("/award/reconsideration/check", data=form)
        assert down.status_code == 503, down.text
        assert "Part of Care Benefit is not working at the moment" in down.text
        assert services.sent == []
        services.down = frozenset()
        again = await portal.http.post(
            "/award/reconsideration/check", data=form, follow_redirects=True
        )
        assert str(again.url).endswith("/award/reconsideration/sent")  # the token was given back
        assert len(services.sent) == 1


async def test_an_invalid_email_address_is_named_on_its_field_and_nothing_is_kept(portal) -> None:
    await portal.sign_in(CITIZEN_ONE)
    form = (await portal.http.get("/preferences/contact")).text
    missing = await portal.http.post(
        "/preferences/contact", data={"csrf_token": hidden(form, "csrf_token"), "channels": "email"}
    )
    assert missing.status_code == 422 and "Enter your email address" in missing.text
    bad = await portal.http.post(
        "/preferences/contact",
        data={"csrf_token": hidden(form, "csrf_token"), "channels": "email", "email": "jo.example"},
    )
    assert bad.status_code == 422 and 'href="#email"' in bad.text
    assert "Enter an email address in the correct format, like name@example.com" in bad.text
    assert portal.services.sent == []
