"""The review sweep raises each ReviewDue / ReviewOverdue once, however often it runs."""

from datetime import date

from care_plans.domain import PlanStatus
from care_plans.entrypoints.views import review_sweep_view
from care_plans.service_layer.commands import CompleteReview, RaiseReviewNotices, StartReview
from care_plans.service_layer.reviews import complete_review, raise_review_notices, start_review

from .test_decision_handler import PLAN, agreed_plan

FIRST_REVIEW = date(2025, 7, 28)  # 8 weeks after agreement on 2 June 2025; due from 14 July


async def test_each_notice_is_raised_once(catalogue):
    uow = await agreed_plan(catalogue)

    async def sweep(on: date) -> dict:
        raised = await raise_review_notices(RaiseReviewNotices(on), lambda: uow)
        return review_sweep_view(raised).model_dump()

    assert await sweep(date(2025, 7, 13)) == {"due": [], "overdue": []}
    assert await sweep(date(2025, 7, 14)) == {
        "due": [{"plan_id": PLAN, "due_on": FIRST_REVIEW}],
        "overdue": [],
    }
    assert await sweep(date(2025, 7, 20)) == {"due": [], "overdue": []}
    late = await sweep(date(2025, 7, 29))
    assert late["overdue"] == [{"plan_id": PLAN, "due_on": FIRST_REVIEW}]
    assert await sweep(date(2025, 8, 30)) == {"due": [], "overdue": []}
    assert uow.published_types() == ["review_due", "review_overdue"]
    due, late = (e.data for e in uow.published)
    assert (due.plan_id, due.due_on, due.version) == (PLAN, FIRST_REVIEW, 3)
    assert uow.published[1].subject == "person-1" and late.due_on == FIRST_REVIEW
    assert uow.plans.committed[PLAN].review_notices == {
        ("due", FIRST_REVIEW),
        ("overdue", FIRST_REVIEW),
    }


async def test_an_assessor_starts_and_completes_a_review_and_its_completion_is_published(
    catalogue,
):
    uow = await agreed_plan(catalogue)
    uow.published.clear()
    started = await start_review(StartReview(PLAN, 3), uow, date(2025, 7, 21))
    assert started.status is PlanStatus.UNDER_REVIEW and uow.published_types() == []
    done = await complete_review(CompleteReview(PLAN, 4, "assessor-7"), uow, date(2025, 7, 25))
    assert done.status is PlanStatus.AGREED
    assert uow.published_types() == ["review_completed"]
    completed = uow.published[0]
    assert completed.subject == "person-1"
    assert (completed.data.version, completed.data.reviewed_by_id) == (5, "assessor-7")
    assert completed.data.next_review_on == date(2026, 7, 25)
