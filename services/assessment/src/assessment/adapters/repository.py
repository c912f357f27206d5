"""Cases, assessments and decisions in PostgreSQL (and the unit of work that carries them)."""

from dataclasses import asdict

import asyncpg
from servicekit.uow import AsyncpgUnitOfWork

from assessment.service_layer.records import AssessmentRecord, Case, DecisionRecord, Person


class CaseRepository:
    def __init__(self, conn: asyncpg.Connection) -> None:
        self.conn = conn

    async def person_by_nino(self, nino: str) -> Person | None:
        row = await self.conn.fetchrow(
            "SELECT person_id, nino, full_name, date_of_birth, area_code FROM people"
            " WHERE nino = $1",
            nino,
        )
        return Person(**row) if row else None

    async def person(self, person_id: str) -> Person | None:
        row = await self.conn.fetchrow(
            "SELECT person_id, nino, full_name, date_of_birth, area_code FROM people"
            " WHERE person_id = $1",
            person_id,
        )
        return Person(**row) if row else None

    async def add_person(self, person: Person) -> None:
        await self.conn.execute(
            "INSERT INTO people (person_id, nino, full_name, date_of_birth, area_code)"
            " VALUES ($1, $2, $3, $4, $5)",
            *asdict(person).values(),
        )

    async def add_case(self, case: Case) -> None:
        await self.conn.execute(
            "INSERT INTO cases (case_id, person_id, status) VALUES ($1, $2, $3)",
            case.case_id,
            case.person_id,
            case.status,
        )

    async def case_for_update(self, case_id: str) -> Case | None:
        row = await self.conn.fetchrow(
            "SELECT case_id, person_id, status FROM cases WHERE case_id = $1 FOR UPDATE", case_id
        )
        return Case(**row) if row else None

    async def set_case_status(self, case_id: str, status: str) -> None:
        await self.conn.execute(
            "UPDATE cases SET status = $2, updated_at = now() WHERE case_id = $1", case_id, status
        )

    async def add_assessment(self, record: AssessmentRecord) -> None:
        await self.conn.execute(
            "INSERT INTO assessments (assessment_id, case_id, kind, assessor_id, facts,"
            " evidence_notes) VALUES ($1, $2, $3, $4, $5, $6)",
            record.assessment_id,
            record.case_id,
            record.kind,
            record.assessor_id,
            record.facts,
            record.evidence_notes,
        )

    async def assessment(self, assessment_id: str) -> AssessmentRecord | None:
        row = await self.conn.fetchrow(
            "SELECT assessment_id, case_id, kind, assessor_id, facts, evidence_notes,"
            " submitted_at IS NOT NULL AS submitted FROM assessments WHERE assessment_id = $1",
            assessment_id,
        )
        return AssessmentRecord(**row) if row else None

    async def mark_submitted(self, assessment_id: str) -> None:
        await self.conn.execute(
            "UPDATE assessments SET submitted_at = now() WHERE assessment_id = $1", assessment_id
        )

    async def latest_decision(self, case_id: str) -> DecisionRecord | None:
        row = await self.conn.fetchrow(
            f"SELECT {_DECISION_COLUMNS} FROM decisions WHERE case_id = $1"
            " ORDER BY version DESC LIMIT 1",
            case_id,
        )
        return DecisionRecord(**row) if row else None

    async def add_decision(self, record: DecisionRecord) -> None:
        values = asdict(record)
        await self.conn.execute(
            f"INSERT INTO decisions ({_DECISION_COLUMNS}) VALUES"
            f" ({', '.join(f'${i}' for i in range(1, len(values) + 1))})",
            *values.values(),
        )


_DECISION_COLUMNS = (
    "decision_id, case_id, person_id, version, assessment_id, rule_set_id, eligible,"
    " effective_date, review_date, reconsideration_deadline, body, superseded_by"
)


class AssessmentUnitOfWork(AsyncpgUnitOfWork):
    cases: CaseRepository

    async def __aenter__(self) -> "AssessmentUnitOfWork":
        await super().__aenter__()
        self.cases = CaseRepository(self.conn)
        return self
