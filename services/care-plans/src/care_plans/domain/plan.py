"""The Plan aggregate: a person's care plan as a history of immutable versions.

draft -> proposed -> agreed -> under_review -> agreed ...; every change appends a PlanVersion
numbered one higher, so an agreed version is never edited. A newer agreement supersedes the
previous one (status_of() reports it as superseded). Actions a person or assessor takes name
the version they saw; acting on an older one raises VersionConflict. A plan that has ended
(the person is no longer eligible) never changes again.
"""

from dataclasses import dataclass, field, replace
from datetime import date

from care_plans.domain import events as ev
from care_plans.domain.catalogue import ReviewPolicy
from care_plans.domain.errors import (
    CarePlanError,
    InvalidTransition,
    NotAgreed,
    OverBudget,
    ReasonRequired,
    TopUpMismatch,
    VersionConflict,
)
from care_plans.domain.plan_revisions import Revisions
from care_plans.domain.plan_version import (
    IN_FORCE,
    Agreement,
    ChangeRequest,
    PlanStatus,
    PlanVersion,
    TopUp,
)
from care_plans.domain.review_schedule import first_review_on, next_review_after
from care_plans.domain.split import ManagedSplit, split_change, split_version

AGREED_BY = ("person", "assessor")
MAX_REASON = 2000


