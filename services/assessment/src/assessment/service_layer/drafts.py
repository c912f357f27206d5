"""Assessments in progress: started, saved section by section (so an assessor can stop and come
back), submitted whole for a decision, or discarded. Each change is refused if the case changed
since the page was loaded (`seen_version`)."""

from datetime import date

from assessment.domain import Case, DecisionRecord, Reconsideration, RuleBook
from assessment.domain.draft import UcFigures
from assessment.service_layer.commands import (
    DiscardDraft,
    SaveDraftSection,
    StartDraft,
    SubmitDraft,
)
from assessment.service_layer.ports import AssessmentUnitOfWork


async def start_draft(cmd: StartDraft, uow: AssessmentUnitOfWork, today: date) -> Case:
    async with uow:
        case = await uow.cases.get(cmd.case_id, lock=True)
        case.expect_version(cmd.seen_version)
        figures = UcFigures.from_dict(cmd.uc_figures) if cmd.uc_figures else None
        case.start_draft(
            cmd.purpose, cmd.by, today, cmd.reconsideration_id, cmd.may_review, figures
        )
        await uow.cases.save(case)
        await uow.commit()
    return case


async def save_draft_section(
    cmd: SaveDraftSection, uow: AssessmentUnitOfWork, rulebook: RuleBook, today: date
) -> Case:
    figures = UcFigures.from_dict(cmd.uc_figures) if cmd.uc_figures else None
    async with uow:
        case = await uow.cases.get(cmd.case_id, lock=True)
        case.expect_version(cmd.seen_version)
        case.save_draft_section(
            cmd.section,
            cmd.value,
            cmd.note,
            rulebook,
            today,
            uc_figures=figures,
            means_changes=cmd.means_changes,
            effective_date=cmd.effective_date,
        )
        await uow.cases.save(case)
        await uow.commit()
    return case


async def submit_draft(
    cmd: SubmitDraft, uow: AssessmentUnitOfWork, rulebook: RuleBook, today: date
) -> tuple[Reconsideration | None, DecisionRecord]:
    async with uow:
        case = await uow.cases.get(cmd.case_id, lock=True)
        case.expect_version(cmd.seen_version)
        decided = case.submit_draft(cmd.by, rulebook, today, cmd.may_review)
        await uow.cases.save(case)
        await uow.commit()
    return decided


async def discard_draft(cmd: DiscardDraft, uow: AssessmentUnitOfWork) -> Case:
    async with uow:
        case = await uow.cases.get(cmd.case_id, lock=True)
        case.expect_version(cmd.seen_version)
        case.discard_draft()
        await uow.cases.save(case)
        await uow.commit()
    return case
