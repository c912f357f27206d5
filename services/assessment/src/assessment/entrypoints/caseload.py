"""The assessors' caseload: my cases and the unassigned queue, and assigning (or taking) a
case."""

from typing import Annotated, Literal

from contracts.api.assessment import CaseAssignment, Caseload, CaseSummary
from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from assessment.domain.caseload import KINDS, STATUSES, CaseloadQuery
from assessment.entrypoints import views
from assessment.entrypoints.access import CaseReader, CaseWorker
from assessment.entrypoints.dependencies import Deps
from assessment.entrypoints.versions import seen_version, tag
from assessment.service_layer import caseload, queries
from assessment.service_layer.commands import AssignCase

router = APIRouter()
Status = Literal[STATUSES]  # type: ignore[valid-type]
Kind = Literal[KINDS]  # type: ignore[valid-type]


class AssignRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    assigned_to: str | None = Field(
        max_length=200, description="A staff member's subject, or null for the queue"
    )


@router.get("/caseload")
async def caseload_view(
    deps: Deps,
    who: CaseReader,
    view: Literal["mine", "unassigned", "all"] = "mine",
    status: Status | None = None,
    area_code: Annotated[str | None, Query(pattern=r"^[EWSN]\d{8}$")] = None,
    kind: Kind | None = None,
    due: Literal["overdue", "due_soon"] | None = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
) -> Caseload:
    """`mine`: the cases assigned to the caller; `unassigned`: cases with work and nobody on
    them; `all`: every case (to search)."""
    query = CaseloadQuery(
        assigned_to=who.subject if view == "mine" else None,
        unassigned=view == "unassigned",
        status=status,
        area_code=area_code,
        kind=kind,
        due=due,
        search=q,
    )
    return views.caseload(await queries.caseload(query, deps.uow(), deps.today()))


@router.get("/cases/{case_id}/assignment")
async def assignment(case_id: str, deps: Deps, who: CaseReader) -> CaseAssignment:
    case = await queries.case(case_id, deps.uow())
    return CaseAssignment(case_id=case.case_id, assigned_to=case.assigned_to, version=case.version)


@router.post("/cases/{case_id}/assignment")
async def assign(
    case_id: str,
    body: AssignRequest,
    deps: Deps,
    who: CaseWorker,
    response: Response,
    seen: Annotated[int | None, Depends(seen_version)],
) -> CaseSummary:
    """Assigns the case (to oneself: takes it); kept with who did it and when."""
    command = AssignCase(case_id, body.assigned_to or None, who.subject, seen)
    case = await caseload.assign_case(command, deps.uow(), deps.today())
    tag(response, case.version)
    return views.case_summary(case)
