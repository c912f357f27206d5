"""Events payments consumes, each turned into a command for a use case (the kit's consumer
calls these inside the inbox transaction and commits)."""

from collections.abc import Sequence

from contracts.assessment.v1 import DecisionMadeV1
from contracts.benefits.v1 import UcClaimClosedV1, UcClaimOpenedV1, UcPeriodAssessedV1
from contracts.care_plans.v1 import ManagedServicesChangedV1
from servicekit.consumer import Batched, Handler

from payments.domain.awards import Decision
from payments.domain.managed import ManagedServices, ProviderLine
from payments.domain.stated_award import StatedAward, StatedComponent
from payments.domain.uc_means import UcHousehold
from payments.entrypoints.dependencies import Dependencies
from payments.service_layer import decisions, managed_services, uc_claims
from payments.service_layer.commands import (
    RecordDecision,
    RecordManagedServices,
    RecordUcClaimClosed,
    RecordUcClaimOpened,
    RecordUcPeriodAssessed,
)
from payments.service_layer.ports import PaymentsUnitOfWork


async def on_decision_made(
    event: DecisionMadeV1, uow: PaymentsUnitOfWork, deps: Dependencies
) -> None:
    d = event.data
    decision = Decision(
        decision_id=d.decision_id,
        decision_version=d.decision_version,
        effective_date=d.effective_date,
        eligible=d.eligible,
        rule_set_id=d.rule_set_id,
        weekly_pence_by_component=tuple((c.component, c.weekly_pence) for c in d.components),
        weekly_contribution_pence=d.means.weekly_contribution_pence,
        uprating=d.kind == "uprating",
    )
    command = RecordDecision(event.subject, decision, stated_award(event))
    await decisions.record_decision(command, uow, deps.planning, deps.today())


async def read_awards_ahead(
    events: Sequence[DecisionMadeV1], uow: PaymentsUnitOfWork, deps: Dependencies
) -> None:
    await uow.awards.read_ahead(event.subject for event in events)


async def write_awards_behind(uow: PaymentsUnitOfWork, deps: Dependencies) -> None:
    await uow.awards.write_behind()


def stated_award(event: DecisionMadeV1) -> StatedAward:
    d = event.data
    return StatedAward(
        decision_id=d.decision_id,
        rule_set_id=d.rule_set_id,
        eligible=d.eligible,
        care_act_eligible=d.care_act_eligible,
        financially_eligible=d.means.financially_eligible,
        components=tuple(
            StatedComponent(c.component, c.band, c.weekly_pence) for c in d.components
        ),
        means_contribution_weekly_pence=d.means.weekly_contribution_pence,
        gross_weekly_pence=d.award.gross_weekly_pence,
        contribution_weekly_pence=d.award.weekly_contribution_pence,
        net_weekly_pence=d.award.net_weekly_pence,
        net_monthly_pence=d.award.net_monthly_pence,
    )


async def on_uc_claim_opened(
    event: UcClaimOpenedV1, uow: PaymentsUnitOfWork, deps: Dependencies
) -> None:
    d = event.data
    command = RecordUcClaimOpened(
        event.subject,
        event.id,
        d.uc_claim_id,
        d.assessment_period_start_day,
        d.first_assessment_period_start,
    )
    await uc_claims.record_uc_claim_opened(command, uow, deps.planning, deps.today())


async def on_uc_claim_closed(
    event: UcClaimClosedV1, uow: PaymentsUnitOfWork, deps: Dependencies
) -> None:
    command = RecordUcClaimClosed(event.subject, event.data.uc_claim_id, event.data.closed_on)
    await uc_claims.record_uc_claim_closed(command, uow)


async def on_uc_period_assessed(
    event: UcPeriodAssessedV1, uow: PaymentsUnitOfWork, deps: Dependencies
) -> None:
    d = event.data
    command = RecordUcPeriodAssessed(
        event.subject,
        event.id,
        d.uc_claim_id,
        d.period_start,
        d.period_end,
        d.capital_pence,
        d.unearned_income_pence,
        d.earned_income_pence,
        UcHousehold(
            housing_costs_element=d.housing_costs_element,
            limited_capability_for_work=d.limited_capability_for_work,
            responsible_for_child=d.responsible_for_child,
        ),
    )
    await uc_claims.record_uc_period_assessed(command, uow, deps.planning, deps.today())


async def on_managed_services_changed(
    event: ManagedServicesChangedV1, uow: PaymentsUnitOfWork, deps: Dependencies
) -> None:
    """Only the providers the scheme arranges are kept: those the person arranges are paid from
    their direct payment."""
    d = event.data
    arrangement = ManagedServices.agreed(
        plan_id=d.plan_id,
        plan_version=d.version,
        weekly_budget_pence=d.weekly_budget_pence,
        managed_weekly_pence=d.managed_weekly_pence,
        direct_payment_weekly_pence=d.direct_payment_weekly_pence,
        top_up_weekly_pence=d.top_up_weekly_pence,
        providers=tuple(
            ProviderLine(
                p.service_code,
                p.provider_id,
                p.description,
                p.units_per_week,
                p.unit_rate_pence,
                p.weekly_cost_pence,
            )
            for p in d.providers
            if p.arranged_by == "scheme"
        ),
    )
    command = RecordManagedServices(event.subject, event.id, arrangement)
    await managed_services.record_managed_services(command, uow)


HANDLERS: dict[type, Handler] = {
    DecisionMadeV1: Batched(on_decision_made, read_awards_ahead, write_awards_behind),
    UcClaimOpenedV1: on_uc_claim_opened,
    UcClaimClosedV1: on_uc_claim_closed,
    UcPeriodAssessedV1: on_uc_period_assessed,
    ManagedServicesChangedV1: on_managed_services_changed,
}
