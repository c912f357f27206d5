"""The review sweep raises each ReviewDue / ReviewOverdue once, however often it runs."""

from datetime import date

from care_plans.entrypoints.views import review_sweep_view
from care_plans.service_layer.commands import RaiseReviewNotices
from care_plans.service_layer.reviews import raise_review_notices

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
