"""When a plan is next reviewed. Care Act 2014 s.27(1)(a): keep plans under review generally;
statutory guidance para 13.32: a light-touch review 6-8 weeks after the plan is agreed, then a
review no later than every 12 months. The numbers come from the catalogue's review_policy."""

from datetime import date, timedelta

from wording import add_months

from care_plans.domain.catalogue import ReviewPolicy


def first_review_on(starts_on: date, policy: ReviewPolicy) -> date:
    return starts_on + timedelta(weeks=policy.first_review_after_weeks)


def next_review_after(reviewed_on: date, policy: ReviewPolicy) -> date:
    return add_months(reviewed_on, policy.interval_months)


def notice_opens_on(due_on: date, policy: ReviewPolicy) -> date:
    return due_on - timedelta(days=policy.notice_days)
