"""Mandatory reconsideration on fakes: the one-month window, a different reviewer, supersession."""

from datetime import date

import pytest
from assessment.domain import NotAllowedNow, Unacceptable
from assessment.service_layer import reconsideration
from assessment.service_layer.commands import DecideReconsideration, RequestReconsideration

from .fakes import FakeAssessmentUnitOfWork
from .scenarios import RULEBOOK, decided_case, facts

DECIDED = date(2025, 1, 31)  # one calendar month on is 28 February 2025


@pytest.fixture
async def uow_and_decision():
    uow = FakeAssessmentUnitOfWork()
    return uow, await decided_case(uow, DECIDED, assessor="as-1")


async def ask(uow, decision_id: str, on: date, today: date | None = None):
    return await reconsideration.request_reconsideration(
        RequestReconsideration(decision_id, on, "I cannot cook a meal", "the person"),
        uow,
        today or on,
    )


async def review(uow, reconsideration_id: str, reviewer: str = "rv-2", revised=None):
    return await reconsideration.decide_reconsideration(
        DecideReconsideration(reconsideration_id, reviewer, revised),
        uow,
        RULEBOOK,
        date(2025, 3, 10),
    )


class TestRequestReconsideration:
    async def test_asked_on_the_last_day_it_is_taken(self, uow_and_decision) -> None:
        uow, decision = uow_and_decision
        asked = await ask(uow, decision.decision_id, date(2025, 2, 28))
        assert asked.status == "requested"
        assert uow.cases.decisions[decision.decision_id].status == "under_reconsideration"
        assert uow.cases.cases[decision.case_id].status == "under_reconsideration"
        assert uow.published_types()[-1] == "reconsideration_requested"
        assert uow.published[-1].data.reconsideration_id == asked.reconsideration_id

    @pytest.mark.parametrize(
        ("on", "today", "words"),
        [
            (date(2025, 3, 1), date(2025, 3, 1), "after the deadline of 2025-02-28"),
            (date(2025, 1, 30), date(2025, 2, 1), "before the decision was made"),
            (date(2025, 2, 10), date(2025, 2, 9), "in the future"),
        ],
    )
    async def test_a_bad_request_date_is_refused_naming_it(
        self, uow_and_decision, on, today, words
    ) -> None:
        uow, decision = uow_and_decision
        published = len(uow.published)
        with pytest.raises(Unacceptable) as refused:
            await ask(uow, decision.decision_id, on, today)
        assert refused.value.field == "requested_on" and words in refused.value.message
        assert uow.cases.reconsiderations == {} and len(uow.published) == published
        assert uow.cases.decisions[decision.decision_id].status == "current"

    async def test_a_second_request_on_the_same_decision_conflicts(self, uow_and_decision) -> None:
        uow, decision = uow_and_decision
        await ask(uow, decision.decision_id, date(2025, 2, 3))
        with pytest.raises(NotAllowedNow) as refused:
            await ask(uow, decision.decision_id, date(2025, 2, 4))
        assert refused.value.field == "decision_id"


class TestDecideReconsideration:
    async def test_the_original_assessor_cannot_review(self, uow_and_decision) -> None:
        uow, decision = uow_and_decision
        asked = await ask(uow, decision.decision_id, date(2025, 2, 3))
        with pytest.raises(Unacceptable) as refused:
            await review(uow, asked.reconsideration_id, reviewer="as-1")
        assert refused.value.field == "reviewer_id"
        assert uow.cases.reconsiderations[asked.reconsideration_id].status == "requested"

    async def test_unchanged_facts_still_give_a_new_backdated_version(
        self, uow_and_decision
    ) -> None:
        uow, original = uow_and_decision
        asked = await ask(uow, original.decision_id, date(2025, 2, 3))
        decided, new = await review(uow, asked.reconsideration_id)
        assert decided.outcome == "unchanged" and decided.new_decision_id == new.decision_id
        assert (new.version, new.kind, new.supersedes) == (
            2,
            "reconsideration",
            original.decision_id,
        )
        assert new.effective_date == original.effective_date == DECIDED
        assert new.decided_on == date(2025, 3, 10) and new.rule_set_id == "GB-CARE-2024-25"
        old = uow.cases.decisions[original.decision_id]
        assert (old.status, old.superseded_by) == ("superseded", new.decision_id)
        assert uow.published_types()[-3:] == [
            "reconsideration_decided",
            "decision_superseded",
            "decision_made",
        ]
        made = uow.published[-1].data
        assert (made.decision_version, made.supersedes_decision_id) == (2, original.decision_id)

    async def test_revised_facts_change_the_outcome_from_the_original_date(
        self, uow_and_decision
    ) -> None:
        uow, original = uow_and_decision
        asked = await ask(uow, original.decision_id, date(2025, 2, 3))
        decided, new = await review(
            uow, asked.reconsideration_id, revised=facts(**{"11": "11a", "12": "12a"})
        )
        assert decided.outcome == "changed" and new.effective_date == DECIDED
        assert new.body["components"]["mobility"]["band"] == "none"
        assert original.body["components"]["mobility"]["band"] == "enhanced"
        assert uow.cases.assessments[new.assessment_id].kind == "reconsideration"
        assert uow.published_types()[-4] == "assessment_submitted"
        assert uow.cases.cases[original.case_id].status == "decided"

    async def test_bad_revised_facts_write_nothing(self, uow_and_decision) -> None:
        uow, original = uow_and_decision
        asked = await ask(uow, original.decision_id, date(2025, 2, 3))
        with pytest.raises(Unacceptable) as refused:
            await review(uow, asked.reconsideration_id, revised=facts(**{"2": "2z"}))
        assert refused.value.field == "facts.descriptors.2"
        assert len(uow.cases.decisions) == 1 and len(uow.cases.assessments) == 1

    async def test_it_is_decided_once_and_its_result_is_not_reconsidered_again(
        self, uow_and_decision
    ) -> None:
        uow, original = uow_and_decision
        asked = await ask(uow, original.decision_id, date(2025, 2, 3))
        _, new = await review(uow, asked.reconsideration_id)
        with pytest.raises(NotAllowedNow) as again:
            await review(uow, asked.reconsideration_id, reviewer="rv-3")
        assert again.value.field == "reconsideration_id"
        with pytest.raises(NotAllowedNow) as of_result:
            await ask(uow, new.decision_id, date(2025, 3, 11))
        assert of_result.value.field == "decision_id" and "tribunal" in of_result.value.message
