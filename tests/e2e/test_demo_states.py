"""The demo data shows each state the README's walk-through visits, made through the real
services: a plan within budget ready to agree, one over budget (explained), and a pending
reconsideration; loading it twice changes nothing. Read back as an assessor would."""

import pytest
from devstack.demo import load_demo

pytestmark = pytest.mark.e2e


async def test_the_demo_people_are_in_the_states_the_walk_through_shows(platform) -> None:
    urls = {name: platform.url(name) for name in platform.ports}
    people = {p["nino"]: p["person_id"] for p in await load_demo(urls, platform.tokens)}
    await load_demo(urls, platform.tokens)  # again: nothing changes
    plans = {
        nino: await platform.get("care-plans", f"/people/{pid}/plan")
        for nino, pid in people.items()
        if nino != "JT345678A"
    }
    margaret, daniel = plans["JT123456C"], plans["JT234567B"]
    assert (margaret["status"], margaret["version"]) == ("proposed", 2)
    assert margaret["shortfall_pence"] > 0
    assert (daniel["status"], daniel["shortfall_pence"]) == ("proposed", 0)
    priya = await platform.get("assessment", f"/people/{people['JT345678A']}/decision")
    case = await platform.get("assessment", f"/cases/{priya['case_id']}")
    assert [r["status"] for r in case["reconsiderations"]] == ["requested"]
