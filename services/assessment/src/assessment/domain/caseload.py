"""What an assessor has to do on a case, and by when: the caseload's work items.

A case's work is the most pressing of: a reconsideration to decide, a change of circumstances
the person reported, a new claim to assess, or a review coming up: of the person's care plan
(from the care-plans service's notice until the review is done; Care Act 2014 s.27) or of the
decision in force, whichever is due first.
The days below are the service's own clearance targets, used to order and highlight work; they
are not in law (a mandatory reconsideration has no statutory time limit for the decision maker).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from assessment.domain import workflow as wf
from assessment.domain.records import Person

NEW_CLAIM, CHANGE, RECONSIDERATION, REVIEW, CARE_PLAN_REVIEW, NOTHING = (
    "new_claim",
    "change",
    "reconsideration",
    "review",
    "care_plan_review",
    "none",
)
KINDS = (NEW_CLAIM, CHANGE, RECONSIDERATION, REVIEW, CARE_PLAN_REVIEW)

NEW_CLAIM_TARGET = timedelta(days=28)
"""A new claim is assessed within 28 days of the case being opened."""
RECONSIDERATION_TARGET = timedelta(days=28)
"""A reconsideration is decided within 28 days of being asked for."""
CHANGE_TARGET = timedelta(days=28)
"""A reported change is reassessed within 28 days of being reported."""
REVIEW_NOTICE = timedelta(days=28)
"""A review becomes work 28 days before the review date of the decision in force."""
DUE_SOON = timedelta(days=7)
"""Work due within a week is highlighted as due soon."""


@dataclass(frozen=True)
class CaseloadEntry:
    """One case as the caseload reads it (not the whole aggregate)."""

    case_id: str
    person: Person
    status: str
    version: int
    assigned_to: str | None
    opened_on: date
    reconsideration_requested_on: date | None = None
    """The reconsideration waiting to be decided, when the case is under reconsideration."""
    change_reported_on: date | None = None
    """The oldest change of circumstances reported and not yet reassessed."""
    reconsideration_reason: str | None = None
    """Why the person says the decision waiting to be reconsidered is wrong."""
    change_reported: str | None = None
    """What the person says changed (the oldest change waiting)."""
    review_date: date | None = None
    """The review date of the decision in force."""
    draft_purpose: str | None = None
    """What the assessment in progress on the case is for, if there is one."""
    care_plan_review_on: date | None = None
    """When the person's care plan is due its review, while one is due or overdue."""


@dataclass(frozen=True)
class WorkItem:
    kind: str
    due_on: date | None
    overdue: bool
    due_soon: bool
    asked: str | None = None
    """What the person said, when they asked for the work (a reconsideration, a change)."""


def work_of(entry: CaseloadEntry, today: date) -> WorkItem:
    kind, due, asked = _most_pressing(entry, today)
    if due is None:
        return WorkItem(kind, None, False, False)
    return WorkItem(kind, due, due < today, today <= due <= today + DUE_SOON, asked)


def _most_pressing(entry: CaseloadEntry, today: date) -> tuple[str, date | None, str | None]:
    if entry.status == wf.UNDER_RECONSIDERATION and entry.reconsideration_requested_on:
        due = entry.reconsideration_requested_on + RECONSIDERATION_TARGET
        return RECONSIDERATION, due, entry.reconsideration_reason
    if entry.change_reported_on is not None:
        return CHANGE, entry.change_reported_on + CHANGE_TARGET, entry.change_reported
    if entry.status == wf.OPEN:
        return NEW_CLAIM, entry.opened_on + NEW_CLAIM_TARGET, None
    reviews = [(due, kind) for kind, due in _reviews(entry, today) if due is not None]
    if reviews:
        due, kind = min(reviews)
        return kind, due, None
    return NOTHING, None, None


def _reviews(entry: CaseloadEntry, today: date) -> list[tuple[str, date | None]]:
    decision_review = entry.review_date
    if decision_review is not None and decision_review > today + REVIEW_NOTICE:
        decision_review = None
    return [(CARE_PLAN_REVIEW, entry.care_plan_review_on), (REVIEW, decision_review)]


@dataclass(frozen=True)
class CaseloadQuery:
    """Which cases: `assigned_to` a staff member, or `unassigned` (the queue: cases with work
    and nobody on them); then by status, area, kind of work, how due, and a NINO or name."""

    assigned_to: str | None = None
    unassigned: bool = False
    status: str | None = None
    area_code: str | None = None
    kind: str | None = None
    due: str | None = None
    """overdue, due_soon (within a week) or None (any)."""
    search: str | None = None


@dataclass(frozen=True)
class CaseloadLine:
    entry: CaseloadEntry
    work: WorkItem


@dataclass(frozen=True)
class Caseload:
    lines: list[CaseloadLine]
    counts_by_status: dict[str, int]
    """Over the cases the query picks before its status filter, so every status is counted."""


STATUSES = (wf.OPEN, wf.DECIDED, wf.UNDER_RECONSIDERATION)


def caseload(entries: list[CaseloadEntry], query: CaseloadQuery, today: date) -> Caseload:
    """`entries` are the cases matching the query's assignment, area and search (the repository
    filters those); this applies the rest and orders the work: overdue first, then by due date."""
    lines = [CaseloadLine(e, work_of(e, today)) for e in entries]
    if query.unassigned:
        lines = [line for line in lines if line.work.kind != NOTHING]
    lines = [line for line in lines if _wanted(line.work, query)]
    counts = dict.fromkeys(STATUSES, 0)
    for line in lines:
        counts[line.entry.status] = counts.get(line.entry.status, 0) + 1
    if query.status:
        lines = [line for line in lines if line.entry.status == query.status]
    lines.sort(key=_order)
    return Caseload(lines, counts)


def _wanted(work: WorkItem, query: CaseloadQuery) -> bool:
    if query.kind and work.kind != query.kind:
        return False
    if query.due == "overdue":
        return work.overdue
    if query.due == "due_soon":
        return work.due_soon
    return True


def _order(line: CaseloadLine) -> tuple[bool, date, date, str]:
    due = line.work.due_on or date.max
    return (not line.work.overdue, due, line.entry.opened_on, line.entry.case_id)
