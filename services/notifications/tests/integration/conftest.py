"""The service in-process on real PostgreSQL and Kafka, a real SMTP server and the Notify stub."""

import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from asgi_lifespan import LifespanManager
from devstack.notify_stub import NotifyStub
from devstack.procs import free_ports
from devstack.serving import serving
from devstack.smtp_sink import mailbox_server
from devstack.tokens import ASSESSOR, OPERATIONS, bearer
from httpx import ASGITransport, AsyncClient
from notifications.config import DEV_CALLBACK_TOKEN, DEV_NOTIFY_KEY, NotificationsSettings
from notifications.entrypoints import errors, events
from notifications.main import create_app
from notifications.service_layer import reconciling, sending
from servicekit.consumer import EventConsumer
from servicekit.deadletter import DeadLetters


class Clock:
    """Real time, which a test may move on (to reach a retry without waiting)."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, **delta: float) -> None:
        self.offset += timedelta(**delta)


class Service:
    """`client` calls with an assessor's token; `ops` are the headers of national operations'."""

    def __init__(self, app, client, clock, mailbox, notify, ops=None) -> None:
        self.app, self.client, self.clock = app, client, clock
        self.mailbox, self.notify, self.ops = mailbox, notify, ops
        self.runtime = app.app.app.state.runtime
        self.deps = self.runtime.deps
        self.consumer = self.runtime.consumer or EventConsumer(
            "notifications",
            events.HANDLERS,
            self.runtime.uow,
            DeadLetters("notifications", self.runtime.broker, self.runtime.pool),
            deps=lambda: self.deps,
            unprocessable=errors.UNPROCESSABLE,
            backoff_ms=1,
        )

    async def hear(self, *events) -> None:
        """As the Kafka consumer applies an event: inbox check, handler, commit."""
        for event in events:
            await self.consumer.apply(event)

    async def send(self, rounds: int = 1) -> None:
        for _ in range(rounds):
            await sending.send_due(self.runtime.uow, self.deps.sender)

    async def reconcile(self) -> int:
        return await reconciling.reconcile(self.runtime.uow, self.deps.reconciler)

    async def prefer(self, person_id: str, **body) -> None:
        response = await self.client.put(f"/people/{person_id}/preferences", json=body)
        assert response.status_code == 200, response.text

    async def rows(self, person_id: str) -> dict[str, dict]:
        rows = await self.runtime.pool.fetch(
            "SELECT * FROM messages WHERE person_id = $1 ORDER BY created_at", person_id
        )
        return {r["channel"]: dict(r) for r in rows}

    async def published(self, kind: str = "") -> list[dict]:
        rows = await self.runtime.pool.fetch(
            "SELECT payload FROM outbox WHERE type LIKE $1 ORDER BY position", f"%{kind}%"
        )
        return [r["payload"] for r in rows]


def settings_for(
    infra,
    database: str,
    smtp_port: int,
    notify_url: str,
    **overrides,
) -> NotificationsSettings:
    values = dict(
        database_url=database,
        **infra.kafka_settings(),
        relay_enabled=False,
        consumer_enabled=False,
        sender_enabled=False,
        consumer_retry_backoff_ms=1,
        smtp_port=smtp_port,
        smtp_timeout_s=1.0,
        send_timeout_s=3.0,
        claim_lease_s=6.0,
        notify_base_url=notify_url,
        notify_timeout_s=1.0,
        retry_max_attempts=3,
        retry_base_delay_s=60.0,
        notify_callback_token=DEV_CALLBACK_TOKEN,
        notify_api_key=DEV_NOTIFY_KEY,
        environment="test",
        **infra.oidc.service_settings("notifications"),
    )
    return NotificationsSettings(**{**values, **overrides})


async def staff_headers(tokens) -> tuple[dict[str, str], dict[str, str]]:
    """(an assessor's, national operations') bearer headers, from the session's provider."""
    assessor = bearer(await tokens.staff(ASSESSOR, "notifications"))
    return assessor, bearer(await tokens.staff(OPERATIONS, "notifications"))


@pytest.fixture
def mailbox():
    with mailbox_server() as box:
        yield box


@pytest.fixture
async def notify_stub():
    """Notify, whose messages stay `sending` unless a test says how they end."""
    stub = NotifyStub(
        DEV_NOTIFY_KEY, callback_token=DEV_CALLBACK_TOKEN, final_status=None, callback_retry_s=0.2
    )
    async with serving(stub.app, free_ports(1)[0]) as url:
        stub.url = url
        yield stub
        await stub.close()


@pytest.fixture
async def service(infra, fresh_database, mailbox, notify_stub, tokens):
    """In-process, the sender driven by the test (`service.send()`), time movable; events are
    applied by the test (`service.hear()`) as the consumer applies them."""
    clock = Clock()
    settings = settings_for(infra, fresh_database, mailbox.port, notify_stub.url)
    app = create_app(settings, clock=clock)
    headers, ops = await staff_headers(tokens)
    async with LifespanManager(app, startup_timeout=60) as manager:
        async with AsyncClient(
            transport=ASGITransport(manager.app), base_url="http://t", headers=headers
        ) as client:
            yield Service(app, client, clock, mailbox, notify_stub, ops)


@pytest.fixture
async def consuming_service(infra, fresh_database, mailbox, notify_stub, tokens):
    """As `service`, consuming the real topics on the broker (joining the consumer group takes
    a few seconds)."""
    settings = settings_for(
        infra, fresh_database, mailbox.port, notify_stub.url, consumer_enabled=True
    )
    app = create_app(settings, clock=Clock())
    headers, ops = await staff_headers(tokens)
    async with LifespanManager(app, startup_timeout=60) as manager:
        async with AsyncClient(
            transport=ASGITransport(manager.app), base_url="http://t", headers=headers
        ) as client:
            yield Service(app, client, None, mailbox, notify_stub, ops)


@pytest.fixture
def serve(infra, fresh_database, mailbox, notify_stub, tokens):
    """`async with serve(**settings) as service`: served by uvicorn with its background jobs on
    (the sender and the reconciliation); the stub sends its receipts back to it."""

    @contextlib.asynccontextmanager
    async def served(**overrides: object) -> AsyncIterator[Service]:
        port = free_ports(1)[0]
        values = {"sender_enabled": True, "sender_poll_interval_ms": 50, **overrides}
        settings = settings_for(infra, fresh_database, mailbox.port, notify_stub.url, **values)
        app = create_app(settings)
        notify_stub.callback_url = f"http://127.0.0.1:{port}/notify/callback"
        headers, ops = await staff_headers(tokens)
        async with (
            serving(app, port, lifespan="on") as url,
            AsyncClient(base_url=url, headers=headers) as client,
        ):
            yield Service(app, client, None, mailbox, notify_stub, ops)

    return served


@pytest.fixture
async def running_service(serve, notify_stub):
    """Served, its messages delivered and receipted by the stub."""
    notify_stub.final_status = "delivered"
    async with serve() as service:
        yield service
