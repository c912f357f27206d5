"""Managed services on real PostgreSQL: a care plan's split reaches GET /people/{id}/payments."""

import pytest

from ..unit.builders import decision, managed_services, support

pytestmark = pytest.mark.integration


async def page(svc, person: str = "p1") -> dict:
    response = await svc.http.get(f"/people/{person}/payments")
    assert response.status_code == 200, response.text
    return response.json()


async def test_an_agreed_plans_split_shows_with_the_payments(svc) -> None:
    await svc.deliver(decision())
    before = await page(svc)
    assert before["managed_services"] is None
    items = (support("prov-1", 6_000), support("prov-2", 2_000, code="DAY-CENTRE"))
    await svc.deliver(
        managed_services(version=2, items=items),
        managed_services(version=1, items=(support(weekly=1_000),)),
    )
    after = await page(svc)
    managed = after.pop("managed_services")
    assert after == {k: v for k, v in before.items() if k != "managed_services"}
    assert managed["plan_id"] == "plan-1" and managed["plan_version"] == 2
    assert (
        managed["paid_to_providers_weekly_pence"],
        managed["direct_payment_weekly_pence"],
        managed["weekly_budget_pence"],
    ) == (8_000, 3_040, 11_040)
    assert (
        managed["paid_to_providers_monthly_pence"],
        managed["direct_payment_monthly_pence"],
    ) == (34_667, 47_840 - 34_667)
    assert [(p["provider_id"], p["weekly_cost_pence"]) for p in managed["providers"]] == [
        ("prov-1", 6_000),
        ("prov-2", 2_000),
    ]


async def test_an_ended_plan_shows_no_managed_services(svc) -> None:
    await svc.deliver(
        decision(), managed_services(version=2), managed_services(version=3, budget=0)
    )
    assert (await page(svc))["managed_services"] is None
    row = await svc.pool.fetchrow("SELECT plan_version, providers FROM managed_services")
    assert (row["plan_version"], row["providers"]) == (3, [])
