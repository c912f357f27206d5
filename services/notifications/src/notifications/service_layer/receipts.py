"""Notify's delivery receipts. They come at least once and in any order; the delivery state
machine ignores repeats and regressions, so a stale receipt is applied as a no-op."""

from notifications.domain.delivery import DeliveryStatus, status_from_notify
from notifications.domain.errors import (
    NotificationsError,
    UnknownNotifyStatus,
    UnknownReference,
)
from notifications.domain.messages import Message, Report
from notifications.service_layer.commands import ApplyReceipt
from notifications.service_layer.outcomes import Outcomes
from notifications.service_layer.ports import NotificationsUnitOfWork


async def apply_receipt(
    cmd: ApplyReceipt, uow: NotificationsUnitOfWork, outcomes: Outcomes
) -> None:
    [answer] = await apply_receipts([cmd], uow, outcomes)
    if answer is not None:
        raise answer


async def apply_receipts(
    cmds: list[ApplyReceipt], uow: NotificationsUnitOfWork, outcomes: Outcomes
) -> list[NotificationsError | None]:
    """Receipts that came in together, in one transaction (their messages read and written in
    one statement each). Per receipt, the error its caller gets (None: applied); a receipt's
    own error leaves the others' applied."""
    async with uow:
        messages = {
            m.notification_id: m
            for m in await uow.messages.get_many({cmd.reference for cmd in cmds})
        }
        answers = [await _apply(cmd, messages.get(cmd.reference), uow, outcomes) for cmd in cmds]
        await uow.commit()
    return answers


async def _apply(
    cmd: ApplyReceipt, message: Message | None, uow: NotificationsUnitOfWork, outcomes: Outcomes
) -> NotificationsError | None:
    if message is None:
        return UnknownReference()
    try:  # (a report that cannot apply changes nothing: Message.report)
        await outcomes.apply(uow, message, notify_report(cmd.provider_id, cmd.status, message))
    except NotificationsError as exc:
        return exc
    return None


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
