"""The Case aggregate's assessments in progress (draft.py): started for a new claim, a change of
circumstances or a reconsideration, saved section by section, then submitted whole; submitting
decides as the matching Case method does, and the draft is gone in the same change."""

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from assessment.domain import draft as dr
from assessment.domain import workflow as wf
from assessment.domain.errors import (
    FieldError,
    InvalidAssessment,
    NotAllowedNow,
    NotFound,
    NotPermitted,
)
from assessment.domain.records import AssessmentDetails, DecisionRecord, Reconsideration
from assessment.domain.rule_book import RuleBook

if TYPE_CHECKING:
    from assessment.domain.case import Case


class DraftWork:
    """Mixed into Case: what it does with `self.draft`."""

    def start_draft(
        self: "Case",
        purpose: str,
        author: str,
        today: date,
        reconsideration_id: str | None = None,
        may_review: bool = False,
        uc_figures: dr.UcFigures | None = None,
    ) -> dr.Draft:
        """The draft for `purpose`, started now, or the one already in progress for it. A change
        or a reconsideration starts from the facts behind the decision it revises; only a
        reviewer (`may_review`) who neither made nor assessed it takes a reconsideration. The
        means are pre-filled from `uc_figures` (the latest UC assessment) when given."""
        if purpose == wf.RECONSIDERATION:
            _only_a_reviewer(may_review)
        if self.draft is not None:
            if (self.draft.purpose, self.draft.reconsideration_id) == (purpose, reconsideration_id):
                return self.draft
            raise NotAllowedNow(
                "purpose",
                f"an assessment for a {self.draft.purpose.replace('_', ' ')} is in progress on"
                " this case: finish or discard it first",
            )
        draft = dr.Draft(purpose, author, today, reconsideration_id=reconsideration_id)
        if purpose == wf.NEW_CLAIM:
            wf.case_after(self.status, wf.RECORD_ASSESSMENT)
        elif purpose == wf.CHANGE_OF_CIRCUMSTANCES:
            wf.case_after(self.status, wf.CHANGE_CIRCUMSTANCES)
            draft = _from_decision(draft, self, self.in_force)
        elif purpose == wf.RECONSIDERATION:
            asked, original = self._reconsideration_and_original(reconsideration_id)
            wf.reconsideration_after(asked.status, wf.DECIDE_RECONSIDERATION)
            assessed = self._assessment_of(original)
            wf.check_reviewer(author, {assessed.assessor_id, original.decided_by})
            draft = _from_decision(draft, self, original)
        else:
            raise InvalidAssessment([FieldError("purpose", f"unknown purpose {purpose!r}")])
        if uc_figures is not None:
            draft = replace(draft, uc_figures=uc_figures)
        self.draft = draft
        return draft

    def save_draft_section(
        self: "Case",
        section: str,
        value: Any,
        note: str,
        rulebook: RuleBook,
        today: date,
        *,
        uc_figures: dr.UcFigures | None = None,
        means_changes: dict[str, str] | None = None,
        effective_date: date | None = None,
    ) -> dr.Draft:
        draft = self._current_draft()
        if section not in draft.sections():
            what = draft.purpose.replace("_", " ")
            raise InvalidAssessment([FieldError("section", f"a {what} has no part {section!r}")])
        if section == dr.REASONS and not note.strip():
            raise InvalidAssessment([FieldError("note", "give the reasons for the outcome")])
        if section == dr.CHANGE:
            draft = replace(draft, effective_date=self._change_date(effective_date, rulebook))
        else:
            on = self._draft_decision_date(draft, today)
            dr.check_section(section, value, rulebook.in_force_on(on, "effective_date"), on)
            if section == dr.MEANS:
                figures = uc_figures or draft.uc_figures
                kept = dr.check_means_changes(value, figures, means_changes or {})
                draft = replace(draft, uc_figures=figures, means_changes=kept)
        self.draft = draft.with_section(section, value, note)
        return self.draft

    def submit_draft(
        self: "Case", by: str, rulebook: RuleBook, today: date, may_review: bool = False
    ) -> tuple[Reconsideration | None, DecisionRecord]:
        """Decides the case with the draft's facts, as its purpose says; the draft is gone. A
        reconsideration whose facts were not revised keeps the original's (outcome unchanged
        unless the rules in force then give another result)."""
        draft = self._current_draft()
        if draft.purpose == wf.RECONSIDERATION:
            _only_a_reviewer(may_review)
        if missing := draft.missing():
            raise InvalidAssessment([FieldError(s, "this part is not done yet") for s in missing])
        details = AssessmentDetails(
            dict(draft.notes),
            draft.uc_figures.to_dict() if draft.uc_figures else None,
            dict(draft.means_changes),
        )
        facts, notes = draft.facts, draft.evidence_notes()
        asked: Reconsideration | None = None
        if draft.purpose == wf.NEW_CLAIM:
            recorded = self.record_assessment(by, facts, notes, rulebook, today, details)
            decision = self.submit_assessment(recorded.assessment_id, by, rulebook, today)
        elif draft.purpose == wf.CHANGE_OF_CIRCUMSTANCES:
            on = self._change_date(draft.effective_date, rulebook)  # checked again on the day
            decision = self.change_circumstances(by, facts, on, notes, rulebook, today, details)
        else:
            request, original = self._reconsideration_and_original(draft.reconsideration_id)
            revised = None if facts == self._assessment_of(original).facts else facts
            asked, decision = self.decide_reconsideration(
                request.reconsideration_id,
                by,
                revised,
                notes,
                rulebook,
                today,
                details,
                reasons=draft.notes.get(dr.REASONS, ""),
            )
        self.draft = None
        return asked, decision

    def discard_draft(self: "Case") -> None:
        self._current_draft()
        self.draft = None

    def _current_draft(self: "Case") -> dr.Draft:
        if self.draft is None:
            raise NotFound("case_id", "no assessment is in progress on this case")
        return self.draft

    def draft_decision_date(self: "Case", today: date) -> date:
        """The day the draft in progress will be decided for (its answers meet those rules)."""
        return self._draft_decision_date(self._current_draft(), today)

    def _draft_decision_date(self: "Case", draft: dr.Draft, today: date) -> date:
        """The day the draft will be decided for, which picks the rules its answers meet."""
        if draft.purpose == wf.RECONSIDERATION:
            return self._reconsideration_and_original(draft.reconsideration_id)[1].effective_date
        if draft.purpose == wf.CHANGE_OF_CIRCUMSTANCES and draft.effective_date is not None:
            return draft.effective_date
        return self.first_day(today)

    def _change_date(self: "Case", effective_date: date | None, rulebook: RuleBook) -> date:
        if effective_date is None:
            raise InvalidAssessment([FieldError("effective_date", "enter the date of the change")])
        changed_from = self.changed_from()
        rulebook.in_force_on(effective_date, "effective_date")
        wf.check_change_date(effective_date, changed_from.effective_date)
        return effective_date


def _only_a_reviewer(may_review: bool) -> None:
    if not may_review:
        raise NotPermitted("reviewer_id", "only a reviewer may decide a reconsideration")


def _from_decision(draft: dr.Draft, case: "Case", decision: DecisionRecord | None) -> dr.Draft:
    """A draft starting from the facts, notes and UC figures behind `decision`."""
    if decision is None:
        raise NotAllowedNow("case_id", "the case has no decision in force to change")
    assessed = case._assessment_of(decision)
    figures = dr.UcFigures.from_dict(assessed.means_source) if assessed.means_source else None
    return replace(
        draft,
        facts=dict(assessed.facts),
        answered=dr.SECTIONS,
        notes=dict(assessed.section_notes),
        uc_figures=figures,
        means_changes=dict(assessed.means_changes),
    )
