"""Read-only views for assessors and the portal (plain SQL; nothing here changes state)."""

from typing import Any

import asyncpg

PORTAL_DECISION_FIELDS = (
    "decision_id", "case_id", "person_id", "version", "rule_set_id", "eligible",
    "effective_date", "review_date", "reconsideration_deadline", "body",
)
DECISION_FIELDS = PORTAL_DECISION_FIELDS + (
    "kind", "status", "assessment_id", "decided_on", "decided_by", "supersedes", "superseded_by",
)


def decision_view(record: Any, keys: tuple[str, ...] = DECISION_FIELDS) -> dict[str, Any]:
    """From a DecisionRecord or a decisions row."""
    get = record.__getitem__ if hasattr(record, "keys") else lambda key: getattr(record, key)
    return {key: get(key) for key in keys}


async def current_decision_for_person(pool: asyncpg.Pool, person_id: str) -> dict | None:
    """The person's decision in force: not superseded (one under reconsideration still is)."""
    row = await pool.fetchrow(
        "SELECT * FROM decisions WHERE person_id = $1 AND status <> 'superseded'"
        " ORDER BY decided_on DESC, decided_at DESC LIMIT 1", person_id)
    return decision_view(row, PORTAL_DECISION_FIELDS) if row else None


async def case_detail(pool: asyncpg.Pool, case_id: str) -> dict | None:
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read"):
        case = await conn.fetchrow(
            "SELECT case_id, person_id, status, opened_at, updated_at FROM cases"
            " WHERE case_id = $1", case_id)
        if case is None:
            return None
        assessments = await conn.fetch(
            "SELECT assessment_id, kind, assessor_id, facts, evidence_notes, recorded_at,"
            " submitted_at FROM assessments WHERE case_id = $1 ORDER BY recorded_at, assessment_id",
            case_id)
        decisions = await conn.fetch(
            "SELECT * FROM decisions WHERE case_id = $1 ORDER BY version", case_id)
        reconsiderations = await conn.fetch(
            "SELECT reconsideration_id, decision_id, requested_on, reason, requested_by, status,"
            " reviewer_id, outcome, new_decision_id, requested_at, decided_at"
            " FROM reconsiderations WHERE case_id = $1 ORDER BY requested_at", case_id)
    return {
        "case": dict(case),
        "assessments": [dict(r) for r in assessments],
        "decisions": [decision_view(r) for r in decisions],
        "reconsiderations": [dict(r) for r in reconsiderations],
    }


async def cases_for_person(pool: asyncpg.Pool, person_id: str) -> list[dict]:
    rows = await pool.fetch(
        "SELECT c.case_id, c.person_id, c.status, c.opened_at, c.updated_at,"
        " d.decision_id AS current_decision_id, d.version AS current_decision_version"
        " FROM cases c LEFT JOIN decisions d ON d.case_id = c.case_id AND d.status <> 'superseded'"
        " WHERE c.person_id = $1 ORDER BY c.opened_at, c.case_id", person_id)
    return [dict(r) for r in rows]
