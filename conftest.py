"""Test-session fixtures shared by every test directory.

Integration and end-to-end tests ask for `infra`: one real Kafka broker and one real PostgreSQL
cluster per test session, started on free ports (or adopted from KAFKA_BOOTSTRAP_SERVERS /
DATABASE_URL), secured as in the demo: SASL/SCRAM over TLS with ACLs, password-only TLS
PostgreSQL. Tests connect through it: `infra.kafka_options(principal)` (aiokafka),
`infra.faststream_options(principal)`, `infra.kafka_settings(principal)` (service settings),
all as `admin` by default (tests use their own topics); `infra.database_url(db)` is the
superuser's. End-to-end, fault and browser tests ask for `platform`: every service and the
portal as real processes on that infrastructure, started once per session on first use. Unit
tests never touch either. The platform's services export their spans to a real OpenTelemetry
Collector too (`platform.collector`, devstack.otelcol), whose file the portal's trace view reads.

Every call to a service carries a real token from the session's OpenID Connect provider:
`tokens` (devstack.tokens) signs staff and people in at its login form and exchanges their
tokens, or gets a client-credentials token. The audit trail of every database a test used
(`fresh_database`) and of the platform's databases is verified when they are done with.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from devstack import apps, drive, oidc, otelcol
from devstack.paths import repo_root
from devstack.procs import free_ports
from devstack.stack import SERVICE_DATABASES, Infra, running_infra
from devstack.tokens import Tokens, caller_for
from servicekit import audit


async def verify_audit_chain(url: str) -> int:
    """Fails when the database's audit chain is broken; the number of rows checked."""
    conn = await asyncpg.connect(url)
    try:
        if not await audit.has_trail(conn):
            return 0
        check = await audit.verify(conn)
    finally:
        await conn.close()
    assert check.intact, f"audit chain of {url.rsplit('/', 1)[-1]} broken: {check}"
    return check.rows


@pytest.fixture(scope="session")
async def infra() -> AsyncIterator[Infra]:
    async with running_infra() as started:
        yield started
        for name in SERVICE_DATABASES:  # after the whole session: the platform's databases
            await verify_audit_chain(started.database_url(name))


@pytest.fixture(scope="session")
async def tokens(infra: Infra) -> Tokens:
    """Real tokens from the session's provider (see devstack.tokens)."""
    return await Tokens.for_provider(repo_root(), infra.oidc)


@pytest.fixture
async def fresh_database(infra: Infra) -> AsyncIterator[str]:
    """A new, empty database for one test; its URL."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(infra.database_url("postgres"))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    yield infra.database_url(name)
    await verify_audit_chain(infra.database_url(name))


@pytest.fixture
async def make_topics(infra: Infra):
    """Creates uniquely named topics for one test: `await make_topics("a.events", "a.dlq")`."""
    admin = AIOKafkaAdminClient(**infra.kafka_options())  # as devstack's admin principal
    await admin.start()

    async def create(*names: str, partitions: int = 1) -> None:
        await admin.create_topics([NewTopic(n, partitions, 1) for n in names])

    try:
        yield create
    finally:
        await admin.close()


class Platform:
    """The running platform, and calls to it with real tokens: `await platform.get("payments",
    path)` reads as the member of staff who would (a payments officer for payments, national
    operations for /ops, an assessor otherwise); `await platform.submit(...)` assesses."""

    def __init__(
        self, infra, log_dir, traces_dir, tokens: Tokens, collector: otelcol.Collector
    ) -> None:
        self.infra, self.log_dir, self.traces_dir = infra, log_dir, traces_dir
        self.tokens, self.collector = tokens, collector
        self.ports = dict(zip((a.name for a in apps.APPS), free_ports(len(apps.APPS)), strict=True))
        self.running: dict[str, apps.RunningApp] = {}
        self.portal_client: oidc.PortalClient | None = None

    async def register_portal(self) -> None:
        """The portal's client at the session's OpenID Connect provider, for this portal's URL."""
        self.portal_client = await oidc.register_portal(
            repo_root(),
            self.infra.oidc_issuer,
            self.infra.oidc.registration_token,
            self.url("portal"),
            self.log_dir.parent / "portal-key.pem",
        )

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    async def token(self, service: str, path: str = "", user: str | None = None) -> str:
        return await self.tokens.staff(user or caller_for(service, path), service)

    async def get(self, service: str, path: str, user: str | None = None):
        """The JSON body (None for a 404 or an empty body)."""
        return await drive.get_json(self.url(service), path, await self.token(service, path, user))

    async def inbox(self, person_id: str):
        return await drive.inbox_of(
            self.url("notifications"), person_id, await self.token("notifications")
        )

    async def submit(self, correlation_id: str, nino: str | None = None, **person: str) -> dict:
        """A case assessed and decided by an assessor (devstack.drive.submit_assessment;
        `person`: its area_code, date_of_birth)."""
        return await drive.submit_assessment(
            self.url("assessment"),
            correlation_id,
            token=await self.token("assessment"),
            nino=nino,
            **person,
        )

    def env(self, app: apps.App, **extra: str) -> dict[str, str]:
        return apps.app_env(
            app,
            self.ports,
            self.infra,
            traces_file=self.traces_dir / f"{app.name}.jsonl",
            extra={
                "CAREBENEFIT_ENVIRONMENT": "test",
                **otelcol.app_env(self.collector, app.name),
                **extra,
            },
            identity=apps.oidc_env(app, self.infra.oidc, self.portal_client),
        )

    async def start(self, name: str, **extra: str) -> None:
        app = apps.BY_NAME[name]
        self.running[name] = apps.start_app(
            app, self.ports[name], self.env(app, **extra), self.log_dir
        )
        await apps.wait_ready(self.running[name])

    def kill(self, name: str) -> None:
        apps.kill_app(self.running.pop(name))

    def stop_all(self) -> None:
        for running in self.running.values():
            apps.stop_app(running)
        self.running.clear()


@pytest.fixture(scope="session")
async def platform(infra, tokens, tmp_path_factory) -> AsyncIterator[Platform]:
    base = tmp_path_factory.mktemp("platform")
    collector = await otelcol.start_collector(repo_root(), base / "otelcol")
    running = Platform(infra, base / "logs", base / "traces", tokens, collector)
    try:
        await running.register_portal()
        await asyncio.gather(*(running.start(app.name) for app in apps.APPS))
        yield running
    finally:
        running.stop_all()
        otelcol.stop_collector(collector)
