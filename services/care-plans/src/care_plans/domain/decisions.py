"""What an assessment decision does to a person's care plan.

- No open plan: an eligible decision drafts one (plan id "<person>:<decision>").
- An open plan and a newer decision (higher decision_version, or one that says it supersedes
  the plan's decision): still eligible -> the plan is re-budgeted into a new draft that must be
  agreed again (services redrafted if the outcomes or area changed); no longer eligible -> the
  plan ends (a final version with no budget or services). The agreed version stays in force
  until then.
- An uprating that leaves the budget as it is (and so the outcomes and area) changes nothing:
  the plan in force, or the draft in progress, stays as it is.
- The same or an older decision changes nothing (redelivery or out-of-order arrival).
Eligible means both `eligible` and `care_act_eligible`.
"""

from dataclasses import dataclass
from datetime import date

from care_plans.domain import choices
from care_plans.domain.catalogue import Catalogue
from care_plans.domain.drafting import DraftRequest
from care_plans.domain.plan import Plan

UPRATING = "uprating"  # the yearly uprating's decisions (assessment's DecisionMade kind)


@dataclass(frozen=True)
class Decision:
    """A decision about a person's award, as far as their care plan is concerned."""

    person_id: str
    decision_id: str
    decision_version: int
    kind: (
        str | None
    )  # new_claim, reconsideration, change_of_circumstances, uprating (None: not said)
    supersedes_decision_id: str | None
    eligible: bool
    care_act_eligible: bool
    area_code: str
    outcomes_not_achieved: tuple[str, ...]
    weekly_budget_pence: int  # the award's net weekly amount

    @property
    def funds_care(self) -> bool:
        """Eligible on both tests: the award's and the Care Act criteria."""
        return self.eligible and self.care_act_eligible

    def draft_request(self) -> DraftRequest:
        return DraftRequest(
            person_id=self.person_id,
            decision_id=self.decision_id,
            decision_version=self.decision_version,
            area_code=self.area_code,
            outcomes_not_achieved=self.outcomes_not_achieved,
            weekly_budget_pence=self.weekly_budget_pence,
        )

    def supersedes(self, plan: Plan) -> bool:
        if any(v.decision_id == self.decision_id for v in plan.versions):
            return False
        current = plan.current
        return (
            self.decision_version > current.decision_version
            or self.supersedes_decision_id == current.decision_id
        )

    def leaves_alone(self, plan: Plan) -> bool:
        """An uprating whose budget is the plan's already: nothing for the plan to change."""
        return (
            self.kind == UPRATING and self.weekly_budget_pence == plan.current.weekly_budget_pence
        )

    def ending_reason(self) -> str:
        kind = (self.kind or "decision").replace("_", " ")
        return (
            f"ended: {kind} {self.decision_id} (version {self.decision_version}) "
            "found the person no longer eligible for care and support"
        )


def apply_to(plan: Plan, decision: Decision, catalogue: Catalogue, on: date) -> None:
    """A superseding decision: re-budget the plan (redrafting its services if the outcomes or
    area changed) while the person is still eligible, else end it."""
    if not decision.funds_care:
        plan.end(
            decision.decision_id,
            decision.decision_version,
            reason=decision.ending_reason(),
            on=on,
        )
        return
    redrafted = choices.for_decision(
        plan, catalogue, on, area_code=decision.area_code, outcomes=decision.outcomes_not_achieved
    )
    if decision.leaves_alone(plan) and redrafted is None:
        return
    plan.rebudget(
        decision.weekly_budget_pence,
        decision.decision_id,
        decision.decision_version,
        on=on,
        redrafted=redrafted,
        decision_kind=decision.kind,
    )
