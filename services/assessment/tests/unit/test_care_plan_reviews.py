"""Care-plan reviews on the caseload: due from care-plans' notice, settled by the review being
completed, a newer agreed version or the plan ending; stale notices change nothing."""

from dataclasses import replace
from datetime import date, timedelta

from assessment.domain import Person
from assessment.domain.care_plan_reviews import CarePlanReview
from assessment.domain.caseload import CaseloadEntry, CaseloadQuery, WorkItem, work_of
from assessment.entrypoints.events import HANDLERS
from assessment.service_layer import caseload as assignment
from assessment.service_layer import queries
from assessment.service_layer.commands import AssignCase
from contracts.care_plans import v1
from servicekit.events import new_event

from .fakes import FakeAssessmentUnitOfWork
from .scenarios import decided_case

TODAY = date(2025, 6, 2)
DUE = TODAY + timedelta(days=10)


def test_a_notice_makes_a_review_due_and_the_completed_review_settles_it() -> None:
    review = CarePlanReview("PL1", "P1", version=2)
    review.due(2, DUE)
    assert review.due_on == DUE
    review.settled(3)
    assert (review.version, review.due_on) == (3, None)
    review.due(2, DUE)  # a stale notice (a replay, or raised before version 3 was agreed)
    assert review.due_on is None
    review.due(3, DUE + timedelta(days=365))  # a year on: version 3's own review
    assert review.due_on == DUE + timedelta(days=365)


def test_an_ended_plan_is_never_due_again_and_an_older_agreement_settles_nothing() -> None:
    review = CarePlanReview("PL1", "P1", version=4, due_on=DUE)
    review.settled(3)
    assert review.due_on == DUE
    review.end()
    review.due(5, DUE)
    assert (review.ended, review.due_on) == (True, None)


def _event(cls, person_id: str, data):
    return new_event(cls, source=v1.SOURCE, subject=person_id, data=data)


async def _apply(uow: FakeAssessmentUnitOfWork, event) -> None:
    async with uow:
        await HANDLERS[type(event)](event, uow, None)
        await uow.commit()


async def _my_decided_case(uow: FakeAssessmentUnitOfWork) -> str:
    """A case decided today (its own review a year off), taken by as-1; the person's id."""
    decision = await decided_case(uow, TODAY)
    case = uow.cases.cases[decision.case_id]
    await assignment.assign_case(AssignCase(case.case_id, "as-1", "as-1", case.version), uow, TODAY)
    return case.person_id


async def _work(uow: FakeAssessmentUnitOfWork, assessor: str = "as-1"):
    found = await queries.caseload(CaseloadQuery(assigned_to=assessor), uow, TODAY)
    return [(line.work.kind, line.work.due_on, line.work.overdue) for line in found.lines]


async def test_review_events_put_the_review_on_the_caseload_overdue_first_until_it_is_done() -> (
    None
):
    uow = FakeAssessmentUnitOfWork()
    person = await _my_decided_case(uow)
    assert [w[0] for w in await _work(uow)] == ["none"]

    await _apply(
        uow, _event(v1.ReviewDueV1, person, v1.ReviewDue(plan_id="PL1", due_on=DUE, version=1))
    )
    assert await _work(uow) == [("care_plan_review", DUE, False)]

    late = TODAY - timedelta(days=1)
    await _apply(
        uow, _event(v1.ReviewOverdueV1, person, v1.ReviewDue(plan_id="PL1", due_on=late, version=1))
    )
    assert await _work(uow) == [("care_plan_review", late, True)]

    done = v1.ReviewCompleted(
        plan_id="PL1",
        version=3,
        reviewed_by_id="as-1",
        completed_on=TODAY,
        next_review_on=TODAY + timedelta(days=365),
    )
    await _apply(uow, _event(v1.ReviewCompletedV1, person, done))
    assert [w[0] for w in await _work(uow)] == ["none"]


async def test_a_changed_plan_agreed_or_the_plan_ending_clears_the_review() -> None:
    uow = FakeAssessmentUnitOfWork()
    person = await _my_decided_case(uow)
    notice = v1.ReviewDue(plan_id="PL1", due_on=DUE, version=1)
    await _apply(uow, _event(v1.ReviewDueV1, person, notice))
    agreed = v1.PlanAgreed(
        plan_id="PL1",
        version=2,
        agreed_by="person",
        agreed_by_id="P1",
        first_review_due=TODAY + timedelta(days=365),
    )
    await _apply(uow, _event(v1.PlanAgreedV1, person, agreed))
    assert [w[0] for w in await _work(uow)] == ["none"]

    await _apply(uow, _event(v1.ReviewDueV1, person, notice.model_copy(update={"version": 2})))
    assert [w[0] for w in await _work(uow)] == ["care_plan_review"]
    ended = v1.PlanSuperseded(
        plan_id="PL1", version=2, superseded_by_version=3, reason="not eligible", ended=True
    )
    await _apply(uow, _event(v1.PlanSupersededV1, person, ended))
    assert [w[0] for w in await _work(uow)] == ["none"]
    assert uow.care_plan_reviews.reviews["PL1"].ended


def test_the_earlier_of_the_care_plan_and_decision_reviews_is_the_work() -> None:
    person = Person("P1", "JT123456C", "Ada", date(1955, 12, 10), "E09000033")
    entry = CaseloadEntry("C1", person, "decided", 1, None, date(2024, 1, 1))
    plan_first = replace(entry, review_date=DUE, care_plan_review_on=TODAY - timedelta(days=3))
    assert work_of(plan_first, TODAY) == WorkItem(
        "care_plan_review", TODAY - timedelta(3), True, False
    )
    decision_first = replace(plan_first, review_date=TODAY)
    assert work_of(decision_first, TODAY).kind == "care_plan_review"
    later = replace(entry, review_date=TODAY + timedelta(days=2), care_plan_review_on=DUE)
    assert work_of(later, TODAY) == WorkItem("review", TODAY + timedelta(days=2), False, True)
