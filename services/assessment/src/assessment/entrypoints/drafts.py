"""Assessments in progress (a task list): start one, save it part by part, submit it for a
decision, or discard it. Every change sends the case version it was made on (If-Match)."""

from datetime import date
from typing import Annotated, Any, Literal

from contracts.api.assessment import CaseDetail, DecisionVersion, ReconsiderationView
from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from servicekit.auth import REVIEWER

from assessment.domain import Case, FieldError, InvalidAssessment
from assessment.domain.draft import ACTIVITIES, CARE_ACT, CARER, MEANS, UC_FIGURES
from assessment.entrypoints import views
from assessment.entrypoints.access import CaseWorker
from assessment.entrypoints.dependencies import Dependencies, Deps
from assessment.entrypoints.duplicate_keys import refuse_repeated_keys
from assessment.entrypoints.facts import ActivityDescriptors, CareActBody, CarerBody, MeansBody
from assessment.entrypoints.versions import seen_version, tag
from assessment.service_layer import drafts
from assessment.service_layer.commands import (
    DiscardDraft,
    SaveDraftSection,
    StartDraft,
    SubmitDraft,
)

router = APIRouter(dependencies=[Depends(refuse_repeated_keys)])
Seen = Annotated[int | None, Depends(seen_version)]
_SECTION_BODIES: dict[str, Any] = {
    **dict.fromkeys(ACTIVITIES, ActivityDescriptors),
    CARE_ACT: CareActBody,
    CARER: CarerBody | None,
    MEANS: MeansBody,
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class UcFiguresBody(_Strict):
    uc_claim_id: str = Field(min_length=1, max_length=64)
    period_start: date
    period_end: date
    capital_pence: int = Field(ge=0)
    earned_income_monthly_pence: int = Field(ge=0)
    unearned_income_monthly_pence: int = Field(ge=0)


class StartDraftRequest(_Strict):
    purpose: Literal["new_claim", "change_of_circumstances", "reconsideration"]
    reconsideration_id: str | None = Field(None, max_length=64)
    uc_figures: UcFiguresBody | None = Field(
        None, description="The latest UC assessment (payments' UC claim) to pre-fill means from"
    )


class SaveSectionRequest(_Strict):
    value: Any = Field(None, description="The part's facts, as in the calculator's case format")
    note: str = Field("", max_length=20_000, description="Evidence notes for this part")
    uc_figures: UcFiguresBody | None = Field(None, description="means: what it was pre-filled from")
    means_changes: dict[Literal[tuple(UC_FIGURES)], str] = Field(  # type: ignore[valid-type]
        default_factory=dict, description="means: a UC figure changed -> why"
    )
    effective_date: date | None = Field(None, description="change: the date of the change")


def _detail(case: Case, deps: Dependencies, response: Response) -> CaseDetail:
    tag(response, case.version)
    return views.case_detail(case, deps.rulebook, deps.today())


def _section_value(section: str, value: Any) -> Any:
    """The part's facts in the calculator's format, checked for shape (rules: the domain);
    fields are named as in a whole assessment's facts (`means.capital_pence`)."""
    body = _SECTION_BODIES.get(section)
    if body is None:
        return value
    prefix = f"descriptors.{section}" if section in ACTIVITIES else section
    try:
        parsed = TypeAdapter(body).validate_python(value)
    except ValidationError as invalid:
        raise InvalidAssessment(
            [
                FieldError(".".join([prefix, *map(str, e["loc"])]), e["msg"])
                for e in invalid.errors()
            ]
        ) from None
    if parsed is None or isinstance(parsed, str):
        return parsed
    return parsed.model_dump(mode="json", exclude_unset=True)


@router.post("/cases/{case_id}/draft", status_code=201)
async def start_draft(
    case_id: str,
    body: StartDraftRequest,
    deps: Deps,
    who: CaseWorker,
    seen: Seen,
    response: Response,
) -> CaseDetail:
    """Starts the assessment in progress for the purpose, or resumes the one there is."""
    figures = body.uc_figures.model_dump(mode="json") if body.uc_figures else None
    command = StartDraft(
        case_id,
        body.purpose,
        who.subject,
        body.reconsideration_id,
        seen,
        who.has_role(REVIEWER),
        figures,
    )
    return _detail(await drafts.start_draft(command, deps.uow(), deps.today()), deps, response)


@router.put("/cases/{case_id}/draft/sections/{section}")
async def save_section(
    case_id: str,
    section: str,
    body: SaveSectionRequest,
    deps: Deps,
    who: CaseWorker,
    seen: Seen,
    response: Response,
) -> CaseDetail:
    """Saves one part, checked on its own against the rules it will be decided under."""
    command = SaveDraftSection(
        case_id,
        section,
        _section_value(section, body.value),
        body.note,
        seen,
        body.uc_figures.model_dump(mode="json") if body.uc_figures else None,
        dict(body.means_changes),
        body.effective_date,
    )
    case = await drafts.save_draft_section(command, deps.uow(), deps.rulebook, deps.today())
    return _detail(case, deps, response)


class SubmittedDraft(BaseModel):
    decision: DecisionVersion
    reconsideration: ReconsiderationView | None


@router.post("/cases/{case_id}/draft/submit", status_code=201)
async def submit_draft(case_id: str, deps: Deps, who: CaseWorker, seen: Seen) -> SubmittedDraft:
    """Decides the case with every part: a new claim, a change of circumstances from its date,
    or a reconsideration (by a reviewer who did not make or assess the original)."""
    command = SubmitDraft(case_id, who.subject, seen, who.has_role(REVIEWER))
    asked, decision = await drafts.submit_draft(command, deps.uow(), deps.rulebook, deps.today())
    return SubmittedDraft(
        decision=views.decision_version(decision),
        reconsideration=(
            ReconsiderationView.model_validate(asked, from_attributes=True) if asked else None
        ),
    )


@router.delete("/cases/{case_id}/draft")
async def discard_draft(
    case_id: str, deps: Deps, who: CaseWorker, seen: Seen, response: Response
) -> CaseDetail:
    case = await drafts.discard_draft(DiscardDraft(case_id, seen), deps.uow())
    return _detail(case, deps, response)
