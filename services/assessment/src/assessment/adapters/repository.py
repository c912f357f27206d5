"""People and cases in PostgreSQL, and the unit of work that holds them.

A case is read whole (its person, assessments, decision versions and reconsiderations) in one
statement, so it is one consistent snapshot; with `lock` the case row is locked first, so every
change to one case is serialised and each sees the one before. `save` writes only the rows that
changed since the case was read.
"""

from dataclasses import astuple, dataclass, fields
from typing import Any

import asyncpg
from pydantic import TypeAdapter
from servicekit.crypto import Sealer
from servicekit.uow import AsyncpgUnitOfWork

from assessment.adapters.outbound import outbound
from assessment.adapters.sealed import NINO
from assessment.domain import (
    AssessmentRecord,
    Case,
    DecisionRecord,
    NotFound,
    Person,
    Reconsideration,
    ReportedChange,
)

_DECISION_COLUMNS = ", ".join(f.name for f in fields(DecisionRecord))
_RECONSIDERATION_COLUMNS = ", ".join(f.name for f in fields(Reconsideration))
_CHANGE_COLUMNS = ", ".join(f.name for f in fields(ReportedChange))
_CASES = """
SELECT c.case_id, c.status, to_jsonb(p) AS person,
  (SELECT coalesce(jsonb_agg(to_jsonb(a) || jsonb_build_object('submitted', a.submitted_at IS NOT
     NULL) ORDER BY a.recorded_at, a.assessment_id), '[]') FROM assessments a
   WHERE a.case_id = c.case_id) AS assessments,
  (SELECT coalesce(jsonb_agg(to_jsonb(d) ORDER BY d.version), '[]') FROM decisions d
   WHERE d.case_id = c.case_id) AS decisions,
  (SELECT coalesce(jsonb_agg(to_jsonb(r) ORDER BY r.requested_at, r.reconsideration_id), '[]')
   FROM reconsiderations r WHERE r.case_id = c.case_id) AS reconsiderations,
  (SELECT coalesce(jsonb_agg(to_jsonb(x) ORDER BY x.reported_at, x.change_id), '[]')
   FROM reported_changes x WHERE x.case_id = c.case_id) AS reported_changes
FROM cases c JOIN people p USING (person_id)
"""
_ROWS = TypeAdapter(
    tuple[
        Person,
        list[AssessmentRecord],
        list[DecisionRecord],
        list[Reconsideration],
        list[ReportedChange],
    ]
)
_WORK = TypeAdapter(tuple[list[Reconsideration], list[ReportedChange]])


@dataclass(frozen=True)
class _Seen:
    """A case's rows as last read or written, to write only what changed."""

    status: str
    assessments: dict[str, AssessmentRecord]
    decisions: dict[str, DecisionRecord]
    reconsiderations: dict[str, Reconsideration]
    reported_changes: frozenset[str]

    @classmethod
    def of(cls, case: Case) -> "_Seen":
        return cls(
            case.status,
            {a.assessment_id: a for a in case.assessments},
            {d.decision_id: d for d in case.decisions},
            {r.reconsideration_id: r for r in case.reconsiderations},
            frozenset(x.change_id for x in case.reported_changes),
        )


class AsyncpgPeopleRepository:
    """The NINO is stored sealed and found by its keyed hash (adapters/sealed.py)."""

    def __init__(self, conn: asyncpg.Connection, sealer: Sealer) -> None:
        self._conn, self._sealer = conn, sealer

    async def by_nino(self, nino: str) -> Person | None:
        row = await self._conn.fetchrow(
            "SELECT person_id, nino, full_name, date_of_birth, area_code FROM people"
            " WHERE nino_hash = $1",
            self._sealer.digest(NINO, nino),
        )
        return Person(**opened(self._sealer, dict(row))) if row else None

    async def add(self, person: Person) -> None:
        await self._conn.execute(
            "INSERT INTO people (person_id, nino, full_name, date_of_birth, area_code, nino_hash)"
            " VALUES ($1, $2, $3, $4, $5, $6)",
            person.person_id,
            self._sealer.seal(NINO, person.person_id, person.nino),
            person.full_name,
            person.date_of_birth,
            person.area_code,
            self._sealer.digest(NINO, person.nino),
        )


