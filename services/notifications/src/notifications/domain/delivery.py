"""The life of one notification: pending -> sending -> delivered | temporary | permanent failure.

Status reports (our own send results and Notify callbacks) arrive at least once and out of order,
so ``Delivery.report`` only ever moves forward and ignores anything stale. A temporary failure is
retried with capped exponential back-off until the attempts run out, then it is permanent.
"""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from notifications.domain.channels import Channel
from notifications.domain.errors import NotificationsError


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    TEMPORARY_FAILURE = "temporary_failure"
    DELIVERED = "delivered"
    PERMANENT_FAILURE = "permanent_failure"


FINAL = frozenset({DeliveryStatus.DELIVERED, DeliveryStatus.PERMANENT_FAILURE})
_RANK = {
    DeliveryStatus.PENDING: 0,
    DeliveryStatus.SENDING: 1,
    DeliveryStatus.TEMPORARY_FAILURE: 2,
    DeliveryStatus.DELIVERED: 3,
    DeliveryStatus.PERMANENT_FAILURE: 3,
}


class InvalidTransition(NotificationsError, ValueError):
    """A command (not a report) asked for a move the state machine does not allow."""

    field = "reference"


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    base_delay: timedelta = timedelta(minutes=1)
    max_delay: timedelta = timedelta(hours=6)

    def __post_init__(self) -> None:
        if self.max_attempts < 1 or self.base_delay <= timedelta(0):
            raise ValueError("a retry policy needs at least one attempt and a positive delay")
        if self.max_delay < self.base_delay:
            raise ValueError("the longest delay cannot be shorter than the first")


DEFAULT_POLICY = RetryPolicy()


def next_retry_at(
    attempts: int, now: datetime, policy: RetryPolicy = DEFAULT_POLICY, jitter: float = 0.0
) -> datetime:
    """When to try again after ``attempts`` failed attempts: base x 2^(attempts-1), capped.

    ``jitter`` in [0, 1) (the caller's random number) takes up to half the delay off, so a burst
    of failures does not retry in lockstep. The delay always lies in [base / 2, max_delay].
    """
    if attempts < 1:
        raise ValueError("there is nothing to retry before the first attempt")
    if not 0.0 <= jitter < 1.0:
        raise ValueError("jitter must be in [0, 1)")
    delay = policy.base_delay
    for _ in range(attempts - 1):  # stops doubling at the cap, so a huge count cannot overflow
        if delay >= policy.max_delay:
            break
        delay *= 2
    delay = min(delay, policy.max_delay)
    return now + delay - delay * (jitter / 2)


@dataclass(frozen=True)
class Delivery:
    key: str  # notification_key(...)
    channel: Channel
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: int = 0
    next_attempt_at: datetime | None = None  # set while pending or waiting to retry
    reason: str | None = None
    updated_at: datetime | None = None
    policy: RetryPolicy = DEFAULT_POLICY

    @classmethod
    def new(
        cls, key: str, channel: Channel, now: datetime, policy: RetryPolicy = DEFAULT_POLICY
    ) -> "Delivery":
        return cls(key, Channel(channel), next_attempt_at=now, updated_at=now, policy=policy)

    @property
    def is_final(self) -> bool:
        return self.status in FINAL

    def is_due(self, now: datetime) -> bool:
        waiting = self.status in (DeliveryStatus.PENDING, DeliveryStatus.TEMPORARY_FAILURE)
        return waiting and self.next_attempt_at is not None and self.next_attempt_at <= now

    def start_attempt(self, now: datetime) -> "Delivery":
        """Record that we are about to call Notify (before the call, so a crash is visible)."""
        if not self.is_due(now):
            raise InvalidTransition(f"{self.key}: not due for an attempt ({self.status.value})")
        return replace(
            self,
            status=DeliveryStatus.SENDING,
            attempts=self.attempts + 1,
            next_attempt_at=None,
            reason=None,
            updated_at=now,
        )

    def report(
        self,
        status: DeliveryStatus,
        now: datetime,
        *,
        attempt: int | None = None,
        reason: str | None = None,
        jitter: float = 0.0,
    ) -> "Delivery":
        """Apply a status report; returns ``self`` unchanged when it is stale or a repeat.

        ``attempt`` says which attempt the report is about, when known. A report about an
        earlier attempt can still say "delivered" (that message got through) but its failures
        no longer matter.
        """
        status = DeliveryStatus(status)
        if self.attempts == 0:
            raise InvalidTransition(f"{self.key}: a report arrived before any attempt started")
        if attempt is not None and attempt > self.attempts:
            raise InvalidTransition(f"{self.key}: report for attempt {attempt} never started")
        stale = attempt is not None and attempt < self.attempts
        if self.is_final or _RANK[status] <= _RANK[self.status]:
            return self
        if stale and status is not DeliveryStatus.DELIVERED:
            return self
        if status is DeliveryStatus.TEMPORARY_FAILURE:
            return self._failed_for_now(now, reason, jitter)
        return replace(self, status=status, next_attempt_at=None, reason=reason, updated_at=now)

    def retry_at(self, when: datetime, now: datetime, reason: str) -> "Delivery":
        """An attempt interrupted before its outcome was known (its sender vanished): due again
        at ``when``, with no back-off, since the provider was not at fault. Attempts still count,
        so a message that keeps crashing its sender ends permanently failed."""
        if self.status is not DeliveryStatus.SENDING:
            raise InvalidTransition(f"{self.key}: no attempt in progress ({self.status.value})")
        return self._failed_for_now(now, reason, retry_at=when)

    def _failed_for_now(
        self,
        now: datetime,
        reason: str | None,
        jitter: float = 0.0,
        retry_at: datetime | None = None,
    ) -> "Delivery":
        if self.attempts >= self.policy.max_attempts:
            gave_up = f"gave up after {self.attempts} attempts" + (f": {reason}" if reason else "")
            return replace(
                self,
                status=DeliveryStatus.PERMANENT_FAILURE,
                next_attempt_at=None,
                reason=gave_up,
                updated_at=now,
            )
        if retry_at is None:
            retry_at = next_retry_at(max(self.attempts, 1), now, self.policy, jitter)
        return replace(
            self,
            status=DeliveryStatus.TEMPORARY_FAILURE,
            next_attempt_at=retry_at,
            reason=reason,
            updated_at=now,
        )


def status_from_notify(notify_status: str) -> DeliveryStatus:
    """Map a GOV.UK Notify status (any channel) onto ours; unknown statuses are refused."""
    try:
        return NOTIFY_STATUSES[notify_status]
    except KeyError:
        raise ValueError(f"unknown Notify status {notify_status!r}") from None


NOTIFY_STATUSES = {
    "created": DeliveryStatus.SENDING,
    "sending": DeliveryStatus.SENDING,
    "pending": DeliveryStatus.SENDING,
    "sent": DeliveryStatus.DELIVERED,  # international text: no further receipt will ever come
    "accepted": DeliveryStatus.SENDING,  # letter being printed
    "pending-virus-check": DeliveryStatus.SENDING,
    "delivered": DeliveryStatus.DELIVERED,
    "received": DeliveryStatus.DELIVERED,  # letter handed to the postal service
    "temporary-failure": DeliveryStatus.TEMPORARY_FAILURE,
    "technical-failure": DeliveryStatus.TEMPORARY_FAILURE,
    "permanent-failure": DeliveryStatus.PERMANENT_FAILURE,
    "validation-failed": DeliveryStatus.PERMANENT_FAILURE,
    "virus-scan-failed": DeliveryStatus.PERMANENT_FAILURE,
    "cancelled": DeliveryStatus.PERMANENT_FAILURE,
}
