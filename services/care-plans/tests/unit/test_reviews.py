from datetime import date, timedelta

from care_plans.domain import PlanStatus, next_review_on, overdue, reviews_due
from care_plans.domain.events import ReviewDue, ReviewOverdue
from wording import add_months

from .conftest import ON

FIRST_REVIEW = date(2025, 7, 28)  # 8 weeks after agreement on 2 June 2025


def test_the_first_review_is_eight_weeks_after_the_plan_is_agreed(agreed):
    plan = agreed()
    assert plan.current.next_review_on == ON + timedelta(weeks=8) == FIRST_REVIEW
    assert next_review_on(plan) == FIRST_REVIEW


def test_after_a_review_the_next_is_twelve_months_later(agreed):
    plan = agreed()
    plan.start_review(3, on=date(2025, 7, 21))
    assert plan.status is PlanStatus.UNDER_REVIEW
    reviewed = plan.complete_review(4, reviewer_id="assessor-7", on=date(2025, 7, 25))
    assert reviewed.status is PlanStatus.AGREED
    assert reviewed.next_review_on == date(2026, 7, 25)
    assert reviewed.agreement == plan.version(3).agreement


def test_twelve_months_from_29_february_is_28_february():
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)


def test_a_review_is_due_from_fourteen_days_before_its_date_until_the_date(agreed):
    plan = agreed()
    assert reviews_due([plan], FIRST_REVIEW - timedelta(days=15)) == []
    assert reviews_due([plan], FIRST_REVIEW - timedelta(days=14)) == [
        ReviewDue(plan.plan_id, 3, FIRST_REVIEW)
    ]
    assert len(reviews_due([plan], FIRST_REVIEW)) == 1
    assert reviews_due([plan], FIRST_REVIEW + timedelta(days=1)) == []


def test_a_review_past_its_date_is_overdue(agreed):
    plan = agreed()
    assert overdue([plan], FIRST_REVIEW) == []
    assert overdue([plan], FIRST_REVIEW + timedelta(days=1)) == [
        ReviewOverdue(plan.plan_id, 3, FIRST_REVIEW)
    ]


def test_each_notice_is_recorded_on_the_plan_once(agreed):
    plan = agreed()
    for day in range(3):
        reviews_due([plan], FIRST_REVIEW - timedelta(days=day))
        overdue([plan], FIRST_REVIEW + timedelta(days=day + 1))
    assert [type(e) for e in plan.events[-2:]] == [ReviewDue, ReviewOverdue]
    assert sum(isinstance(e, ReviewDue | ReviewOverdue) for e in plan.events) == 2


def test_plans_under_review_or_not_agreed_are_not_flagged(agreed, draft):
    reviewing = agreed()
    reviewing.start_review(3, on=FIRST_REVIEW)
    late = FIRST_REVIEW + timedelta(days=30)
    assert overdue([reviewing, draft()], late) == []
    assert reviews_due([reviewing, draft()], FIRST_REVIEW) == []


def test_a_pending_rebudget_does_not_stop_the_clock_on_the_plan_in_force(agreed):
    plan = agreed()
    plan.rebudget(90_000, "d-2", 1, on=date(2025, 7, 1))
    assert overdue([plan], FIRST_REVIEW + timedelta(days=1))[0].version == 3


def test_re_agreement_restarts_the_eight_week_review(agreed):
    plan = agreed()
    plan.rebudget(90_000, "d-2", 1, on=date(2025, 7, 1))
    plan.propose(4, on=date(2025, 7, 1))
    plan.agree(5, by="person", by_id="p", on=date(2025, 7, 2))
    assert next_review_on(plan) == date(2025, 8, 27)
    assert overdue([plan], FIRST_REVIEW + timedelta(days=1)) == []
