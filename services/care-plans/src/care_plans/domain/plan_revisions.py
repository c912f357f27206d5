"""Changes that redraft a plan from outside the agreement cycle: a superseding decision
(rebudget, end) and the person's choices (revise). Part of the Plan aggregate (a mixin, so
plan.py stays readable); each change is a new version, never an edit.
"""

from datetime import date
from typing import TYPE_CHECKING

from care_plans.domain import events as ev
from care_plans.domain.errors import InvalidTransition, StaleDecision
from care_plans.domain.money import require_pence
from care_plans.domain.plan_version import PlanStatus, PlanVersion

if TYPE_CHECKING:
    from care_plans.domain.plan import Plan

OPEN = (PlanStatus.DRAFT, PlanStatus.PROPOSED, PlanStatus.AGREED, PlanStatus.UNDER_REVIEW)


class Revisions:
    def rebudget(
        self: "Plan",
        new_budget_pence: int,
        decision_id: str,
        decision_version: int,
        *,
        on: date,
        redrafted: PlanVersion | None = None,
        decision_kind: str | None = None,
    ) -> PlanVersion:
        """A superseding decision changed the budget: a new draft that must be agreed again.
        The agreed version stays in force (care continues) until the new one is agreed.
        `redrafted` carries new services when the decision also changed the outcomes or area."""
        require_pence(new_budget_pence, "new_budget_pence")
        if self.status not in OPEN:
            raise InvalidTransition("status", f"cannot re-budget a plan that is {self.status}")
        current = self.current
        same_decision = decision_id == current.decision_id
        if same_decision and decision_version == current.decision_version:
            if new_budget_pence == current.weekly_budget_pence:
                return current  # the same decision delivered again: nothing changes
        if same_decision and decision_version <= current.decision_version:
            raise StaleDecision(
                "decision_version",
                f"{decision_id} v{decision_version} is not newer than "
                f"v{current.decision_version}, which this plan already uses",
            )
        new = self._append(
            status=PlanStatus.DRAFT,
            created_on=on,
            decision_id=decision_id,
            decision_version=decision_version,
            weekly_budget_pence=new_budget_pence,
            top_up=None,
            agreement=None,
            next_review_on=None,
            **(_services_of(redrafted) if redrafted is not None else {}),
        )
        self._record_drafted(new, decision_kind)
        return new

    def revise(self: "Plan", seen_version: int, redrafted: PlanVersion, *, on: date) -> PlanVersion:
        """The person changed their choices: a new draft with the redrafted services, to be
        proposed and agreed again. Choices that change nothing make no new version."""
        self.check_revisable(seen_version)
        if _services_of(redrafted) == _services_of(self.current):
            return self.current
        new = self._append(
            status=PlanStatus.DRAFT,
            created_on=on,
            top_up=None,
            agreement=None,
            next_review_on=None,
            **_services_of(redrafted),
        )
        self._record_drafted(new)
        return new

    def check_revisable(self: "Plan", seen_version: int) -> None:
        """Raises unless `seen_version` is current and the plan open (check before redrafting)."""
        self._check(seen_version, "change the choices in", *OPEN)

    def end(
        self: "Plan", decision_id: str, decision_version: int, *, reason: str, on: date
    ) -> PlanVersion:
        """A decision found the person no longer eligible: a last version with no budget and no
        services; nothing is in force after it. Ending an ended plan changes nothing."""
        if self.status is PlanStatus.ENDED:
            return self.current
        live, last = self.in_force, self.current
        new = self._append(
            status=PlanStatus.ENDED,
            created_on=on,
            decision_id=decision_id,
            decision_version=decision_version,
            weekly_budget_pence=0,
            items=(),
            top_up=None,
            agreement=None,
            next_review_on=None,
        )
        replaced = (live or last).number
        self.events.append(ev.PlanEnded(self.plan_id, replaced, new.number, reason, on))
        if live is not None:  # providers stop being paid
            self.events.append(ev.ManagedServicesChanged(self.plan_id, new.number, 0, 0, 0, 0, ()))
        return new


def _services_of(version: PlanVersion) -> dict[str, object]:
    """What a redraft changes: the services bought and the choices and facts they came from."""
    keys = (
        "items",
        "catalogue_id",
        "outcomes",
        "area_code",
        "preferred_providers",
        "direct_payment_services",
    )
    return {key: getattr(version, key) for key in keys}
