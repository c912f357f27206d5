"""Prometheus metrics, served at GET /metrics with the kit's (servicekit.metrics), in its registry.

notifications_time_to_inbox_seconds      source event time -> the inbox copy committed (readable)
notifications_time_to_provider_seconds   source event time -> SMTP relay / Notify accepted it
notifications_outcomes_total             status changes by channel
notifications_waiting                    messages not final, by channel and status: pending,
                                         temporary_failure, sending (an attempt in progress),
                                         accepted (the provider has it, its final status to come)
notifications_unconfirmed                accepted messages with no final status in time
notifications_contact_gaps               people only the portal inbox can reach
"""

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from notifications.domain.figures import Backlog

INBOX_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800)
PROVIDER_BUCKETS = (0.5, 1, 5, 15, 60, 300, 900, 3600, 6 * 3600, 24 * 3600)


class Metrics:
    """In the kit's registry (servicekit.metrics), served with its figures at GET /metrics."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        self.time_to_inbox = Histogram(
            "notifications_time_to_inbox_seconds",
            "Seconds from the source event to its message being in the person's portal inbox",
            buckets=INBOX_BUCKETS,
            registry=self.registry,
        )
        self.time_to_provider = Histogram(
            "notifications_time_to_provider_seconds",
            "Seconds from the source event to the SMTP relay or Notify accepting the message",
            ["channel"],
            buckets=PROVIDER_BUCKETS,
            registry=self.registry,
        )
        self.outcomes = Counter(
            "notifications_outcomes",
            "Message status changes",
            ["channel", "status"],
            registry=self.registry,
        )
        self.waiting = Gauge(
            "notifications_waiting",
            "Messages not final yet",
            ["channel", "status"],
            registry=self.registry,
        )
        self.unconfirmed = Gauge(
            "notifications_unconfirmed",
            "Messages Notify accepted that have had no final status in time (for operations)",
            registry=self.registry,
        )
        self.contact_gaps = Gauge(
            "notifications_contact_gaps",
            "People only the portal inbox can reach",
            registry=self.registry,
        )

    def changed(self, channel: str, status: str) -> None:
        self.outcomes.labels(channel, status).inc()

    def reached_inbox(self, seconds: float) -> None:
        self.time_to_inbox.observe(seconds)

    def reached_provider(self, channel: str, seconds: float) -> None:
        self.time_to_provider.labels(channel).observe(seconds)

    def update(self, backlog: list[Backlog], unconfirmed: int, contact_gaps: int) -> None:
        self.waiting.clear()
        for row in backlog:
            self.waiting.labels(row.channel, row.stage).set(row.count)
        self.unconfirmed.set(unconfirmed)
        self.contact_gaps.set(contact_gaps)
