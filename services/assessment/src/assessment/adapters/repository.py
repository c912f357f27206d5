"""People and cases in PostgreSQL, and the unit of work that holds them.

A case is read whole (its person, assessments, decision versions and reconsiderations) in one
statement, so it is one consistent snapshot; with `lock` the case row is locked first, so every
change to one case is serialised and each sees the one before. `save` writes only the rows that
changed since the case was read.
"""

from dataclasses import astuple, dataclass, field, fields
from datetime import date
from typing import Any

import asyncpg
from pydantic import TypeAdapter
from servicekit.crypto import Sealer
from servicekit.uow import AsyncpgUnitOfWork

from assessment.adapters.areas_sql import area_decisions
from assessment.adapters.care_plan_reviews_sql import AsyncpgCarePlanReviews
from assessment.adapters.caseload_sql import caseload_entries
from assessment.adapters.outbound import outbound
from assessment.adapters.sealed import NINO, opened
from assessment.adapters.uprated import AsyncpgUpratedAwards
from assessment.domain import (
    AssessmentRecord,
    Case,
    CaseChanged,
    DecisionRecord,
    NotFound,
    Person,
    Reconsideration,
    ReportedChange,
)
from assessment.domain.areas import AreaDecisions
from assessment.domain.caseload import CaseloadEntry, CaseloadQuery
from assessment.domain.draft import Draft
from assessment.domain.records import Assignment

_DECISION_COLUMNS = ", ".join(f.name for f in fields(DecisionRecord))
_INSERT_DECISION = (
    f"INSERT INTO decisions ({_DECISION_COLUMNS})"  # noqa: S608 (columns from the records' fields; values are parameters)
    f" VALUES ({', '.join(f'${i}' for i in range(1, len(fields(DecisionRecord)) + 1))})"
)
_RECONSIDERATION_COLUMNS = ", ".join(f.name for f in fields(Reconsideration))
_ASSESSMENT_COLUMNS = ", ".join(f.name for f in fields(AssessmentRecord)).replace(
    "submitted,", "submitted_at,"
)
_DRAFT_COLUMNS = ", ".join(f.name for f in fields(Draft))
_CHANGE_COLUMNS = ", ".join(f.name for f in fields(ReportedChange))
_CASES = """
SELECT c.case_id, c.status, c.version, c.opened_on, c.claimed_on, c.assigned_to,
  to_jsonb(p) AS person,
  (SELECT coalesce(jsonb_agg(jsonb_build_object('assigned_to', s.assigned_to, 'assigned_by',
     s.assigned_by, 'on', s.assigned_on) ORDER BY s.seq), '[]') FROM case_assignments s
   WHERE s.case_id = c.case_id) AS assignments,
  (SELECT to_jsonb(x) FROM assessment_drafts x WHERE x.case_id = c.case_id) AS draft,
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
_TO_UPRATE = """
SELECT c.case_id FROM cases c
JOIN decisions d ON d.case_id = c.case_id AND d.status = 'current'
WHERE c.status = 'decided' AND c.case_id > $3 AND d.eligible
  AND d.rule_set_id <> $1 AND d.effective_date < $2
  AND NOT EXISTS (SELECT FROM uprated_awards u WHERE u.rule_set_id = $1 AND u.case_id = c.case_id)
ORDER BY c.case_id LIMIT $4
FOR UPDATE OF c SKIP LOCKED
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
_MORE = TypeAdapter(tuple[list[Assignment], Draft | None])


