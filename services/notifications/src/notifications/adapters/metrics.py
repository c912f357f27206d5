"""Prometheus metrics, served at GET /metrics. Each app has its own registry (tests run several).

notifications_time_to_inbox_seconds      source event time -> the inbox copy committed (readable)
notifications_time_to_provider_seconds   source event time -> SMTP relay / Notify accepted it
notifications_outcomes_total             status changes by channel
notifications_waiting                    messages not yet accepted, by channel and status
notifications_contact_gaps               people only the portal inbox can reach
"""

import asyncpg
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

INBOX_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800)
PROVIDER_BUCKETS = (0.5, 1, 5, 15, 60, 300, 900, 3600, 6 * 3600, 24 * 3600)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.time_to_inbox = Histogram(
            "notifications_time_to_inbox_seconds",
            "Seconds from the source event to its message being in the person's portal inbox",
            buckets=INBOX_BUCKETS, registry=self.registry)
        self.time_to_provider = Histogram(
            "notifications_time_to_provider_seconds",
            "Seconds from the source event to the SMTP relay or Notify accepting the message",
            ["channel"], buckets=PROVIDER_BUCKETS, registry=self.registry)
        self.outcomes = Counter("notifications_outcomes", "Message status changes",
                                ["channel", "status"], registry=self.registry)
        self.waiting = Gauge("notifications_waiting", "Messages not yet accepted by a provider",
                             ["channel", "status"], registry=self.registry)
        self.contact_gaps = Gauge("notifications_contact_gaps",
                                  "People only the portal inbox can reach",
                                  registry=self.registry)

    async def exposition(self, pool: asyncpg.Pool) -> bytes:
        """The current figures, with the gauges read fresh from the database."""
        rows = await pool.fetch(
            "SELECT channel, status, count(*) AS n FROM messages WHERE channel <> 'inbox' AND"
            " (status IN ('pending', 'temporary_failure') OR"
            "  (status = 'sending' AND accepted_at IS NULL)) GROUP BY channel, status")
        self.waiting.clear()
        for row in rows:
            self.waiting.labels(row["channel"], row["status"]).set(row["n"])
        self.contact_gaps.set(await pool.fetchval("SELECT count(*) FROM contact_gaps"))
        return generate_latest(self.registry)
