"""The development stack: PostgreSQL + Kafka + topics + service databases, started together.

`KAFKA_BOOTSTRAP_SERVERS` / `DATABASE_URL` in the environment replace the local broker / server
(topics and databases are still created there). `devstack.local` keeps a long-lived stack under
`.local/` for the CLI; `running_infra` below is a throwaway one for test sessions.
"""

import asyncio
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from contracts.topics import ALL_TOPICS, Topic

from devstack import kafka, oidc, postgres, sessions
from devstack.kafka import KafkaBroker
from devstack.oidc import OidcProvider
from devstack.os_user import can_traverse, os_user
from devstack.paths import repo_root
from devstack.postgres import PostgresCluster
from devstack.procs import free_ports, require_free_ports
from devstack.system import ensure_system_deps
from devstack.topics import ensure_topics

SERVICE_DATABASES: tuple[str, ...] = (
    "assessment",
    "payments",
    "care_plans",
    "notifications",
    "portal",
)
KAFKA_ENV = "KAFKA_BOOTSTRAP_SERVERS"
DATABASE_ENV = "DATABASE_URL"


def database_url(base: str, dbname: str) -> str:
    """`postgresql://u@h:p` (or any URL on that server) + `dbname` -> `postgresql://u@h:p/dbname`."""
    return urlunsplit(urlsplit(base)._replace(path=f"/{dbname}"))


def server_url(url: str) -> str:
    """A database URL without its database name: the base for `database_url`."""
    return urlunsplit(urlsplit(url)._replace(path=""))


@dataclass(frozen=True)
class Infra:
    bootstrap_servers: str
    database_url_base: str
    kafka: KafkaBroker | None = None  # None when KAFKA_BOOTSTRAP_SERVERS was used
    postgres: PostgresCluster | None = None  # None when DATABASE_URL was used
    oidc: OidcProvider | None = None  # the OpenID Connect provider (None when not started)

    def database_url(self, dbname: str) -> str:
        return database_url(self.database_url_base, dbname)

    @property
    def oidc_issuer(self) -> str:
        if self.oidc is None:
            raise RuntimeError("this stack runs no OpenID Connect provider")
        return self.oidc.issuer


async def start_infra(
    kafka_dir: Path,
    pg_dir: Path,
    *,
    kafka_port: int,
    controller_port: int,
    pg_port: int,
    fast: bool = False,
    databases: Iterable[str] = SERVICE_DATABASES,
    topics: Iterable[Topic] = ALL_TOPICS,
    env: Mapping[str, str] = os.environ,
    start_timeout: float = 90.0,
    oidc_dir: Path | None = None,
    oidc_port: int | None = None,
    oidc_accounts: list[Path] | None = None,
) -> Infra:
    """Start (or adopt from `env`) broker and server concurrently with the OpenID Connect
    provider (when `oidc_dir` is given), then topics and databases. Anything started is stopped
    again if a later step fails."""
    external_kafka, external_db = env.get(KAFKA_ENV), env.get(DATABASE_ENV)
    await asyncio.to_thread(ensure_system_deps, kafka=not external_kafka, postgres=not external_db)

    async def start_broker() -> KafkaBroker | None:
        if external_kafka:
            await kafka.wait_ready(external_kafka, start_timeout)
            return None
        require_free_ports({"KAFKA_PORT": kafka_port, "KAFKA_CONTROLLER_PORT": controller_port})
        return await kafka.start_kafka(
            repo_root(), kafka_dir, kafka_port, controller_port, start_timeout
        )

    async def start_server() -> PostgresCluster | None:
        if external_db:
            return None
        return await postgres.start_postgres(
            pg_dir, pg_port, fast=fast, start_timeout=start_timeout
        )

    async def start_provider() -> OidcProvider | None:
        if oidc_dir is None or oidc_port is None:
            return None
        require_free_ports({oidc.PORT_ENV: oidc_port})
        return await oidc.start_oidc(repo_root(), oidc_dir, oidc_port, accounts_files=oidc_accounts)

    broker, cluster, provider = await asyncio.gather(
        start_broker(), start_server(), start_provider(), return_exceptions=True
    )
    infra = Infra(
        bootstrap_servers=external_kafka or getattr(broker, "bootstrap_servers", ""),
        database_url_base=server_url(external_db)
        if external_db
        else getattr(cluster, "url_base", ""),
        kafka=broker if isinstance(broker, KafkaBroker) else None,
        postgres=cluster if isinstance(cluster, PostgresCluster) else None,
        oidc=provider if isinstance(provider, OidcProvider) else None,
    )
    failure = next((r for r in (broker, cluster, provider) if isinstance(r, BaseException)), None)
    try:
        if failure is not None:
            raise failure
        admin_url = external_db or infra.database_url("postgres")
        await asyncio.gather(
            ensure_topics(infra.bootstrap_servers, topics),
            postgres.create_databases(admin_url, databases),
        )
    except BaseException:
        await stop_infra(infra)
        raise
    return infra


