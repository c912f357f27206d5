"""Every public domain event becomes a valid contract event about the person; private ones
(top-ups, a review's start) stay inside the service."""

from datetime import date

from care_plans.adapters.outbound import published_events
from care_plans.domain import overdue, reviews_due
from contracts.care_plans import v1
from contracts.registry import parse_event

from .conftest import ON, PERSON


def test_a_plans_whole_life_maps_to_every_contract_event(draft):
    plan = draft(weekly_budget_pence=10_000)
    plan.approve_top_up(
        1, pence=plan.current.shortfall_pence, assessor_id="a-1", reason="family pays", on=ON
    )
    plan.propose(2, on=ON)
    plan.agree(3, by="person", by_id=PERSON, on=ON)
    plan.rebudget(100_000, "d-2", 2, on=ON)
    plan.propose(5, on=ON)
    plan.agree(6, by="person", by_id=PERSON, on=ON)
    reviews_due([plan], date(2025, 7, 20))
    overdue([plan], date(2025, 8, 1))
    plan.start_review(plan.current.number, on=date(2025, 8, 2))
    plan.complete_review(plan.current.number, reviewer_id="a-1", on=date(2025, 8, 3))
    plan.end("d-3", 3, reason="no longer eligible", on=date(2025, 8, 4))
    published = published_events(plan)
    assert {type(e) for e in published} == set(v1.EVENTS)
    assert all(e.subject == PERSON and e.source == v1.SOURCE for e in published)
    assert all(parse_event(e.to_json_bytes()) == e for e in published)
    assert len(published) == len(plan.events) - 2  # the top-up and ReviewStarted stay private


def test_split_events_always_sum_to_the_budget(draft):
    plan = draft(weekly_budget_pence=10_000)
    plan.approve_top_up(
        1, pence=plan.current.shortfall_pence, assessor_id="a-1", reason="family pays", on=ON
    )
    plan.propose(2, on=ON)
    plan.agree(3, by="person", by_id=PERSON, on=ON)
    plan.rebudget(100_000, "d-2", 2, on=ON)
    plan.propose(5, on=ON)
    plan.agree(6, by="person", by_id=PERSON, on=ON)
    plan.end("d-3", 3, reason="no longer eligible", on=ON)
    splits = [e.data for e in published_events(plan) if isinstance(e, v1.ManagedServicesChangedV1)]
    assert [s.weekly_budget_pence for s in splits] == [10_000, 100_000, 0]
    assert all(
        s.managed_weekly_pence + s.direct_payment_weekly_pence == s.weekly_budget_pence
        for s in splits
    )
    assert splits[0].top_up_weekly_pence > 0 and splits[1].top_up_weekly_pence == 0
