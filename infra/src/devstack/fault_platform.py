"""A whole platform of its own for fault tests and the soak, which crash and cut its parts.

`fault_platform()` starts a fresh Kafka broker, PostgreSQL cluster (durable commits on every
service database: a crash must lose nothing acknowledged) and OpenID Connect provider, an SMTP
server and a Notify stub in this process (so a test can count their sends and make them
misbehave), and every app as a process kept running by `devstack.supervise.keep_running`, as
`make up` keeps them: an app that exits (killed, or giving up with status 75 after a long outage)
is started again with nobody's help. Calls to the services carry real tokens from that provider
(`FaultPlatform.tokens`).

Two services are wired through TCP proxies in this process, so a test can cut them off:
`DB_CUT`'s PostgreSQL connections, and `KAFKA_CUT`'s Kafka connections. Kafka clients connect
to the address the broker advertises, not the one they were given, so the broker gets a second
listener (`PROXIED`) advertised at the proxy's port; only the service bootstrapped through the
proxy learns that address. (`iptables` is not installed here and network namespaces need root,
which CI may lack; the proxies need neither and cut one service's connections only.)
"""

import asyncio
import contextlib
import logging
import os
import signal
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from devstack import apps, broker_restarts, kafka, oidc
from devstack.kafka import KafkaBroker
from devstack.kafka_acls import CONSUMES
from devstack.notify_stub import NotifyStub
from devstack.paths import repo_root
from devstack.postgres import postgres_down
from devstack.procs import free_ports
from devstack.serving import serving
from devstack.smtp_sink import Mailbox, mailbox_server
from devstack.stack import Infra, running_infra
from devstack.supervise import RestartPolicy, keep_running
from devstack.tcp_proxy import TcpProxy
from devstack.tokens import Tokens
from devstack.watching import Databases, GroupLag

SERVICES = ("assessment", "payments", "care-plans", "notifications")
CONSUMERS = tuple(s for s in SERVICES if CONSUMES[s])  # since assessment reads plan reviews: all
DATABASES = {
    "assessment": "assessment",
    "payments": "payments",
    "care-plans": "care_plans",
    "notifications": "notifications",
}
DB_CUT, KAFKA_CUT = "payments", "care-plans"
PROXIED = "PROXIED"
NOT_FINAL = ("pending", "sending", "temporary_failure")
PROGRESS_EVERY_S = 30.0

# Tuned for a test's patience, not production's: retries and reconciliation within seconds.
PAYMENTS_ENV = {"PAYMENTS_RUN_MAX_DAYS_AHEAD": "100"}
"""The faults pay periods up to 70 days ahead (fault_kinds.payment_run_killed), to have work:
a test platform only (production refuses more than 14)."""
NOTIFICATIONS_ENV = {
    "NOTIFICATIONS_SMTP_TIMEOUT_S": "2",
    "NOTIFICATIONS_SEND_TIMEOUT_S": "6",
    "NOTIFICATIONS_NOTIFY_TIMEOUT_S": "3",
    "NOTIFICATIONS_CLAIM_LEASE_S": "4",
    "NOTIFICATIONS_SENDER_POLL_INTERVAL_MS": "100",
    "NOTIFICATIONS_RETRY_BASE_DELAY_S": "1",
    "NOTIFICATIONS_RETRY_MAX_DELAY_S": "8",
    "NOTIFICATIONS_RETRY_MAX_ATTEMPTS": "12",
    "NOTIFICATIONS_RECONCILE_AFTER_S": "3",
    "NOTIFICATIONS_RECONCILE_EVERY_S": "2",
    "NOTIFICATIONS_RECONCILE_POLL_S": "1",
    "NOTIFICATIONS_UNCONFIRMED_AFTER_S": "600",
}
log = logging.getLogger(__name__)
EXIT_AFTER_S = 8.0  # DB_CUT gives up this soon, so a long cut ends in its exit and restart


