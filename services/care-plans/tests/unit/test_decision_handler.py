"""DecisionMade -> the person's plan: drafted, re-budgeted, ended or left alone (on fakes)."""

import pytest
from care_plans.entrypoints.dependencies import Dependencies
from care_plans.entrypoints.errors import UNPROCESSABLE
from care_plans.entrypoints.events import HANDLERS
from care_plans.service_layer import agreement
from care_plans.service_layer.commands import AgreePlan, ChangeChoices, ProposePlan
from servicekit.consumer import EventConsumer
from servicekit.testing import FixedClock

from .conftest import ON
from .fakes import FakeCarePlansUnitOfWork, decision, weekly

PLAN = "person-1:D-1"
D2 = {"decision_id": "D-2", "decision_version": 2, "supersedes_decision_id": "D-1"}


async def apply(uow, event, catalogue) -> None:
    """As the kit's consumer applies an event: its handler, in a unit of work it commits."""
    deps = Dependencies(uow=lambda: uow, today=FixedClock(ON), catalogue=catalogue)
    async with uow:
        await HANDLERS[type(event)](event, uow, deps)
        await uow.commit()


async def agreed_plan(catalogue) -> FakeCarePlansUnitOfWork:
    uow = FakeCarePlansUnitOfWork()
    await apply(uow, decision(), catalogue)
    await agreement.propose_plan(ProposePlan(PLAN, 1), uow, ON)
    await agreement.agree_plan(AgreePlan(PLAN, 2, "person", "person-1"), uow, ON)
    uow.published.clear()
    return uow


class TestFirstDecision:
    async def test_an_eligible_decision_drafts_a_plan_and_announces_it(self, catalogue):
        uow = FakeCarePlansUnitOfWork()
        await apply(uow, decision(), catalogue)
        plan = await uow.plans.open_plan_of("person-1")
        assert (plan.plan_id, plan.status, plan.current.weekly_budget_pence) == (
            PLAN,
            "draft",
            100_000,
        )
        assert uow.published_types() == ["plan_drafted"] and uow.published[0].subject == "person-1"
        assert uow.published[0].data.weekly_cost_pence == 7 * 780 + 7 * 2560

    @pytest.mark.parametrize("flag", ["eligible", "care_act_eligible"])
    async def test_an_ineligible_decision_drafts_nothing(self, catalogue, flag):
        uow = FakeCarePlansUnitOfWork()
        await apply(uow, decision(**{flag: False}), catalogue)
        assert await uow.plans.latest_of("person-1") is None and uow.published == []

    async def test_the_same_decision_twice_drafts_one_plan(self, catalogue):
        uow = FakeCarePlansUnitOfWork()
        await apply(uow, decision(), catalogue)
        await apply(uow, decision(), catalogue)  # re-published under a new event id
        assert list(uow.plans.committed) == [PLAN] and uow.published_types() == ["plan_drafted"]

    async def test_a_decision_that_cannot_be_drafted_is_unprocessable(self, catalogue):
        uow = FakeCarePlansUnitOfWork()
        with pytest.raises(UNPROCESSABLE, match="area_code"):
            await apply(uow, decision(area_code="E00000000"), catalogue)
        assert uow.plans.committed == {} and uow.published == []


