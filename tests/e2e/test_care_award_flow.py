"""The whole flow on the real broker: an assessor's HTTP submission reaches the person's portal."""

import json

import httpx
import pytest
from devstack.drive import eventually
from devstack.signin import sign_in

pytestmark = pytest.mark.e2e


async def test_an_assessed_person_sees_award_payment_plan_and_message(platform) -> None:
    person = await platform.submit("e2e-flow-1", nino="TC100001A")
    pid = person["person_id"]
    weekly = person["decision"]["body"]["award"]["net_weekly_pence"]
    assert person["decision"]["eligible"] and weekly > 0

    payments = await eventually(lambda: platform.get("payments", f"/people/{pid}/payments"))
    plan = await eventually(lambda: platform.get("care-plans", f"/people/{pid}/plan"))
    messages = await eventually(lambda: platform.inbox(pid))
    assert plan["weekly_budget_pence"] == weekly
    assert (
        payments["next_payment"]["amount_pence"]
        == (person["decision"]["body"]["award"]["net_monthly_pence"])
    )  # to the penny

    async with httpx.AsyncClient(timeout=30) as browser:
        # through the real provider: its login form, then the identity claims matched
        signed_in = await sign_in(
            browser, platform.url("portal") + "/sign-in", "test.flow@example.com"
        )
        assert signed_in.status_code == 200 and "Your Care Benefit" in signed_in.text
        assert signed_in.url.path == "/account"
        page = signed_in.text
    award_text = f"£{weekly // 100:,}.{weekly % 100:02d}"
    assert award_text in page
    next_pay = payments["next_payment"]["amount_pence"]
    assert f"£{next_pay // 100:,}.{next_pay % 100:02d}" in page
    assert messages[0]["subject"] in page
    assert "Your personal budget is" in page


async def test_one_trace_follows_the_request_through_every_service(platform) -> None:
    person = await platform.submit("e2e-trace")
    pid = person["person_id"]
    await eventually(lambda: platform.inbox(pid))
    await eventually(lambda: platform.get("care-plans", f"/people/{pid}/plan"))

    def spans() -> list[dict]:
        return [
            json.loads(line)
            for path in platform.traces_dir.glob("*.jsonl")
            for line in path.read_text().splitlines()
        ]

    async def services_in_trace() -> set[str] | None:
        submit = [
            s
            for s in spans()
            if s["service"] == "assessment"
            and s["kind"] == "SERVER"
            and "/submit" in json.dumps(s["attributes"])
        ]
        if not submit:
            return None
        trace_id = submit[-1]["trace_id"]
        found = {s["service"] for s in spans() if s["trace_id"] == trace_id}
        return found if {"payments", "care-plans", "notifications"} <= found else None

    assert await eventually(services_in_trace, timeout=30) >= {
        "assessment",
        "payments",
        "care-plans",
        "notifications",
    }
