"""The development stack: PostgreSQL + Kafka + topics + service databases, started together,
secured: TLS everywhere (a fresh CA per start), SCRAM passwords, Kafka ACLs, per-service roles.

`KAFKA_BOOTSTRAP_SERVERS` (with `KAFKA_ADMIN_PASSWORD`, `KAFKA_SSL_CAFILE`) / `DATABASE_URL`
(the superuser's) in the environment replace the local broker / server (topics, users, ACLs,
databases and roles are still made there). `devstack.local` keeps a long-lived stack under
`.local/` for the CLI; `running_infra` below is a throwaway one for test sessions.
"""

import asyncio
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from contracts.topics import ALL_TOPICS, Topic
from faststream.security import SASLScram512
from servicekit.crypto import EncryptionSettings, Sealer

from devstack import kafka, kafka_acls, kafka_admin, kafka_cluster, oidc, pki, postgres, sessions
from devstack.credentials import Credentials, migrator, runtime
from devstack.kafka import BrokerSecurity, KafkaBroker, KafkaNode
from devstack.kafka_acls import ADMIN
from devstack.kafka_cluster import KafkaCluster
from devstack.oidc import OidcProvider
from devstack.os_user import SUPERUSER, can_traverse, os_user
from devstack.paths import repo_root
from devstack.postgres import PostgresCluster, ServerTls, database_url
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
KAFKA_CA_ENV = "KAFKA_SSL_CAFILE"  # with KAFKA_BOOTSTRAP_SERVERS: the broker's CA
KAFKA_ADMIN_PASSWORD_ENV = "KAFKA_ADMIN_PASSWORD"  # with KAFKA_BOOTSTRAP_SERVERS: `admin`'s  # noqa: S105 (the name of an environment variable)
DATABASE_ENV = "DATABASE_URL"  # the superuser's URL of an existing server


def server_url(url: str) -> str:
    """A database URL without its database name: the base for `database_url`."""
    return urlunsplit(urlsplit(url)._replace(path=""))


def with_user(url: str, user: str, password: str) -> str:
    """`url` with another user and password (host, port, database and query kept)."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{quote(user)}:{quote(password, safe='')}@{host}"))


def without_password(url: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    user = f"{quote(parts.username)}@" if parts.username else ""
    return urlunsplit(parts._replace(netloc=user + host))


@dataclass(frozen=True)
class Infra:
    """A running stack and how to reach it as whom. `database_url` is the superuser's (tests
    that make their own databases); the platform uses `runtime_database_url` and
    `migration_database_url`, and a principal's own Kafka credentials."""

    bootstrap_servers: str
    database_url_base: str = field(repr=False)  # the superuser's, with password and TLS query
    credentials: Credentials = field(repr=False)
    kafka_ca_file: Path | None  # None: the system's CAs
    kafka_cluster: KafkaCluster | None = None  # None when KAFKA_BOOTSTRAP_SERVERS was used
    postgres: PostgresCluster | None = None  # None when DATABASE_URL was used
    oidc: OidcProvider | None = None  # the OpenID Connect provider (None when not started)

    def database_url(self, dbname: str) -> str:
        return database_url(self.database_url_base, dbname)

    @property
    def kafka(self) -> KafkaBroker | None:
        """The first node of the cluster we run (None: an adopted one, or its node 1 is down)."""
        return self.kafka_cluster.brokers.get(1) if self.kafka_cluster else None

    @property
    def oidc_issuer(self) -> str:
        if self.oidc is None:
            raise RuntimeError("this stack runs no OpenID Connect provider")
        return self.oidc.issuer

    def migration_database_url(self, dbname: str) -> str:
        role = migrator(dbname)
        return with_user(self.database_url(dbname), role, self.credentials.postgres[role])

    def runtime_database_url(self, dbname: str) -> str:
        role = runtime(dbname)
        return with_user(self.database_url(dbname), role, self.credentials.postgres[role])

    def encryption_settings(self, app: str) -> dict[str, Any]:
        """The keys `app` seals personal data with, as its settings' fields:
        `PaymentsSettings(**infra.encryption_settings("payments"), ...)`."""
        return self.credentials.encryption[app].settings()

    def sealer(self, app: str) -> Sealer:
        """What `app` seals and opens personal data with (for tests reading its tables)."""
        return EncryptionSettings(**self.encryption_settings(app)).sealer()

    def encryption_env(self, app: str, prefix: str) -> dict[str, str]:
        """The same as `<prefix>ENCRYPTION_KEYS` / `_ENCRYPTION_KEY_ID` / `<prefix>LOOKUP_KEY`."""
        keyset = self.credentials.encryption.get(app)
        return keyset.env(prefix) if keyset else {}

    def kafka_options(self, principal: str = ADMIN) -> dict[str, Any]:
        """aiokafka client arguments (`bootstrap_servers` included) for `principal`."""
        password = self.credentials.kafka[principal]
        return kafka.client_options(self.bootstrap_servers, principal, password, self.kafka_ca_file)

    def faststream_options(self, principal: str = ADMIN) -> dict[str, Any]:
        """FastStream `KafkaBroker(**...)` arguments for `principal`."""
        options = self.kafka_options(principal)
        security = SASLScram512(
            principal, self.credentials.kafka[principal], ssl_context=options["ssl_context"]
        )
        # a list: FastStream takes a string for one server (aiokafka splits it at commas)
        return {"bootstrap_servers": self.bootstrap_servers.split(","), "security": security}

    def kafka_settings(self, principal: str = ADMIN) -> dict[str, Any]:
        """servicekit settings fields for `principal`: `ServiceSettings(**infra.kafka_settings())`.
        Tests on their own topics use `admin`; the platform runs each service as itself."""
        return {
            "kafka_bootstrap_servers": self.bootstrap_servers,
            "kafka_security_protocol": "SASL_SSL",
            "kafka_sasl_mechanism": "SCRAM-SHA-512",
            "kafka_ssl_cafile": self.kafka_ca_file,
            "kafka_username": principal,
            "kafka_password": self.credentials.kafka[principal],
        }

    def kafka_env(self, principal: str, prefix: str) -> dict[str, str]:
        """The environment variables for `kafka_settings` of a process whose settings read
        `<prefix>KAFKA_USERNAME` / `<prefix>KAFKA_PASSWORD`."""
        env = {
            KAFKA_ENV: self.bootstrap_servers,
            "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
            "KAFKA_SASL_MECHANISM": "SCRAM-SHA-512",
            f"{prefix}KAFKA_USERNAME": principal,
            f"{prefix}KAFKA_PASSWORD": self.credentials.kafka[principal],
        }
        if self.kafka_ca_file is not None:
            env[KAFKA_CA_ENV] = str(self.kafka_ca_file)
        return env

    def kafka_admin(self):
        """A confluent-kafka AdminClient as `admin` (ACLs, SCRAM users)."""
        return kafka_admin.admin_client(
            self.bootstrap_servers, ADMIN, self.credentials.kafka[ADMIN], self.kafka_ca_file
        )


