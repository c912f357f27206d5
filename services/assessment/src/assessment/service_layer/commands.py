"""What assessors ask the assessment service to do."""

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
