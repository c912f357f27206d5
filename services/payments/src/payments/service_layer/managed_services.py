"""Keeping each person's managed-services arrangement in step with their agreed care plan
(care-plans.events: ManagedServicesChanged)."""

from contracts.care_plans.v1 import ManagedServicesChangedV1
from servicekit.consumer import Unprocessable

from payments.domain.managed import ManagedServices, ProviderLine


async def record_managed_services(event: ManagedServicesChangedV1, uow) -> None:  # noqa: ANN001
    """Stores the plan's split. An older version of the same plan never overwrites a newer one;
    a redelivered event is dropped by the consumer's inbox before it gets here."""
    data, repo = event.data, uow.payments
    try:
        arrangement = ManagedServices(
            plan_id=data.plan_id, plan_version=data.version,
            weekly_budget_pence=data.weekly_budget_pence,
            managed_weekly_pence=data.managed_weekly_pence,
            direct_payment_weekly_pence=data.direct_payment_weekly_pence,
            top_up_weekly_pence=data.top_up_weekly_pence,
            providers=tuple(
                ProviderLine(p.service_code, p.provider_id, p.description, p.units_per_week,
                             p.unit_rate_pence, p.weekly_cost_pence)
                for p in data.providers if p.arranged_by == "scheme"))
    except (TypeError, ValueError) as exc:
        raise Unprocessable(f"plan {data.plan_id} version {data.version}: {exc}") from exc
    current = await repo.managed_services_for_update(event.subject)
    if not arrangement.supersedes(current):
        return  # an older (or the same) version of the plan in force: nothing changes
    await repo.save_managed_services(event.subject, arrangement, event.id)
