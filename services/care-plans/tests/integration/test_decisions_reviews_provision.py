"""Superseding decisions, the review job and provision figures on real PostgreSQL."""

import asyncio
from datetime import date

import pytest

from ..unit.fakes import weekly

pytestmark = pytest.mark.integration
PLAN = "person-1:D-1"
D2 = {"decision_id": "D-2", "decision_version": 2, "supersedes_decision_id": "D-1"}


async def test_a_superseding_decision_rebudgets_the_same_plan(service) -> None:
    await service.agreed()
    await service.decide(**D2, award=weekly(120_000))
    await service.decide(**D2, award=weekly(120_000))  # re-published: changes nothing
    plan = (await service.client.get("/people/person-1/plan")).json()
    assert (plan["plan_id"], plan["version"], plan["status"]) == (PLAN, 4, "draft")
    assert (plan["weekly_budget_pence"], plan["in_force_version"]) == (120_000, 3)
    assert plan["split"]["weekly_budget_pence"] == 100_000  # care continues meanwhile
    assert await service.pool.fetchval("SELECT count(*) FROM plans") == 1
    assert (await service.outbox("plan_drafted"))[-1]["payload"]["data"]["version"] == 4
    await service.client.post(f"/plans/{PLAN}/propose", json={"seen_version": 4})
    assert (await service.agree(PLAN, seen=5)).status_code == 200
    [superseded] = await service.outbox("plan_superseded")
    assert superseded["payload"]["data"]["superseded_by_version"] == 6
    split = (await service.outbox("managed_services_changed"))[-1]["payload"]["data"]
    assert split["managed_weekly_pence"] + split["direct_payment_weekly_pence"] == 120_000
    versions = (await service.client.get(f"/plans/{PLAN}/versions")).json()
    assert [v["status"] for v in versions] == [
        "draft",
        "proposed",
        "superseded",
        "draft",
        "proposed",
        "agreed",
    ]


async def test_a_decision_ending_eligibility_ends_the_plan(service) -> None:
    await service.agreed()
    await service.decide(**D2, eligible=False)
    plan = (await service.client.get("/people/person-1/plan")).json()
    assert (plan["status"], plan["weekly_budget_pence"], plan["items"]) == ("ended", 0, [])
    assert plan["in_force_version"] is None and plan["split"] is None
    assert (await service.outbox("plan_superseded"))[0]["payload"]["data"]["ended"] is True
    refused = await service.client.put(f"/plans/{PLAN}/choices", json={"seen_version": 4})
    assert refused.status_code == 409 and refused.json()["errors"][0]["field"] == "status"


async def test_the_review_sweep_raises_each_notice_once(service) -> None:
    await service.agreed()
    ops = await service.operations()
    run = lambda: service.client.post("/ops/reviews/run", headers=ops)  # noqa: E731
    service.today = date(2025, 7, 14)  # first review 28 July, due from 14 July
    assert (await run()).json()["due"] == [{"plan_id": PLAN, "due_on": "2025-07-28"}]
    assert (await run()).json() == {"due": [], "overdue": []}
    service.today = date(2025, 7, 29)
    assert len((await run()).json()["overdue"]) == 1
    assert (await run()).json() == {"due": [], "overdue": []}
    kinds = await service.outbox_kinds()
    assert (kinds.count("review_due"), kinds.count("review_overdue")) == (1, 1)


async def test_the_background_job_raises_the_notice_once(start_service) -> None:
    async with start_service(review_interval_seconds=0.05) as service:
        await service.agreed()
        service.today = date(2025, 7, 20)
        for _ in range(200):  # up to 10 s
            if await service.outbox("review_due"):
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)  # several more sweeps
        assert len(await service.outbox("review_due")) == 1


async def test_provision_compares_capacity_with_agreed_plans(service) -> None:
    await service.agreed("person-1")
    await service.agreed("person-2", decision_id="D-9")
    await service.client.put(
        "/plans/person-2:D-9/choices",
        json={"seen_version": 3, "direct_payment_services": ["MEALS_DAY"]},
    )  # a draft: not counted yet
    await service.decide("person-3", decision_id="D-7")  # drafted only: not counted
    ops = await service.operations()
    body = (await service.client.get("/ops/provision?on=2025-06-02", headers=ops)).json()
    rows = {(r["area"], r["service"]): r for r in body["rows"]}
    home, meals = rows["E08000025", "HOME_CARE_HOUR"], rows["E08000025", "MEALS_DAY"]
    assert (home["capacity_units"], home["planned_units"], home["gap"]) == (3000, 14, 0)
    assert (meals["capacity_units"], meals["planned_units"], meals["spare_units"]) == (
        1400,
        14,
        1386,
    )
    assert body["catalogue_id"] == "CB-PROVIDERS-2025-26"
    for bad in ("02/06/2025", "2020-01-01"):
        refused = await service.client.get(f"/ops/provision?on={bad}", headers=ops)
        assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "on"
