"""Cases, assessments, decisions and reconsiderations in PostgreSQL, and their unit of work.

Handlers lock the case row first (`case_for_update`), then any decision or reconsideration row,
so every change to one case is serialised in the same order.
"""

from dataclasses import asdict, fields

import asyncpg
from servicekit.uow import AsyncpgUnitOfWork

from assessment.service_layer.records import (
    AssessmentRecord,
    Case,
    DecisionRecord,
    Person,
    Reconsideration,
)

_PERSON = "SELECT person_id, nino, full_name, date_of_birth, area_code FROM people"
_ASSESSMENT = (
    "SELECT assessment_id, case_id, kind, assessor_id, facts, evidence_notes,"
    " submitted_at IS NOT NULL AS submitted FROM assessments"
)
_DECISION_COLUMNS = ", ".join(f.name for f in fields(DecisionRecord))
_RECONSIDERATION_COLUMNS = ", ".join(f.name for f in fields(Reconsideration))


class CaseRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def person_by_nino(self, nino: str) -> Person | None:
        row = await self.conn.fetchrow(f"{_PERSON} WHERE nino = $1", nino)
        return Person(**row) if row else None

    async def person(self, person_id: str) -> Person | None:
        row = await self.conn.fetchrow(f"{_PERSON} WHERE person_id = $1", person_id)
        return Person(**row) if row else None

    async def add_person(self, person: Person) -> None:
        await self.conn.execute(
            "INSERT INTO people (person_id, nino, full_name, date_of_birth, area_code)"
            " VALUES ($1, $2, $3, $4, $5)", *asdict(person).values())

    async def add_case(self, case: Case) -> None:
        await self.conn.execute(
            "INSERT INTO cases (case_id, person_id, status) VALUES ($1, $2, $3)",
            case.case_id, case.person_id, case.status)

    async def case_for_update(self, case_id: str) -> Case | None:
        row = await self.conn.fetchrow(
            "SELECT case_id, person_id, status FROM cases WHERE case_id = $1 FOR UPDATE", case_id)
        return Case(**row) if row else None

    async def set_case_status(self, case_id: str, status: str) -> None:
        await self.conn.execute(
            "UPDATE cases SET status = $2, updated_at = now() WHERE case_id = $1", case_id, status)

    async def add_assessment(self, record: AssessmentRecord) -> None:
        await self.conn.execute(
            "INSERT INTO assessments (assessment_id, case_id, kind, assessor_id, facts,"
            " evidence_notes, submitted_at) VALUES ($1, $2, $3, $4, $5, $6,"
            " CASE WHEN $7 THEN now() END)", *asdict(record).values())

    async def assessment(self, assessment_id: str) -> AssessmentRecord | None:
        row = await self.conn.fetchrow(f"{_ASSESSMENT} WHERE assessment_id = $1", assessment_id)
        return AssessmentRecord(**row) if row else None

    async def mark_submitted(self, assessment_id: str) -> None:
        await self.conn.execute(
            "UPDATE assessments SET submitted_at = now() WHERE assessment_id = $1", assessment_id)

    async def decision(self, decision_id: str, for_update: bool = False) -> DecisionRecord | None:
        row = await self.conn.fetchrow(
            f"SELECT {_DECISION_COLUMNS} FROM decisions WHERE decision_id = $1"
            + (" FOR UPDATE" if for_update else ""), decision_id)
        return DecisionRecord(**row) if row else None

    async def latest_decision(self, case_id: str) -> DecisionRecord | None:
        row = await self.conn.fetchrow(
            f"SELECT {_DECISION_COLUMNS} FROM decisions WHERE case_id = $1"
            " ORDER BY version DESC LIMIT 1", case_id)
        return DecisionRecord(**row) if row else None

    async def current_decision(self, case_id: str) -> DecisionRecord | None:
        """The case's decision in force (not superseded), locked."""
        row = await self.conn.fetchrow(
            f"SELECT {_DECISION_COLUMNS} FROM decisions WHERE case_id = $1"
            " AND status <> 'superseded' FOR UPDATE", case_id)
        return DecisionRecord(**row) if row else None

    async def add_decision(self, record: DecisionRecord) -> None:
        values = asdict(record)
        placeholders = ", ".join(f"${i}" for i in range(1, len(values) + 1))
        await self.conn.execute(
            f"INSERT INTO decisions ({_DECISION_COLUMNS}) VALUES ({placeholders})",
            *values.values())

    async def set_decision_status(self, decision_id: str, status: str) -> None:
        await self.conn.execute(
            "UPDATE decisions SET status = $2 WHERE decision_id = $1", decision_id, status)

    async def supersede(self, old_decision_id: str, new: DecisionRecord) -> None:
        """Adds `new` and marks the old decision superseded by it (one live decision per case)."""
        await self.set_decision_status(old_decision_id, "superseded")
        await self.add_decision(new)
        await self.conn.execute("UPDATE decisions SET superseded_by = $2 WHERE decision_id = $1",
                                old_decision_id, new.decision_id)

    async def add_reconsideration(self, record: Reconsideration) -> None:
        values = asdict(record)
        placeholders = ", ".join(f"${i}" for i in range(1, len(values) + 1))
        await self.conn.execute(
            f"INSERT INTO reconsiderations ({_RECONSIDERATION_COLUMNS}) VALUES ({placeholders})",
            *values.values())

    async def reconsideration(self, reconsideration_id: str,
                              for_update: bool = False) -> Reconsideration | None:
        row = await self.conn.fetchrow(
            f"SELECT {_RECONSIDERATION_COLUMNS} FROM reconsiderations"
            " WHERE reconsideration_id = $1" + (" FOR UPDATE" if for_update else ""),
            reconsideration_id)
        return Reconsideration(**row) if row else None

    async def finish_reconsideration(self, record: Reconsideration) -> None:
        await self.conn.execute(
            "UPDATE reconsiderations SET status = $2, reviewer_id = $3, outcome = $4,"
            " new_decision_id = $5, decided_at = now() WHERE reconsideration_id = $1",
            record.reconsideration_id, record.status, record.reviewer_id, record.outcome,
            record.new_decision_id)


class AssessmentUnitOfWork(AsyncpgUnitOfWork):
    cases: CaseRepository

    async def __aenter__(self) -> "AssessmentUnitOfWork":
        await super().__aenter__()
        self.cases = CaseRepository(self.conn)
        return self
