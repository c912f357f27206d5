"""The review sweep: raise ReviewDue / ReviewOverdue for agreed plans, each notice once; and
the review itself: an assessor starts it and completes it (ReviewCompleted, next review set).

Run by the background job (entrypoints/jobs.py) and by POST /ops/reviews/run. Plans are swept
in batches, each in its own transaction with the plan rows locked (SKIP LOCKED, so replicas
sweeping at once never raise a notice twice); a notice is recorded on the plan and written to
the outbox in that transaction.
"""

from collections.abc import Callable
from datetime import date

from care_plans.domain.events import ReviewDue, ReviewOverdue
from care_plans.domain.plan import Plan
from care_plans.domain.reviews import overdue, reviews_due
from care_plans.service_layer.commands import CompleteReview, RaiseReviewNotices, StartReview
from care_plans.service_layer.ports import CarePlansUnitOfWork

BATCH = 200


async def raise_review_notices(
    cmd: RaiseReviewNotices, make_uow: Callable[[], CarePlansUnitOfWork]
) -> list[ReviewDue | ReviewOverdue]:
    """The notices raised now, oldest plan first (none when swept again the same day)."""
    raised: list[ReviewDue | ReviewOverdue] = []
    while True:
        async with make_uow() as uow:
            plans = await uow.plans.due_for_review(cmd.on, BATCH)
            reviews_due(plans, cmd.on)
            overdue(plans, cmd.on)
            found = [e for p in plans for e in p.events if isinstance(e, ReviewDue | ReviewOverdue)]
            for plan in plans:
                await uow.plans.save(plan)
            await uow.commit()
        raised += found
        if not found:
            return raised


async def start_review(cmd: StartReview, uow: CarePlansUnitOfWork, today: date) -> Plan:
    async with uow:
        plan = await uow.plans.get(cmd.plan_id, lock=True)
        plan.start_review(cmd.seen_version, on=today)
        await uow.plans.save(plan)
        await uow.commit()
    return plan


async def complete_review(cmd: CompleteReview, uow: CarePlansUnitOfWork, today: date) -> Plan:
    async with uow:
        plan = await uow.plans.get(cmd.plan_id, lock=True)
        plan.complete_review(cmd.seen_version, reviewer_id=cmd.reviewer_id, on=today)
        await uow.plans.save(plan)
        await uow.commit()
    return plan
