"""The person asks for changes to a proposed version instead of agreeing it; and the providers
they may choose between for each service."""

import pytest
from care_plans.domain import InvalidTransition, ReasonRequired, VersionConflict
from care_plans.domain.choices import providers_to_choose
from care_plans.domain.events import ChangesRequested
from care_plans.entrypoints import views

from .conftest import ON


def test_asking_for_changes_makes_a_draft_carrying_the_request(draft) -> None:
    plan = draft()
    plan.propose(1, on=ON)
    new = plan.request_changes(2, reason="  Mornings, not evenings ", by="sub-1", on=ON)
    assert (new.number, new.status) == (3, "draft")
    assert (new.change_request.version, new.change_request.reason) == (2, "Mornings, not evenings")
    assert plan.events[-1] == ChangesRequested(
        plan.plan_id, 3, 2, "Mornings, not evenings", "sub-1"
    )
    assert new.items == plan.version(2).items
    again = plan.propose(3, on=ON)
    assert again.change_request is None  # the request belongs to the draft it made


@pytest.mark.parametrize(
    ("seen", "reason", "error"),
    [
        (1, "Mornings", VersionConflict),  # a superseded version
        (2, "   ", ReasonRequired),
        (2, "x" * 2001, ReasonRequired),
    ],
)
def test_a_bad_request_for_changes_is_refused_and_nothing_changes(
    draft, seen, reason, error
) -> None:
    plan = draft()
    plan.propose(1, on=ON)
    with pytest.raises(error):
        plan.request_changes(seen, reason=reason, by="sub-1", on=ON)
    assert len(plan.versions) == 2


def test_only_a_proposed_version_can_have_changes_asked_for(draft) -> None:
    with pytest.raises(InvalidTransition):
        draft().request_changes(1, reason="Mornings", by="sub-1", on=ON)


def test_the_providers_to_choose_are_those_contracted_in_the_area_cheapest_first(
    draft, catalogue
) -> None:
    plan = draft()
    edition = catalogue.in_force_on(ON)
    choices = providers_to_choose(plan, edition, ON)
    assert [s.code for s, _ in choices] == [i.service_code for i in plan.current.items]
    for service, options in choices:
        contracted = edition.contracts_in_force(plan.current.area_code, service.code, ON)
        assert [c.provider_id for _, c in options] == [c.provider_id for c in contracted]
        rates = [c.unit_rate_pence for _, c in options]
        assert rates == sorted(rates)
    view = views.provider_choices_view(plan, edition, ON, choices)
    assert view.area_code == plan.current.area_code and view.services
