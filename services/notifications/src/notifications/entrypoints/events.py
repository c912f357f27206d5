"""Events in, commands out: what each published event tells the person, as domain notices.

The consumer calls `handler(event, uow, deps)` inside its unit of work, once the inbox has
recognised a first delivery; the handler's use case runs in that same transaction.
"""

from collections.abc import Sequence
from typing import Any

from contracts.assessment import v1 as assessment
from contracts.care_plans import v1 as care_plans
from contracts.envelope import Envelope
from contracts.payments import v1 as payments

from notifications.domain import notices as n
from notifications.domain.messages import Origin
from notifications.entrypoints.dependencies import Dependencies
from notifications.service_layer import telling
from notifications.service_layer.commands import (
    RecordDecision,
    RecordReconsideration,
    RememberPerson,
    TellPerson,
)
from notifications.service_layer.ports import NotificationsUnitOfWork, ReadAhead

UPRATING = "uprating"  # DecisionMade's kind for the yearly uprating
REASON_RULES = (
    "decision.uprating",  # the yearly uprating says so, and what the award was and is now
    "functional.daily_living.band",
    "functional.mobility.band",
    "care_act.eligible",
    "care_act.outcomes_not_achieved",
    "means.contribution",
    "decision.eligible",
)


def origin(event: Envelope[Any]) -> Origin:
    return Origin(event.subject, event.id, event.time, event.correlationid, event.traceparent)


def reasons_summary(event: assessment.DecisionMadeV1) -> str:
    d = event.data
    reasons = [line.text for line in d.explanation if line.rule in REASON_RULES]
    return "\n\n".join(reasons) or (d.explanation[-1].text if d.explanation else "")


def decision_notice(event: assessment.DecisionMadeV1) -> n.DecisionNotice:
    d, award = event.data, event.data.award
    return n.DecisionNotice(
        case_id=d.case_id,
        decided_on=n.uk_date(event.time),
        reasons_summary=reasons_summary(event),
        reconsideration_deadline=d.reconsideration_deadline,
        award=n.Award(
            assessed_weekly_pence=award.gross_weekly_pence,
            weekly_contribution_pence=award.weekly_contribution_pence,
            net_weekly_pence=award.net_weekly_pence,
            net_monthly_pence=award.net_monthly_pence,
        )
        if d.eligible
        else None,
        award_start=d.effective_date,
        review_date=d.review_date,
    )


def schedule_notice(event: payments.PaymentScheduleCreatedV1) -> n.ScheduleNotice:
    d = event.data
    first_due = min((p.due_date for p in d.upcoming), default=None)
    return n.ScheduleNotice(d.monthly_pence, first_due, d.aligned_to_universal_credit)


NOTICE_OF: dict[type, Any] = {
    assessment.DecisionMadeV1: decision_notice,
    payments.PaymentScheduleCreatedV1: schedule_notice,
    payments.PaymentIssuedV1: lambda e: n.PaymentIssuedNotice(e.data.amount_pence, e.data.paid_on),
    payments.PaymentFailedV1: lambda e: n.PaymentFailedNotice(
        e.data.amount_pence, e.data.reason_code, e.data.action
    ),
    payments.BankDetailsChangedV1: lambda e: n.BankDetailsChangedNotice(
        e.data.changed_on, e.data.changed_by == "staff", e.data.payments_held_until
    ),
    payments.StatementIssuedV1: lambda e: n.StatementNotice(
        e.data.period_start, e.data.period_end, e.data.net_pence
    ),
    payments.OverpaymentRaisedV1: lambda e: n.OverpaymentNotice(
        e.data.amount_pence, e.data.reason, e.data.recovery_per_period_pence, n.uk_date(e.time)
    ),
    payments.ContributionRaisedV1: lambda e: n.ContributionNotice(
        e.data.amount_pence, e.data.period_start, e.data.period_end, e.data.reason
    ),
    payments.ContributionInvoicedV1: lambda e: n.ContributionInvoiceNotice(
        e.data.invoice_reference,
        e.data.amount_pence,
        e.data.due_on,
        e.data.period_start,
        e.data.period_end,
    ),
    care_plans.PlanDraftedV1: lambda e: n.PlanDraftedNotice(
        e.data.weekly_budget_pence, e.data.shortfall_pence
    ),
    care_plans.PlanAgreedV1: lambda e: n.PlanAgreedNotice(
        n.uk_date(e.time), e.data.first_review_due
    ),
    care_plans.ReviewDueV1: lambda e: n.ReviewDueNotice(e.data.due_on),
}
"""Each event a person hears about -> the domain notice it calls for."""


async def on_assessment_submitted(
    event: assessment.AssessmentSubmittedV1, uow: NotificationsUnitOfWork, deps: Dependencies
) -> None:
    d = event.data
    await telling.remember_person(RememberPerson(event.subject, d.first_name, d.case_id), uow)


async def on_decision_made(
    event: assessment.DecisionMadeV1, uow: NotificationsUnitOfWork, deps: Dependencies
) -> None:
    d = event.data
    facts = n.DecisionFacts(
        d.decision_id,
        d.case_id,
        n.uk_date(event.time),
        d.award.net_weekly_pence,
        reasons_summary(event),
    )
    kind = getattr(d, "kind", None)  # absent from older producers
    command = RecordDecision(origin(event), facts, kind, decision_notice(event))
    await telling.record_decision(command, uow, deps.telling)


async def on_reconsideration_decided(
    event: assessment.ReconsiderationDecidedV1, uow: NotificationsUnitOfWork, deps: Dependencies
) -> None:
    d = event.data
    reconsideration = n.Reconsideration(
        event_id=event.id,
        person_id=event.subject,
        case_id=d.case_id,
        original_decision_id=d.original_decision_id,
        new_decision_id=d.new_decision_id,
        outcome=d.outcome,
        decided_at=event.time,
        correlation_id=event.correlationid,
        traceparent=event.traceparent,
    )
    await telling.record_reconsideration(RecordReconsideration(reconsideration), uow, deps.telling)


async def on_notice(event: Envelope[Any], uow: NotificationsUnitOfWork, deps: Dependencies) -> None:
    """Any other event in NOTICE_OF: its notice, for the person it is about."""
    command = TellPerson(origin(event), NOTICE_OF[type(event)](event))
    await telling.tell(command, uow, deps.telling)


async def on_plan_drafted(
    event: care_plans.PlanDraftedV1, uow: NotificationsUnitOfWork, deps: Dependencies
) -> None:
    """A plan re-budgeted for the yearly uprating is not a message of its own: the uprating's
    decision notice is the one the person gets (and says how their budget changed)."""
    if event.data.decision_kind == UPRATING:
        return
    await on_notice(event, uow, deps)


def read_ahead(events: Sequence[Envelope[Any]]) -> ReadAhead:
    """What the handlers of these events will look up: each event's person and whether it was
    told before, and the reconsiderations waiting for each decision made."""
    return ReadAhead(
        people=frozenset(event.subject for event in events),
        business_event_ids=frozenset(event.id for event in events),
        decision_ids=frozenset(
            event.data.decision_id
            for event in events
            if isinstance(event, assessment.DecisionMadeV1)
        ),
    )


HANDLERS: dict[type, Any] = {
    **{event: on_notice for event in NOTICE_OF},
    care_plans.PlanDraftedV1: on_plan_drafted,
    assessment.AssessmentSubmittedV1: on_assessment_submitted,
    assessment.DecisionMadeV1: on_decision_made,
    assessment.ReconsiderationDecidedV1: on_reconsideration_decided,
}
