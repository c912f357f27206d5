"""A project-local PostgreSQL cluster run with initdb/pg_ctl.

Layout of a cluster dir: `data/` (PGDATA, also holds the unix socket), `postgres.log`.
PostgreSQL refuses to run as root, so as root everything runs via `runuser` as an unprivileged
user (`postgres` when the Debian package created it, else `carebenefit`) owning the cluster dir.
"""

import asyncio
import os
import pwd
import signal
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from devstack.os_user import (
    SUPERUSER,
    PostgresError,
    can_traverse,
    os_user,
    owner,
    run_as,
    write_owned,
)
from devstack.procs import log_tail, process_matches, require_free_ports, terminate
from devstack.system import find_pg_bindir

PORT_ENV = "PGPORT"
DEFAULT_PORT = 15432
HOST = "127.0.0.1"
PG_HBA = (
    "# devstack: trust on the loopback address only (and the socket inside PGDATA)\n"
    "local all all trust\n"
    f"host all all {HOST}/32 trust\n"
)


@dataclass
class PostgresCluster:
    cluster_dir: Path
    port: int
    pid: int
    bindir: Path
    os_user: str | None
    fast: bool = False

    @property
    def data_dir(self) -> Path:
        return self.cluster_dir / "data"

    @property
    def log_file(self) -> Path:
        return self.cluster_dir / "postgres.log"

    @property
    def url_base(self) -> str:
        return f"postgresql://{SUPERUSER}@{HOST}:{self.port}"


def port_from_env(env: Mapping[str, str] = os.environ) -> int:
    return int(env.get(PORT_ENV, DEFAULT_PORT))


def require_bindir() -> Path:
    bindir = find_pg_bindir()
    if bindir is None:
        raise PostgresError(
            "PostgreSQL server binaries (initdb, pg_ctl) not found; run "
            "infra/scripts/install-system-deps.sh or set PG_BINDIR"
        )
    return bindir


def runtime_conf(data_dir: Path, port: int, fast: bool) -> str:
    durable = "off" if fast else "on"
    return (
        f"listen_addresses = '{HOST}'\n"
        f"port = {port}\n"
        f"unix_socket_directories = '{data_dir}'\n"
        "max_connections = 200\n"
        f"fsync = {durable}\n"
        f"synchronous_commit = {durable}\n"
        f"full_page_writes = {durable}\n"
    )


def init_cluster(cluster_dir: Path, port: int, *, fast: bool = False) -> tuple[Path, str | None]:
    """initdb once (idempotent), then (re)write `devstack.conf` with port and durability."""
    bindir, data_dir = require_bindir(), cluster_dir / "data"
    user = owner(data_dir) if os.geteuid() == 0 and data_dir.exists() else os_user()
    cluster_dir.mkdir(parents=True, exist_ok=True)
    if not can_traverse(cluster_dir, user):
        raise PostgresError(
            f"user {user!r} cannot reach {cluster_dir} (a parent directory lacks "
            "the execute permission); choose another directory"
        )
    if user:
        entry = pwd.getpwnam(user)
        os.chown(cluster_dir, entry.pw_uid, entry.pw_gid)
        cluster_dir.chmod(0o700)
    if not (data_dir / "PG_VERSION").exists():
        run_as(
            [
                str(bindir / "initdb"),
                "-D",
                str(data_dir),
                "-U",
                SUPERUSER,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                *(["--no-sync"] if fast else []),
            ],
            user,
        )
        write_owned(data_dir / "pg_hba.conf", PG_HBA, user)
        with (data_dir / "postgresql.conf").open("a") as conf:
            conf.write("\ninclude_if_exists = 'devstack.conf'\n")
    write_owned(data_dir / "devstack.conf", runtime_conf(data_dir, port, fast), user)
    return bindir, user


