"""The three-node cluster's configuration, without starting it."""

from pathlib import Path

from devstack.kafka import config_under
from devstack.kafka_cluster import default_nodes, node_dir, nodes_on
from devstack.kafka_setup import (
    BrokerSecurity,
    formatted_cluster_id,
    replication_properties,
    server_properties,
)
from devstack.topics import replication

SECURITY = BrokerSecurity("pw", Path("/k/node-2/tls/server.pem"), Path("/secrets/ca.pem"))


def _props(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in text.splitlines())


def test_each_node_of_three_votes_in_one_quorum_and_replicates_three_ways():
    nodes = default_nodes(3, 19092, 19093)
    props = _props(server_properties(Path("/k/node-2"), nodes[1], nodes, SECURITY))
    assert props["node.id"] == "2"
    assert props["process.roles"] == "broker,controller"
    assert props["controller.quorum.voters"] == (
        "1@127.0.0.1:19093,2@127.0.0.1:19095,3@127.0.0.1:19097"
    )
    assert props["listeners"] == "CLIENT://127.0.0.1:19094,CONTROLLER://127.0.0.1:19095"
    assert props["advertised.listeners"] == "CLIENT://127.0.0.1:19094"
    assert props["ssl.keystore.location"] == "/k/node-2/tls/server.pem"
    assert props["listener.security.protocol.map"] == "CLIENT:SASL_SSL,CONTROLLER:SASL_SSL"
    assert props["allow.everyone.if.no.acl.found"] == "false"
    for key in (
        "default.replication.factor",
        "offsets.topic.replication.factor",
        "transaction.state.log.replication.factor",
        "share.coordinator.state.topic.replication.factor",
    ):
        assert props[key] == "3", key
    for key in ("min.insync.replicas", "transaction.state.log.min.isr"):
        assert props[key] == "2", key
    assert props["unclean.leader.election.enable"] == "false"


def test_replication_follows_the_cluster_size():
    assert replication(1) == (1, {"min.insync.replicas": "1"})
    assert replication(3) == (3, {"min.insync.replicas": "2"})
    assert replication(5) == (3, {"min.insync.replicas": "2"})
    assert replication_properties(1)["min.insync.replicas"] == "1"


def test_nodes_take_their_ports_in_pairs_and_a_single_node_keeps_the_old_layout():
    assert [(n.node_id, n.port, n.controller_port) for n in nodes_on([(5, 6), (7, 8)])] == [
        (1, 5, 6),
        (2, 7, 8),
    ]
    assert node_dir(Path("/k"), 1, 1) == Path("/k")
    assert node_dir(Path("/k"), 3, 3) == Path("/k/node-3")


def test_a_cluster_reuses_the_id_a_node_was_formatted_with(tmp_path):
    one, two = tmp_path / "node-1", tmp_path / "node-2"
    assert formatted_cluster_id([one, two]) is None
    (two / "kraft").mkdir(parents=True)
    (two / "kraft" / "meta.properties").write_text(
        "#\nnode.id=2\ndirectory.id=abc\nversion=1\ncluster.id=Wh-Q1CVCRAqq0t5x31ZtLg\n"
    )
    assert formatted_cluster_id([one, two]) == "Wh-Q1CVCRAqq0t5x31ZtLg"


def test_brokers_are_found_on_their_own_dir_or_a_node_dir_under_it():
    root = Path("/k")
    assert config_under("/k/server.properties", root)
    assert config_under("/k/node-3/server.properties", root)
    assert not config_under("/k2/server.properties", root)
    assert not config_under("/k/node-3/kafka.log", root)
    assert not config_under("/elsewhere/server.properties", root)
