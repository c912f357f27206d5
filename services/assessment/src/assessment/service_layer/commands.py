"""What assessors (and people asking for a reconsideration) ask the assessment service to do."""

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class OpenCase:
    nino: str
    full_name: str
    date_of_birth: date
    area_code: str


@dataclass(frozen=True)
class RecordAssessment:
    case_id: str
    assessor_id: str
    facts: dict[str, Any]
    evidence_notes: str = ""


@dataclass(frozen=True)
class SubmitAssessment:
    case_id: str
    assessment_id: str
    assessor_id: str


@dataclass(frozen=True)
class RequestReconsideration:
    decision_id: str
    requested_on: date
    reason: str
    requested_by: str
    what_is_wrong: str = ""
    evidence: str = ""
    person_id: str | None = None
    """When the person (or someone acting for them) asks: the decision must be theirs."""


@dataclass(frozen=True)
class DecideReconsideration:
    reconsideration_id: str
    reviewer_id: str
    facts: dict[str, Any] | None
    """A revised assessment, or None when the reviewer leaves the facts unchanged."""
    evidence_notes: str = ""


@dataclass(frozen=True)
class RecordChangeOfCircumstances:
    case_id: str
    assessor_id: str
    facts: dict[str, Any]
    effective_date: date
    evidence_notes: str = ""


@dataclass(frozen=True)
class ReportChange:
    """A person reports a change of circumstances: a request an assessor picks up later."""

    person_id: str
    what_changed: str
    changed_on: date
    reported_by: str
