"""One Apache Kafka 4.x node (KRaft, combined broker+controller) run from Maven jars: launch,
readiness, stop. A cluster of them is `kafka_cluster`.

Layout of a node's data dir: `server.properties`, `kraft/` (log.dirs), `tmp/` (native libs),
`kafka.log` (JVM stdout/stderr), `tls/server.pem` (its key and certificate). Preparation (jars,
config, format) is in `kafka_setup`.
"""

import asyncio
import contextlib
import os
import signal
import ssl
import subprocess
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError

from devstack.kafka_setup import MAIN_CLASS, BrokerSecurity, KafkaNode, KafkaStartError, prepare
from devstack.procs import log_tail, process_matches, terminate

PORT_ENV = "KAFKA_PORT"
CONTROLLER_PORT_ENV = "KAFKA_CONTROLLER_PORT"
DEFAULT_PORT = 19092
DEFAULT_CONTROLLER_PORT = 19093

__all__ = [
    "BrokerSecurity",
    "KafkaBroker",
    "KafkaNode",
    "KafkaStartError",
    "client_options",
    "launch",
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
    """A running node (broker and controller in one JVM)."""

    pid: int
    node: KafkaNode
    data_dir: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def node_id(self) -> int:
        return self.node.node_id

    @property
    def port(self) -> int:
        return self.node.port

    @property
    def controller_port(self) -> int:
        return self.node.controller_port

    @property
    def bootstrap_servers(self) -> str:
        return self.node.address

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
    root: Path,
    data_dir: Path,
    node: KafkaNode,
    quorum: Sequence[KafkaNode],
    security: BrokerSecurity,
    cluster_id: str,
) -> KafkaBroker:
    """Prepare (fetch, configure, format) and spawn `node` of the cluster `quorum` in its own
    session, so it outlives the caller; output goes to `<data_dir>/kafka.log`. Does not wait
    for readiness."""
    data_dir = data_dir.resolve()
    command = prepare(root, data_dir, node, quorum, security, cluster_id)
    with (data_dir / "kafka.log").open("ab") as log:
        process = subprocess.Popen(  # noqa: S603 (argv of our own tools, no shell)
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=data_dir,
        )
    return KafkaBroker(process.pid, node, data_dir, process)


async def wait_ready(
    options: Mapping[str, Any],
    wait_timeout: float = 60.0,
    exited: Callable[[], int | None] | None = None,
    log_file: Path | None = None,
    brokers: int = 1,
) -> None:
    """Poll TCP connect to the first bootstrap server (KRaft opens the socket only once the
    broker is unfenced), failing fast when `exited()` reports an exit code; then metadata
    round-trips with `options` (aiokafka client arguments, `bootstrap_servers` included) until
    the cluster reports at least `brokers` brokers."""
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
            seen = len((await admin.describe_cluster())["brokers"])
            if seen >= brokers:
                return
            error: Exception = KafkaStartError(f"{seen} of {brokers} brokers registered")
        except KafkaError as raised:
            error = raised
        finally:
            await admin.close()
        if time.monotonic() > deadline:
            raise failure(f"Kafka at {bootstrap_servers} gave no metadata: {error!r}") from error
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
    stop_brokers([broker], timeout)


def stop_brokers(brokers: Sequence[KafkaBroker], timeout: float = 20.0) -> None:
    """SIGTERM every node at once, wait up to `timeout` s, then SIGKILL what is left. All at
    once: stopped one by one, the last nodes of a quorum wait in vain for a controller."""
    _stop_all([broker.pid for broker in brokers if broker.alive()], timeout)
    for broker in brokers:
        if broker.process is not None:
            broker.process.poll()  # reap our own child; no-op when psutil already did


def _stop_all(pids: Iterable[int], timeout: float) -> None:
    procs = []
    for pid in pids:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc = psutil.Process(pid)
            proc.terminate()
            procs.append(proc)
    _, left = psutil.wait_procs(procs, timeout)
    for proc in left:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.kill()
    psutil.wait_procs(left, 10)


def kill_kafka(broker: KafkaBroker) -> None:
    """SIGKILL, as a crash would: no clean shutdown, no leadership handed over."""
    if broker.alive():
        terminate(broker.pid, timeout=10, sig=signal.SIGKILL)
    if broker.process is not None:
        broker.process.poll()


def _placeholder(pid: int, data_dir: Path) -> KafkaBroker:
    return KafkaBroker(pid, KafkaNode(0, 0, 0), data_dir.resolve())


def stop_kafka_pids(pids: Iterable[int], data_dir: Path, timeout: float = 20.0) -> bool:
    """Stop brokers known only by PID (from a state file) whose data dir is `data_dir` or a
    node dir under it. False if none of them was running."""
    running = set(pids) & set(find_broker_pids(data_dir))
    _stop_all(running, timeout)
    return bool(running)


def is_running(pid: int | None, data_dir: Path) -> bool:
    return pid is not None and _placeholder(pid, data_dir).alive()


def find_broker_pids(data_dir: Path) -> list[int]:
    """PIDs of brokers started on `data_dir` or on a node dir under it (for clean-up without a
    recorded PID)."""
    root = data_dir.resolve()
    found = []
    for proc in psutil.process_iter(["pid", "cmdline"]):
        cmdline = proc.info["cmdline"] or []
        if MAIN_CLASS in cmdline and any(config_under(arg, root) for arg in cmdline):
            found.append(proc.info["pid"])
    return found


def config_under(arg: str, root: Path) -> bool:
    path = Path(arg)
    return path.name == "server.properties" and (path.parent == root or root in path.parents)
