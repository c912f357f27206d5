"""Opening a case, recording and submitting an assessment, on fakes."""

from dataclasses import replace
from datetime import date

import pytest
from assessment.domain import (
    NoRuleSetInForce,
    NotAllowedNow,
    NotFound,
    RequestRefused,
    Unacceptable,
)
from assessment.service_layer import cases
from assessment.service_layer.commands import OpenCase, RecordAssessment, SubmitAssessment

from .fakes import FakeAssessmentUnitOfWork
from .scenarios import RULEBOOK, decided_case, facts

TODAY = date(2025, 6, 2)
ADA = OpenCase("JT123456C", "Ada Lovelace", date(1955, 12, 10), "E09000033")


@pytest.fixture
def uow() -> FakeAssessmentUnitOfWork:
    return FakeAssessmentUnitOfWork()


class TestOpenCase:
    async def test_a_person_is_created_once_per_nino(self, uow) -> None:
        first = await cases.open_case(ADA, uow)
        second = await cases.open_case(ADA, uow)
        assert first.person_id == second.person_id and first.case_id != second.case_id
        assert first.status == "open" and len(uow.people.people) == 1


class TestDateOfClaim:
    async def test_a_claim_made_earlier_is_decided_from_its_date_with_the_rules_then(
        self, uow
    ) -> None:
        claimed_on = date(2025, 3, 24)  # under the 2024-25 rules
        case = await cases.open_case(replace(ADA, claimed_on=claimed_on), uow, TODAY, RULEBOOK)
        recorded = await cases.record_assessment(
            RecordAssessment(case.case_id, "as-1", facts()), uow, RULEBOOK, TODAY
        )
        decision = await cases.submit_assessment(
            SubmitAssessment(case.case_id, recorded.assessment_id, "as-1"), uow, RULEBOOK, TODAY
        )
        assert (decision.effective_date, decision.decided_on) == (claimed_on, TODAY)
        assert decision.rule_set_id == "GB-CARE-2024-25"
        assert decision.reconsideration_deadline == date(2025, 7, 2)  # from the decision

    async def test_a_claim_date_in_the_future_is_refused(self, uow) -> None:
        with pytest.raises(RequestRefused) as refused:
            await cases.open_case(replace(ADA, claimed_on=date(2025, 6, 3)), uow, TODAY, RULEBOOK)
        assert refused.value.field == "claimed_on" and uow.cases.cases == {}

    async def test_a_claim_date_before_every_rule_set_is_refused(self, uow) -> None:
        with pytest.raises(NoRuleSetInForce) as refused:
            await cases.open_case(replace(ADA, claimed_on=date(1999, 1, 4)), uow, TODAY, RULEBOOK)
        assert refused.value.field == "claimed_on" and uow.cases.cases == {}


class TestRecordAssessment:
    async def test_bad_facts_are_refused_before_anything_is_written(self, uow) -> None:
        case = await cases.open_case(ADA, uow)
        with pytest.raises(Unacceptable) as refused:
            await cases.record_assessment(
                RecordAssessment(case.case_id, "as-1", facts(**{"3": "1b"})), uow, RULEBOOK, TODAY
            )
        assert refused.value.errors[0][0] == "facts.descriptors.3"
        assert uow.cases.assessments == {}

    async def test_a_bare_list_of_descriptors_needs_their_days(self, uow) -> None:
        case = await cases.open_case(ADA, uow)
        with pytest.raises(Unacceptable) as refused:
            await cases.record_assessment(
                RecordAssessment(case.case_id, "as-1", facts(**{"1": ["1a", "1b"]})),
                uow,
                RULEBOOK,
                TODAY,
            )
        [(field, message)] = refused.value.errors
        assert field == "facts.descriptors.1"
        assert message.startswith("give one descriptor code, or the days each descriptor applies")
        assert message.endswith("got 2 codes: ['1a', '1b']")

    async def test_an_unknown_case_is_not_found(self, uow) -> None:
        with pytest.raises(NotFound):
            await cases.record_assessment(
                RecordAssessment("nope", "as-1", facts()), uow, RULEBOOK, TODAY
            )


class TestSubmitAssessment:
    async def test_the_decision_is_version_1_and_goes_out_with_the_submission(self, uow) -> None:
        decision = await decided_case(uow, TODAY)
        assert (decision.version, decision.kind, decision.status) == (1, "new_claim", "current")
        assert decision.decided_on == decision.effective_date == TODAY
        assert decision.reconsideration_deadline == date(2025, 7, 2)
        assert decision.rule_set_id == "GB-CARE-2025-26"
        assert uow.cases.cases[decision.case_id].status == "decided"
        assert uow.published_types() == ["assessment_submitted", "decision_made"]
        made = uow.published[1]
        assert made.subject == decision.person_id and made.data.kind == "new_claim"
        assert made.data.decision_version == 1 and made.data.supersedes_decision_id is None

    async def test_a_decided_case_takes_no_further_assessment(self, uow) -> None:
        decision = await decided_case(uow, TODAY)
        with pytest.raises(NotAllowedNow) as refused:
            await cases.record_assessment(
                RecordAssessment(decision.case_id, "as-1", facts()), uow, RULEBOOK, TODAY
            )
        assert refused.value.field == "case_id"
        with pytest.raises(NotAllowedNow):
            await cases.submit_assessment(
                SubmitAssessment(decision.case_id, decision.assessment_id, "as-1"),
                uow,
                RULEBOOK,
                TODAY,
            )