@dataclass(eq=False)
class Plan(Revisions):
    plan_id: str
    person_id: str
    review_policy: ReviewPolicy
    versions: list[PlanVersion]
    events: list[ev.Event] = field(default_factory=list)
    review_notices: set[tuple[str, date]] = field(default_factory=set)

    @classmethod
    def drafted(
        cls, plan_id: str, person_id: str, first: PlanVersion, policy: ReviewPolicy
    ) -> "Plan":
        plan = cls(plan_id, person_id, policy, [first])
        plan._record_drafted(first)
        return plan

    @property
    def current(self) -> PlanVersion:
        return self.versions[-1]

    @property
    def status(self) -> PlanStatus:
        return self.current.status

    @property
    def in_force(self) -> PlanVersion | None:
        """The latest agreed (or under review) version: what is being delivered now."""
        if self.status is PlanStatus.ENDED:
            return None
        return next((v for v in reversed(self.versions) if v.status in IN_FORCE), None)

    def version(self, number: int) -> PlanVersion:
        return self.versions[number - 1]

    def status_of(self, number: int) -> PlanStatus:
        """A version's status now: an agreed version replaced by a newer agreement (or by the
        plan ending) is superseded."""
        version, live = self.version(number), self.in_force
        if version.agreement is None:
            return version.status
        if self.status is PlanStatus.ENDED or (live and version.agreement != live.agreement):
            return PlanStatus.SUPERSEDED
        return version.status

    def propose(self, seen_version: int, *, on: date) -> PlanVersion:
        self._check(seen_version, "propose", PlanStatus.DRAFT)
        new = self._append(status=PlanStatus.PROPOSED, created_on=on)
        self.events.append(ev.PlanProposed(self.plan_id, new.number))
        return new

    def approve_top_up(
        self, seen_version: int, *, pence: int, assessor_id: str, reason: str, on: date
    ) -> PlanVersion:
        """An assessor accepts a cost above the budget, funded outside it, for a stated reason;
        `pence` is the weekly shortfall they saw, and must be the plan's."""
        self._check(seen_version, "approve a top-up for", PlanStatus.DRAFT, PlanStatus.PROPOSED)
        shortfall = self.current.shortfall_pence
        if not self.current.over_budget:
            raise InvalidTransition("top_up", "the plan is within budget; no top-up is needed")
        _require_reason(reason, "a top-up needs the assessor's reason")
        if pence != shortfall:
            raise TopUpMismatch(shortfall, pence)
        top_up = TopUp(shortfall, assessor_id, reason.strip(), on)
        new = self._append(top_up=top_up, created_on=on)
        self.events.append(
            ev.TopUpApproved(self.plan_id, new.number, top_up.pence, assessor_id, top_up.reason)
        )
        return new

    def agree(
        self, seen_version: int, *, by: str, by_id: str, on: date, reason: str | None = None
    ) -> PlanVersion:
        """Agreement by the person, or by an assessor on their behalf (reason mandatory)."""
        self._check(seen_version, "agree", PlanStatus.PROPOSED)
        if by not in AGREED_BY:
            raise CarePlanError("by", f"must be one of {AGREED_BY}, got {by!r}")
        if by == "assessor":
            _require_reason(reason, "an assessor agreeing on the person's behalf must say why")
        if self.current.over_budget and not self.current.top_up_covers_shortfall:
            raise OverBudget(self.current.shortfall_pence)
        previous = self.in_force
        agreement = Agreement(
            self.current.number + 1, by, by_id, on, (reason or "").strip() or None
        )
        new = self._append(
            status=PlanStatus.AGREED,
            created_on=on,
            agreement=agreement,
            next_review_on=first_review_on(on, self.review_policy),
        )
        self.events.append(
            ev.PlanAgreed(
                self.plan_id, new.number, by, by_id, agreement.reason, on, new.next_review_on
            )
        )
        if previous is not None:
            why = f"replaced by version {new.number}, agreed on {on.isoformat()}"
            self.events.append(ev.PlanSuperseded(self.plan_id, previous.number, new.number, why))
        self._record_split_change(previous, new)
        return new

    def request_changes(self, seen_version: int, *, reason: str, by: str, on: date) -> PlanVersion:
        """The person does not agree the proposed version and says why: a new draft carrying
        the request, for the assessor to revise and propose again."""
        self._check(seen_version, "ask for changes to", PlanStatus.PROPOSED)
        _require_reason(reason, "say what you want changed")
        if len(reason.strip()) > MAX_REASON:
            raise ReasonRequired("reason", f"must be {MAX_REASON} characters or fewer")
        request = ChangeRequest(self.current.number, reason.strip(), by, on)
        new = self._append(status=PlanStatus.DRAFT, created_on=on, change_request=request)
        self.events.append(
            ev.ChangesRequested(self.plan_id, new.number, request.version, request.reason, by)
        )
        return new

    def start_review(self, seen_version: int, *, on: date) -> PlanVersion:
        self._check(seen_version, "start a review of", PlanStatus.AGREED)
        new = self._append(status=PlanStatus.UNDER_REVIEW, created_on=on)
        self.events.append(ev.ReviewStarted(self.plan_id, new.number, on))
        return new

    def complete_review(self, seen_version: int, *, reviewer_id: str, on: date) -> PlanVersion:
        """The plan still meets the needs: back to agreed, next review a full interval later."""
        self._check(seen_version, "complete a review of", PlanStatus.UNDER_REVIEW)
        next_on = next_review_after(on, self.review_policy)
        new = self._append(status=PlanStatus.AGREED, created_on=on, next_review_on=next_on)
        self.events.append(ev.ReviewCompleted(self.plan_id, new.number, reviewer_id, on, next_on))
        return new

    def managed_split(self) -> ManagedSplit:
        live = self.in_force
        if live is None:
            raise NotAgreed("status", f"plan {self.plan_id} has no agreed version")
        return split_version(live)

    def note_review(self, kind: str, due_on: date) -> bool:
        """Remember a review notice was raised; False if it already had been."""
        if (kind, due_on) in self.review_notices:
            return False
        self.review_notices.add((kind, due_on))
        return True

    def _check(self, seen_version: int, action: str, *allowed: PlanStatus) -> None:
        if seen_version != self.current.number:
            raise VersionConflict(seen_version, self.current.number)
        if self.status not in allowed:
            raise InvalidTransition("status", f"cannot {action} a plan that is {self.status}")

    def _append(self, **changes: object) -> PlanVersion:
        changes.setdefault("change_request", None)  # a request belongs to the draft it made
        new = replace(self.current, number=self.current.number + 1, **changes)
        self.versions.append(new)
        return new

    def _record_drafted(self, version: PlanVersion, decision_kind: str | None = None) -> None:
        self.events.append(ev.drafted(self.plan_id, self.person_id, version, decision_kind))

    def _record_split_change(self, previous: PlanVersion | None, new: PlanVersion) -> None:
        changed = split_change(self.plan_id, previous, new)
        if changed is not None:
            self.events.append(changed)


def _require_reason(reason: str | None, message: str) -> None:
    if reason is None or not reason.strip():
        raise ReasonRequired("reason", message)
