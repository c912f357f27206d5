"""The Case aggregate: one claim by one person, from opening to a decision, then through
mandatory reconsideration and changes of circumstances.

Every change to a case goes through it. It applies the workflow's rules (workflow.py), works the
decision out under the rule set in force on the right date, keeps exactly one decision version in
force (a new version supersedes the one before) and records what happened in `events`.
"""

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any, TypeVar

from assessment.domain import draft as dr
from assessment.domain import events as ev
from assessment.domain import uprating
from assessment.domain import workflow as wf
from assessment.domain.case_drafts import DraftWork
from assessment.domain.case_input import decide_case
from assessment.domain.decision import Decision
from assessment.domain.errors import CaseChanged, InvalidAssessment, NotAllowedNow, NotFound
from assessment.domain.records import (
    AssessmentDetails,
    AssessmentRecord,
    Assignment,
    DecisionRecord,
    Person,
    Reconsideration,
    ReportedChange,
    new_id,
)
from assessment.domain.rule_book import RuleBook
from assessment.domain.rules import RuleSet

Facts = Mapping[str, Any]
R = TypeVar("R", AssessmentRecord, DecisionRecord, Reconsideration)


@dataclass(eq=False)
class Case(DraftWork):
    case_id: str
    person: Person
    status: str
    assessments: list[AssessmentRecord] = field(default_factory=list)
    decisions: list[DecisionRecord] = field(default_factory=list)
    """Every version, oldest first."""
    reconsiderations: list[Reconsideration] = field(default_factory=list)
    reported_changes: list[ReportedChange] = field(default_factory=list)
    """Changes of circumstances reported, oldest first: work for an assessor."""
    events: list[ev.Event] = field(default_factory=list)
    version: int = field(default=1, kw_only=True)
    """Counts the case's changes: a request made on an older version is refused (CaseChanged)."""
    opened_on: date | None = field(default=None, kw_only=True)
    claimed_on: date | None = field(default=None, kw_only=True)
    """The date of claim when it was made before the case was opened (a claim by telephone or
    post recorded later): a new claim's award is worked out from it (UC Regs reg 21(5): the
    first date of entitlement is normally the date of claim). None: the day it is decided."""
    assigned_to: str | None = field(default=None, kw_only=True)
    assignments: list[Assignment] = field(default_factory=list, kw_only=True)
    """Every assignment, oldest first (only ever added to)."""
    draft: dr.Draft | None = field(default=None, kw_only=True)
    """The assessment in progress on the case, if any."""

    @classmethod
    def open(
        cls, person: Person, today: date | None = None, claimed_on: date | None = None
    ) -> "Case":
        if claimed_on is not None:
            if today is None:
                raise ValueError("a date of claim is checked against today's date")
            wf.check_claim_date(claimed_on, today)
        return cls(new_id("C"), person, wf.OPEN, opened_on=today, claimed_on=claimed_on)

    def first_day(self, today: date) -> date:
        """The day a new claim is decided for: the date of claim, or today."""
        return self.claimed_on or today

    def expect_version(self, seen: int | None) -> None:
        """Refuses a request made on an older version of the case (None: not checked)."""
        if seen is not None and seen != self.version:
            raise CaseChanged(
                "version",
                f"the case has changed since you loaded it: you saw version {seen}, it is now"
                f" version {self.version}",
            )

    def assign(self, to: str | None, by: str, today: date) -> Assignment | None:
        """Gives the case to `to` (None: back to the unassigned queue); None if it already is."""
        if to == self.assigned_to:
            return None
        assignment = Assignment(to, by, today)
        self.assignments.append(assignment)
        self.assigned_to = to
        return assignment

    @property
    def person_id(self) -> str:
        return self.person.person_id

    @property
    def in_force(self) -> DecisionRecord | None:
        """The version not superseded (one under reconsideration still is)."""
        return next((d for d in reversed(self.decisions) if d.status != wf.SUPERSEDED), None)

    def record_assessment(
        self,
        assessor_id: str,
        facts: Facts,
        notes: str,
        rulebook: RuleBook,
        today: date,
        details: AssessmentDetails | None = None,
    ) -> AssessmentRecord:
        on = self.first_day(today)
        _decide(facts, rulebook.in_force_on(on, "claimed_on"), on)  # nothing unusable is kept
        wf.case_after(self.status, wf.RECORD_ASSESSMENT)
        return self._add_assessment(wf.NEW_CLAIM, assessor_id, facts, notes, False, details)

    def submit_assessment(
        self, assessment_id: str, assessor_id: str, rulebook: RuleBook, today: date
    ) -> DecisionRecord:
        status = wf.case_after(self.status, wf.DECIDE)
        recorded = _find(
            self.assessments, "assessment_id", assessment_id, "assessment on this case"
        )
        if recorded.submitted:
            raise NotAllowedNow("assessment_id", "this assessment has already been submitted")
        on = self.first_day(today)
        worked_out = _decide(recorded.facts, rulebook.in_force_on(on, "claimed_on"), on)
        submitted = replace(recorded, submitted=True)
        self._replace(self.assessments, recorded, submitted)
        self.events.append(ev.AssessmentSubmitted(submitted))
        self.status = status
        return self._add_version(
            new_id("D"), worked_out, submitted, wf.NEW_CLAIM, assessor_id, today
        )

    def request_reconsideration(
        self,
        decision_id: str,
        requested_on: date,
        reason: str,
        requested_by: str,
        today: date,
        what_is_wrong: str = "",
        evidence: str = "",
    ) -> Reconsideration:
        decision = _find(self.decisions, "decision_id", decision_id, "decision")
        decision_status = wf.decision_after(decision.status, wf.REQUEST_RECONSIDERATION)
        case_status = wf.case_after(self.status, wf.REQUEST_RECONSIDERATION)
        wf.check_reconsideration_request(
            decision.kind,
            decision.decided_on,
            decision.reconsideration_deadline,
            requested_on,
            today,
        )
        asked = Reconsideration(
            new_id("R"),
            self.case_id,
            decision_id,
            self.person_id,
            requested_on,
            reason,
            requested_by,
            what_is_wrong=what_is_wrong.strip(),
            evidence=evidence.strip(),
        )
        self.reconsiderations.append(asked)
        self._replace(self.decisions, decision, replace(decision, status=decision_status))
        self.status = case_status
        self.events.append(ev.ReconsiderationRequested(asked))
        return asked

    def decide_reconsideration(
        self,
        reconsideration_id: str,
        reviewer_id: str,
        revised: Facts | None,
        notes: str,
        rulebook: RuleBook,
        today: date,
        details: AssessmentDetails | None = None,
        reasons: str = "",
    ) -> tuple[Reconsideration, DecisionRecord]:
        """`revised` facts, or None to keep the original's. The new version is backdated to the
        original's effective date and worked out under the rules in force then."""
        asked, original = self._reconsideration_and_original(reconsideration_id)
        assessed = self._assessment_of(original)
        status = wf.reconsideration_after(asked.status, wf.DECIDE_RECONSIDERATION)
        case_status = wf.case_after(self.status, wf.DECIDE_RECONSIDERATION)
        wf.decision_after(original.status, wf.DECIDE_RECONSIDERATION)
        wf.check_reviewer(reviewer_id, {assessed.assessor_id, original.decided_by})
        on = original.effective_date
        rules = rulebook.in_force_on(on, "effective_date")
        before = _decide(assessed.facts, rules, on)
        after = before if revised is None else _decide(revised, rules, on)
        if revised is not None:
            assessed = self._add_assessment(
                wf.RECONSIDERATION, reviewer_id, revised, notes, True, details
            )
            self.events.append(ev.AssessmentSubmitted(assessed))
        decision_id = new_id("D")
        outcome = wf.outcome_of_review(before, after)
        decided = replace(
            asked,
            status=status,
            reviewer_id=reviewer_id,
            outcome=outcome,
            new_decision_id=decision_id,
            reasons=reasons.strip(),
        )
        self._replace(self.reconsiderations, asked, decided)
        self.events.append(ev.ReconsiderationDecided(decided))
        self.status = case_status
        decision = self._add_version(
            decision_id, after, assessed, wf.RECONSIDERATION, reviewer_id, today
        )
        return decided, decision

    def change_circumstances(
        self,
        assessor_id: str,
        facts: Facts,
        effective_date: date,
        notes: str,
        rulebook: RuleBook,
        today: date,
        details: AssessmentDetails | None = None,
    ) -> DecisionRecord:
        """A reassessment superseding the decision in force from the date of the change, under
        the rule set in force on that date. A change dated before an uprating in force is
        uprated again at once (a version of kind uprating on the new facts, from the uprating's
        date), so the later rates still apply; the change's own version is returned."""
        rules = rulebook.in_force_on(effective_date, "effective_date")
        worked_out = _decide(facts, rules, effective_date)
        case_status = wf.case_after(self.status, wf.CHANGE_CIRCUMSTANCES)
        current = self.in_force
        if current is None:  # a decided case always has one; guard the invariant
            raise NotAllowedNow("case_id", "the case has no decision in force to change")
        wf.decision_after(current.status, wf.CHANGE_CIRCUMSTANCES)
        upratings = self.upratings_in_force()
        wf.check_change_date(effective_date, self.changed_from().effective_date)
        assessment = self._add_assessment(
            wf.CHANGE_OF_CIRCUMSTANCES, assessor_id, facts, notes, True, details
        )
        self.events.append(ev.AssessmentSubmitted(assessment))
        self.status = case_status
        decision = self._add_version(
            new_id("D"), worked_out, assessment, wf.CHANGE_OF_CIRCUMSTANCES, assessor_id, today
        )
        self._reassessed(decision.decision_id)
        for later in upratings:
            if later.effective_date > effective_date:
                self._uprate_again(_rules(rulebook, later.rule_set_id), today)
        return decision

    def upratings_in_force(self) -> list[DecisionRecord]:
        """The uprating versions on top of the decision they re-decided, oldest first."""
        by_id = {d.decision_id: d for d in self.decisions}
        upratings, current = [], self.in_force
        while current is not None and current.kind == wf.UPRATING and current.supersedes:
            upratings.insert(0, current)
            current = by_id.get(current.supersedes)
        return upratings

    def changed_from(self) -> DecisionRecord:
        """What a change of circumstances is dated against: the decision in force, or the one
        its upratings re-decided (a change before April's uprating replaces both)."""
        upratings = self.upratings_in_force()
        current = self.in_force
        if current is None:
            raise NotAllowedNow("case_id", "the case has no decision in force to change")
        if not upratings:
            return current
        return next(d for d in self.decisions if d.decision_id == upratings[0].supersedes)

    def _uprate_again(self, rules: RuleSet, today: date) -> None:
        try:
            self.uprate(rules, today)
        except NotAllowedNow:
            pass  # no longer an award, or already under those rules: nothing to uprate

    def _reassessed(self, decision_id: str) -> None:
        """Every change reported so far is taken into account by the reassessment."""
        self.reported_changes = [
            replace(x, status=wf.REASSESSED, new_decision_id=decision_id)
            if x.status == wf.REPORTED
            else x
            for x in self.reported_changes
        ]

    def uprate(self, rules: RuleSet, today: date) -> tuple[str, DecisionRecord]:
        """The award in force re-decided under `rules` (the rule book's rules in force on their
        own date) from that date, on the facts it was decided on: a new version of kind
        uprating, and whether its figures changed (uprating.py says why it is made either way).
        NotAllowedNow when there is no award to uprate; InvalidAssessment (under `facts`) when
        the facts do not fit the new rules: an assessor must reassess."""
        current = uprating.award_to_uprate(self.status, self.in_force, rules)
        assessed = _find(self.assessments, "assessment_id", current.assessment_id, "assessment")
        worked_out = _decide(assessed.facts, rules, rules.effective_from)
        changed = uprating.outcome(current, worked_out)
        version = uprating.uprated(current, worked_out, rules)
        return changed, self._add_version(
            new_id("D"), version, assessed, wf.UPRATING, uprating.BY, today
        )

    def report_change(
        self, what_changed: str, changed_on: date, reported_by: str, today: date
    ) -> ReportedChange:
        """The person tells us something changed, from a date: kept for an assessor to reassess
        (change_circumstances then records the new decision). No decision is made here."""
        current = self.in_force
        if current is None or self.status == wf.OPEN:
            raise NotAllowedNow("case_id", "the case has no decision yet to report a change to")
        text = wf.check_statement("what_changed", what_changed)
        wf.check_reported_change(changed_on, self.changed_from().effective_date, today)
        change = ReportedChange(
            new_id("X"),
            self.case_id,
            self.person_id,
            current.decision_id,
            text,
            changed_on,
            today,
            reported_by,
        )
        self.reported_changes.append(change)
        return change

    def _add_assessment(
        self,
        kind: str,
        assessor_id: str,
        facts: Facts,
        notes: str,
        submitted: bool,
        details: AssessmentDetails | None = None,
    ) -> AssessmentRecord:
        recorded = AssessmentRecord(
            new_id("A"),
            self.case_id,
            kind,
            assessor_id,
            dict(facts),
            notes,
            submitted,
            **asdict(details or AssessmentDetails()),
        )
        self.assessments.append(recorded)
        return recorded

    def _add_version(
        self,
        decision_id: str,
        worked_out: Decision,
        assessment: AssessmentRecord,
        kind: str,
        by: str,
        today: date,
    ) -> DecisionRecord:
        """A new version made today `by` someone, superseding the version in force. It is
        effective from the date the decision was worked out for (earlier for a reconsideration);
        the reconsideration clock starts today."""
        in_force = self.in_force
        decision = DecisionRecord(
            decision_id,
            self.case_id,
            self.person_id,
            version=max((d.version for d in self.decisions), default=0) + 1,
            assessment_id=assessment.assessment_id,
            rule_set_id=worked_out.rule_set_id,
            eligible=worked_out.eligible,
            effective_date=worked_out.effective_date,
            review_date=worked_out.review_date,
            reconsideration_deadline=wf.reconsideration_deadline(today),
            body=worked_out.to_dict(),
            kind=kind,
            decided_on=today,
            decided_by=by,
            supersedes=in_force.decision_id if in_force is not None else None,
        )
        if in_force is not None:
            superseded = replace(in_force, status=wf.SUPERSEDED, superseded_by=decision_id)
            self._replace(self.decisions, in_force, superseded)
            self.events.append(ev.DecisionSuperseded(superseded, decision))
        self.decisions.append(decision)
        self.events.append(ev.DecisionMade(decision, worked_out))
        return decision

    def _reconsideration_and_original(
        self, reconsideration_id: str | None
    ) -> tuple[Reconsideration, DecisionRecord]:
        asked = _find(
            self.reconsiderations, "reconsideration_id", reconsideration_id, "reconsideration"
        )
        return asked, _find(self.decisions, "decision_id", asked.decision_id, "decision")

    def _assessment_of(self, decision: DecisionRecord) -> AssessmentRecord:
        return _find(self.assessments, "assessment_id", decision.assessment_id, "assessment")

    @staticmethod
    def _replace(records: list[R], old: R, new: R) -> None:
        records[next(i for i, r in enumerate(records) if r is old)] = new


def _decide(facts: Facts, rules: RuleSet, on: date) -> Decision:
    """Facts that don't fit the rules are refused naming each field under `facts`."""
    try:
        return decide_case(facts, rules, on)
    except InvalidAssessment as invalid:
        raise invalid.under("facts") from None


def _rules(rulebook: RuleBook, rule_set_id: str) -> RuleSet:
    try:
        return rulebook.by_id(rule_set_id)
    except KeyError:  # the service must hold every rule set an award was uprated to
        raise NotAllowedNow(
            "effective_date", f"the uprating in force is under {rule_set_id}, not known here"
        ) from None


def _find(records: list[R], key: str, value: str, what: str) -> R:
    found = next((r for r in records if getattr(r, key) == value), None)
    if found is None:
        raise NotFound(key, f"no such {what}")
    return found