def through(url: str, port: int) -> str:
    """`url` with its port replaced (host, credentials and query kept)."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition(":")[0]
    return urlunsplit(parts._replace(netloc=f"{host}:{port}"))


@dataclass
class FaultPlatform:
    infra: Infra
    log_dir: Path
    mailbox: Mailbox
    notify: NotifyStub
    db_proxy: TcpProxy
    kafka_proxy: TcpProxy
    ports: dict[str, int]
    tokens: Tokens
    """Real tokens from the platform's provider, for every call to a service."""
    running: dict[str, apps.RunningApp] = field(default_factory=dict)
    starts: Counter[str] = field(default_factory=Counter)
    exits: list[tuple[str, int]] = field(default_factory=list)
    _broker_command: list[str] = field(default_factory=list)
    databases: Databases = field(init=False)
    group_lag: GroupLag = field(init=False)

    def __post_init__(self) -> None:
        self.databases = Databases({s: self.database_url(s) for s in DATABASES})
        self.group_lag = GroupLag(self.infra.kafka_options())

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def database_url(self, service: str) -> str:
        """The superuser's URL of `service`'s database (direct, never through a proxy)."""
        return self.infra.database_url(DATABASES[service])

    async def close(self) -> None:
        await self.databases.close()
        await self.group_lag.close()

    # --- waiting ---------------------------------------------------------------------------

    async def ready(self, name: str, timeout: float = 120.0) -> None:
        """Until `name` answers ready; through any restarts its supervisor makes meanwhile."""
        deadline = time.monotonic() + timeout
        while True:
            running = self.running[name]
            try:
                await apps.wait_ready(running, max(1.0, deadline - time.monotonic()))
                return
            except RuntimeError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.5)  # it exited while starting; it is started again

    async def all_ready(self, timeout: float = 120.0) -> None:
        await asyncio.gather(*(self.ready(a.name, timeout) for a in apps.APPS))

    async def fetchval(self, service: str, sql: str, *args: Any) -> Any:
        return (await self.fetch(service, sql, *args))[0][0]

    async def fetch(self, service: str, sql: str, *args: Any) -> list[asyncpg.Record]:
        """One query on `service`'s database as the superuser, tried again while it is down."""
        return await self.databases.fetch(service, sql, *args)

    async def backlog(self) -> dict[str, int]:
        """What is still on its way: unpublished outbox rows, consumer lag, messages not final,
        dead letters not yet on their topic."""
        figures: dict[str, int] = {}
        for service in SERVICES:
            figures[f"{service} outbox"] = await self.fetchval(
                service, "SELECT count(*) FROM outbox WHERE published_at IS NULL"
            )
            figures[f"{service} dead letters"] = await self.fetchval(
                service, "SELECT count(*) FROM dead_letters WHERE published_at IS NULL"
            )
        for group in CONSUMERS:
            figures[f"{group} lag"] = sum((await self.lag(group)).values())
        figures["messages not final"] = await self.fetchval(
            "notifications", "SELECT count(*) FROM messages WHERE status = ANY($1)", list(NOT_FINAL)
        )
        return figures

    async def lag(self, group: str) -> dict[str, int]:
        return await self.group_lag.of(group)

    async def quiesce(
        self,
        timeout: float = 180.0,
        progress: Callable[[float, dict[str, int]], None] | None = None,
    ) -> float:
        """Seconds until every app is ready and nothing is on its way (twice in a row).
        `progress(seconds, backlog)` is told what is left every `PROGRESS_EVERY_S`."""
        started = time.monotonic()
        await self.all_ready(timeout)
        calm, left, told = 0, {}, started
        while calm < 2:
            left = {k: v for k, v in (await self.backlog()).items() if v}
            calm = 0 if left else calm + 1
            now = time.monotonic()
            if now - started > timeout:
                raise AssertionError(f"no quiescence within {timeout:.0f} s; still {left}")
            if progress is not None and now - told >= PROGRESS_EVERY_S:
                progress(now - started, left)
                told = now
            await asyncio.sleep(0.3)
        return time.monotonic() - started

    # --- processes -------------------------------------------------------------------------

    async def kill(self, name: str) -> tuple[float, float]:
        """`kill -9` of `name`; seconds until its supervisor had it ready again, and of those the
        seconds from its new process's start (the rest is the supervisor noticing the exit and
        its restart delay)."""
        killed = self.running[name]
        os.kill(killed.pid, signal.SIGKILL)
        killed_at = time.monotonic()
        while self.running[name] is killed:
            await asyncio.sleep(0.05)
        restarted_at = time.monotonic()
        await self.ready(name)
        ready_at = time.monotonic()
        return ready_at - killed_at, ready_at - restarted_at

    async def pause(self, name: str, seconds: float) -> None:
        """SIGSTOP, then SIGCONT `seconds` later: the process misses every heartbeat meanwhile."""
        stopped = self.stop_processes(name)
        try:
            await asyncio.sleep(seconds)
        finally:
            self.continue_processes(stopped)

    def stop_processes(self, *names: str) -> list[int]:
        """SIGSTOP each of `names`; their pids, for `continue_processes`."""
        pids = [self.running[name].pid for name in names]
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
        return pids

    def continue_processes(self, pids: list[int]) -> None:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)

    def _broker(self) -> KafkaBroker:
        if self.infra.kafka is None:
            raise RuntimeError("this platform runs no Kafka broker of its own")
        return self.infra.kafka

    async def kill_broker(self, down_for: float) -> float:
        """`kill -9` of the Kafka broker, started again on its data `down_for` s later; seconds
        from the kill until it served metadata again."""
        broker = self._broker()
        os.kill(broker.pid, signal.SIGKILL)
        started = time.monotonic()
        await asyncio.to_thread(broker_restarts.reap, broker)
        await asyncio.sleep(down_for)
        await broker_restarts.launch(broker, self._broker_command, self.infra.kafka_options())
        return time.monotonic() - started

    async def add_proxied_listener(self, inner_port: int, advertised_port: int) -> None:
        """The broker restarted with a listener for `KAFKA_CUT`, advertised at its proxy."""
        broker = self._broker()
        self._broker_command = broker_restarts.with_listener(
            broker, PROXIED, inner_port, advertised_port
        )
        await asyncio.to_thread(kafka.stop_kafka, broker)
        await broker_restarts.launch(broker, self._broker_command, self.infra.kafka_options())

    @contextlib.asynccontextmanager
    async def postgres_stopped(self, mode: str = "immediate") -> AsyncIterator[None]:
        """PostgreSQL stopped (`immediate`: a crash) for the block, then started again."""
        if self.infra.postgres is None:
            raise RuntimeError("this platform runs no PostgreSQL of its own")
        async with postgres_down(self.infra.postgres, mode):
            yield

    @contextlib.asynccontextmanager
    async def cut(self, proxy: TcpProxy) -> AsyncIterator[None]:
        """Every connection through `proxy` reset and new ones refused for the block."""
        await proxy.cut()
        try:
            yield
        finally:
            await proxy.restore()


