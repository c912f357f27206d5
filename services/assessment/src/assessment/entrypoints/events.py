"""Events from other services, as commands to the use cases: care-plans' review notices and
what settles them, for the caseload."""

from contracts.care_plans.v1 import (
    PlanAgreedV1,
    PlanSupersededV1,
    ReviewCompletedV1,
    ReviewDueV1,
    ReviewOverdueV1,
)

from assessment.entrypoints.dependencies import Dependencies
from assessment.service_layer import care_plan_reviews
from assessment.service_layer.commands import NoteCarePlanReviewDue, SettleCarePlanReview
from assessment.service_layer.ports import AssessmentUnitOfWork


async def on_review_due(
    event: ReviewDueV1 | ReviewOverdueV1, uow: AssessmentUnitOfWork, deps: Dependencies
) -> None:
    due = event.data
    cmd = NoteCarePlanReviewDue(due.plan_id, event.subject, due.version, due.due_on)
    await care_plan_reviews.note_review_due(cmd, uow)


async def on_review_settled(
    event: ReviewCompletedV1 | PlanAgreedV1, uow: AssessmentUnitOfWork, deps: Dependencies
) -> None:
    cmd = SettleCarePlanReview(event.data.plan_id, event.subject, event.data.version)
    await care_plan_reviews.settle_review(cmd, uow)


async def on_plan_superseded(
    event: PlanSupersededV1, uow: AssessmentUnitOfWork, deps: Dependencies
) -> None:
    if event.data.ended:
        cmd = SettleCarePlanReview(event.data.plan_id, event.subject, event.data.version, True)
        await care_plan_reviews.settle_review(cmd, uow)


HANDLERS = {
    ReviewDueV1: on_review_due,
    ReviewOverdueV1: on_review_due,
    ReviewCompletedV1: on_review_settled,
    PlanAgreedV1: on_review_settled,
    PlanSupersededV1: on_plan_superseded,
}
