"""Prometheus metrics every service exposes at GET /metrics (prometheus-client), one registry per
app (tests run several in one process). A service adds its own instruments to `registry` and
refreshes figures it reads from its database in an `on_scrape` hook.

Counted as they happen:
  carebenefit_events_consumed_total{consumer,topic,outcome}   applied, duplicate (absorbed by
                                                               the inbox) or dead_lettered
  carebenefit_event_handler_seconds{consumer,event_type}      a handler on one event (no commit)
  carebenefit_dead_letters_total{consumer,topic,error_class}  records sent to the dead-letter topic
  carebenefit_messages_sent_total{topic}                      events the outbox relay published
  carebenefit_outbox_pruned_total                             published outbox rows deleted once
                                                               older than the retention
Read when scraped:
  carebenefit_outbox_pending                  outbox rows not published yet
  carebenefit_outbox_oldest_pending_seconds   age of the oldest of them (0 when none)
  carebenefit_dead_letters_open{consumer}     dead letters neither replayed nor discarded
  carebenefit_consumer_lag{topic,partition}   records after this process's position, per
                                              partition it is assigned (as of its last fetch)
  carebenefit_relay_leader                    1 when this process's relay holds the lock
  carebenefit_task_failing{task}              1 while a supervised task is failing
  carebenefit_python_heap_blocks              memory blocks Python's allocator holds for live
                                              objects: unlike RSS, it falls again once a
                                              backlog is freed, so a leak shows as growth
                                              from one quiet time to the next
"""

import asyncio
import contextlib
import logging
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

log = logging.getLogger(__name__)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
HANDLER_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
ScrapeHook = Callable[[], Awaitable[None]]


class ServiceMetrics:
    def __init__(self) -> None:
        self.registry = registry = CollectorRegistry()
        self.consumed = Counter(
            "carebenefit_events_consumed",
            "Events a consumer received, by what became of them",
            ["consumer", "topic", "outcome"],
            registry=registry,
        )
        self.handler_seconds = Histogram(
            "carebenefit_event_handler_seconds",
            "Seconds a handler took on one event (the commit of its batch apart)",
            ["consumer", "event_type"],
            buckets=HANDLER_BUCKETS,
            registry=registry,
        )
        self.dead_letters = Counter(
            "carebenefit_dead_letters",
            "Records sent to the consumer's dead-letter topic",
            ["consumer", "topic", "error_class"],
            registry=registry,
        )
        self.sent = Counter(
            "carebenefit_messages_sent",
            "Events the outbox relay published",
            ["topic"],
            registry=registry,
        )
        self.outbox_pruned = Counter(
            "carebenefit_outbox_pruned",
            "Published outbox rows deleted once older than the retention (servicekit.retention)",
            registry=registry,
        )
        self.outbox_pending = Gauge(
            "carebenefit_outbox_pending", "Outbox rows not published yet", registry=registry
        )
        self.outbox_oldest = Gauge(
            "carebenefit_outbox_oldest_pending_seconds",
            "Age of the oldest unpublished outbox row",
            registry=registry,
        )
        self.dead_letters_open = Gauge(
            "carebenefit_dead_letters_open",
            "Dead letters neither replayed nor discarded",
            ["consumer"],
            registry=registry,
        )
        self.lag = Gauge(
            "carebenefit_consumer_lag",
            "Records after this process's position in each partition it is assigned",
            ["topic", "partition"],
            registry=registry,
        )
        self.relay_leader = Gauge(
            "carebenefit_relay_leader", "1 when this process's relay leads", registry=registry
        )
        self.task_failing = Gauge(
            "carebenefit_task_failing",
            "1 while a supervised task is failing",
            ["task"],
            registry=registry,
        )
        self.heap_blocks = Gauge(
            "carebenefit_python_heap_blocks",
            "Memory blocks Python's allocator holds for live objects (sys.getallocatedblocks)",
            registry=registry,
        )
        self.heap_blocks.set_function(sys.getallocatedblocks)
        self._hooks: list[ScrapeHook] = []

    def on_scrape(self, hook: ScrapeHook) -> None:
        self._hooks.append(hook)

    async def exposition(self) -> bytes:
        """Every hook run (one failing is logged and leaves its figures as they were)."""
        for hook in self._hooks:
            try:
                await hook()
            except Exception as exc:
                log.warning("metrics: %s failed: %s", getattr(hook, "__name__", hook), exc)
        return generate_latest(self.registry)


async def refresh_kit_figures(runtime: Any) -> None:
    """The gauges read when scraped: outbox, open dead letters, lag, relay, failing tasks."""
    metrics, pool = runtime.metrics, runtime.pool
    outbox = await pool.fetchrow(
        "SELECT count(*) AS pending, extract(epoch FROM now() - min(created_at)) AS oldest"
        " FROM outbox WHERE published_at IS NULL"
    )
    metrics.outbox_pending.set(outbox["pending"])
    metrics.outbox_oldest.set(float(outbox["oldest"] or 0))
    metrics.dead_letters_open.clear()
    for row in await pool.fetch(
        "SELECT consumer, count(*) AS open FROM dead_letters WHERE resolution IS NULL"
        " GROUP BY consumer"
    ):
        metrics.dead_letters_open.labels(row["consumer"]).set(row["open"])
    metrics.relay_leader.set(1 if runtime.relay is not None and runtime.relay.is_leader else 0)
    metrics.task_failing.clear()
    for name, health in runtime.supervisor.tasks.items():
        metrics.task_failing.labels(name).set(1 if health.failing else 0)
    metrics.lag.clear()
    if runtime.consumer is not None:
        lag = await lag_by_partition(runtime.consumer.subscribers)
        for (topic, partition), records in lag.items():
            metrics.lag.labels(topic, str(partition)).set(records)


async def lag_by_partition(subscribers: list[Any]) -> dict[tuple[str, int], int]:
    """Records after the position, per assigned partition of each FastStream subscriber's
    aiokafka consumer, from the high-water marks of its last fetch (unknown ones left out)."""
    lag: dict[tuple[str, int], int] = {}
    for subscriber in subscribers:
        consumer = getattr(subscriber, "consumer", None)
        if consumer is None:
            continue
        with contextlib.suppress(Exception):
            for tp in consumer.assignment():
                high = consumer.highwater(tp)
                position = await asyncio.wait_for(consumer.position(tp), 1)
                if high is not None:
                    lag[(tp.topic, tp.partition)] = max(0, high - position)
    return lag
