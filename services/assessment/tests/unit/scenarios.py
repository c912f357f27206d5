"""Facts and a decided new claim for use-case tests (on the fakes)."""

import copy
from datetime import date
from typing import Any

from assessment.adapters.rulesets import load_rulebook
from assessment.domain import DecisionRecord
from assessment.service_layer import cases
from assessment.service_layer.commands import OpenCase, RecordAssessment, SubmitAssessment

from .fakes import FakeAssessmentUnitOfWork

RULEBOOK = load_rulebook()
ELIGIBLE_FACTS: dict[str, Any] = {
    "descriptors": {
        "1": "1d",
        "2": "2b",
        "3": "3b",
        "4": "4c",
        "5": "5b",
        "6": "6c",
        "7": "7a",
        "8": "8a",
        "9": "9a",
        "10": "10b",
        "11": "11b",
        "12": "12c",
    },
    "care_act": {
        "impairment_or_illness": True,
        "outcomes": {"a": "a", "b": "a", "d": "b"},
        "significant_wellbeing_impact": True,
    },
    "means": {"capital_pence": 500000, "weekly_income_pence": {"state_pension": 23000}, "age": 70},
}


def facts(**descriptors: str) -> dict[str, Any]:
    """ELIGIBLE_FACTS with some descriptors changed: facts(**{"1": "1f"})."""
    changed = copy.deepcopy(ELIGIBLE_FACTS)
    changed["descriptors"].update(descriptors)
    return changed


async def decided_case(
    uow: FakeAssessmentUnitOfWork,
    today: date,
    assessor: str = "as-1",
    with_facts: dict[str, Any] = ELIGIBLE_FACTS,
) -> DecisionRecord:
    """A new claim taken from an open case to its first decision, made on `today`."""
    case = await cases.open_case(
        OpenCase("JT123456C", "Ada Lovelace", date(1955, 12, 10), "E09000033"), uow
    )
    recorded = await cases.record_assessment(
        RecordAssessment(case.case_id, assessor, with_facts), uow, RULEBOOK, today
    )
    return await cases.submit_assessment(
        SubmitAssessment(case.case_id, recorded.assessment_id, assessor), uow, RULEBOOK, today
    )
