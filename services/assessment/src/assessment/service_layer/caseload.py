"""Who works on a case: assigning it (or taking it). The caseload is read in queries.py."""

from datetime import date

from assessment.domain import Case
from assessment.service_layer.commands import AssignCase
from assessment.service_layer.ports import AssessmentUnitOfWork


async def assign_case(cmd: AssignCase, uow: AssessmentUnitOfWork, today: date) -> Case:
    """Kept with who did it and when (the case's assignments are only ever added to)."""
    async with uow:
        case = await uow.cases.get(cmd.case_id, lock=True)
        case.expect_version(cmd.seen_version)
        case.assign(cmd.assigned_to, cmd.by, today)
        await uow.cases.save(case)
        await uow.commit()
    return case
