"""The one place a service is wired: pool, migrations, broker, consumer, relay, HTTP, telemetry."""

import asyncio
import contextlib
import logging
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
from contracts.envelope import Envelope
from fastapi import APIRouter, Depends, FastAPI, Request, Response
from faststream.kafka import KafkaBroker
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from opentelemetry.sdk.trace import TracerProvider

from servicekit import collector, db, lifecycle, telemetry
from servicekit.access import AccessMiddleware, install_access
from servicekit.audit import AuditWriter
from servicekit.audit_api import audit_router
from servicekit.auth import open_access, validator_from_settings
from servicekit.consumer import EventConsumer, Handler
from servicekit.health import OPERATORS, health_router, readiness_checks
from servicekit.http import CorrelationMiddleware, install_error_handlers
from servicekit.lifecycle import EXIT_FOR_RESTART
from servicekit.metrics import CONTENT_TYPE, ServiceMetrics, refresh_kit_figures
from servicekit.ops_api import ops_router
from servicekit.outbox import OutboxRelay
from servicekit.publishing import kafka_publisher
from servicekit.redaction import install_log_redaction
from servicekit.settings import ServiceSettings
from servicekit.stuck import StuckList
from servicekit.supervision import Supervisor
from servicekit.uow import AsyncpgUnitOfWork, UnitOfWork

__all__ = [
    "EXIT_FOR_RESTART", "Runtime", "ServiceDefinition", "create_service_app", "deps_of",
    "kafka_publisher", "runtime_of",
]  # fmt: skip
log = logging.getLogger(__name__)


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
    startup: Sequence[Callable[["Runtime"], Awaitable[None]]] = ()
    """Steps run in order after the migrations, before anything is consumed or served (e.g.
    sealing what a migration left in plaintext: servicekit.crypto.bring_all_up_to_date)."""
    title: str = ""
    error_statuses: Mapping[type[Exception], int] = field(default_factory=dict)
    """Domain error classes -> HTTP status; only entrypoints know these (see servicekit.http)."""
    unprocessable: tuple[type[Exception], ...] = ()
    """Domain errors that mean an event can never be applied: dead-lettered at once."""
    stuck: Sequence[StuckList] = ()
    """The service's stuck-case lists for national operations (servicekit.stuck)."""
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
    metrics: ServiceMetrics = field(default_factory=ServiceMetrics)
    exit_code: int = 0

    def uow(self) -> UnitOfWork:
        return self.make_uow(self.pool)

    async def readiness(self) -> dict[str, bool]:
        return await readiness_checks(self)


def runtime_of(request: Request) -> Runtime:
    return request.app.state.runtime


async def deps_of(request: Request) -> Any:
    """The service's dependencies, for FastAPI `Annotated[..., Depends(...)]` aliases (async:
    FastAPI runs a plain function dependency in a worker thread, a hop per request)."""
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
    install_log_redaction()
    provider = telemetry.create_tracer_provider(
        definition.name, settings.otel_traces_file, settings.otel_exporter_otlp_endpoint
    )
    broker = KafkaBroker(
        settings.kafka_bootstrap_list(),
        security=settings.faststream_security(),
        allow_auto_create_topics=False,  # topics are provisioned (devstack); no CREATE ACL
        client_id=definition.name,
        enable_idempotence=True,
        linger_ms=settings.kafka_linger_ms,  # the relay's batches: fewer, fuller requests
        compression_type=settings.kafka_compression_type,
        # No FastStream telemetry middleware: the kit makes the spans a trace needs, one per
        # event published (servicekit.publishing) and consumed (servicekit.consumer); the
        # middleware's two more per message and per batch were most of a small batch's CPU.
        # Its "Received"/"Processed" lines, one pair per batch, are debug-level for the same
        # reason (the kit's metrics count what was consumed).
        log_level=logging.DEBUG,
        graceful_timeout=10,
    )
    runtime = Runtime(definition.name, settings, broker, provider, make_uow=definition.make_uow)
    runtime.supervisor = Supervisor(
        exit_after=settings.supervisor_exit_after_seconds,
        on_fatal=on_fatal or lifecycle.exit_for_restart(runtime),
        backoff_cap=settings.supervisor_backoff_max_seconds,
    )
    docs = not settings.production  # /docs and /openapi.json are closed in production
    app = FastAPI(
        title=definition.title or definition.name,
        lifespan=_lifespan(definition, runtime),
        docs_url="/docs" if docs else None,
        redoc_url=None,
        openapi_url="/openapi.json" if docs else None,
    )
    app.state.runtime = runtime
    for key, value in (state or {}).items():
        setattr(app.state, key, value)
    install_error_handlers(app, definition.error_statuses)
    app.include_router(health_router(runtime_of))
    app.include_router(ops_router(runtime_of, OPERATORS, definition.stuck))
    app.include_router(metrics_router(runtime))
    app.include_router(audit_router(definition.name))
    for router in definition.routers:
        app.include_router(router)
    install_access(app, validator_from_settings(settings), AuditWriter(lambda: runtime.pool))
    app.add_middleware(AccessMiddleware, service=app)  # closed by default, audited
    # One server span a request; not one more for each ASGI receive and send message.
    return OpenTelemetryMiddleware(
        CorrelationMiddleware(app), tracer_provider=provider, exclude_spans=["receive", "send"]
    )


METRICS = [Depends(open_access("Prometheus scrapes: counts and timings, no personal data"))]


def metrics_router(runtime: Runtime) -> APIRouter:
    """GET /metrics: the kit's figures (servicekit.metrics) and the service's own."""
    router = APIRouter(tags=["operations"])
    runtime.metrics.on_scrape(lambda: refresh_kit_figures(runtime))

    @router.get("/metrics", include_in_schema=False, dependencies=METRICS)
    async def metrics() -> Response:
        return Response(await runtime.metrics.exposition(), media_type=CONTENT_TYPE)

    return router


def _lifespan(definition: ServiceDefinition, runtime: Runtime):
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings, started = runtime.settings, time.monotonic()
        runtime.pool = await lifecycle.once_reachable(
            lambda: db.create_pool(
                settings.database_url, settings.pool_min_size, settings.pool_max_size
            ),
            settings.supervisor_exit_after_seconds,
        )
        await db.migrate(runtime.pool, definition.migrations, settings.migration_database_url)
        for step in definition.startup:
            await step(runtime)
        if definition.make_deps is not None:
            runtime.deps = definition.make_deps(runtime)
        if definition.consumes:
            runtime.consumer = lifecycle.build_consumer(definition, runtime)
        connected = time.monotonic()
        await runtime.broker.start()
        lifecycle.start_tasks(definition, runtime)
        collector.settle(settings.gc_young_threshold)  # start-up is done: see its docstring
        log.info(
            "%s started in %.2f s (database and migrations %.2f s, broker and consumer group"
            " %.2f s)", definition.name, time.monotonic() - started, connected - started,
            time.monotonic() - connected,
        )  # fmt: skip
        try:
            yield
        finally:
            await lifecycle.shutdown(runtime)
            if runtime.exit_code:
                os._exit(runtime.exit_code)  # after a clean shutdown, with a status that says why

    return lifespan
