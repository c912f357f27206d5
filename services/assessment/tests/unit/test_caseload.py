"""The caseload's work items: what is most pressing on a case, when it is due, and the queue."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from assessment.domain import CaseChanged, Person
from assessment.domain.caseload import (
    CaseloadEntry,
    CaseloadQuery,
    WorkItem,
    caseload,
    work_of,
)
from assessment.service_layer import caseload as assignment
from assessment.service_layer import queries
from assessment.service_layer.commands import AssignCase

from .fakes import FakeAssessmentUnitOfWork
from .scenarios import decided_case

TODAY = date(2025, 6, 2)
ADA = Person("P1", "JT123456C", "Ada", date(1955, 12, 10), "E09000033")
OPEN = CaseloadEntry("C1", ADA, "open", 1, None, TODAY - timedelta(days=10))


@pytest.mark.parametrize(
    ("entry", "work"),
    [
        (OPEN, WorkItem("new_claim", date(2025, 6, 20), False, False)),
        (
            replace(OPEN, opened_on=date(2025, 5, 1)),
            WorkItem("new_claim", date(2025, 5, 29), True, False),
        ),
        (
            replace(OPEN, opened_on=date(2025, 5, 8)),
            WorkItem("new_claim", date(2025, 6, 5), False, True),
        ),
        (
            replace(
                OPEN,
                status="under_reconsideration",
                reconsideration_requested_on=date(2025, 5, 1),
                reconsideration_reason="I cannot cook",
            ),
            WorkItem("reconsideration", date(2025, 5, 29), True, False, "I cannot cook"),
        ),
        (
            replace(OPEN, status="decided", review_date=date(2025, 6, 25)),
            WorkItem("review", date(2025, 6, 25), False, False),
        ),
        (
            replace(OPEN, status="decided", review_date=date(2026, 6, 2)),
            WorkItem("none", None, False, False),
        ),
        (
            replace(
                OPEN, status="decided", change_reported_on=date(2025, 6, 1), change_reported="Moved"
            ),
            WorkItem("change", date(2025, 6, 29), False, False, "Moved"),
        ),
    ],
    ids=["new", "new-overdue", "new-due-soon", "reconsideration", "review", "nothing", "change"],
)
def test_the_work_on_a_case_and_when_it_is_due(entry, work) -> None:
    assert work_of(entry, TODAY) == work


def test_a_reconsideration_comes_before_a_review_on_the_same_case() -> None:
    both = replace(
        OPEN,
        status="under_reconsideration",
        reconsideration_requested_on=TODAY,
        review_date=TODAY,
    )
    assert work_of(both, TODAY).kind == "reconsideration"


def test_the_queue_shows_work_only_overdue_first_and_counts_every_status() -> None:
    decided = replace(OPEN, case_id="C2", status="decided", review_date=date(2027, 1, 1))
    late = replace(OPEN, case_id="C3", opened_on=date(2025, 4, 1))
    found = caseload([OPEN, decided, late], CaseloadQuery(unassigned=True), TODAY)
    assert [line.entry.case_id for line in found.lines] == ["C3", "C1"]
    assert found.counts_by_status == {"open": 2, "decided": 0, "under_reconsideration": 0}
    mine = caseload([OPEN, decided, late], CaseloadQuery(assigned_to="as-1"), TODAY)
    assert mine.counts_by_status["decided"] == 1 and len(mine.lines) == 3


def test_filters_by_status_kind_and_due() -> None:
    late = replace(OPEN, case_id="C3", opened_on=date(2025, 4, 1))
    asked = replace(
        OPEN, case_id="C4", status="under_reconsideration", reconsideration_requested_on=TODAY
    )
    entries = [OPEN, late, asked]

    def ids(**query) -> list[str]:
        return [
            line.entry.case_id for line in caseload(entries, CaseloadQuery(**query), TODAY).lines
        ]

    assert ids(status="under_reconsideration") == ["C4"]
    assert ids(kind="new_claim") == ["C3", "C1"]
    assert ids(due="overdue") == ["C3"]
    assert ids(due="due_soon") == []
    counted = caseload(entries, CaseloadQuery(status="open"), TODAY).counts_by_status
    assert counted == {"open": 2, "decided": 0, "under_reconsideration": 1}


async def test_taking_a_case_is_kept_with_who_and_when_and_counts_a_version() -> None:
    uow = FakeAssessmentUnitOfWork()
    decided = await decided_case(uow, TODAY)
    before = uow.cases.cases[decided.case_id].version
    taken = await assignment.assign_case(
        AssignCase(decided.case_id, "as-2", "as-2", before), uow, TODAY
    )
    assert (taken.assigned_to, taken.version) == ("as-2", before + 1)
    given = await assignment.assign_case(
        AssignCase(decided.case_id, "as-3", "as-2", taken.version), uow, TODAY
    )
    assert [(a.assigned_to, a.assigned_by) for a in given.assignments] == [
        ("as-2", "as-2"),
        ("as-3", "as-2"),
    ]
    mine = await queries.caseload(CaseloadQuery(assigned_to="as-3"), uow, TODAY)
    assert [line.entry.case_id for line in mine.lines] == [decided.case_id]


async def test_assigning_on_a_stale_version_is_refused_and_changes_nothing() -> None:
    uow = FakeAssessmentUnitOfWork()
    decided = await decided_case(uow, TODAY)
    case = uow.cases.cases[decided.case_id]
    with pytest.raises(CaseChanged) as refused:
        await assignment.assign_case(
            AssignCase(decided.case_id, "as-2", "as-2", case.version - 1), uow, TODAY
        )
    assert refused.value.field == "version" and "it is now version" in refused.value.message
    assert uow.cases.cases[decided.case_id].assignments == []
