"""Care-plan reviews in PostgreSQL (migration 0009): one row per plan, locked while changed."""

import asyncpg

from assessment.domain.care_plan_reviews import CarePlanReview

_GET = """
SELECT plan_id, person_id, version, due_on, ended FROM care_plan_reviews
WHERE plan_id = $1 FOR UPDATE
"""
_SAVE = """
INSERT INTO care_plan_reviews (plan_id, person_id, version, due_on, ended)
VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (plan_id) DO UPDATE SET version = $3, due_on = $4, ended = $5
"""


class AsyncpgCarePlanReviews:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    async def get(self, plan_id: str, person_id: str) -> CarePlanReview:
        row = await self._conn.fetchrow(_GET, plan_id)
        return CarePlanReview(**row) if row else CarePlanReview(plan_id, person_id)

    async def save(self, review: CarePlanReview) -> None:
        await self._conn.execute(
            _SAVE, review.plan_id, review.person_id, review.version, review.due_on, review.ended
        )