async def stop_infra(infra: Infra) -> None:
    """Stop what `start_infra` started (never adopted servers), concurrently."""
    jobs = []
    if infra.oidc is not None:
        jobs.append(asyncio.to_thread(oidc.stop_oidc, infra.oidc))
    if infra.kafka is not None:
        jobs.append(asyncio.to_thread(kafka.stop_kafka, infra.kafka))
    if infra.postgres is not None:
        jobs.append(
            asyncio.to_thread(
                postgres.stop_postgres, infra.postgres.cluster_dir, infra.postgres.pid
            )
        )
    await asyncio.gather(*jobs)


# --- throwaway stack for test sessions ---------------------------------------------------


def _pg_parent(base: Path) -> tuple[Path, Path | None]:
    """Where the cluster dir goes: under `base` if the PostgreSQL OS user can reach it, else in a
    fresh world-traversable temp dir (returned second, to be removed afterwards)."""
    if can_traverse(base, os_user()):
        return base / "pg", None
    extra = Path(tempfile.mkdtemp(prefix="carebenefit-pg-"))
    extra.chmod(0o711)
    return extra / "pg", extra


@asynccontextmanager
async def running_infra(
    tmp_dir: Path | None = None,
    *,
    fast: bool = True,
    databases: Iterable[str] = SERVICE_DATABASES,
    topics: Iterable[Topic] = ALL_TOPICS,
    use_env: bool = True,
    start_timeout: float = 90.0,
    oidc_accounts: list[Path] | None = None,
) -> AsyncIterator[Infra]:
    """A fresh broker, PostgreSQL cluster and OpenID Connect provider on free ports (or the
    broker/server named by KAFKA_BOOTSTRAP_SERVERS / DATABASE_URL when `use_env`), with topics
    and databases. The provider holds the demo accounts plus `infra/oidc/test-accounts.json`
    (or `oidc_accounts`). `tmp_dir` (kept afterwards) defaults to a temp dir that is removed on
    exit."""
    root = repo_root()
    await asyncio.to_thread(sessions.reap_orphans, root)
    base = Path(tempfile.mkdtemp(prefix="carebenefit-infra-")) if tmp_dir is None else tmp_dir
    base = base.resolve()
    base.mkdir(parents=True, exist_ok=True)
    if tmp_dir is None:
        base.chmod(0o711)
    pg_dir, pg_extra = _pg_parent(base)
    removable = [p for p in (base if tmp_dir is None else None, pg_extra) if p is not None]
    entry = sessions.register(root, base / "kafka", pg_dir, removable, base / "oidc")
    accounts = oidc_accounts or [
        oidc.oidc_root(root) / "accounts.json",
        oidc.oidc_root(root) / "test-accounts.json",
    ]
    try:
        infra = await _start_with_retries(
            base / "kafka",
            pg_dir,
            oidc_dir=base / "oidc",
            oidc_accounts=accounts,
            fast=fast,
            databases=databases,
            topics=topics,
            env=os.environ if use_env else {},
            start_timeout=start_timeout,
        )
        try:
            yield infra
        finally:
            await stop_infra(infra)
    finally:
        for path in removable:
            shutil.rmtree(path, ignore_errors=True)
        entry.unlink(missing_ok=True)


async def _start_with_retries(
    kafka_dir: Path, pg_dir: Path, attempts: int = 3, **options: Any
) -> Infra:
    """Free ports can be taken between picking and binding; retry on such a clash only."""
    for attempt in range(attempts):
        kafka_port, controller_port, pg_port, oidc_port = free_ports(4)
        try:
            return await start_infra(
                kafka_dir,
                pg_dir,
                kafka_port=kafka_port,
                controller_port=controller_port,
                pg_port=pg_port,
                oidc_port=oidc_port,
                **options,
            )
        except RuntimeError as error:
            if "in use" not in str(error) or attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")
