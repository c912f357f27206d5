"""Proposing, agreeing, top-ups and the person's choices through the handlers (on fakes)."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http import HTTPStatus

import pytest
from care_plans.entrypoints.errors import HTTP_STATUS
from care_plans.service_layer import agreement
from care_plans.service_layer.commands import (
    AgreePlan,
    ApproveTopUp,
    ChangeChoices,
    ProposePlan,
)

from .conftest import ON
from .fakes import FakeCarePlansUnitOfWork, decision, weekly
from .test_decision_handler import PLAN, apply

COST = 7 * 780 + 7 * 2560  # meals and home care in Birmingham


@dataclass
class Refusal:
    """What the caller is told: the status and the first field the body names."""

    status_code: int
    field: str
    message: str


@dataclass
class Refused:
    value: Refusal | None = None


@contextmanager
def refused_with(status: int) -> Iterator[Refused]:
    """Expects a domain error, and reads it as the kit's HTTP handler does with HTTP_STATUS."""
    refused = Refused()
    with pytest.raises(tuple(HTTP_STATUS)) as raised:
        yield refused
    error = raised.value
    code = next(HTTP_STATUS[cls] for cls in type(error).__mro__ if cls in HTTP_STATUS)
    field, message = error.errors[0]
    refused.value = Refusal(code, field, message)
    assert code == status, f"{type(error).__name__} is a {code}, not a {status}"


async def drafted(catalogue, budget: int = 100_000) -> FakeCarePlansUnitOfWork:
    uow = FakeCarePlansUnitOfWork()
    await apply(uow, decision(award=weekly(budget)), catalogue)
    uow.published.clear()
    return uow


async def versions(uow) -> int:
    return len(uow.plans.committed[PLAN].versions)


async def test_agreeing_announces_the_split_which_sums_to_the_budget(catalogue):
    uow = await drafted(catalogue)
    await agreement.propose_plan(ProposePlan(PLAN, 1), uow, ON)
    plan = await agreement.agree_plan(AgreePlan(PLAN, 2, "person", "person-1"), uow, ON)
    assert (plan.status, plan.in_force.number, await versions(uow)) == ("agreed", 3, 3)
    assert uow.published_types() == ["plan_proposed", "plan_agreed", "managed_services_changed"]
    split = uow.published[-1].data
    assert (split.managed_weekly_pence, split.direct_payment_weekly_pence) == (COST, 100_000 - COST)
    assert split.managed_weekly_pence + split.direct_payment_weekly_pence == 100_000


async def test_agreeing_a_stale_version_is_refused_and_nothing_changes(catalogue):
    uow = await drafted(catalogue)
    await agreement.propose_plan(ProposePlan(PLAN, 1), uow, ON)
    with refused_with(HTTPStatus.CONFLICT) as refused:
        await agreement.agree_plan(AgreePlan(PLAN, 1, "person", "person-1"), uow, ON)
    assert refused.value.field == "seen_version" and refused.value.status_code == 409
    assert await versions(uow) == 2 and uow.published_types() == ["plan_proposed"]


async def test_an_over_budget_plan_cannot_be_agreed_and_the_shortfall_is_named(catalogue):
    uow = await drafted(catalogue, budget=20_000)
    await agreement.propose_plan(ProposePlan(PLAN, 1), uow, ON)
    with refused_with(HTTPStatus.UNPROCESSABLE_ENTITY) as refused:
        await agreement.agree_plan(AgreePlan(PLAN, 2, "person", "person-1"), uow, ON)
    assert refused.value.field == "shortfall_pence" and str(COST - 20_000) in refused.value.message


async def test_a_top_up_must_cover_the_shortfall_exactly_then_the_plan_can_be_agreed(catalogue):
    uow = await drafted(catalogue, budget=20_000)
    with refused_with(HTTPStatus.UNPROCESSABLE_ENTITY) as refused:
        await agreement.approve_top_up(ApproveTopUp(PLAN, 1, "as-1", "family", 100), uow, ON)
    assert refused.value.field == "pence" and await versions(uow) == 1
    await agreement.approve_top_up(ApproveTopUp(PLAN, 1, "as-1", "family", COST - 20_000), uow, ON)
    await agreement.propose_plan(ProposePlan(PLAN, 2), uow, ON)
    await agreement.agree_plan(AgreePlan(PLAN, 3, "person", "person-1"), uow, ON)
    split = uow.published[-1].data
    assert (split.managed_weekly_pence, split.direct_payment_weekly_pence) == (20_000, 0)
    assert split.top_up_weekly_pence == COST - 20_000


