"""The demo data shows each state the README's walk-through visits, made through the real
services: a plan within budget ready to agree, one over budget (explained), a pending
reconsideration, and an overpayment being recovered; loading it twice changes nothing. Read
back as an assessor would."""

import pytest
from devstack.demo import OVERPAID_NINO, load_demo

pytestmark = pytest.mark.e2e


async def test_the_demo_people_are_in_the_states_the_walk_through_shows(platform) -> None:
    urls = {name: platform.url(name) for name in platform.ports}
    people = {p["nino"]: p["person_id"] for p in await load_demo(urls, platform.tokens)}
    joyce = people[OVERPAID_NINO]
    overpaid = await platform.get("payments", f"/people/{joyce}/payments")
    await load_demo(urls, platform.tokens)  # again: nothing changes
    assert await platform.get("payments", f"/people/{joyce}/payments") == overpaid
    plans = {
        nino: await platform.get("care-plans", f"/people/{pid}/plan")
        for nino, pid in people.items()
        if nino in ("JT123456C", "JT234567B")
    }
    margaret, daniel = plans["JT123456C"], plans["JT234567B"]
    assert (margaret["status"], margaret["version"]) == ("proposed", 2)
    assert margaret["shortfall_pence"] > 0
    assert (daniel["status"], daniel["shortfall_pence"]) == ("proposed", 0)
    priya = await platform.get("assessment", f"/people/{people['JT345678A']}/decision")
    case = await platform.get("assessment", f"/cases/{priya['case_id']}")
    assert [r["status"] for r in case["reconsiderations"]] == ["requested"]


async def test_the_overpaid_demo_person_is_paid_in_arrears_and_repays_from_later_payments(
    platform,
) -> None:
    urls = {name: platform.url(name) for name in platform.ports}
    people = {p["nino"]: p["person_id"] for p in await load_demo(urls, platform.tokens)}
    joyce = people[OVERPAID_NINO]
    decision = await platform.get("assessment", f"/people/{joyce}/decision")
    assert decision["version"] == 2  # the change of circumstances
    schedule = await platform.get("payments", f"/people/{joyce}/payments")
    paid = [p for p in schedule["payments"] if p["status"] in ("instructed", "paid")]
    assert len(paid) >= 2  # claimed four months ago: her first periods, paid in arrears
    assert schedule["overpayment_outstanding_pence"] > 0
    recovering = [p for p in schedule["payments"] if p["status"] == "scheduled"]
    assert recovering and recovering[0]["recovery_pence"] > 0
    assert recovering[0]["amount_pence"] < schedule["net_monthly_pence"]
