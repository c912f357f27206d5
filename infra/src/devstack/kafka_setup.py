"""Prepare a broker data dir: fetch the jars (cached), write server.properties, format storage.

Every node is a combined broker and controller (KRaft `process.roles=broker,controller`): one
node, or a quorum of three on loopback, where any one node may die and the other two still
elect a controller and lead every partition (replication factor 3, `min.insync.replicas=2`).
"""

import base64
import hashlib
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from devstack.kafka_acls import ADMIN
from devstack.paths import local_dir
from devstack.pki import write_private

HOST = "127.0.0.1"
MAIN_CLASS = "kafka.Kafka"
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies"
JVM_FLAGS = (
    "-Xms256m",
    "-Xmx512m",
    "-server",
    "-XX:+UseG1GC",
    "-XX:MaxGCPauseMillis=20",
    "-XX:InitiatingHeapOccupancyPercent=35",
    "-XX:+ExplicitGCInvokesConcurrent",
    "-XX:MaxInlineLevel=15",
    "-Djava.awt.headless=true",
)


class KafkaStartError(RuntimeError):
    pass


@dataclass(frozen=True)
class KafkaNode:
    """One node of a cluster: its id and its two loopback ports."""

    node_id: int
    port: int  # the SASL_SSL client listener, which the brokers also use among themselves
    controller_port: int  # the KRaft controller listener

    @property
    def address(self) -> str:
        return f"{HOST}:{self.port}"

    @property
    def voter(self) -> str:
        return f"{self.node_id}@{HOST}:{self.controller_port}"


def replication_properties(cluster_size: int) -> dict[str, str]:
    """Replication for a cluster of `cluster_size` nodes: every partition on three of them
    (or all, when fewer), an acks=all write needing all but one replica in sync, and never an
    out-of-sync replica made leader (that would drop acknowledged writes)."""
    replicas = min(3, cluster_size)
    in_sync = str(max(1, replicas - 1))
    return {
        "default.replication.factor": str(replicas),
        "min.insync.replicas": in_sync,
        "unclean.leader.election.enable": "false",
        "offsets.topic.replication.factor": str(replicas),
        "transaction.state.log.replication.factor": str(replicas),
        "transaction.state.log.min.isr": in_sync,
        "share.coordinator.state.topic.replication.factor": str(replicas),
        "share.coordinator.state.topic.min.isr": in_sync,
    }


def formatted_cluster_id(data_dirs: Iterable[Path]) -> str | None:
    """The cluster id a node among `data_dirs` was formatted with (None: none was)."""
    for data_dir in data_dirs:
        meta = data_dir / "kraft" / "meta.properties"
        if meta.is_file():
            for line in meta.read_text().splitlines():
                key, _, value = line.partition("=")
                if key.strip() == "cluster.id":
                    return value.strip()
    return None


def kafka_cluster_id() -> str:
    """A random 22-char URL-safe base64 UUID, as Kafka's `Uuid` accepts it."""
    while True:
        text = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not text.startswith("-"):
            return text


