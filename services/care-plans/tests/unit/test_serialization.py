"""A stored plan version loads back exactly, including bodies written before choices existed."""

from care_plans.adapters.serialization import (
    policy_from_json,
    policy_to_json,
    version_from_json,
    version_to_json,
)

from .conftest import ON


def test_every_version_round_trips(draft):
    plan = draft(
        weekly_budget_pence=10_000,
        direct_payment_services=frozenset({"MEALS_DAY"}),
        preferred_providers={"HOME_CARE_HOUR": "PRV-0001"},
    )
    plan.approve_top_up(
        1, pence=plan.current.shortfall_pence, assessor_id="a-1", reason="family pays", on=ON
    )
    plan.propose(2, on=ON)
    plan.agree(3, by="assessor", by_id="a-1", on=ON, reason="lacks capacity")
    plan.end("d-2", 2, reason="no longer eligible", on=ON)
    for version in plan.versions:
        assert version_from_json(version_to_json(version)) == version
    assert policy_from_json(policy_to_json(plan.review_policy)) == plan.review_policy


def test_the_body_carries_derived_figures_for_readers(draft):
    body = version_to_json(draft().current)
    assert body["status"] == "draft" and body["created_on"] == ON.isoformat()
    assert body["weekly_cost_pence"] == sum(i["weekly_cost_pence"] for i in body["items"])
    assert body["shortfall_pence"] == 0


def test_a_body_from_before_choices_were_recorded_loads_without_them(draft):
    body = version_to_json(draft().current)
    del body["preferred_providers"], body["direct_payment_services"]
    loaded = version_from_json(body)
    assert loaded.preferred_providers == () and loaded.direct_payment_services == ()
    assert loaded.items == draft().current.items