async def test_an_assessor_agreeing_for_the_person_must_say_why(catalogue):
    uow = await drafted(catalogue)
    await agreement.propose_plan(ProposePlan(PLAN, 1), uow, ON)
    with refused_with(HTTPStatus.UNPROCESSABLE_ENTITY) as refused:
        await agreement.agree_plan(AgreePlan(PLAN, 2, "assessor", "as-1", " "), uow, ON)
    assert refused.value.field == "reason"


async def test_an_unknown_plan_is_not_found(catalogue):
    with refused_with(HTTPStatus.NOT_FOUND):
        await agreement.propose_plan(ProposePlan("nope", 1), FakeCarePlansUnitOfWork(), ON)


class TestChoices:
    async def test_choices_make_a_new_draft(self, catalogue):
        uow = await drafted(catalogue)
        cmd = ChangeChoices(PLAN, 1, {"MEALS_DAY": "PRV-0004"}, frozenset({"HOME_CARE_HOUR"}))
        plan = await agreement.change_choices(cmd, uow, catalogue, ON)
        assert (plan.current.number, plan.status) == (2, "draft")
        arranged = {i.service_code: (i.arranged_by, i.provider_id) for i in plan.current.items}
        assert arranged == {"MEALS_DAY": ("scheme", "PRV-0004"), "HOME_CARE_HOUR": ("person", None)}
        assert uow.published_types() == ["plan_drafted"]

    async def test_the_same_choices_again_make_no_new_version_and_stale_ones_are_refused(
        self, catalogue
    ):
        uow = await drafted(catalogue)
        chosen = {"preferred_providers": {}, "direct_payment_services": frozenset({"MEALS_DAY"})}
        await agreement.change_choices(ChangeChoices(PLAN, 1, **chosen), uow, catalogue, ON)
        await agreement.change_choices(ChangeChoices(PLAN, 2, **chosen), uow, catalogue, ON)
        assert await versions(uow) == 2 and uow.published_types() == ["plan_drafted"]
        with refused_with(HTTPStatus.CONFLICT) as refused:
            await agreement.change_choices(ChangeChoices(PLAN, 1), uow, catalogue, ON)
        assert refused.value.field == "seen_version" and await versions(uow) == 2

    async def test_choices_on_an_agreed_plan_leave_it_in_force_until_re_agreed(self, catalogue):
        uow = await drafted(catalogue)
        await agreement.propose_plan(ProposePlan(PLAN, 1), uow, ON)
        await agreement.agree_plan(AgreePlan(PLAN, 2, "person", "person-1"), uow, ON)
        cmd = ChangeChoices(PLAN, 3, {}, frozenset({"MEALS_DAY"}))
        plan = await agreement.change_choices(cmd, uow, catalogue, ON)
        assert (plan.current.number, plan.status, plan.in_force.number) == (4, "draft", 3)

    @pytest.mark.parametrize(
        ("preferred", "direct", "field"),
        [
            ({"NOPE": "PRV-0001"}, set(), "preferred_providers[NOPE]"),
            ({"HOME_CARE_HOUR": "PRV-9999"}, set(), "preferred_providers[HOME_CARE_HOUR]"),
            ({"HOME_CARE_HOUR": "PRV-0002"}, set(), "preferred_providers[HOME_CARE_HOUR]"),
            ({}, {"NOPE"}, "direct_payment_services"),
            ({}, {"RESPITE_NIGHT"}, "direct_payment_services"),
        ],
    )
    async def test_bad_choices_are_refused_naming_the_field(
        self, catalogue, preferred, direct, field
    ):
        uow = await drafted(catalogue)
        with refused_with(HTTPStatus.UNPROCESSABLE_ENTITY) as refused:
            cmd = ChangeChoices(PLAN, 1, preferred, frozenset(direct))
            await agreement.change_choices(cmd, uow, catalogue, ON)
        assert refused.value.field == field and refused.value.status_code == 422
        assert await versions(uow) == 1 and uow.published == []
