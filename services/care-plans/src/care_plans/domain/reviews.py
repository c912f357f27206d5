"""Which agreed plans are due a review, and which are overdue.

A review is due from `notice_days` before its date up to and including the date, and overdue
after it. Plans under review are being reviewed, so are neither. Each finding is also recorded
once on the plan as a ReviewDue / ReviewOverdue event, so a daily sweep raises each notice once.
"""

from collections.abc import Iterable
from datetime import date

from care_plans.domain.events import ReviewDue, ReviewOverdue
from care_plans.domain.plan import Plan
from care_plans.domain.plan_version import PlanStatus
from care_plans.domain.review_schedule import notice_opens_on


def next_review_on(plan: Plan) -> date | None:
    """The date the agreed version in force must be reviewed by; None if not agreed."""
    live = plan.in_force
    if live is None or live.status is not PlanStatus.AGREED:
        return None
    return live.next_review_on


def reviews_due(plans: Iterable[Plan], today: date) -> list[ReviewDue]:
    found = []
    for plan in plans:
        due_on = next_review_on(plan)
        if due_on is not None and notice_opens_on(due_on, plan.review_policy) <= today <= due_on:
            event = ReviewDue(plan.plan_id, plan.in_force.number, due_on)
            found.append(event)
            if plan.note_review("due", due_on):
                plan.events.append(event)
    return found


def overdue(plans: Iterable[Plan], today: date) -> list[ReviewOverdue]:
    found = []
    for plan in plans:
        due_on = next_review_on(plan)
        if due_on is not None and due_on < today:
            event = ReviewOverdue(plan.plan_id, plan.in_force.number, due_on)
            found.append(event)
            if plan.note_review("overdue", due_on):
                plan.events.append(event)
    return found