def opened(sealer: Sealer, person: dict[str, Any]) -> dict[str, Any]:
    """A people row with its NINO opened (and its lookup hash dropped)."""
    person.pop("nino_hash", None)
    return {**person, "nino": sealer.open(NINO, person["person_id"], person["nino"])}


class AsyncpgCaseRepository:
    def __init__(self, conn: asyncpg.Connection, uow: AsyncpgUnitOfWork, sealer: Sealer) -> None:
        self._conn, self._uow, self._sealer = conn, uow, sealer
        self._seen: dict[str, _Seen] = {}

    async def get(self, case_id: str, *, lock: bool = False) -> Case:
        if lock:
            await self._conn.execute("SELECT FROM cases WHERE case_id = $1 FOR UPDATE", case_id)
        found = await self._read("WHERE c.case_id = $1", case_id)
        if not found:
            raise NotFound("case_id", "no such case")
        return found[0]

    async def of_decision(self, decision_id: str, *, lock: bool = False) -> Case:
        case_id = await self._conn.fetchval(
            "SELECT case_id FROM decisions WHERE decision_id = $1", decision_id
        )
        if case_id is None:
            raise NotFound("decision_id", "no such decision")
        return await self.get(case_id, lock=lock)

    async def of_reconsideration(self, reconsideration_id: str, *, lock: bool = False) -> Case:
        case_id = await self._conn.fetchval(
            "SELECT case_id FROM reconsiderations WHERE reconsideration_id = $1",
            reconsideration_id,
        )
        if case_id is None:
            raise NotFound("reconsideration_id", "no such reconsideration")
        return await self.get(case_id, lock=lock)

    async def of_person(self, person_id: str) -> list[Case]:
        return await self._read("WHERE c.person_id = $1 ORDER BY c.opened_at, c.case_id", person_id)

    async def decision_in_force_for(self, person_id: str) -> DecisionRecord | None:
        row = await self._conn.fetchrow(
            f"SELECT {_DECISION_COLUMNS} FROM decisions"  # noqa: S608 (columns from the records' fields; values are parameters)
            " WHERE person_id = $1 AND status <> 'superseded'"
            " ORDER BY decided_on DESC, decided_at DESC LIMIT 1",
            person_id,
        )
        return DecisionRecord(**row) if row else None

    async def add(self, case: Case) -> None:
        await self._conn.execute(
            "INSERT INTO cases (case_id, person_id, status) VALUES ($1, $2, $3)",
            case.case_id,
            case.person_id,
            case.status,
        )
        self._seen[case.case_id] = _Seen(case.status, {}, {}, {}, frozenset())
        await self.save(case)

    async def save(self, case: Case) -> None:
        self._uow.track(case)
        seen = self._seen[case.case_id]
        if case.status != seen.status:
            await self._conn.execute(
                "UPDATE cases SET status = $2, updated_at = now() WHERE case_id = $1",
                case.case_id,
                case.status,
            )
        await self._save_assessments(case.assessments, seen.assessments)
        await self._save_decisions(case.decisions, seen.decisions)
        await self._save_reconsiderations(case.reconsiderations, seen.reconsiderations)
        for x in case.reported_changes:
            if x.change_id not in seen.reported_changes:
                await self._conn.execute(
                    f"INSERT INTO reported_changes ({_CHANGE_COLUMNS}) VALUES ({_placeholders(x)})",  # noqa: S608 (columns from the record's fields; values are parameters)
                    *astuple(x),
                )
        self._seen[case.case_id] = _Seen.of(case)

    async def open_work(self) -> tuple[list[Reconsideration], list[ReportedChange]]:
        row = await self._conn.fetchrow(
            "SELECT (SELECT coalesce(jsonb_agg(to_jsonb(r) ORDER BY r.requested_at,"
            " r.reconsideration_id), '[]') FROM reconsiderations r WHERE r.status = 'requested')"
            " AS reconsiderations, (SELECT coalesce(jsonb_agg(to_jsonb(x) ORDER BY x.reported_at,"
            " x.change_id), '[]') FROM reported_changes x WHERE x.status = 'reported') AS changes"
        )
        return _WORK.validate_python((row["reconsiderations"], row["changes"]))

    async def _read(self, where: str, *args: Any) -> list[Case]:
        cases = []
        for row in await self._conn.fetch(f"{_CASES} {where}", *args):
            person, assessments, decisions, reconsiderations, changes = _ROWS.validate_python(
                (
                    opened(self._sealer, row["person"]),
                    row["assessments"],
                    row["decisions"],
                    row["reconsiderations"],
                    row["reported_changes"],
                )
            )
            case = Case(
                row["case_id"],
                person,
                row["status"],
                assessments,
                decisions,
                reconsiderations,
                changes,
            )
            self._seen[case.case_id] = _Seen.of(case)
            self._uow.track(case)
            cases.append(case)
        return cases

    async def _save_assessments(
        self, assessments: list[AssessmentRecord], seen: dict[str, AssessmentRecord]
    ) -> None:
        for a in assessments:
            if a.assessment_id not in seen:
                await self._conn.execute(
                    "INSERT INTO assessments (assessment_id, case_id, kind, assessor_id, facts,"
                    " evidence_notes, submitted_at) VALUES ($1, $2, $3, $4, $5, $6,"
                    " CASE WHEN $7 THEN now() END)",
                    *astuple(a),
                )
            elif a.submitted and not seen[a.assessment_id].submitted:
                await self._conn.execute(
                    "UPDATE assessments SET submitted_at = now() WHERE assessment_id = $1",
                    a.assessment_id,
                )

    async def _save_decisions(
        self, decisions: list[DecisionRecord], seen: dict[str, DecisionRecord]
    ) -> None:
        """Changed versions first: the one superseded stops being live before its successor is
        added (one live decision per case); its `superseded_by` is checked at commit."""
        for d in decisions:
            if d.decision_id in seen and d != seen[d.decision_id]:
                await self._conn.execute(
                    "UPDATE decisions SET status = $2, superseded_by = $3 WHERE decision_id = $1",
                    d.decision_id,
                    d.status,
                    d.superseded_by,
                )
        for d in decisions:
            if d.decision_id not in seen:
                await self._conn.execute(
                    f"INSERT INTO decisions ({_DECISION_COLUMNS}) VALUES ({_placeholders(d)})",  # noqa: S608 (columns from the records' fields; values are parameters)
                    *astuple(d),
                )

    async def _save_reconsiderations(
        self, reconsiderations: list[Reconsideration], seen: dict[str, Reconsideration]
    ) -> None:
        for r in reconsiderations:
            if r.reconsideration_id not in seen:
                await self._conn.execute(
                    f"INSERT INTO reconsiderations ({_RECONSIDERATION_COLUMNS})"  # noqa: S608 (columns from the records' fields; values are parameters)
                    f" VALUES ({_placeholders(r)})",
                    *astuple(r),
                )
            elif r != seen[r.reconsideration_id]:
                await self._conn.execute(
                    "UPDATE reconsiderations SET status = $2, reviewer_id = $3, outcome = $4,"
                    " new_decision_id = $5, decided_at = now() WHERE reconsideration_id = $1",
                    r.reconsideration_id,
                    r.status,
                    r.reviewer_id,
                    r.outcome,
                    r.new_decision_id,
                )


def _placeholders(record: Any) -> str:
    return ", ".join(f"${i}" for i in range(1, len(fields(record)) + 1))


class AsyncpgAssessmentUnitOfWork(AsyncpgUnitOfWork):
    outbound = staticmethod(outbound)
    people: AsyncpgPeopleRepository
    cases: AsyncpgCaseRepository

    def __init__(self, pool: asyncpg.Pool, sealer: Sealer) -> None:
        super().__init__(pool)
        self.sealer = sealer

    async def __aenter__(self) -> "AsyncpgAssessmentUnitOfWork":
        await super().__aenter__()
        self.people = AsyncpgPeopleRepository(self.conn, self.sealer)
        self.cases = AsyncpgCaseRepository(self.conn, self, self.sealer)
        return self
