"""The workflow's pure rules: the one-calendar-month window and the allowed status changes."""

from datetime import date

import pytest
from assessment.domain import workflow
from assessment.domain.workflow import NotAllowedNow, RequestRefused


@pytest.mark.parametrize(
    ("decided", "deadline"),
    [
        (date(2025, 6, 2), date(2025, 7, 2)),
        (date(2025, 1, 31), date(2025, 2, 28)),
        (date(2024, 1, 31), date(2024, 2, 29)),
        (date(2025, 12, 15), date(2026, 1, 15)),
        (date(2025, 8, 31), date(2025, 9, 30)),
    ],
)
def test_the_deadline_is_one_calendar_month_after_the_decision(decided, deadline) -> None:
    assert workflow.reconsideration_deadline(decided) == deadline


def test_asking_on_the_deadline_is_in_time_and_the_day_after_is_not() -> None:
    decided, deadline = date(2025, 1, 31), date(2025, 2, 28)
    workflow.check_reconsideration_request("new_claim", decided, deadline, deadline, deadline)
    with pytest.raises(RequestRefused) as late:
        workflow.check_reconsideration_request(
            "new_claim", decided, deadline, date(2025, 3, 1), date(2025, 3, 1)
        )
    assert late.value.field == "requested_on"


@pytest.mark.parametrize(
    ("action", "before", "after"),
    [
        ("decide", "open", "decided"),
        ("request_reconsideration", "decided", "under_reconsideration"),
        ("decide_reconsideration", "under_reconsideration", "decided"),
        ("change_circumstances", "decided", "decided"),
    ],
)
def test_allowed_case_moves(action, before, after) -> None:
    assert workflow.case_after(before, action) == after


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("decide", "decided"),
        ("record_assessment", "under_reconsideration"),
        ("request_reconsideration", "open"),
        ("decide_reconsideration", "decided"),
        ("change_circumstances", "under_reconsideration"),
    ],
)
def test_other_case_moves_conflict_naming_the_case(action, status) -> None:
    with pytest.raises(NotAllowedNow) as refused:
        workflow.case_after(status, action)
    assert refused.value.field == "case_id"


def test_a_superseded_decision_is_neither_reconsidered_nor_changed() -> None:
    for action in ("request_reconsideration", "decide_reconsideration", "change_circumstances"):
        with pytest.raises(NotAllowedNow) as refused:
            workflow.decision_after("superseded", action)
        assert refused.value.field == "decision_id"


def test_the_reviewer_must_not_have_made_or_assessed_the_decision() -> None:
    workflow.check_reviewer("rv-2", {"as-1", "dm-1"})
    for same in ("as-1", "dm-1"):
        with pytest.raises(RequestRefused) as refused:
            workflow.check_reviewer(same, {"as-1", "dm-1"})
        assert refused.value.field == "reviewer_id"
