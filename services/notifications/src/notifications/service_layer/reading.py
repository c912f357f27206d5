"""The person reads their portal inbox: opening a message marks it read (once)."""

import uuid

from notifications.domain.errors import UnknownMessage
from notifications.domain.messages import Message
from notifications.service_layer.commands import MarkMessageRead
from notifications.service_layer.ports import Clock, NotificationsUnitOfWork


async def mark_read(cmd: MarkMessageRead, uow: NotificationsUnitOfWork, clock: Clock) -> Message:
    try:
        notification_id = uuid.UUID(cmd.notification_id)
    except ValueError:
        raise UnknownMessage() from None
    async with uow:
        message = await uow.messages.get(notification_id, lock=True)
        if message is None or message.person_id != cmd.person_id:
            raise UnknownMessage()
        if message.mark_read(clock()):
            await uow.messages.save(message)
            await uow.commit()
    return message
