"""Keeping each person's managed-services arrangement in step with their agreed care plan
(care-plans.events: ManagedServicesChanged)."""

from payments.service_layer.commands import RecordManagedServices
from payments.service_layer.ports import PaymentsUnitOfWork


async def record_managed_services(cmd: RecordManagedServices, uow: PaymentsUnitOfWork) -> None:
    """Stores the plan's split. An older version of the same plan never overwrites a newer one;
    a redelivered event is dropped by the consumer's inbox before it gets here."""
    current = await uow.managed_services.for_update(cmd.person_id)
    if not cmd.arrangement.supersedes(current):
        return  # an older (or the same) version of the plan in force: nothing changes
    await uow.managed_services.save(cmd.person_id, cmd.arrangement, cmd.event_id)
