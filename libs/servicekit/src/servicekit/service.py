"""The one place a service is wired: pool, migrations, broker, consumer, relay, HTTP, telemetry."""

import asyncio
import contextlib
import logging
import os
import signal
import socket
import threading
import time
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
from contracts.envelope import Envelope
from fastapi import APIRouter, FastAPI, Request
from faststream.kafka import KafkaBroker
from faststream.kafka.opentelemetry import KafkaTelemetryMiddleware
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from opentelemetry.sdk.trace import TracerProvider

from servicekit import db, telemetry
from servicekit.consumer import EventConsumer, Handler
from servicekit.deadletter import DeadLetters
from servicekit.faults import describe, is_infrastructure
from servicekit.health import health_router, readiness_checks
from servicekit.http import CorrelationMiddleware, install_error_handlers
from servicekit.outbox import OutboxRelay
from servicekit.publishing import kafka_publisher
from servicekit.settings import ServiceSettings
from servicekit.skipped import SkippedEvents
from servicekit.supervision import Backoff, Supervisor
from servicekit.uow import AsyncpgUnitOfWork, UnitOfWork

__all__ = ["Runtime", "ServiceDefinition", "create_service_app", "deps_of", "kafka_publisher"]
log = logging.getLogger(__name__)
EXIT_FOR_RESTART = 75
"""The exit status when a failure outlasted `supervisor_exit_after_seconds` (EX_TEMPFAIL)."""


@dataclass(frozen=True)
class ServiceDefinition:
    name: str
    """Consumer group, dead-letter topic and telemetry service name."""
    migrations: Path
    make_uow: Callable[[asyncpg.Pool], UnitOfWork] = AsyncpgUnitOfWork
    handlers: Mapping[type[Envelope[Any]], Handler] = field(default_factory=dict)
    consumes: Sequence[str] = ()
    routers: Sequence[APIRouter] = ()
    background: Sequence[Callable[["Runtime"], Awaitable[None]]] = ()
    """Long-running jobs, each run under the kit's supervisor (servicekit.supervision): a job
    that raises is logged, backed off and started again; `supervision.every` makes one."""
    title: str = ""
    error_statuses: Mapping[type[Exception], int] = field(default_factory=dict)
    """Domain error classes -> HTTP status; only entrypoints know these (see servicekit.http)."""
    unprocessable: tuple[type[Exception], ...] = ()
    """Domain errors that mean an event can never be applied: dead-lettered at once."""
    make_deps: Callable[["Runtime"], Any] | None = None
    """Builds the service's dependencies once the pool exists; event handlers receive them as
    their third argument and routes through `deps_of(request)`."""


@dataclass
class Runtime:
    name: str
    settings: ServiceSettings
    broker: KafkaBroker
    tracer_provider: TracerProvider
    pool: asyncpg.Pool = None  # type: ignore[assignment]
    relay: OutboxRelay | None = None
    consumer: EventConsumer | None = None
    make_uow: Callable[[asyncpg.Pool], UnitOfWork] = AsyncpgUnitOfWork
    tasks: list[asyncio.Task[Any]] = field(default_factory=list)
    deps: Any = None
    supervisor: Supervisor = field(default_factory=Supervisor)
    exit_code: int = 0

    def uow(self) -> UnitOfWork:
        return self.make_uow(self.pool)

    async def readiness(self) -> dict[str, bool]:
        return await readiness_checks(self)


def runtime_of(request: Request) -> Runtime:
    return request.app.state.runtime


def deps_of(request: Request) -> Any:
    """The service's dependencies, for FastAPI `Annotated[..., Depends(...)]` aliases."""
    return request.app.state.runtime.deps


def create_service_app(
    definition: ServiceDefinition,
    settings: ServiceSettings,
    state: Mapping[str, Any] | None = None,
    *,
    on_fatal: Callable[[str], None] | None = None,
) -> Any:
    """An ASGI app; `state` (e.g. the rule book, a clock) is set on the FastAPI app's state.
    `on_fatal(reason)` replaces exiting the process when a failure persists (for tests)."""
    provider = telemetry.create_tracer_provider(
        definition.name, settings.otel_traces_file, settings.otel_exporter_otlp_endpoint
    )
    broker = KafkaBroker(
        settings.kafka_bootstrap_servers,
        client_id=definition.name,
        enable_idempotence=True,
        middlewares=[KafkaTelemetryMiddleware(tracer_provider=provider)],
        graceful_timeout=10,
    )
    runtime = Runtime(definition.name, settings, broker, provider, make_uow=definition.make_uow)
    runtime.supervisor = Supervisor(
        exit_after=settings.supervisor_exit_after_seconds,
        on_fatal=on_fatal or _exit_for_restart(runtime),
        backoff_cap=settings.supervisor_backoff_max_seconds,
    )
    app = FastAPI(
        title=definition.title or definition.name, lifespan=_lifespan(definition, runtime)
    )
    app.state.runtime = runtime
    for key, value in (state or {}).items():
        setattr(app.state, key, value)
    install_error_handlers(app, definition.error_statuses)
    app.include_router(health_router(runtime_of))
    for router in definition.routers:
        app.include_router(router)
    return OpenTelemetryMiddleware(CorrelationMiddleware(app), tracer_provider=provider)