class TestSupersedingDecision:
    async def test_a_newer_decision_rebudgets_the_plan_for_re_agreement(self, catalogue):
        uow = await agreed_plan(catalogue)
        await apply(uow, decision(**D2, award=weekly(120_000)), catalogue)
        plan = await uow.plans.get(PLAN)
        assert list(uow.plans.committed) == [PLAN]  # no second plan
        assert (len(plan.versions), plan.status, plan.in_force.number) == (4, "draft", 3)
        assert plan.current.weekly_budget_pence == 120_000
        drafted = uow.published[-1].data
        assert uow.published_types() == ["plan_drafted"]
        assert (drafted.version, drafted.in_force_version, drafted.decision_version) == (4, 3, 2)

    async def test_changed_outcomes_redraft_services_keeping_choices(self, catalogue):
        uow = FakeCarePlansUnitOfWork()
        await apply(uow, decision(), catalogue)
        await agreement.change_choices(
            ChangeChoices(PLAN, 1, {}, frozenset({"HOME_CARE_HOUR"})), uow, catalogue, ON
        )
        await apply(uow, decision(**D2, outcomes_not_achieved=["a", "b", "e"]), catalogue)
        plan = await uow.plans.get(PLAN)
        arranged = {i.service_code: i.arranged_by for i in plan.current.items}
        assert arranged == {
            "MEALS_DAY": "scheme",
            "HOME_CARE_HOUR": "person",
            "EQUIPMENT_ALARM_WEEK": "scheme",
        }
        assert plan.current.outcomes == ("a", "b", "e")

    async def test_a_decision_ending_eligibility_ends_the_plan(self, catalogue):
        uow = await agreed_plan(catalogue)
        await apply(uow, decision(**D2, eligible=False), catalogue)
        plan = await uow.plans.get(PLAN)
        assert (plan.status, plan.in_force, plan.status_of(3)) == ("ended", None, "superseded")
        assert uow.published_types() == ["plan_superseded", "managed_services_changed"]
        ended, stopped = (e.data for e in uow.published)
        assert (ended.version, ended.superseded_by_version, ended.ended) == (3, 4, True)
        assert (
            stopped.weekly_budget_pence,
            stopped.managed_weekly_pence,
            stopped.direct_payment_weekly_pence,
            stopped.providers,
        ) == (0, 0, 0, [])

    async def test_eligible_again_later_drafts_a_new_plan(self, catalogue):
        uow = await agreed_plan(catalogue)
        await apply(uow, decision(**D2, eligible=False), catalogue)
        await apply(uow, decision(decision_id="D-3", decision_version=3), catalogue)
        assert (await uow.plans.open_plan_of("person-1")).plan_id == "person-1:D-3"

    async def test_an_older_or_repeated_decision_changes_nothing(self, catalogue):
        uow = await agreed_plan(catalogue)
        await apply(uow, decision(**D2, award=weekly(90_000)), catalogue)
        for stale in (decision(), decision(**D2, award=weekly(90_000))):
            await apply(uow, stale, catalogue)
        assert len((await uow.plans.get(PLAN)).versions) == 4
        assert uow.published_types() == ["plan_drafted"]


async def test_the_plans_events_carry_the_decisions_correlation_and_cause(catalogue):
    """Through the kit's consumer, as in production: inbox, handler, commit."""
    uow = FakeCarePlansUnitOfWork()
    deps = Dependencies(uow=lambda: uow, today=FixedClock(ON), catalogue=catalogue)
    consumer = EventConsumer("care-plans", HANDLERS, lambda: uow, None, deps=lambda: deps)
    made = decision().model_copy(update={"correlationid": "flow-1"})
    await consumer.apply(made)
    await consumer.apply(made)  # redelivered: applied once
    [drafted] = uow.published
    assert (drafted.correlationid, drafted.causationid) == ("flow-1", made.id)


class TestUprating:
    UPRATING = {**D2, "kind": "uprating", "rule_set_id": "GB-CARE-2026-27"}

    async def test_an_uprating_that_leaves_the_budget_as_it_is_changes_nothing(self, catalogue):
        uow = await agreed_plan(catalogue)
        before = list((await uow.plans.get(PLAN)).versions)
        await apply(uow, decision(**self.UPRATING, award=weekly(100_000)), catalogue)
        plan = await uow.plans.get(PLAN)
        assert plan.versions == before and plan.status == "agreed"
        assert uow.published == []

    async def test_an_uprating_that_changes_the_budget_says_so_in_its_draft(self, catalogue):
        uow = await agreed_plan(catalogue)
        await apply(uow, decision(**self.UPRATING, award=weekly(104_000)), catalogue)
        plan = await uow.plans.get(PLAN)
        assert (plan.status, plan.current.weekly_budget_pence) == ("draft", 104_000)
        assert uow.published_types() == ["plan_drafted"]
        assert uow.published[-1].data.decision_kind == "uprating"

    async def test_another_decision_with_the_same_budget_still_redrafts(self, catalogue):
        uow = await agreed_plan(catalogue)
        change = {**D2, "kind": "change_of_circumstances"}
        await apply(uow, decision(**change, award=weekly(100_000)), catalogue)
        assert uow.published_types() == ["plan_drafted"]
        assert uow.published[-1].data.decision_kind == "change_of_circumstances"
