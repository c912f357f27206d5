"""Change of circumstances on fakes: a new version from the date of the change, its rules."""

from datetime import date

import pytest
from assessment.domain import NotAllowedNow, Unacceptable
from assessment.service_layer import cases, changes, reconsideration
from assessment.service_layer.commands import (
    OpenCase,
    RecordChangeOfCircumstances,
    RequestReconsideration,
)

from .fakes import FakeAssessmentUnitOfWork
from .scenarios import RULEBOOK, decided_case, facts

DECIDED = date(2025, 3, 3)  # under GB-CARE-2024-25; GB-CARE-2025-26 starts on 7 April 2025
TODAY = date(2025, 4, 20)


@pytest.fixture
async def uow_and_decision():
    uow = FakeAssessmentUnitOfWork()
    return uow, await decided_case(uow, DECIDED)


async def change(uow, case_id: str, on: date, new_facts=None):
    return await changes.record_change_of_circumstances(
        RecordChangeOfCircumstances(
            case_id, "as-3", new_facts or facts(**{"1": "1f"}), on, "moved in with daughter"
        ),
        uow,
        RULEBOOK,
        TODAY,
    )


@pytest.mark.parametrize(
    ("on", "rule_set"),
    [
        (date(2025, 4, 6), "GB-CARE-2024-25"),
        (date(2025, 4, 7), "GB-CARE-2025-26"),
    ],
)
async def test_the_date_of_the_change_picks_the_rule_set(uow_and_decision, on, rule_set) -> None:
    uow, original = uow_and_decision
    new = await change(uow, original.case_id, on)
    assert (new.rule_set_id, new.effective_date, new.decided_on) == (rule_set, on, TODAY)
    assert (new.version, new.kind, new.supersedes) == (
        2,
        "change_of_circumstances",
        original.decision_id,
    )
    assert new.reconsideration_deadline == date(2025, 5, 20)
    assert uow.cases.decisions[original.decision_id].superseded_by == new.decision_id
    assert uow.published_types()[-3:] == [
        "assessment_submitted",
        "decision_superseded",
        "decision_made",
    ]
    superseded, made = uow.published[-2].data, uow.published[-1].data
    assert superseded.reason == "change_of_circumstances"
    assert (made.decision_version, made.effective_date, made.rule_set_id) == (2, on, rule_set)


async def test_changes_chain_versions_and_keep_one_live_decision(uow_and_decision) -> None:
    uow, original = uow_and_decision
    second = await change(uow, original.case_id, date(2025, 4, 1))
    third = await change(uow, original.case_id, date(2025, 5, 1))
    assert [second.version, third.version] == [2, 3] and third.supersedes == second.decision_id
    live = [d for d in uow.cases.decisions.values() if d.status != "superseded"]
    assert live == [third]


async def test_a_change_before_the_current_decision_takes_effect_is_refused(
    uow_and_decision,
) -> None:
    uow, original = uow_and_decision
    with pytest.raises(Unacceptable) as refused:
        await change(uow, original.case_id, date(2025, 3, 2))
    assert refused.value.field == "effective_date"
    assert len(uow.cases.decisions) == 1 and len(uow.cases.assessments) == 1


async def test_a_date_before_any_rule_set_names_effective_date(uow_and_decision) -> None:
    uow, original = uow_and_decision
    with pytest.raises(Unacceptable) as refused:
        await change(uow, original.case_id, date(2020, 1, 1))
    assert refused.value.field == "effective_date"


async def test_float_money_is_refused_naming_the_field(uow_and_decision) -> None:
    uow, original = uow_and_decision
    floaty = facts()
    floaty["means"]["capital_pence"] = 5000.0
    with pytest.raises(Unacceptable) as refused:
        await change(uow, original.case_id, date(2025, 4, 1), floaty)
    assert refused.value.field == "facts.means.capital_pence"


async def test_no_change_on_an_undecided_case_or_during_a_reconsideration(uow_and_decision) -> None:
    uow, original = uow_and_decision
    open_case = await cases.open_case(
        OpenCase("JT123456C", "Ada Lovelace", date(1955, 12, 10), "E09000033"), uow
    )
    with pytest.raises(NotAllowedNow) as undecided:
        await change(uow, open_case.case_id, date(2025, 4, 1))
    assert undecided.value.field == "case_id"
    await reconsideration.request_reconsideration(
        RequestReconsideration(original.decision_id, date(2025, 3, 4), "why", "me"), uow, TODAY
    )
    with pytest.raises(NotAllowedNow) as reconsidering:
        await change(uow, original.case_id, date(2025, 4, 1))
    assert "under reconsideration" in reconsidering.value.message
