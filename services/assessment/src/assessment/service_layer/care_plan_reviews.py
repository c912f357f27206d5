"""Care-plan reviews on the caseload, kept from care-plans' events. Each runs inside the
consumer's unit of work, which the kit commits with the event's inbox record (so an event
applied twice is applied once); the caseload reads them (queries.caseload)."""

from assessment.service_layer.commands import NoteCarePlanReviewDue, SettleCarePlanReview
from assessment.service_layer.ports import AssessmentUnitOfWork


async def note_review_due(cmd: NoteCarePlanReviewDue, uow: AssessmentUnitOfWork) -> None:
    review = await uow.care_plan_reviews.get(cmd.plan_id, cmd.person_id)
    review.due(cmd.version, cmd.due_on)
    await uow.care_plan_reviews.save(review)


async def settle_review(cmd: SettleCarePlanReview, uow: AssessmentUnitOfWork) -> None:
    review = await uow.care_plan_reviews.get(cmd.plan_id, cmd.person_id)
    if cmd.ended:
        review.end()
    else:
        review.settled(cmd.version)
    await uow.care_plan_reviews.save(review)