@dataclass(frozen=True)
class _Seen:
    """A case's rows as last read or written, to write only what changed."""

    status: str
    assessments: dict[str, AssessmentRecord]
    decisions: dict[str, DecisionRecord]
    reconsiderations: dict[str, Reconsideration]
    assigned_to: str | None = None
    assignments: int = 0
    draft: Draft | None = None
    reported_changes: dict[str, ReportedChange] = field(default_factory=dict)

    @classmethod
    def of(cls, case: Case) -> "_Seen":
        return cls(
            case.status,
            {a.assessment_id: a for a in case.assessments},
            {d.decision_id: d for d in case.decisions},
            {r.reconsideration_id: r for r in case.reconsiderations},
            case.assigned_to,
            len(case.assignments),
            case.draft,
            {x.change_id: x for x in case.reported_changes},
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


class AsyncpgCaseRepository:
    def __init__(self, conn: asyncpg.Connection, uow: AsyncpgUnitOfWork, sealer: Sealer) -> None:
        self._conn, self._uow, self._sealer = conn, uow, sealer
        self._seen: dict[str, _Seen] = {}
        self._versions: dict[str, int] = {}

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

    async def to_uprate(
        self, rule_set_id: str, effective_from: date, after_case_id: str, limit: int
    ) -> list[Case]:
        ids = await self._conn.fetch(_TO_UPRATE, rule_set_id, effective_from, after_case_id, limit)
        if not ids:
            return []
        return await self._read(
            "WHERE c.case_id = ANY($1::text[]) ORDER BY c.case_id", [r["case_id"] for r in ids]
        )

    async def caseload_entries(self, query: CaseloadQuery) -> list[CaseloadEntry]:
        return await caseload_entries(self._conn, self._sealer, query)

    async def area_decisions(self) -> list[AreaDecisions]:
        return await area_decisions(self._conn)

    async def add(self, case: Case) -> None:
        """A new case, at its first version, with whatever it holds already."""
        self._uow.track(case)
        case.opened_on = await self._conn.fetchval(
            "INSERT INTO cases (case_id, person_id, status, assigned_to, opened_on, claimed_on)"
            " VALUES ($1, $2, $3, $4, coalesce($5, current_date), $6) RETURNING opened_on",
            case.case_id,
            case.person_id,
            case.status,
            case.assigned_to,
            case.opened_on,
            case.claimed_on,
        )
        case.version = self._versions[case.case_id] = 1
        self._seen[case.case_id] = _Seen(case.status, {}, {}, {}, case.assigned_to)
        await self._write_changes([case])

    async def save_many(self, cases: list[Case]) -> None:
        """`save` for each case, in a few statements whatever their number (the uprating's
        batch): refused whole if another change got to any of them first."""
        changed = []
        for case in cases:
            self._uow.track(case)
            if _Seen.of(case) != self._seen[case.case_id]:
                changed.append(case)
        if not changed:
            return
        versions = [self._versions[case.case_id] + 1 for case in changed]
        updated = await self._conn.fetch(
            "UPDATE cases c SET status = v.status, assigned_to = v.assigned_to,"
            " version = v.version, updated_at = now()"
            " FROM unnest($1::text[], $2::text[], $3::text[], $4::int[])"
            " AS v(case_id, status, assigned_to, version)"
            " WHERE c.case_id = v.case_id AND c.version = v.version - 1 RETURNING c.case_id",
            [case.case_id for case in changed],
            [case.status for case in changed],
            [case.assigned_to for case in changed],
            versions,
        )
        if len(updated) != len(changed):
            raise CaseChanged("version", "the case was changed by someone else meanwhile")
        await self._write_changes(changed)
        for case, version in zip(changed, versions, strict=True):
            case.version = self._versions[case.case_id] = version

    async def save(self, case: Case) -> None:
        """Writes what changed since the case was read, and counts one more version if
        anything did (refused if another change got there first)."""
        await self.save_many([case])

    async def _write_changes(self, cases: list[Case]) -> None:
        """In the order the rows refer to each other: assessments, decisions (all the cases'
        in two statements), then what refers to a decision."""
        seen = [self._seen[case.case_id] for case in cases]
        for case, was in zip(cases, seen, strict=True):
            await self._save_assessments(case.assessments, was.assessments)
        await self._save_decisions(
            [(case.decisions, was.decisions) for case, was in zip(cases, seen, strict=True)]
        )
        for case, was in zip(cases, seen, strict=True):
            now = _Seen.of(case)
            await self._save_reconsiderations(case.reconsiderations, was.reconsiderations)
            await self._save_reported_changes(case.reported_changes, was.reported_changes)
            await self._save_assignments(case, was.assignments)
            if now.draft != was.draft:
                await self._save_draft(case.case_id, case.draft)
            self._seen[case.case_id] = now

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
            assignments, draft = _MORE.validate_python((row["assignments"], row["draft"]))
            case = Case(
                row["case_id"],
                person,
                row["status"],
                assessments,
                decisions,
                reconsiderations,
                changes,
                version=row["version"],
                opened_on=row["opened_on"],
                claimed_on=row["claimed_on"],
                assigned_to=row["assigned_to"],
                assignments=assignments,
                draft=draft,
            )
            self._seen[case.case_id] = _Seen.of(case)
            self._versions[case.case_id] = case.version
            self._uow.track(case)
            cases.append(case)
        return cases

    async def _save_assessments(
        self, assessments: list[AssessmentRecord], seen: dict[str, AssessmentRecord]
    ) -> None:
        for a in assessments:
            if a.assessment_id not in seen:
                await self._conn.execute(
                    f"INSERT INTO assessments ({_ASSESSMENT_COLUMNS}) VALUES ($1, $2, $3, $4,"  # noqa: S608 (columns from the record's fields)
                    " $5, $6, CASE WHEN $7 THEN now() END, $8, $9, $10)",
                    *astuple(a),
                )
            elif a.submitted and not seen[a.assessment_id].submitted:
                await self._conn.execute(
                    "UPDATE assessments SET submitted_at = now() WHERE assessment_id = $1",
                    a.assessment_id,
                )

    async def _save_decisions(
        self, cases: list[tuple[list[DecisionRecord], dict[str, DecisionRecord]]]
    ) -> None:
        """Changed versions first: the one superseded stops being live before its successor is
        added (one live decision per case); its `superseded_by` is checked at commit."""
        changed = [
            (d.decision_id, d.status, d.superseded_by)
            for decisions, seen in cases
            for d in decisions
            if d.decision_id in seen and d != seen[d.decision_id]
        ]
        added = [
            _shallow(d) for decisions, seen in cases for d in decisions if d.decision_id not in seen
        ]
        if changed:
            await self._conn.executemany(
                "UPDATE decisions SET status = $2, superseded_by = $3 WHERE decision_id = $1",
                changed,
            )
        if added:
            await self._conn.executemany(_INSERT_DECISION, added)

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
                    " new_decision_id = $5, reasons = $6, decided_at = now()"
                    " WHERE reconsideration_id = $1",
                    r.reconsideration_id,
                    r.status,
                    r.reviewer_id,
                    r.outcome,
                    r.new_decision_id,
                    r.reasons,
                )

    async def _save_reported_changes(
        self, changes: list[ReportedChange], seen: dict[str, ReportedChange]
    ) -> None:
        for x in changes:
            if x.change_id not in seen:
                await self._conn.execute(
                    f"INSERT INTO reported_changes ({_CHANGE_COLUMNS}) VALUES ({_placeholders(x)})",  # noqa: S608 (columns from the record's fields; values are parameters)
                    *astuple(x),
                )
            elif x != seen[x.change_id]:
                await self._conn.execute(
                    "UPDATE reported_changes SET status = $2, new_decision_id = $3"
                    " WHERE change_id = $1",
                    x.change_id,
                    x.status,
                    x.new_decision_id,
                )

    async def _save_assignments(self, case: Case, seen: int) -> None:
        for seq, a in enumerate(case.assignments[seen:], start=seen + 1):
            await self._conn.execute(
                "INSERT INTO case_assignments (case_id, seq, assigned_to, assigned_by,"
                " assigned_on) VALUES ($1, $2, $3, $4, $5)",
                case.case_id,
                seq,
                a.assigned_to,
                a.assigned_by,
                a.on,
            )

    async def _save_draft(self, case_id: str, draft: Draft | None) -> None:
        if draft is None:
            await self._conn.execute("DELETE FROM assessment_drafts WHERE case_id = $1", case_id)
            return
        plain = astuple(draft)  # deep: uc_figures (index 6) is written as its JSON instead
        values = [*plain[:6], draft.uc_figures.to_dict() if draft.uc_figures else None, *plain[7:]]
        await self._conn.execute(
            f"INSERT INTO assessment_drafts (case_id, {_DRAFT_COLUMNS}) VALUES ($1,"  # noqa: S608 (columns from the draft's fields)
            f" {_placeholders(draft, start=2)}) ON CONFLICT (case_id) DO UPDATE SET"
            f" ({_DRAFT_COLUMNS}, updated_at) = ({_placeholders(draft, start=2)}, now())",
            case_id,
            *values,
        )


