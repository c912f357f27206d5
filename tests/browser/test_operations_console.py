"""National operations in a real browser on the real platform: a dead letter appears, is read
with its record, replayed once its cause is fixed and seen applied; replaying it again applies
nothing twice; discarding needs a reason. Every page is axe-checked (the journey fixture)."""

import asyncio
import uuid
from datetime import date

import asyncpg
import pytest
from devstack.benefits_simulator import claim_opened, period_assessed, publish
from devstack.drive import eventually
from devstack.signin import DEMO_PASSWORD

pytestmark = pytest.mark.browser
OPERATOR = "sam.taylor@carebenefit.example"  # infra/oidc/accounts.json: national operations


async def sign_in_as_operator(journey) -> None:
    await journey.goto("/staff/sign-in")
    await journey.fill("Email address", OPERATOR)
    await journey.fill("Password", DEMO_PASSWORD)
    page = await journey.click("Continue")
    assert page.url.endswith("/ops")


async def reload_until(journey, text: str, tries: int = 60) -> None:
    for _ in range(tries):
        if text in await journey.text():
            return
        await asyncio.sleep(0.5)
        await journey.page.reload()
        await journey.check()
    raise AssertionError(f"{text!r} never appeared on {journey.page.url}")


async def periods_of(platform, person: str) -> int:
    payments = await asyncpg.connect(platform.infra.database_url("payments"))
    try:
        return await payments.fetchval(
            "SELECT count(*) FROM uc_periods WHERE person_id = $1", person
        )
    finally:
        await payments.close()


async def test_an_operator_replays_a_dead_letter_once_its_cause_is_fixed(journey, platform) -> None:
    person, claim = f"person-{uuid.uuid4().hex[:10]}", f"uc-{uuid.uuid4().hex[:8]}"
    kafka = platform.infra.kafka_options("benefits-system")
    # A period of a claim payments has never heard of: refused, dead-lettered.
    await publish([period_assessed(person, claim, date(2026, 10, 3), date(2026, 11, 2))], kafka)
    await sign_in_as_operator(journey)

    await journey.goto("/ops/dead-letters?service=payments")
    await reload_until(journey, f"UC claim {claim} is not known")
    link = journey.page.get_by_role("row").filter(has_text=claim).get_by_role("link")
    async with journey.page.expect_navigation():
        await link.click()
    await journey.check()
    detail = journey.page.url.removeprefix(journey.base_url)
    assert "UcClaimRefused" in await journey.text()
    assert f'"uc_claim_id": "{claim}"' in await journey.text("#payload")
    assert "dlq.reason" in await journey.text("#headers")

    await publish([claim_opened(person, claim, date(2026, 10, 3))], kafka)  # the cause, fixed
    await journey.click("Replay this dead letter")
    assert "published" in await journey.text()
    await journey.click("See what the consumers did with the replay", role="link")
    await reload_until(journey, "applied")
    await eventually(lambda: periods_of(platform, person))
    assert await periods_of(platform, person) == 1

    # The same dead letter again: the inbox absorbs it.
    await journey.goto(detail)
    assert "replayed" in await journey.text()
    await journey.click("Replay this dead letter")
    await journey.click("See what the consumers did with the replay", role="link")
    await reload_until(journey, "duplicate")
    assert await periods_of(platform, person) == 1


async def test_discarding_needs_a_reason_and_is_recorded(journey, platform) -> None:
    person, claim = f"person-{uuid.uuid4().hex[:10]}", f"uc-{uuid.uuid4().hex[:8]}"
    kafka = platform.infra.kafka_options("benefits-system")
    await publish([period_assessed(person, claim, date(2026, 10, 3), date(2026, 11, 2))], kafka)
    await sign_in_as_operator(journey)
    await journey.goto("/ops/dead-letters?service=payments&topic=benefits.uc-claims")
    await reload_until(journey, claim)
    await journey.page.get_by_role("row").filter(has_text=claim).get_by_role("checkbox").check()
    await journey.click("Discard selected")
    assert "Give the reason for discarding" in await journey.text()
    await journey.goto("/ops/dead-letters?service=payments&topic=benefits.uc-claims")
    await journey.page.get_by_role("row").filter(has_text=claim).get_by_role("checkbox").check()
    await journey.fill("Reason for discarding the selected", "test claim, never real")
    await journey.click("Discard selected")
    assert "discarded" in await journey.text()
    async with journey.page.expect_navigation():
        await journey.page.locator("#discarded-payments a").first.click()
    await journey.check()
    text = await journey.text()
    assert "discarded" in text and "test claim, never real" in text


async def test_an_operator_finds_a_stuck_case_and_follows_its_journey(journey, platform) -> None:
    person = await platform.submit(correlation_id="browser-stuck")
    pid = person["person_id"]
    await eventually(lambda: platform.inbox(pid))
    await sign_in_as_operator(journey)
    assert "stuck" in await journey.text("#main-content")  # the overview's alerts
    trend = journey.page.locator("svg[aria-label^='lag of payments on assessment.events']")
    assert await trend.count() >= 1  # each partition's lag over the last hour
    await journey.click("Stuck cases", role="link")
    await reload_until(journey, pid)
    async with journey.page.expect_navigation():
        await journey.page.get_by_role("link", name=pid).first.click()
    await journey.check()
    trail = await journey.text("#journey")
    assert "assessment.decision_made.v1" in trail
    assert "payments: applied" in trail and "notifications: applied" in trail
    async with journey.page.expect_navigation():
        await journey.page.get_by_role("link", name="its trace").first.click()
    await journey.check()
    assert "OpenTelemetry Collector" in await journey.text("#trace-source")  # its real one
    waterfall = await journey.text("#waterfall")
    assert "assessment" in waterfall and ("payments" in waterfall or "care-plans" in waterfall)
    await journey.click("Event flows", role="link")
    chart = journey.page.locator("#flow-assessment\\.events + table svg[role=img]").first
    assert "assessment.events published" in await chart.get_attribute("aria-label")
