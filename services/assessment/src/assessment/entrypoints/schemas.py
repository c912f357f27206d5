"""Request and response bodies of the assessor API: shapes and formats (rules are checked by the
domain). Read APIs' responses are in contracts.api.assessment."""

import re
from datetime import date
from typing import Annotated, Any, Literal

from contracts.api.assessment import DecisionVersion
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WrapValidator
from pydantic_core import PydanticCustomError

from assessment.entrypoints.facts import AssessmentFactsBody

# HMRC NIM39110: two prefix letters (not D, F, I, Q, U, V; second not O; some pairs never
# issued), six digits, suffix A-D.
_NINO = re.compile(r"^(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$")


def _valid_nino(value: str) -> str:
    normalised = value.replace(" ", "").upper()
    if not _NINO.fullmatch(normalised):
        raise ValueError(
            "must be a National Insurance number: 2 letters, 6 numbers, then A, B, C or D"
        )
    return normalised


Nino = Annotated[str, AfterValidator(_valid_nino)]
AreaCode = Annotated[str, Field(pattern=r"^[EWSN]\d{8}$", description="ONS local authority code")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OpenCaseRequest(Strict):
    nino: Nino
    full_name: str = Field(min_length=1, max_length=200)
    date_of_birth: date
    area_code: AreaCode
    claimed_on: date | None = Field(
        None,
        description="The date of claim, when the claim was made before today (by telephone or"
        " post, recorded later): a new claim is decided from it, with the rules in force then."
        " Not in the future.",
    )


class RecordAssessmentRequest(Strict):
    """The assessor is the token's subject (so for every command below)."""

    facts: AssessmentFactsBody = Field(
        description="descriptors, care_act, means (see docs/calculator.md)"
    )
    evidence_notes: str = Field("", max_length=20_000)


def _facts_or_unchanged(value: Any, handler: Any) -> Any:
    if value == "unchanged":
        return value
    if isinstance(value, dict):
        return handler(value)
    raise PydanticCustomError(
        "facts", 'must be a revised assessment (an object like a recorded one) or "unchanged"'
    )


def _or_unchanged(schema: dict[str, Any]) -> None:
    facts = {k: v for k, v in schema.items() if k not in ("description", "title")}
    for key in facts:
        del schema[key]
    schema["anyOf"] = [facts, {"const": "unchanged"}]


class RequestReconsiderationRequest(Strict):
    requested_on: date = Field(description="The day the request was received")
    reason: str = Field(min_length=1, max_length=20_000)
    requested_by: str = Field(min_length=1, max_length=64, description="The person or appointee")


PersonText = Annotated[str, Field(max_length=2000)]


class PersonReconsiderationRequest(Strict):
    """A person's own request (the portal): asked today, by the token's subject."""

    decision_id: str = Field(min_length=1, max_length=64)
    reason: str = Field(min_length=1, max_length=2000, description="Why it is wrong")
    what_is_wrong: PersonText = ""
    evidence: PersonText = ""


class ReportChangeRequest(Strict):
    what_changed: str = Field(min_length=1, max_length=2000)
    changed_on: date = Field(description="When it changed: not in the future")


class DecideReconsiderationRequest(Strict):
    facts: Annotated[AssessmentFactsBody, WrapValidator(_facts_or_unchanged)] = Field(
        description='The revised assessment, or "unchanged" to keep the original facts',
        json_schema_extra=_or_unchanged,
    )
    evidence_notes: str = Field("", max_length=20_000)


class ChangeOfCircumstancesRequest(Strict):
    facts: AssessmentFactsBody
    effective_date: date = Field(description="The date of the change; picks the rule set")
    evidence_notes: str = Field("", max_length=20_000)


class CalculateRequest(Strict):
    on: date | None = Field(None, description="The decision date (default: today)")
    rule_set_id: str | None = Field(
        None, max_length=64, description="Decide under this rule set (default: in force on `on`)"
    )
    case: AssessmentFactsBody


class GoldenCaseRequest(Strict):
    on: date | None = None
    case: AssessmentFactsBody


class VerifyPersonRequest(Strict):
    nino: Nino
    date_of_birth: date


class OpenCaseResponse(BaseModel):
    case_id: str
    person_id: str
    status: str


class RecordAssessmentResponse(BaseModel):
    assessment_id: str
    case_id: str


class RequestReconsiderationResponse(BaseModel):
    reconsideration_id: str
    decision_id: str
    case_id: str
    status: str
    requested_on: date


class DecideReconsiderationResponse(BaseModel):
    reconsideration_id: str
    outcome: Literal["changed", "unchanged"]
    original_decision_id: str
    decision: DecisionVersion