def _placeholders(record: Any, start: int = 1) -> str:
    return ", ".join(f"${i}" for i in range(start, start + len(fields(record))))


class AsyncpgAssessmentUnitOfWork(AsyncpgUnitOfWork):
    outbound = staticmethod(outbound)
    people: AsyncpgPeopleRepository
    cases: AsyncpgCaseRepository
    uprated: AsyncpgUpratedAwards
    care_plan_reviews: AsyncpgCarePlanReviews

    def __init__(self, pool: asyncpg.Pool, sealer: Sealer) -> None:
        super().__init__(pool)
        self.sealer = sealer

    async def __aenter__(self) -> "AsyncpgAssessmentUnitOfWork":
        await super().__aenter__()
        self.people = AsyncpgPeopleRepository(self.conn, self.sealer)
        self.cases = AsyncpgCaseRepository(self.conn, self, self.sealer)
        self.uprated = AsyncpgUpratedAwards(self.conn)
        self.care_plan_reviews = AsyncpgCarePlanReviews(self.conn)
        return self


def _shallow(record: DecisionRecord) -> tuple[Any, ...]:
    """The record's fields as parameters. Not `astuple`, which deep-copies the decision's body
    (about half the uprating job's CPU, for a copy nothing changes)."""
    return tuple(getattr(record, f.name) for f in _DECISION_FIELDS)


_DECISION_FIELDS = fields(DecisionRecord)
