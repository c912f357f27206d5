"""What the sender hands a channel adapter, and what the adapter must say happened."""

import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from notifications.domain.channels import Channel
from notifications.domain.delivery import DeliveryStatus

UNCERTAIN = "outcome unknown"


@dataclass(frozen=True)
class Outgoing:
    notification_id: uuid.UUID  # also Notify's `reference` and the SMTP Message-ID
    channel: Channel
    recipient: str
    template_id: str
    accessible_format: str
    subject: str | None
    body: str | None
    personalisation: Mapping[str, Any]
    attempt: int  # 1 for the first attempt

    @property
    def may_have_been_sent_before(self) -> bool:
        """An earlier attempt happened: its outcome may be unknown, so check before sending."""
        return self.attempt > 1


@dataclass(frozen=True)
class SendResult:
    """`status` is SENDING or DELIVERED when the provider `accepted` it, else a failure.

    A temporary failure means the provider certainly did not take the message, so it is safe to
    try again. When that is not certain, the adapter must say so with a permanent failure whose
    reason starts with UNCERTAIN: it is then never sent again automatically.
    """

    status: DeliveryStatus
    reason: str | None = None
    provider_id: str | None = None
    accepted: bool = False

    @classmethod
    def accepted_as(cls, status: DeliveryStatus, provider_id: str | None = None) -> "SendResult":
        return cls(status, None, provider_id, accepted=True)

    @classmethod
    def temporary(cls, reason: str) -> "SendResult":
        return cls(DeliveryStatus.TEMPORARY_FAILURE, reason)

    @classmethod
    def permanent(cls, reason: str) -> "SendResult":
        return cls(DeliveryStatus.PERMANENT_FAILURE, reason)

    @classmethod
    def uncertain(cls, reason: str) -> "SendResult":
        return cls(DeliveryStatus.PERMANENT_FAILURE, f"{UNCERTAIN}: {reason}")


HandedOver = Callable[[], Awaitable[bool]]
"""Called by an adapter just before the point of no return; False means stop: the attempt was
taken over by another sender and must not be sent."""


class ChannelSender(Protocol):
    async def send(self, message: Outgoing, handed_over: HandedOver) -> SendResult: ...
