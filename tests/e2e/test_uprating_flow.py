"""The uprating job on the real broker and every service: an award re-decided under a new rule
set reaches payments (the new monthly amount), care-plans (re-budgeted) and the person (one
decision message, and no separate one for the re-budgeted plan), and running the job again
changes nothing downstream; an uprating that leaves the award as it is still tells the person
but leaves the care plan alone."""

import asyncio
import json
import sys
from pathlib import Path

import pytest
from devstack import apps
from devstack.drive import eventually
from devstack.rehearsal import (
    REHEARSAL,
    SAME_AGAIN,
    rule_sets_with_a_rise_tomorrow,
    same_rates_the_day_after,
)

pytestmark = pytest.mark.e2e


async def run_uprating(platform, rule_sets: Path, rule_set: str = REHEARSAL) -> dict:
    env = platform.env(apps.BY_NAME["assessment"])
    job = await asyncio.create_subprocess_exec(
        sys.executable,
        *("-m", "assessment.uprate", "--rule-set", rule_set, "--rule-sets", str(rule_sets)),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(job.communicate(), 300)
    assert job.returncode == 0, err.decode()
    return json.loads(out)


async def test_an_uprating_reaches_payments_care_plans_and_the_person(platform, tmp_path) -> None:
    person = await platform.submit("e2e-uprating")
    pid, before = person["person_id"], person["decision"]
    plan = await eventually(lambda: platform.get("care-plans", f"/people/{pid}/plan"))
    await eventually(lambda: platform.get("payments", f"/people/{pid}/payments"))
    first = {"decision-made", "payment-schedule-created", "care-plan-ready"}

    async def first_messages():
        inbox = await platform.inbox(pid) or []
        return inbox if first <= {m["template_id"] for m in inbox} else None

    told_before = len(await eventually(first_messages, timeout=60))

    report = await run_uprating(platform, rule_sets_with_a_rise_tomorrow(tmp_path))
    assert report["counts"].get("uprated", 0) >= 1

    history = await platform.get("assessment", f"/cases/{before['case_id']}")
    new = next(d for d in history["decisions"] if d["kind"] == "uprating")
    assert (new["supersedes"], new["rule_set_id"]) == (before["decision_id"], REHEARSAL)
    weekly = new["body"]["award"]["net_weekly_pence"]
    monthly = new["body"]["award"]["net_monthly_pence"]
    assert weekly > before["body"]["award"]["net_weekly_pence"]

    async def paid_at_new_rate():
        found = await platform.get("payments", f"/people/{pid}/payments")
        return found if found and found["net_monthly_pence"] == monthly else None

    async def rebudgeted():
        every = await platform.get("care-plans", f"/plans/{plan['plan_id']}/versions")
        versions = [v for v in every if v["decision_id"] == new["decision_id"]]
        return versions if versions and versions[-1]["weekly_budget_pence"] == weekly else None

    async def uprating_letters():
        inbox = await platform.inbox(pid) or []
        told = [m for m in inbox if "yearly uprating" in m["body"]]
        return told or None

    assert await eventually(paid_at_new_rate, timeout=60)
    assert len(await eventually(rebudgeted, timeout=60)) == 1
    letters = await eventually(uprating_letters, timeout=60)
    assert len(letters) == 1 and letters[0]["template_id"] == "decision-made"

    again = await run_uprating(platform, tmp_path)
    assert again["counts"] == {}
    await asyncio.sleep(3)  # time for anything wrongly sent again to arrive
    assert len(await uprating_letters()) == 1
    assert len(await rebudgeted()) == 1
    inbox = await platform.inbox(pid)
    assert len(inbox) == told_before + 1, [m["template_id"] for m in inbox]

    same = await run_uprating(platform, same_rates_the_day_after(tmp_path), SAME_AGAIN)
    assert same["counts"].get("unchanged", 0) >= 1
    history = await platform.get("assessment", f"/cases/{before['case_id']}")
    unchanged = next(d for d in history["decisions"] if d["rule_set_id"] == SAME_AGAIN)
    assert unchanged["body"]["award"]["net_weekly_pence"] == weekly

    async def told_it_stays():
        inbox = await platform.inbox(pid) or []
        return [m for m in inbox if "Your award stays at" in m["body"]] or None

    assert len(await eventually(told_it_stays, timeout=60)) == 1
    await asyncio.sleep(3)  # care-plans has had the decision as long as notifications
    every = await platform.get("care-plans", f"/plans/{plan['plan_id']}/versions")
    assert not [v for v in every if v["decision_id"] == unchanged["decision_id"]]
    assert len(await platform.inbox(pid)) == told_before + 2
