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
    claimed_on: date | None = None


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
    seen_version: int | None = None
    """The case version the reviewer saw (If-Match); None: not checked."""


@dataclass(frozen=True)
class RecordChangeOfCircumstances:
    case_id: str
    assessor_id: str
    facts: dict[str, Any]
    effective_date: date
    evidence_notes: str = ""


@dataclass(frozen=True)
class AssignCase:
    """Give a case to a staff member (`assigned_to` None: back to the queue); "take" is
    assigning it to oneself."""

    case_id: str
    assigned_to: str | None
    by: str
    seen_version: int | None = None


@dataclass(frozen=True)
class StartDraft:
    """Start (or resume) the assessment in progress for a new claim, a change of circumstances
    or a reconsideration."""

    case_id: str
    purpose: str
    by: str
    reconsideration_id: str | None = None
    seen_version: int | None = None
    may_review: bool = False
    """The caller holds the reviewer role (a reconsideration needs it)."""
    uc_figures: dict[str, Any] | None = None
    """The person's latest Universal Credit assessment, to pre-fill the means from."""


@dataclass(frozen=True)
class SaveDraftSection:
    case_id: str
    section: str
    value: Any
    note: str = ""
    seen_version: int | None = None
    uc_figures: dict[str, Any] | None = None
    """The means section: the Universal Credit figures it was pre-filled from."""
    means_changes: dict[str, str] | None = None
    effective_date: date | None = None
    """The change section: the date of the change."""


@dataclass(frozen=True)
class SubmitDraft:
    case_id: str
    by: str
    seen_version: int | None = None
    may_review: bool = False


@dataclass(frozen=True)
class DiscardDraft:
    case_id: str
    seen_version: int | None = None


@dataclass(frozen=True)
class ReportChange:
    """A person reports a change of circumstances: a request an assessor picks up later."""

    person_id: str
    what_changed: str
    changed_on: date
    reported_by: str


@dataclass(frozen=True)
class UprateAwards:
    """Re-decide every award in payment under a rule set coming into force (the yearly
    uprating). `rule_set_id` None: the rule set in force today."""

    rule_set_id: str | None = None


@dataclass(frozen=True)
class NoteCarePlanReviewDue:
    """From care-plans' ReviewDue / ReviewOverdue: the plan's review is work for an assessor."""

    plan_id: str
    person_id: str
    version: int | None
    due_on: date


@dataclass(frozen=True)
class SettleCarePlanReview:
    """From care-plans' ReviewCompleted or PlanAgreed: `version` is agreed, no review is due;
    `ended` (PlanSuperseded with `ended`): the plan ended, none ever will be."""

    plan_id: str
    person_id: str
    version: int
    ended: bool = False