async def _durable(infra: Infra) -> None:
    """Durable commits on every service database (the test cluster runs without them)."""
    admin = await asyncpg.connect(infra.database_url("postgres"))
    try:
        for database in (*DATABASES.values(), "portal"):
            await admin.execute(f'ALTER DATABASE "{database}" SET synchronous_commit = on')
    finally:
        await admin.close()


def _app_env(platform: FaultPlatform, app: apps.App, portal: oidc.PortalClient) -> dict[str, str]:
    prefix = app.env_prefix
    extra = {"CAREBENEFIT_ENVIRONMENT": "test", f"{prefix}SUPERVISOR_BACKOFF_MAX_SECONDS": "2"}
    if app.name == "payments":
        extra |= PAYMENTS_ENV
    if app.name == "notifications":
        extra |= NOTIFICATIONS_ENV | {
            "NOTIFICATIONS_SMTP_PORT": str(platform.mailbox.port),
            "NOTIFICATIONS_NOTIFY_BASE_URL": platform.notify.url,
        }
    if app.name == DB_CUT:
        infra, port = platform.infra, platform.db_proxy.port
        extra |= {
            f"{prefix}DATABASE_URL": through(infra.runtime_database_url(app.database), port),
            f"{prefix}MIGRATION_DATABASE_URL": through(
                infra.migration_database_url(app.database), port
            ),
            f"{prefix}SUPERVISOR_EXIT_AFTER_SECONDS": str(EXIT_AFTER_S),
        }
    if app.name == KAFKA_CUT:
        extra["KAFKA_BOOTSTRAP_SERVERS"] = platform.kafka_proxy.address
    identity = apps.oidc_env(app, platform.infra.oidc, portal)
    return apps.app_env(app, platform.ports, platform.infra, extra=extra, identity=identity)


