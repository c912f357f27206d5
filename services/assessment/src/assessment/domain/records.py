"""What the assessment service keeps: people, and a case's assessments, decision versions and
reconsiderations (the Case aggregate in case.py holds them)."""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from assessment.domain.workflow import CURRENT, NEW_CLAIM, REPORTED, REQUESTED


@dataclass(frozen=True)
class Person:
    person_id: str
    nino: str
    full_name: str
    date_of_birth: date
    area_code: str


@dataclass(frozen=True)
class AssessmentRecord:
    assessment_id: str
    case_id: str
    kind: str
    assessor_id: str
    facts: dict[str, Any]
    evidence_notes: str
    submitted: bool


@dataclass(frozen=True)
class DecisionRecord:
    """One version of a case's decision. `body` is the decision worked out, as plain data
    (Decision.to_dict()): points, eligibility, means, award and the explanation."""

    decision_id: str
    case_id: str
    person_id: str
    version: int
    assessment_id: str
    rule_set_id: str
    eligible: bool
    effective_date: date
    review_date: date
    reconsideration_deadline: date
    body: dict[str, Any]
    kind: str = NEW_CLAIM
    decided_on: date | None = None
    decided_by: str = ""
    status: str = CURRENT
    supersedes: str | None = None
    superseded_by: str | None = None


@dataclass(frozen=True)
class Reconsideration:
    reconsideration_id: str
    case_id: str
    decision_id: str
    person_id: str
    requested_on: date
    reason: str
    requested_by: str
    status: str = REQUESTED
    reviewer_id: str | None = None
    outcome: str | None = None
    new_decision_id: str | None = None
    what_is_wrong: str = ""  # what the person says the decision got wrong
    evidence: str = ""  # evidence they add or will send


@dataclass(frozen=True)
class ReportedChange:
    """A change of circumstances the person (or someone acting for them) reported: a work item
    for an assessor, who reassesses and records the change. Reporting decides nothing."""

    change_id: str
    case_id: str
    person_id: str
    decision_id: str  # the decision in force when it was reported
    what_changed: str
    changed_on: date
    reported_on: date
    reported_by: str
    status: str = REPORTED


def new_id(prefix: str) -> str:
    """P… person, C… case, A… assessment, D… decision, R… reconsideration, X… reported change."""
    return f"{prefix}{uuid.uuid4().hex[:15]}"
