"""Applying a person's decisions to their care plan (the consumer of DecisionMade).

- No open plan: an eligible decision drafts one (plan id "<person>:<decision>").
- An open plan and a newer decision (higher decision_version, or one that says it supersedes
  the plan's decision): still eligible -> the plan is re-budgeted into a new draft that must be
  agreed again (services redrafted if the outcomes or area changed); no longer eligible -> the
  plan ends (a final version with no budget or services). The agreed version stays in force
  until then.
- The same or an older decision changes nothing (redelivery or out-of-order arrival).
Eligible means both `eligible` and `care_act_eligible`.
"""

import logging
from datetime import date

from contracts.assessment.v1 import DecisionMade, DecisionMadeV1

from care_plans.domain import choices
from care_plans.domain.catalogue import Catalogue
from care_plans.domain.drafting import DraftRequest, draft_plan
from care_plans.domain.plan import Plan
from care_plans.service_layer.plans import store, unprocessable

log = logging.getLogger(__name__)


async def apply_decision(event: DecisionMadeV1, uow, catalogue: Catalogue, today: date) -> None:  # noqa: ANN001
    decision, person_id = event.data, event.subject
    await uow.plans.lock_person(person_id)
    plan = await uow.plans.open_plan_of(person_id)
    if plan is None:
        if _eligible(decision) and not await uow.plans.knows_decision(decision.decision_id):
            with unprocessable("cannot draft a plan"):
                plan = draft_plan(_draft_request(person_id, decision), catalogue, today)
            await store(uow, plan, new=True)
        return
    if not _supersedes(decision, plan):
        log.info("decision %s v%d does not supersede plan %s; ignored",
                 decision.decision_id, decision.decision_version, plan.plan_id)  # fmt: skip
        return
    with unprocessable(f"cannot apply the decision to plan {plan.plan_id}"):
        if _eligible(decision):
            redrafted = choices.for_decision(
                plan, catalogue, today,
                area_code=decision.area_code, outcomes=decision.outcomes_not_achieved,
            )  # fmt: skip
            plan.rebudget(decision.award.net_weekly_pence, decision.decision_id,
                          decision.decision_version, on=today, redrafted=redrafted)  # fmt: skip
        else:
            plan.end(decision.decision_id, decision.decision_version,
                     reason=_ending_reason(decision), on=today)  # fmt: skip
    await store(uow, plan)


def _eligible(decision: DecisionMade) -> bool:
    return decision.eligible and decision.care_act_eligible


def _supersedes(decision: DecisionMade, plan: Plan) -> bool:
    if any(v.decision_id == decision.decision_id for v in plan.versions):
        return False
    current = plan.current
    return (decision.decision_version > current.decision_version
            or decision.supersedes_decision_id == current.decision_id)  # fmt: skip


def _ending_reason(decision: DecisionMade) -> str:
    kind = (getattr(decision, "kind", None) or "decision").replace("_", " ")
    return (f"ended: {kind} {decision.decision_id} (version {decision.decision_version}) "
            "found the person no longer eligible for care and support")  # fmt: skip


def _draft_request(person_id: str, decision: DecisionMade) -> DraftRequest:
    return DraftRequest(
        person_id=person_id,
        decision_id=decision.decision_id,
        decision_version=decision.decision_version,
        area_code=decision.area_code,
        outcomes_not_achieved=decision.outcomes_not_achieved,
        weekly_budget_pence=decision.award.net_weekly_pence,
    )
