"""A KRaft cluster of one node or three on loopback, every node a broker and a controller.

Three combined nodes rather than three brokers and a dedicated controller: a single controller
would be a node the cluster cannot lose, while a quorum of three survives any one node (the
broker and the voter with it), which is the failure the fault tests make; and three JVMs fit on
the 2-core machine where four would crowd it. Production (the Helm chart) separates the roles.

With one node its data dir is `kafka_dir` itself (the layout of the single broker); with three,
`kafka_dir/node-<id>`. Each node has its own certificate (`tls/server.pem`); all share the CA
and the admin's password, and every node is formatted with the same cluster id.
"""

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient

from devstack import kafka
from devstack.kafka import BrokerSecurity, KafkaBroker, KafkaNode
from devstack.kafka_acls import ADMIN
from devstack.kafka_setup import formatted_cluster_id, kafka_cluster_id

SIZES = (1, 3)


def nodes_on(ports: Sequence[tuple[int, int]]) -> tuple[KafkaNode, ...]:
    """Nodes 1..n on the given (client, controller) port pairs."""
    return tuple(KafkaNode(i, port, ctrl) for i, (port, ctrl) in enumerate(ports, start=1))


def default_nodes(count: int, port: int, controller_port: int) -> tuple[KafkaNode, ...]:
    """`make up`'s nodes: the first on `port`/`controller_port`, each next one two higher."""
    return nodes_on([(port + 2 * i, controller_port + 2 * i) for i in range(count)])


def node_dir(kafka_dir: Path, node_id: int, count: int) -> Path:
    return kafka_dir if count == 1 else kafka_dir / f"node-{node_id}"


@dataclass
class KafkaCluster:
    root: Path
    kafka_dir: Path
    nodes: tuple[KafkaNode, ...]
    securities: Mapping[int, BrokerSecurity] = field(repr=False)  # node id -> its own TLS
    cluster_id: str
    brokers: dict[int, KafkaBroker] = field(default_factory=dict)  # node id -> running

    @property
    def bootstrap_servers(self) -> str:
        """Every node: a client reaches the cluster while any one of them is up."""
        return ",".join(node.address for node in self.nodes)

    def data_dir(self, node_id: int) -> Path:
        return node_dir(self.kafka_dir, node_id, len(self.nodes))

    def admin_options(self, node_ids: Sequence[int] | None = None) -> dict[str, Any]:
        security = next(iter(self.securities.values()))
        wanted = [n for n in self.nodes if node_ids is None or n.node_id in node_ids]
        bootstrap = ",".join(node.address for node in wanted)
        return kafka.client_options(bootstrap, ADMIN, security.admin_password, security.ca_file)

    def launch(self, node_id: int) -> KafkaBroker:
        node = next(n for n in self.nodes if n.node_id == node_id)
        broker = kafka.launch(
            self.root,
            self.data_dir(node_id),
            node,
            self.nodes,
            self.securities[node_id],
            self.cluster_id,
        )
        self.brokers[node_id] = broker
        return broker

    async def wait_node(self, node_id: int, timeout: float) -> None:
        """Until `node_id` serves metadata (it opens its port once unfenced)."""
        broker = self.brokers[node_id]
        if broker.process is None:
            raise RuntimeError(f"Kafka node {node_id} was not started here")
        await kafka.wait_ready(
            self.admin_options([node_id]),
            timeout,
            exited=broker.process.poll,
            log_file=broker.log_file,
        )

    def kill(self, node_id: int) -> None:
        """`kill -9` one node."""
        kafka.kill_kafka(self.brokers.pop(node_id))

    async def restart(self, node_id: int, timeout: float = 60.0) -> KafkaBroker:
        """Start a stopped node again on its data (it catches up from the others)."""
        broker = await asyncio.to_thread(self.launch, node_id)
        await self.wait_node(node_id, timeout)
        return broker

    def stop(self) -> None:
        running, self.brokers = list(self.brokers.values()), {}
        kafka.stop_brokers(running)


async def start_cluster(
    root: Path,
    kafka_dir: Path,
    nodes: Sequence[KafkaNode],
    securities: Mapping[int, BrokerSecurity],
    start_timeout: float = 60.0,
) -> KafkaCluster:
    """Launch every node at once (a quorum needs a majority to elect a controller), wait until
    each serves metadata and the cluster counts them all. On failure every node is stopped and
    the error carries a log tail."""
    cluster = await asyncio.to_thread(_new_cluster, root, kafka_dir, nodes, securities)
    try:
        await asyncio.gather(*(asyncio.to_thread(cluster.launch, node.node_id) for node in nodes))
        await asyncio.gather(*(cluster.wait_node(n.node_id, start_timeout) for n in nodes))
        await kafka.wait_ready(cluster.admin_options(), start_timeout, brokers=len(nodes))
    except BaseException:
        await asyncio.to_thread(cluster.stop)
        raise
    return cluster


def _new_cluster(
    root: Path,
    kafka_dir: Path,
    nodes: Sequence[KafkaNode],
    securities: Mapping[int, BrokerSecurity],
) -> KafkaCluster:
    """The cluster's description; its id is that of a node formatted before (else new)."""
    if len(nodes) not in SIZES:
        raise ValueError(f"a cluster of {len(nodes)} nodes; devstack runs {SIZES}")
    kafka_dir = kafka_dir.resolve()
    dirs = [node_dir(kafka_dir, n.node_id, len(nodes)) for n in nodes]
    cluster_id = formatted_cluster_id(dirs) or kafka_cluster_id()
    return KafkaCluster(root, kafka_dir, tuple(nodes), securities, cluster_id)


async def partition_leaders(options: Mapping[str, Any], topic: str) -> dict[int, int]:
    """Partition -> leader's node id (-1: none) of `topic`."""
    return {p: leader for p, (leader, _) in (await replicas(options, topic)).items()}


async def replicas(options: Mapping[str, Any], topic: str) -> dict[int, tuple[int, list[int]]]:
    """Partition -> (leader, in-sync replicas) of `topic`, as the cluster reports them."""
    admin = AIOKafkaAdminClient(**options, request_timeout_ms=5000)
    await admin.start()
    try:
        (described,) = await admin.describe_topics([topic])
    finally:
        await admin.close()
    return {p["partition"]: (p["leader"], sorted(p["isr"])) for p in described["partitions"]}