def fetch_libs(root: Path) -> Path:
    """Copy the broker's runtime jars to `<root>/.local/kafka/libs` with Maven, unless a stamp
    there already records the current pom's hash. Fetches into a temp dir and swaps it in."""
    pom = root / "infra" / "kafka" / "pom.xml"
    digest = hashlib.sha256(pom.read_bytes()).hexdigest()
    libs = local_dir(root) / "kafka" / "libs"
    stamp = libs / ".pom.sha256"
    if stamp.is_file() and stamp.read_text().strip() == digest:
        return libs
    mvn = shutil.which("mvn")
    if mvn is None:
        raise KafkaStartError("Maven (mvn) not found; run infra/scripts/install-system-deps.sh")
    staging = libs.with_name(f"libs.fetch-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    result = subprocess.run(  # noqa: S603 (argv of our own tools, no shell)
        [
            mvn,
            "-B",
            "-q",
            "-f",
            str(pom),
            DEPENDENCY_PLUGIN,
            f"-DoutputDirectory={staging}",
            "-DincludeScope=runtime",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0 or not list(staging.glob("kafka_2.13-*.jar")):
        shutil.rmtree(staging, ignore_errors=True)
        output = "\n".join((result.stdout + result.stderr).splitlines()[-30:])
        raise KafkaStartError(
            f"Maven could not fetch the Kafka jars (exit {result.returncode}):\n{output}"
        )
    (staging / ".pom.sha256").write_text(digest + "\n")
    old = libs.with_name(f"libs.old-{os.getpid()}")
    if libs.exists():
        libs.rename(old)
    try:
        staging.rename(libs)
    except OSError:  # a concurrent fetch won the race; use its copy
        shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)
    return libs


@dataclass(frozen=True)
class BrokerSecurity:
    """TLS material and the admin's password for one broker (see `devstack.credentials`)."""

    admin_password: str
    keystore: Path  # PEM: the server's private key then its certificate
    ca_file: Path


def _jaas(module: str, password: str, **extra: str) -> str:
    options = {"username": ADMIN, "password": password, **extra}
    quoted = " ".join(f'{key}="{value}"' for key, value in options.items())
    return f"{module} required {quoted};"


def security_properties(security: BrokerSecurity) -> dict[str, str]:
    """SASL/SCRAM-SHA-512 over TLS for clients (and the broker talking to itself), SASL/PLAIN
    over TLS for the KRaft controller listener (KRaft controllers cannot use SCRAM), the
    StandardAuthorizer, closed by default, with `admin` its only super user."""
    password = security.admin_password
    return {
        "listener.security.protocol.map": "CLIENT:SASL_SSL,CONTROLLER:SASL_SSL",
        "sasl.mechanism.inter.broker.protocol": "SCRAM-SHA-512",
        "sasl.mechanism.controller.protocol": "PLAIN",
        "listener.name.client.sasl.enabled.mechanisms": "SCRAM-SHA-512",
        "listener.name.client.scram-sha-512.sasl.jaas.config": _jaas(
            "org.apache.kafka.common.security.scram.ScramLoginModule", password
        ),
        "listener.name.controller.sasl.enabled.mechanisms": "PLAIN",
        "listener.name.controller.plain.sasl.jaas.config": _jaas(
            "org.apache.kafka.common.security.plain.PlainLoginModule",
            password,
            **{f"user_{ADMIN}": password},
        ),
        "ssl.keystore.type": "PEM",
        "ssl.keystore.location": str(security.keystore),
        "ssl.truststore.type": "PEM",
        "ssl.truststore.location": str(security.ca_file),
        "ssl.enabled.protocols": "TLSv1.3,TLSv1.2",
        "ssl.client.auth": "none",
        "authorizer.class.name": "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        "allow.everyone.if.no.acl.found": "false",
        "super.users": f"User:{ADMIN}",
    }


def server_properties(
    data_dir: Path, node: KafkaNode, quorum: Sequence[KafkaNode], security: BrokerSecurity
) -> str:
    """`node`'s configuration in a cluster of `quorum` (every node, `node` included), a static
    controller quorum of them all."""
    settings = {
        "process.roles": "broker,controller",
        "node.id": str(node.node_id),
        "controller.quorum.voters": ",".join(n.voter for n in quorum),
        "listeners": f"CLIENT://{node.address},CONTROLLER://{HOST}:{node.controller_port}",
        "advertised.listeners": f"CLIENT://{node.address}",
        "inter.broker.listener.name": "CLIENT",
        "controller.listener.names": "CONTROLLER",
        **security_properties(security),
        "log.dirs": str(data_dir / "kraft"),
        "num.partitions": "1",
        **replication_properties(len(quorum)),
        "offsets.topic.num.partitions": "1",
        "transaction.state.log.num.partitions": "1",
        "group.initial.rebalance.delay.ms": "0",
        "auto.create.topics.enable": "false",
    }
    return "".join(f"{key}={value}\n" for key, value in settings.items())


def _java() -> str:
    home = os.environ.get("JAVA_HOME")
    java = str(Path(home) / "bin" / "java") if home else shutil.which("java")
    if not java or not Path(java).exists():
        raise KafkaStartError("java not found; run infra/scripts/install-system-deps.sh")
    return java


def _classpath_flags(root: Path, libs: Path) -> list[str]:
    log4j = root / "infra" / "kafka" / "log4j2.properties"
    return [f"-Dlog4j2.configurationFile={log4j}", "-cp", f"{libs}/*"]


def prepare(
    root: Path,
    data_dir: Path,
    node: KafkaNode,
    quorum: Sequence[KafkaNode],
    security: BrokerSecurity,
    cluster_id: str,
) -> list[str]:
    """Fetch jars, write server.properties (0600: it holds the admin's password), format
    storage with `cluster_id` unless already formatted. Returns the broker command line."""
    libs = fetch_libs(root)
    java = _java()
    (data_dir / "tmp").mkdir(parents=True, exist_ok=True)
    props = data_dir / "server.properties"
    write_private(props, server_properties(data_dir, node, quorum, security).encode())
    if not (data_dir / "kraft" / "meta.properties").exists():
        format_storage(java, root, libs, props, security.admin_password, cluster_id)
    tmp = data_dir / "tmp"
    return [
        java,
        *JVM_FLAGS,
        f"-DZstdTempFolder={tmp}",
        f"-Dorg.xerial.snappy.tempdir={tmp}",
        *_classpath_flags(root, libs),
        MAIN_CLASS,
        str(props),
    ]


def format_storage(
    java: str, root: Path, libs: Path, props: Path, admin_password: str, cluster_id: str
) -> None:
    """Format log.dirs with the cluster's id (every node the same) and the admin's SCRAM
    credential (KIP-900: the broker needs it to authenticate to itself before any admin request
    can be made; every other user is created afterwards with the admin API).
    `--ignore-formatted` only tolerates a formatted dir with the *same* id (4.3 rejects
    another), so callers skip this once meta.properties exists."""
    fmt = subprocess.run(  # noqa: S603 (argv of our own tools, no shell)
        [
            java,
            "-Xmx256m",
            "-XX:TieredStopAtLevel=1",
            *_classpath_flags(root, libs),
            "kafka.tools.StorageTool",
            "format",
            "-t",
            cluster_id,
            "-c",
            str(props),
            "--ignore-formatted",
            "--add-scram",
            f"SCRAM-SHA-512=[name={ADMIN},iterations=8192,password={admin_password}]",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if fmt.returncode != 0:
        raise KafkaStartError(
            f"kafka.tools.StorageTool format failed (exit {fmt.returncode}):\n"
            f"{fmt.stdout}{fmt.stderr}"
        )
