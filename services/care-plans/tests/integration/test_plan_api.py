"""Agreeing a plan over HTTP on real PostgreSQL: versions, conflicts, races, bad input."""

import asyncio
import json

import pytest

from ..unit.fakes import weekly

pytestmark = pytest.mark.integration
PLAN = "person-1:D-1"
COST = 7 * 780 + 7 * 2560  # meals and home care in Birmingham


async def test_a_decision_drafts_a_plan_the_portal_can_read(service) -> None:
    await service.decide()
    plan = (await service.client.get("/people/person-1/plan")).json()
    assert (plan["plan_id"], plan["status"], plan["version"]) == (PLAN, "draft", 1)
    assert plan["weekly_budget_pence"] == 100_000 and plan["weekly_cost_pence"] == COST
    assert all(i["description"] and i["weekly_cost_pence"] > 0 for i in plan["items"])
    [drafted] = await service.outbox()
    assert drafted["type"].endswith("plan_drafted.v1") and drafted["key"] == "person-1"
    assert drafted["payload"]["data"]["weekly_budget_pence"] == 100_000


async def test_propose_and_agree_announce_a_split_that_sums_to_the_budget(service) -> None:
    await service.agreed()
    plan = (await service.client.get(f"/plans/{PLAN}")).json()
    assert (plan["status"], plan["version"], plan["in_force_version"]) == ("agreed", 3, 3)
    assert await service.outbox_kinds() == [
        "plan_drafted",
        "plan_proposed",
        "plan_agreed",
        "managed_services_changed",
    ]
    [split] = [r["payload"]["data"] for r in await service.outbox("managed_services_changed")]
    assert split["managed_weekly_pence"] == COST
    assert split["managed_weekly_pence"] + split["direct_payment_weekly_pence"] == 100_000
    assert plan["split"]["direct_payment_weekly_pence"] == 100_000 - COST


async def test_agreeing_an_out_of_date_version_is_a_409(service) -> None:
    await service.decide()
    await service.client.post(f"/plans/{PLAN}/propose", json={"seen_version": 1})
    stale = await service.agree(PLAN, seen=1)
    assert stale.status_code == 409, stale.text
    assert stale.json()["errors"][0]["field"] == "seen_version"
    assert await service.version_count(PLAN) == 2


async def test_two_agreements_racing_one_wins_the_other_is_a_409(service) -> None:
    await service.decide()
    await service.client.post(f"/plans/{PLAN}/propose", json={"seen_version": 1})
    first, second = await asyncio.gather(
        service.agree(PLAN, by="person-1"), service.agree(PLAN, by="person-1")
    )
    assert sorted([first.status_code, second.status_code]) == [200, 409]
    loser = first if first.status_code == 409 else second
    assert loser.json()["errors"][0]["field"] == "seen_version"
    assert await service.version_count(PLAN) == 3
    assert len(await service.outbox("plan_agreed")) == 1


async def test_an_over_budget_plan_is_a_422_naming_the_shortfall(service) -> None:
    await service.decide(award=weekly(20_000))
    await service.client.post(f"/plans/{PLAN}/propose", json={"seen_version": 1})
    refused = await service.agree(PLAN)
    assert refused.status_code == 422
    [error] = refused.json()["errors"]
    assert error["field"] == "shortfall_pence" and str(COST - 20_000) in error["message"]
    top_up = {"seen_version": 2, "reason": "family", "pence": COST - 20_000}
    assert (await service.client.post(f"/plans/{PLAN}/top-up", json=top_up)).status_code == 200
    agreed = await service.agree(PLAN, seen=3)  # the top-up made version 3, still proposed
    assert agreed.status_code == 200 and agreed.json()["split"]["top_up_weekly_pence"] > 0


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        (
            "post",
            "top-up",
            {"seen_version": 1, "reason": "r", "pence": 12.5},
            "pence",
        ),
        (
            "post",
            "top-up",
            {"seen_version": 1, "reason": "r", "pence": "1250"},
            "pence",
        ),
        (
            "put",
            "choices",
            {"seen_version": 1, "preferred_providers": {"NOPE": "PRV-0001"}},
            "preferred_providers[NOPE]",
        ),
        (
            "put",
            "choices",
            {"seen_version": 1, "preferred_providers": {"HOME_CARE_HOUR": "PRV-9"}},
            "preferred_providers[HOME_CARE_HOUR]",
        ),
        (
            "put",
            "choices",
            {"seen_version": 1, "preferred_providers": {"HOME_CARE_HOUR": "PRV-0002"}},
            "preferred_providers[HOME_CARE_HOUR]",
        ),
        (
            "put",
            "choices",
            {"seen_version": 1, "direct_payment_services": ["NOPE"]},
            "direct_payment_services",
        ),
        ("post", "agree", {"seen_version": 1, "by": "provider", "by_id": "x"}, "by"),
        ("post", "propose", {}, "seen_version"),
        ("post", "propose", {"seen_version": 1, "sen_version": 1}, "sen_version"),
    ],
)
async def test_bad_input_is_a_4xx_naming_the_field_and_writes_nothing(
    service,
    method,
    path,
    body,
    field,
) -> None:
    await service.decide()
    response = await getattr(service.client, method)(f"/plans/{PLAN}/{path}", json=body)
    assert 400 <= response.status_code < 500, response.text
    assert field in [e["field"] for e in response.json()["errors"]], json.dumps(response.json())
    assert await service.version_count(PLAN) == 1 and len(await service.outbox()) == 1


async def test_an_unknown_plan_or_person_is_a_404(service) -> None:
    missing = await service.client.post("/plans/nope/propose", json={"seen_version": 1})
    assert missing.status_code == 404 and missing.json()["errors"][0]["field"] == "plan_id"
    assert (await service.client.get("/people/nobody/plan")).status_code == 404