@contextlib.asynccontextmanager
async def fault_platform(
    base: Path, policy: RestartPolicy = RestartPolicy()
) -> AsyncIterator[FaultPlatform]:
    """The platform described above, every app ready; everything stopped afterwards."""
    async with running_infra(use_env=False) as infra, contextlib.AsyncExitStack() as stack:
        await _durable(infra)
        platform = await _outside_world(stack, infra, base)
        log.info("infrastructure up")
        await platform.add_proxied_listener(
            platform.kafka_proxy.target_port, platform.kafka_proxy.port
        )
        log.info("broker restarted with its proxied listener")
        portal = await oidc.register_portal(
            repo_root(),
            infra.oidc_issuer,
            infra.oidc.registration_token,
            platform.url("portal"),
            base / "portal-key.pem",
        )
        async with _supervised(platform, portal, policy):
            await platform.all_ready()
            log.info("every app ready")
            yield platform


async def _outside_world(
    stack: contextlib.AsyncExitStack, infra: Infra, base: Path
) -> FaultPlatform:
    """The SMTP server, the Notify stub and the two proxies, closed with `stack`."""
    if infra.postgres is None or infra.kafka is None:
        raise RuntimeError("a fault platform needs its own broker and PostgreSQL")
    mailbox = stack.enter_context(mailbox_server())
    notify_port, inner_kafka = free_ports(2)
    ports = dict(zip((a.name for a in apps.APPS), free_ports(len(apps.APPS)), strict=True))
    notify = NotifyStub(
        callback_url=f"http://127.0.0.1:{ports['notifications']}/notify/callback",
        callback_retry_s=1.0,
    )
    notify.url = await stack.enter_async_context(serving(notify.app, notify_port))
    stack.push_async_callback(notify.close)
    db_proxy = await TcpProxy("127.0.0.1", infra.postgres.port).start()
    kafka_proxy = await TcpProxy("127.0.0.1", inner_kafka).start()
    stack.push_async_callback(db_proxy.close)
    stack.push_async_callback(kafka_proxy.close)
    tokens = await Tokens.for_provider(repo_root(), infra.oidc)
    platform = FaultPlatform(
        infra, base / "logs", mailbox, notify, db_proxy, kafka_proxy, ports, tokens
    )
    stack.push_async_callback(platform.close)
    return platform


@contextlib.asynccontextmanager
async def _supervised(
    platform: FaultPlatform, portal: oidc.PortalClient, policy: RestartPolicy
) -> AsyncIterator[None]:
    """Every app started and kept running (`keep_running`) for the block, then stopped."""
    stopping = asyncio.Event()
    tasks = [
        asyncio.create_task(
            keep_running(
                app.name,
                _starter(platform, app, _app_env(platform, app, portal)),
                platform.running,
                stopping,
                lambda: None,
                policy,
            )
        )
        for app in apps.APPS
    ]
    try:
        while len(platform.running) < len(apps.APPS):
            await asyncio.sleep(0.05)
        yield
    finally:
        stopping.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        await asyncio.gather(
            *(asyncio.to_thread(apps.stop_app, r) for r in platform.running.values()),
            return_exceptions=True,
        )


def _starter(
    platform: FaultPlatform, app: apps.App, env: dict[str, str]
) -> Callable[[], apps.RunningApp]:
    def start() -> apps.RunningApp:
        previous = platform.running.get(app.name)
        if previous is not None and previous.process is not None:
            platform.exits.append((app.name, previous.process.returncode))
        platform.starts[app.name] += 1
        return apps.start_app(app, platform.ports[app.name], env, platform.log_dir)

    return start
