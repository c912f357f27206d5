"""Starting and stopping a service's moving parts: its consumer, its supervised tasks, and the
exit (status 75) when a failure outlasts `supervisor_exit_after_seconds`."""

import asyncio
import hashlib
import logging
import os
import signal
import threading
import zlib
from collections.abc import Awaitable, Callable
from typing import Any

from contracts.registry import is_registered

from servicekit import heap
from servicekit.consumer import EventConsumer
from servicekit.deadletter import DeadLetters
from servicekit.deliveries import Deliveries
from servicekit.faults import describe, is_infrastructure
from servicekit.outbox import OutboxRelay
from servicekit.publishing import kafka_publisher
from servicekit.retention import pruning_job
from servicekit.skipped import SkippedEvents
from servicekit.supervision import Backoff

log = logging.getLogger("servicekit.service")
REBALANCE_MS = 30_000
"""The longest a rebalance waits for members to rejoin (a JoinGroup well within its timeout)."""
EXIT_FOR_RESTART = 75
"""The exit status when a failure outlasted `supervisor_exit_after_seconds` (EX_TEMPFAIL)."""


def build_consumer(definition: Any, runtime: Any) -> EventConsumer:
    """The service's one consumer, subscribed to all its topics (see EventConsumer.subscribe)."""
    settings = runtime.settings
    unbound = [topic for topic in definition.consumes if not is_registered(topic)]
    if unbound:  # the registry binds each event type to its topic and producer: check them all
        raise ValueError(f"{definition.name} consumes topics the registry does not know: {unbound}")
    deliveries = Deliveries(definition.name, runtime.pool, runtime.metrics)
    consumer = EventConsumer(
        definition.name,
        definition.handlers,
        runtime.uow,
        DeadLetters(definition.name, runtime.broker, runtime.pool, deliveries),
        deps=lambda: runtime.deps,
        unprocessable=definition.unprocessable,
        max_attempts=settings.consumer_max_attempts,
        backoff_ms=settings.consumer_retry_backoff_ms,
        skipped=SkippedEvents(definition.name, runtime.pool),
        health=runtime.supervisor.watch("consumer"),
        infrastructure_backoff=Backoff(cap=settings.supervisor_backoff_max_seconds),
        infrastructure_wait=settings.consumer_infrastructure_wait_seconds,
        batch_size=settings.consumer_batch_size,
        poll_ms=settings.consumer_poll_ms,
        tracer_provider=runtime.tracer_provider,
        deliveries=deliveries,
        fetch={
            "fetch_min_bytes": settings.consumer_fetch_min_bytes,
            "fetch_max_wait_ms": settings.consumer_fetch_max_wait_ms,
            "session_timeout_ms": settings.consumer_session_timeout_ms,
            # aiokafka waits on a JoinGroup only request_timeout_ms (40 s), and the rebalance
            # timeout defaults to the session timeout: keep it below, however long that is.
            "rebalance_timeout_ms": min(settings.consumer_session_timeout_ms, REBALANCE_MS),
        },
    )
    instance = settings.consumer_instance_id
    if instance:  # a new topic list never takes over an old member's assignment
        digest = hashlib.sha256(",".join(sorted(definition.consumes)).encode()).hexdigest()[:8]
        instance = f"{instance}#{digest}"
    consumer.subscribe(runtime.broker, definition.consumes, settings.consumer_workers, instance)
    return consumer


def start_tasks(definition: Any, runtime: Any) -> None:
    """The relay, outbox retention and every background job under the supervisor, and its
    exit watchdog."""
    settings, supervisor = runtime.settings, runtime.supervisor
    if settings.relay_enabled:
        runtime.relay = OutboxRelay(
            runtime.pool,
            kafka_publisher(runtime.broker, runtime.metrics, runtime.tracer_provider),
            lock_key=zlib.crc32(definition.name.encode()),
            batch_size=settings.relay_batch_size,
            poll_interval=settings.relay_poll_interval_ms / 1000,
        )
        runtime.tasks.append(supervisor.start("outbox-relay", runtime.relay.run))
    if (pruning := pruning_job(settings)) is not None:
        runtime.tasks.append(supervisor.start("outbox-retention", lambda: pruning(runtime)))
    for job in definition.background:
        name = getattr(job, "__qualname__", "job").replace(".<locals>", "")
        runtime.tasks.append(supervisor.start(name, lambda job=job: job(runtime)))
    if settings.tracemalloc_dir is not None:
        tracing = heap.job(
            settings.tracemalloc_dir,
            definition.name,
            settings.tracemalloc_every_s,
            settings.tracemalloc_frames,
        )
        runtime.tasks.append(supervisor.start("tracemalloc", tracing))
    runtime.tasks.append(asyncio.create_task(supervisor.watchdog(), name="watchdog"))


async def once_reachable(connect: Callable[[], Awaitable[Any]], patience: float) -> Any:
    """`connect()`, tried again while the infrastructure is unreachable, for `patience` s."""
    backoff, waited = Backoff(), 0.0
    while True:
        try:
            return await connect()
        except Exception as exc:
            if not is_infrastructure(exc) or waited > patience:
                raise
            delay = backoff.next_delay()
            log.warning("starting: %s; trying again in %.1f s", describe(exc), delay)
            await asyncio.sleep(delay)
            waited += delay


async def shutdown(runtime: Any) -> None:
    """Stop taking work, let in-flight handlers finish, then close connections."""
    if runtime.consumer is not None:
        runtime.consumer.stop()
    for task in runtime.tasks:
        task.cancel()
    await asyncio.gather(*runtime.tasks, return_exceptions=True)
    await runtime.broker.stop()
    await runtime.pool.close()
    runtime.tracer_provider.shutdown()


def exit_for_restart(runtime: Any) -> Callable[[str], None]:
    """Shut down as on SIGTERM, then exit with EXIT_FOR_RESTART (at the latest after 30 s)."""

    def exit_process(reason: str) -> None:
        log.critical("%s; exiting with status %d to be restarted", reason, EXIT_FOR_RESTART)
        runtime.exit_code = EXIT_FOR_RESTART
        timer = threading.Timer(30, os._exit, (EXIT_FOR_RESTART,))
        timer.daemon = True
        timer.start()
        signal.raise_signal(signal.SIGTERM)

    return exit_process
