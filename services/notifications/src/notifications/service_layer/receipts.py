"""Notify's delivery receipts. They come at least once and in any order; the delivery state
machine ignores repeats and regressions, so a stale receipt is applied as a no-op."""

from notifications.domain.delivery import DeliveryStatus, status_from_notify
from notifications.domain.errors import UnknownNotifyStatus, UnknownReference
from notifications.domain.messages import Message, Report
from notifications.service_layer.commands import ApplyReceipt
from notifications.service_layer.outcomes import Outcomes
from notifications.service_layer.ports import NotificationsUnitOfWork


async def apply_receipt(
    cmd: ApplyReceipt, uow: NotificationsUnitOfWork, outcomes: Outcomes
) -> None:
    async with uow:
        message = await uow.messages.get(cmd.reference, lock=True)
        if message is None:
            raise UnknownReference()
        await outcomes.apply(uow, message, notify_report(cmd.provider_id, cmd.status, message))
        await uow.commit()


def notify_report(provider_id: str, notify_status: str, message: Message) -> Report:
    """What a Notify status says about the attempt it was sent for."""
    try:
        status = status_from_notify(notify_status)
    except ValueError as unknown:
        raise UnknownNotifyStatus(str(unknown)) from None
    live = status in (DeliveryStatus.SENDING, DeliveryStatus.DELIVERED)
    return Report(
        status,
        reason=None if live else f"Notify reported {notify_status}",
        provider_id=provider_id,
        accepted=True,
        attempt=message.provider_ids.get(provider_id),
    )
