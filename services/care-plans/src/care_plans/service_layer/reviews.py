"""The review sweep: raise ReviewDue / ReviewOverdue for agreed plans, each notice once.

Run by the background job every `review_interval_seconds` and by POST /ops/reviews/run. Plans
are swept in batches, each in its own transaction with the plan rows locked (SKIP LOCKED, so
replicas running the job at once never raise a notice twice); the notice is recorded with the
plan and written to the outbox in that transaction.
"""

from collections.abc import Callable
from datetime import date

from care_plans.domain.events import ReviewDue, ReviewOverdue
from care_plans.domain.reviews import overdue, reviews_due
from care_plans.service_layer.plans import store


async def run_reviews(make_uow: Callable[[], object], today: date, batch: int = 200) -> dict:
    raised = {"due": [], "overdue": []}
    while True:
        async with make_uow() as uow:
            plans = await uow.plans.due_for_review(today, batch)
            reviews_due(plans, today)
            overdue(plans, today)
            found = 0
            for plan in plans:
                for event in plan.events:
                    kind = {ReviewDue: "due", ReviewOverdue: "overdue"}.get(type(event))
                    if kind:
                        raised[kind].append({"plan_id": plan.plan_id, "due_on": event.due_on})
                        found += 1
                await store(uow, plan)
            await uow.commit()
        if not plans or not found:
            return raised
