"""The demo data shows each state the README's walk-through visits, made through the real
services: a plan within budget ready to agree, one over budget (explained), and a pending
reconsideration; loading it twice changes nothing."""

import pytest
from devstack.demo import load_demo
from devstack.drive import get_json

pytestmark = pytest.mark.e2e


async def test_the_demo_people_are_in_the_states_the_walk_through_shows(platform) -> None:
    urls = {name: platform.url(name) for name in platform.ports}
    people = {p["nino"]: p["person_id"] for p in await load_demo(urls)}
    await load_demo(urls)  # again: nothing changes
    plans = {
        nino: await get_json(platform.url("care-plans"), f"/people/{pid}/plan")
        for nino, pid in people.items()
        if nino != "JT345678A"
    }
    margaret, daniel = plans["JT123456C"], plans["JT234567B"]
    assert (margaret["status"], margaret["version"]) == ("proposed", 2)
    assert margaret["shortfall_pence"] > 0
    assert (daniel["status"], daniel["shortfall_pence"]) == ("proposed", 0)
    priya = await get_json(platform.url("assessment"), f"/people/{people['JT345678A']}/decision")
    case = await get_json(platform.url("assessment"), f"/cases/{priya['case_id']}")
    assert [r["status"] for r in case["reconsiderations"]] == ["requested"]