def _issue_certificates(
    secrets_dir: Path, kafka_dir: Path, nodes: Sequence[KafkaNode], admin_password: str
) -> tuple[dict[int, BrokerSecurity], ServerTls]:
    """A fresh CA (its certificate in `secrets_dir/ca.pem`), a certificate for each Kafka node
    (`kafka-<id>`, in its data dir) and one for PostgreSQL."""
    names = {node.node_id: f"kafka-{node.node_id}" for node in nodes}
    ca_pem, issued = pki.issue((*names.values(), "postgres"))
    ca_file = secrets_dir / "ca.pem"
    pki.write_private(ca_file, ca_pem)
    securities = {}
    for node_id, name in names.items():
        data_dir = kafka_cluster.node_dir(kafka_dir.resolve(), node_id, len(nodes))
        keystore = data_dir / "tls" / "server.pem"
        pki.write_private(keystore, issued[name].key_pem + issued[name].cert_pem)
        securities[node_id] = BrokerSecurity(admin_password, keystore, ca_file)
    pg_tls = ServerTls(issued["postgres"].cert_pem, issued["postgres"].key_pem, ca_file)
    return securities, pg_tls


async def _secure_kafka(infra: Infra) -> None:
    """Every principal's SCRAM credential (reset to `infra.credentials`) and the ACL table."""
    users = {name: pw for name, pw in infra.credentials.kafka.items() if name != ADMIN}

    def apply() -> None:
        admin = infra.kafka_admin()
        kafka_admin.upsert_users(admin, users)
        kafka_admin.apply_acls(admin, kafka_acls.grants())

    await asyncio.to_thread(apply)


