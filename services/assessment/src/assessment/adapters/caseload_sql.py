"""The caseload's read of many cases at once: one row per case, with only what its work item
needs (the domain's caseload.work_of; a care-plan review goes with the case whose decision is
in force), filtered by assignment, area and search in SQL. A NINO is
searched for by its keyed hash (it is sealed at rest), a name by any part of it."""

import re

import asyncpg
from pydantic import TypeAdapter
from servicekit.crypto import Sealer

from assessment.adapters.sealed import NINO, opened
from assessment.domain.caseload import CaseloadEntry, CaseloadQuery
from assessment.domain.records import Person

_PERSON = TypeAdapter(Person)
_ENTRIES = """
SELECT c.case_id, c.status, c.version, c.assigned_to, c.opened_on, to_jsonb(p) AS person,
  asked.requested_on AS reconsideration_requested_on, asked.reason AS reconsideration_reason,
  changed.reported_on AS change_reported_on, changed.what_changed AS change_reported,
  (SELECT d.review_date FROM decisions d
   WHERE d.case_id = c.case_id AND d.status <> 'superseded') AS review_date,
  (SELECT x.purpose FROM assessment_drafts x WHERE x.case_id = c.case_id) AS draft_purpose,
  (SELECT min(r.due_on) FROM care_plan_reviews r WHERE r.person_id = c.person_id
   AND r.due_on IS NOT NULL AND EXISTS (SELECT FROM decisions d WHERE d.case_id = c.case_id
   AND d.status <> 'superseded')) AS care_plan_review_on
FROM cases c JOIN people p USING (person_id)
LEFT JOIN LATERAL (SELECT r.requested_on, r.reason FROM reconsiderations r
   WHERE r.case_id = c.case_id AND r.status = 'requested'
   ORDER BY r.requested_at LIMIT 1) asked ON true
LEFT JOIN LATERAL (SELECT x.reported_on, x.what_changed FROM reported_changes x
   WHERE x.case_id = c.case_id AND x.status = 'reported'
   ORDER BY x.reported_at, x.change_id LIMIT 1) changed ON true
WHERE ($1::text IS NULL OR c.assigned_to = $1)
  AND (NOT $2::boolean OR c.assigned_to IS NULL)
  AND ($3::text IS NULL OR p.area_code = $3)
  AND ($4::text IS NULL OR p.nino_hash = $4 OR strpos(lower(p.full_name), lower($5)) > 0)
ORDER BY c.opened_on, c.case_id
"""


_NINO_LIKE = re.compile(r"^[A-Z]{2}\d{6}[A-D]$")


async def caseload_entries(
    conn: asyncpg.Connection, sealer: Sealer, query: CaseloadQuery
) -> list[CaseloadEntry]:
    search = (query.search or "").strip()
    nino = search.replace(" ", "").upper()
    rows = await conn.fetch(
        _ENTRIES,
        query.assigned_to,
        query.unassigned,
        query.area_code,
        (sealer.digest(NINO, nino) if _NINO_LIKE.fullmatch(nino) else "") if search else None,
        search,
    )
    return [
        CaseloadEntry(
            case_id=row["case_id"],
            person=_PERSON.validate_python(opened(sealer, row["person"])),
            status=row["status"],
            version=row["version"],
            assigned_to=row["assigned_to"],
            opened_on=row["opened_on"],
            reconsideration_requested_on=row["reconsideration_requested_on"],
            change_reported_on=row["change_reported_on"],
            reconsideration_reason=row["reconsideration_reason"],
            change_reported=row["change_reported"],
            review_date=row["review_date"],
            draft_purpose=row["draft_purpose"],
            care_plan_review_on=row["care_plan_review_on"],
        )
        for row in rows
    ]
