"""A single-node Apache Kafka 4.x broker (KRaft, combined broker+controller) run from Maven jars.

Layout of a broker data dir: `server.properties`, `kraft/` (log.dirs), `tmp/` (native libs),
`kafka.log` (JVM stdout/stderr). Preparation (jars, config, format) is in `kafka_setup`.
"""

import asyncio
import os
import ssl
import subprocess
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError

from devstack.kafka_acls import ADMIN
from devstack.kafka_setup import HOST, MAIN_CLASS, BrokerSecurity, KafkaStartError, prepare
from devstack.procs import log_tail, process_matches, terminate

PORT_ENV = "KAFKA_PORT"
CONTROLLER_PORT_ENV = "KAFKA_CONTROLLER_PORT"
DEFAULT_PORT = 19092
DEFAULT_CONTROLLER_PORT = 19093

__all__ = [
    "BrokerSecurity",
    "KafkaBroker",
    "KafkaStartError",
    "client_options",
    "start_kafka",
    "stop_kafka",
    "wait_ready",
]


def client_options(
    bootstrap_servers: str, username: str, password: str, ca_file: Path | None
) -> dict[str, Any]:
    """aiokafka client keyword arguments: SASL/SCRAM-SHA-512 over TLS, verifying the broker's
    certificate and host name against `ca_file` (the system's CAs when None)."""
    context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return {
        "bootstrap_servers": bootstrap_servers,
        "security_protocol": "SASL_SSL",
        "sasl_mechanism": "SCRAM-SHA-512",
        "sasl_plain_username": username,
        "sasl_plain_password": password,
        "ssl_context": context,
    }


@dataclass
class KafkaBroker:
    pid: int
    port: int
    controller_port: int
    data_dir: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap_servers(self) -> str:
        return f"{HOST}:{self.port}"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "kafka.log"

    @property
    def properties(self) -> Path:
        return self.data_dir / "server.properties"

    def alive(self) -> bool:
        return process_matches(self.pid, [MAIN_CLASS, str(self.properties)])


def ports_from_env(env: Mapping[str, str] = os.environ) -> tuple[int, int]:
    return (
        int(env.get(PORT_ENV, DEFAULT_PORT)),
        int(env.get(CONTROLLER_PORT_ENV, DEFAULT_CONTROLLER_PORT)),
    )


def launch(
    root: Path, data_dir: Path, port: int, controller_port: int, security: BrokerSecurity
) -> KafkaBroker:
    """Prepare (fetch, configure, format) and spawn the broker in its own session, so it
    outlives the caller; output goes to `<data_dir>/kafka.log`. Does not wait for readiness."""
    data_dir = data_dir.resolve()
    command = prepare(root, data_dir, port, controller_port, security)
    with (data_dir / "kafka.log").open("ab") as log:
        process = subprocess.Popen(  # noqa: S603 (argv of our own tools, no shell)
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=data_dir,
        )
    return KafkaBroker(process.pid, port, controller_port, data_dir, process)


async def start_kafka(
    root: Path,
    data_dir: Path,
    port: int,
    controller_port: int,
    security: BrokerSecurity,
    start_timeout: float = 60.0,
) -> KafkaBroker:
    """Launch a broker and wait until it serves metadata to the admin. On failure the process
    is stopped and the error carries the log tail."""
    broker = await asyncio.to_thread(launch, root, data_dir, port, controller_port, security)
    if broker.process is None:
        raise RuntimeError("the broker was not started")
    admin = client_options(
        broker.bootstrap_servers, ADMIN, security.admin_password, security.ca_file
    )
    try:
        await wait_ready(
            admin,
            start_timeout,
            exited=broker.process.poll,
            log_file=broker.log_file,
        )
    except BaseException:
        await asyncio.to_thread(stop_kafka, broker)
        raise
    return broker


async def wait_ready(
    options: Mapping[str, Any],
    wait_timeout: float = 60.0,
    exited: Callable[[], int | None] | None = None,
    log_file: Path | None = None,
) -> None:
    """Poll TCP connect (KRaft opens the socket only once the broker is unfenced), failing fast
    when `exited()` reports an exit code; then one metadata round-trip with `options`
    (aiokafka client arguments, `bootstrap_servers` included)."""
    deadline = time.monotonic() + wait_timeout
    bootstrap_servers = options["bootstrap_servers"]
    host, _, port = bootstrap_servers.split(",")[0].rpartition(":")

    def failure(reason: str) -> KafkaStartError:
        tail = log_tail(log_file) if log_file else ""
        return KafkaStartError(f"{reason}; last log lines:\n{tail}" if tail else reason)

    def check_alive() -> None:
        code = exited() if exited else None
        if code is not None:
            raise failure(f"Kafka broker exited during start-up (exit code {code})")

    while not await _port_open(host, int(port)):
        check_alive()
        if time.monotonic() > deadline:
            raise failure(f"Kafka broker at {bootstrap_servers} unreachable after {wait_timeout} s")
        await asyncio.sleep(0.1)
    while True:
        check_alive()
        admin = AIOKafkaAdminClient(**options, request_timeout_ms=5000)
        try:
            await admin.start()
            if (await admin.describe_cluster())["brokers"]:
                return
        except KafkaError as error:
            if time.monotonic() > deadline:
                raise failure(
                    f"Kafka broker at {bootstrap_servers} gave no metadata: {error!r}"
                ) from error
        finally:
            await admin.close()
        await asyncio.sleep(0.2)


async def _port_open(host: str, port: int) -> bool:
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 1.0)
    except (OSError, TimeoutError):
        return False
    writer.close()
    return True


def stop_kafka(broker: KafkaBroker, timeout: float = 20.0) -> None:
    """SIGTERM (clean shutdown), wait up to `timeout` s, then SIGKILL."""
    if broker.alive():
        terminate(broker.pid, timeout)
    if broker.process is not None:
        broker.process.poll()  # reap our own child; no-op when psutil already did


def stop_kafka_pid(pid: int, data_dir: Path, timeout: float = 20.0) -> bool:
    """Stop a broker known only by PID (from a state file). False if it was not running."""
    broker = KafkaBroker(pid, 0, 0, data_dir.resolve())
    if not broker.alive():
        return False
    stop_kafka(broker, timeout)
    return True


def is_running(pid: int | None, data_dir: Path) -> bool:
    return pid is not None and KafkaBroker(pid, 0, 0, data_dir.resolve()).alive()


def find_broker_pids(data_dir: Path) -> list[int]:
    """PIDs of brokers started on `data_dir` (for clean-up without a recorded PID)."""
    properties = str(data_dir.resolve() / "server.properties")
    found = []
    for proc in psutil.process_iter(["pid", "cmdline"]):
        cmdline = proc.info["cmdline"] or []
        if MAIN_CLASS in cmdline and properties in cmdline:
            found.append(proc.info["pid"])
    return found