async def start_infra(
    kafka_dir: Path,
    pg_dir: Path,
    *,
    kafka_nodes: Sequence[KafkaNode],
    pg_port: int,
    secrets_dir: Path,
    credentials: Credentials,
    fast: bool = False,
    databases: Iterable[str] = SERVICE_DATABASES,
    topics: Iterable[Topic] = ALL_TOPICS,
    env: Mapping[str, str] = os.environ,
    start_timeout: float = 90.0,
    oidc_dir: Path | None = None,
    oidc_port: int | None = None,
    oidc_accounts: list[Path] | None = None,
) -> Infra:
    """Start (or adopt from `env`) the Kafka cluster of `kafka_nodes` (one node or three) and
    the PostgreSQL server concurrently with fresh certificates, and the OpenID Connect provider
    (when `oidc_dir` is given), then topics (replicated to suit the cluster), SCRAM users and
    ACLs, databases and roles, with `credentials`' passwords. Anything started is stopped again
    if a later step fails."""
    external_kafka, external_db = env.get(KAFKA_ENV), env.get(DATABASE_ENV)
    databases = list(databases)
    await asyncio.to_thread(ensure_system_deps, kafka=not external_kafka, postgres=not external_db)
    if external_kafka:
        if not env.get(KAFKA_ADMIN_PASSWORD_ENV):
            raise RuntimeError(f"{KAFKA_ENV} is set: set {KAFKA_ADMIN_PASSWORD_ENV} too (`admin`)")
        credentials = credentials.with_password("kafka", ADMIN, env[KAFKA_ADMIN_PASSWORD_ENV])
    securities, pg_tls = _issue_certificates(
        secrets_dir, kafka_dir, kafka_nodes, credentials.kafka[ADMIN]
    )
    kafka_ca = Path(env[KAFKA_CA_ENV]) if external_kafka and env.get(KAFKA_CA_ENV) else None

    async def start_broker() -> KafkaCluster | None:
        if external_kafka:
            options = kafka.client_options(
                external_kafka, ADMIN, credentials.kafka[ADMIN], kafka_ca
            )
            await kafka.wait_ready(options, start_timeout)
            return None
        require_free_ports(_port_names(kafka_nodes))
        return await kafka_cluster.start_cluster(
            repo_root(), kafka_dir, kafka_nodes, securities, start_timeout
        )

    async def start_server() -> PostgresCluster | None:
        if external_db:
            return None
        return await postgres.start_postgres(
            pg_dir,
            pg_port,
            password=credentials.postgres[SUPERUSER],
            tls=pg_tls,
            fast=fast,
            start_timeout=start_timeout,
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
        credentials=credentials,
        kafka_ca_file=kafka_ca if external_kafka else securities[1].ca_file,
        kafka_cluster=broker if isinstance(broker, KafkaCluster) else None,
        postgres=cluster if isinstance(cluster, PostgresCluster) else None,
        oidc=provider if isinstance(provider, OidcProvider) else None,
    )
    failure = next((r for r in (broker, cluster, provider) if isinstance(r, BaseException)), None)
    try:
        if failure is not None:
            raise failure
        await asyncio.gather(
            ensure_topics(infra.kafka_options(), topics),
            _secure_kafka(infra),
            postgres.provision(infra.database_url("postgres"), databases, credentials.postgres),
        )
    except BaseException:
        await stop_infra(infra)
        raise
    return infra


def _port_names(nodes: Sequence[KafkaNode]) -> dict[str, int]:
    if len(nodes) == 1:
        return {"KAFKA_PORT": nodes[0].port, "KAFKA_CONTROLLER_PORT": nodes[0].controller_port}
    names = {}
    for node in nodes:
        names[f"Kafka node {node.node_id}"] = node.port
        names[f"Kafka node {node.node_id} controller"] = node.controller_port
    return names


async def stop_infra(infra: Infra) -> None:
    """Stop what `start_infra` started (never adopted servers), concurrently."""
    jobs = []
    if infra.oidc is not None:
        jobs.append(asyncio.to_thread(oidc.stop_oidc, infra.oidc))
    if infra.kafka_cluster is not None:
        jobs.append(asyncio.to_thread(infra.kafka_cluster.stop))
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
    env: Mapping[str, str] | None = None,
    start_timeout: float = 90.0,
    oidc_accounts: list[Path] | None = None,
    brokers: int = 1,
    with_oidc: bool = True,
) -> AsyncIterator[Infra]:
    """A fresh Kafka cluster of `brokers` nodes (1 or 3), PostgreSQL cluster and OpenID Connect
    provider on free ports (or the broker/server named by KAFKA_BOOTSTRAP_SERVERS / DATABASE_URL
    in `env`, by default the process's when `use_env`), with topics and databases. The provider
    (unless not `with_oidc`) holds the demo accounts plus `infra/oidc/test-accounts.json` (or
    `oidc_accounts`). `tmp_dir` (kept afterwards) defaults to a temp dir that is removed on
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
    databases = list(databases)
    try:
        infra = await _start_with_retries(
            base / "kafka",
            pg_dir,
            brokers,
            oidc_dir=base / "oidc" if with_oidc else None,
            oidc_accounts=accounts,
            secrets_dir=base / "secrets",
            credentials=Credentials.generate(databases),
            fast=fast,
            databases=databases,
            topics=topics,
            env=(os.environ if use_env else {}) if env is None else env,
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
    kafka_dir: Path, pg_dir: Path, brokers: int, attempts: int = 3, **options: Any
) -> Infra:
    """Free ports can be taken between picking and binding; retry on such a clash only."""
    for attempt in range(attempts):
        pg_port, oidc_port, *kafka_ports = free_ports(2 + 2 * brokers)
        nodes = kafka_cluster.nodes_on(list(zip(kafka_ports[::2], kafka_ports[1::2], strict=True)))
        try:
            return await start_infra(
                kafka_dir,
                pg_dir,
                kafka_nodes=nodes,
                pg_port=pg_port,
                oidc_port=oidc_port,
                **options,
            )
        except RuntimeError as error:
            if "in use" not in str(error) or attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")
