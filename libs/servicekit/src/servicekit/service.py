"""The one place a service is wired: pool, migrations, broker, consumer, relay, HTTP, telemetry."""

import asyncio
import contextlib
import json
import logging
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
from opentelemetry import context as otel_context
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from opentelemetry.sdk.trace import TracerProvider

from servicekit import db, telemetry
from servicekit.access import AccessMiddleware, install_access
from servicekit.audit import AuditWriter
from servicekit.audit_api import audit_router
from servicekit.auth import validator_from_settings
from servicekit.consumer import EventConsumer, Handler
from servicekit.deadletter import DeadLetters
from servicekit.health import health_router
from servicekit.http import CorrelationMiddleware, install_error_handlers
from servicekit.outbox import OutboxRecord, OutboxRelay
from servicekit.settings import ServiceSettings
from servicekit.uow import AsyncpgUnitOfWork, UnitOfWork

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

    def uow(self) -> UnitOfWork:
        return self.make_uow(self.pool)

    async def readiness(self) -> dict[str, bool]:
        checks = {"database": False, "kafka": False, "background_tasks": True}
        with contextlib.suppress(Exception):
            checks["database"] = await self.pool.fetchval("SELECT 1", timeout=2) == 1
        with contextlib.suppress(Exception):
            checks["kafka"] = bool(await self.broker.ping(timeout=2))
        checks["background_tasks"] = not any(t.done() for t in self.tasks)
        return checks


def runtime_of(request: Request) -> Runtime:
    return request.app.state.runtime


def deps_of(request: Request) -> Any:
    """The service's dependencies, for FastAPI `Annotated[..., Depends(...)]` aliases."""
    return request.app.state.runtime.deps


def create_service_app(
    definition: ServiceDefinition, settings: ServiceSettings, state: Mapping[str, Any] | None = None
) -> Any:
    """An ASGI app; `state` (e.g. the rule book, a clock) is set on the FastAPI app's state."""
    provider = telemetry.create_tracer_provider(
        definition.name, settings.otel_traces_file, settings.otel_exporter_otlp_endpoint
    )
    broker = KafkaBroker(
        settings.kafka_bootstrap_servers,
        security=settings.faststream_security(),
        allow_auto_create_topics=False,  # topics are provisioned (devstack); no CREATE ACL
        client_id=definition.name,
        enable_idempotence=True,
        middlewares=[KafkaTelemetryMiddleware(tracer_provider=provider)],
        graceful_timeout=10,
    )
    runtime = Runtime(definition.name, settings, broker, provider, make_uow=definition.make_uow)
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
    app.include_router(audit_router(definition.name))
    for router in definition.routers:
        app.include_router(router)
    install_access(app, validator_from_settings(settings), AuditWriter(lambda: runtime.pool))
    app.add_middleware(AccessMiddleware, service=app)  # closed by default, audited
    return OpenTelemetryMiddleware(CorrelationMiddleware(app), tracer_provider=provider)


def _lifespan(definition: ServiceDefinition, runtime: Runtime):
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings = runtime.settings
        runtime.pool = await db.create_pool(
            settings.database_url, settings.pool_min_size, settings.pool_max_size
        )
        await db.migrate(runtime.pool, definition.migrations, settings.migration_database_url)
        if definition.make_deps is not None:
            runtime.deps = definition.make_deps(runtime)
        if definition.consumes:
            runtime.consumer = EventConsumer(
                definition.name,
                definition.handlers,
                runtime.uow,
                DeadLetters(definition.name, runtime.broker, runtime.pool),
                deps=lambda: runtime.deps,
                unprocessable=definition.unprocessable,
                max_attempts=settings.consumer_max_attempts,
                backoff_ms=settings.consumer_retry_backoff_ms,
            )
            runtime.consumer.subscribe(
                runtime.broker, list(definition.consumes), settings.consumer_workers
            )
        await runtime.broker.start()
        if settings.relay_enabled:
            runtime.relay = OutboxRelay(
                runtime.pool,
                kafka_publisher(runtime.broker),
                lock_key=zlib.crc32(definition.name.encode()),
                batch_size=settings.relay_batch_size,
                poll_interval=settings.relay_poll_interval_ms / 1000,
            )
            runtime.tasks.append(asyncio.create_task(runtime.relay.run(), name="outbox-relay"))
        runtime.tasks += [asyncio.create_task(job(runtime)) for job in definition.background]
        try:
            yield
        finally:
            await _shutdown(runtime)

    return lifespan


async def _shutdown(runtime: Runtime) -> None:
    """Stop taking work, let in-flight handlers finish, then close connections."""
    for task in runtime.tasks:
        task.cancel()
    await asyncio.gather(*runtime.tasks, return_exceptions=True)
    await runtime.broker.stop()
    await runtime.pool.close()
    runtime.tracer_provider.shutdown()


def kafka_publisher(broker: KafkaBroker) -> Callable[[list[OutboxRecord]], Awaitable[None]]:
    """Send a batch in order without waiting per message, then wait for every ack."""

    async def publish(records: list[OutboxRecord]) -> None:
        acks = []
        for record in records:
            headers = {k: v for k, v in record.headers.items() if k != "traceparent"}
            parent = telemetry.context_from_traceparent(record.headers.get("traceparent"))
            token = otel_context.attach(parent) if parent is not None else None
            try:
                acks.append(
                    await broker.publish(
                        json.dumps(record.payload).encode(),
                        record.topic,
                        key=record.key.encode(),
                        headers=headers,
                        no_confirm=True,
                    )
                )
            finally:
                if token is not None:
                    otel_context.detach(token)
        await asyncio.gather(*acks)

    return publish