def _start(cluster_dir: Path, port: int, fast: bool, timeout: float) -> PostgresCluster:
    cluster_dir = cluster_dir.resolve()
    require_free_ports({"PGPORT": port})
    bindir, user = init_cluster(cluster_dir, port, fast=fast)
    data_dir, log_file = cluster_dir / "data", cluster_dir / "postgres.log"
    try:
        run_as(
            [
                str(bindir / "pg_ctl"),
                "start",
                "-D",
                str(data_dir),
                "-l",
                str(log_file),
                "-w",
                "-t",
                str(int(timeout)),
            ],
            user,
            timeout + 10,
        )
    except PostgresError as error:
        raise PostgresError(
            f"PostgreSQL did not start: {error}\nlast log lines:\n{log_tail(log_file)}"
        ) from error
    pid = int((data_dir / "postmaster.pid").read_text().split()[0])
    return PostgresCluster(cluster_dir, port, pid, bindir, user, fast)


async def start_postgres(
    cluster_dir: Path, port: int, *, fast: bool = False, start_timeout: float = 60.0
) -> PostgresCluster:
    """initdb if needed and start with `pg_ctl -w`; the server outlives the caller."""
    cluster = await asyncio.to_thread(_start, cluster_dir, port, fast, start_timeout)
    try:
        connection = await asyncpg.connect(cluster.url_base + "/postgres", timeout=start_timeout)
        await connection.close()
    except BaseException:
        await asyncio.to_thread(stop_postgres, cluster.cluster_dir)
        raise
    return cluster


def _postmaster_pid(cluster_dir: Path) -> int | None:
    try:
        return int((cluster_dir / "data" / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def is_running(cluster_dir: Path, pid: int | None = None) -> bool:
    """Whether a postmaster serves `cluster_dir/data` (under `pid`, else the pid file's)."""
    pid = pid or _postmaster_pid(cluster_dir)
    return pid is not None and process_matches(pid, [str(cluster_dir / "data")])


def stop_postgres(
    cluster_dir: Path, pid: int | None = None, timeout: float = 30.0, mode: str = "fast"
) -> bool:
    """`pg_ctl stop -m <mode>` (`immediate` is a crash: no checkpoint, recovery on the next
    start); falls back to signals if pg_ctl fails. False if not running."""
    cluster_dir = cluster_dir.resolve()
    pid = pid or _postmaster_pid(cluster_dir)
    if pid is None or not is_running(cluster_dir, pid):
        return False
    bindir = require_bindir()
    user = owner(cluster_dir / "data") if os.geteuid() == 0 else None
    try:
        run_as(
            [
                str(bindir / "pg_ctl"),
                "stop",
                "-D",
                str(cluster_dir / "data"),
                "-m",
                mode,
                "-w",
                "-t",
                str(int(timeout)),
            ],
            user,
            timeout + 10,
        )
    except PostgresError:
        terminate(pid, timeout, sig=signal.SIGQUIT if mode == "immediate" else signal.SIGINT)
    return True


@asynccontextmanager
async def postgres_down(cluster: PostgresCluster, mode: str = "immediate") -> AsyncIterator[None]:
    """The server stopped for the block (by default as a crash: no checkpoint, recovery when it
    starts), then started again on the same port and data; `cluster.pid` follows. For tests."""
    await asyncio.to_thread(stop_postgres, cluster.cluster_dir, cluster.pid, 30.0, mode)
    try:
        yield
    finally:
        started = await start_postgres(cluster.cluster_dir, cluster.port, fast=cluster.fast)
        cluster.pid = started.pid


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


async def create_databases(url: str, names: Iterable[str]) -> list[str]:
    """Create each database unless it exists; `url` points at any database on the server.
    Returns the names actually created."""
    created = []
    connection = await asyncpg.connect(url, timeout=30)
    try:
        for name in names:
            if await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
                continue
            try:
                await connection.execute(f"CREATE DATABASE {_quote_ident(name)}")
                created.append(name)
            except asyncpg.DuplicateDatabaseError:
                pass
    finally:
        await connection.close()
    return created
