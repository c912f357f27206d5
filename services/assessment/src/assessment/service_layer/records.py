"""What the assessment service keeps about people, cases, assessments and decisions."""

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Person:
    person_id: str
    nino: str
    full_name: str
    date_of_birth: date
    area_code: str


@dataclass(frozen=True)
class Case:
    case_id: str
    person_id: str
    status: str


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
    kind: str = "new_claim"
    decided_on: date | None = None
    decided_by: str = ""
    status: str = "current"
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
    status: str = "requested"
    reviewer_id: str | None = None
    outcome: str | None = None
    new_decision_id: str | None = None
