"""Applying what we learn about a message, the same way whoever tells us: our own send result, a
Notify receipt, or Notify's answer when we ask. Reports arrive at least once and out of order;
`Message.report` only moves forward, so a late or repeated one changes nothing."""

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from notifications.domain.channels import Channel
from notifications.domain.delivery import RetryPolicy
from notifications.domain.messages import Change, Message, Report
from notifications.service_layer.ports import Clock, Measurements, NotificationsUnitOfWork


@dataclass(frozen=True)
class Outcomes:
    policy: RetryPolicy
    clock: Clock
    metrics: Measurements
    jitter: Callable[[], float] = field(default=random.random)

    async def apply(self, uow: NotificationsUnitOfWork, message: Message, report: Report) -> Change:
        """Raises InvalidTransition for a report about an attempt that never started."""
        now = self.clock()
        change = message.report(report, now, self.policy, self.jitter())
        await uow.messages.save(message)
        self.observe(uow, message, change)
        return change

    def observe(self, uow: NotificationsUnitOfWork, message: Message, change: Change) -> None:
        """Count the change once it is committed."""
        channel, metrics = message.channel.value, self.metrics
        seconds = max(0.0, (self.clock() - message.source_event_time).total_seconds())

        def count() -> None:
            if change.accepted and message.channel is not Channel.INBOX:
                metrics.reached_provider(channel, seconds)
            if change.status is not None:
                metrics.changed(channel, change.status.value)

        if change.accepted or change.status is not None:
            uow.after_commit(count)