def _lifespan(definition: ServiceDefinition, runtime: Runtime):  # noqa: ANN202
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings, started = runtime.settings, time.monotonic()
        runtime.pool = await _once_reachable(
            lambda: db.create_pool(
                settings.database_url, settings.pool_min_size, settings.pool_max_size
            ),
            settings.supervisor_exit_after_seconds,
        )
        await db.migrate(runtime.pool, definition.migrations)
        if definition.make_deps is not None:
            runtime.deps = definition.make_deps(runtime)
        if definition.consumes:
            runtime.consumer = _consumer(definition, runtime)
        connected = time.monotonic()
        await runtime.broker.start()
        _start_tasks(definition, runtime)
        log.warning(
            "%s started in %.2f s (database and migrations %.2f s, broker and consumer group"
            " %.2f s)", definition.name, time.monotonic() - started, connected - started,
            time.monotonic() - connected,
        )  # fmt: skip
        try:
            yield
        finally:
            await _shutdown(runtime)
            if runtime.exit_code:
                os._exit(runtime.exit_code)  # after a clean shutdown, with a status that says why

    return lifespan


def _consumer(definition: ServiceDefinition, runtime: Runtime) -> EventConsumer:
    settings = runtime.settings
    consumer = EventConsumer(
        definition.name,
        definition.handlers,
        runtime.uow,
        DeadLetters(definition.name, runtime.broker, runtime.pool),
        deps=lambda: runtime.deps,
        unprocessable=definition.unprocessable,
        max_attempts=settings.consumer_max_attempts,
        backoff_ms=settings.consumer_retry_backoff_ms,
        skipped=SkippedEvents(definition.name, runtime.pool),
        health=runtime.supervisor.watch("consumer"),
        infrastructure_backoff=Backoff(cap=settings.supervisor_backoff_max_seconds),
        infrastructure_wait=settings.consumer_infrastructure_wait_seconds,
    )
    instance = None
    if settings.consumer_static_membership:
        host = f"{socket.gethostname()}:{settings.http_port}"
        instance = settings.consumer_instance_id or f"{definition.name}@{host}"
    consumer.subscribe(runtime.broker, definition.consumes, settings.consumer_workers, instance)
    return consumer


def _start_tasks(definition: ServiceDefinition, runtime: Runtime) -> None:
    settings, supervisor = runtime.settings, runtime.supervisor
    if settings.relay_enabled:
        runtime.relay = OutboxRelay(
            runtime.pool,
            kafka_publisher(runtime.broker),
            lock_key=zlib.crc32(definition.name.encode()),
            batch_size=settings.relay_batch_size,
            poll_interval=settings.relay_poll_interval_ms / 1000,
        )
        runtime.tasks.append(supervisor.start("outbox-relay", runtime.relay.run))
    for job in definition.background:
        name = getattr(job, "__qualname__", "job").replace(".<locals>", "")
        runtime.tasks.append(supervisor.start(name, lambda job=job: job(runtime)))
    runtime.tasks.append(asyncio.create_task(supervisor.watchdog(), name="watchdog"))


async def _once_reachable(connect: Callable[[], Awaitable[Any]], patience: float) -> Any:
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


async def _shutdown(runtime: Runtime) -> None:
    """Stop taking work, let in-flight handlers finish, then close connections."""
    if runtime.consumer is not None:
        runtime.consumer.stop()
    for task in runtime.tasks:
        task.cancel()
    await asyncio.gather(*runtime.tasks, return_exceptions=True)
    await runtime.broker.stop()
    await runtime.pool.close()
    runtime.tracer_provider.shutdown()


def _exit_for_restart(runtime: Runtime) -> Callable[[str], None]:
    """Shut down as on SIGTERM, then exit with EXIT_FOR_RESTART (at the latest after 30 s)."""

    def exit_process(reason: str) -> None:
        log.critical("%s; exiting with status %d to be restarted", reason, EXIT_FOR_RESTART)
        runtime.exit_code = EXIT_FOR_RESTART
        timer = threading.Timer(30, os._exit, (EXIT_FOR_RESTART,))
        timer.daemon = True
        timer.start()
        signal.raise_signal(signal.SIGTERM)

    return exit_process
