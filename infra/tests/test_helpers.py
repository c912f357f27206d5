"""Pure helpers: URLs, cluster ids, broker config, ports."""

import re
from pathlib import Path

from devstack.kafka_setup import BrokerSecurity, KafkaNode, kafka_cluster_id, server_properties
from devstack.procs import free_ports, port_is_free
from devstack.stack import database_url, server_url


def test_database_url_replaces_the_database_and_keeps_credentials_and_query():
    assert database_url("postgresql://postgres@127.0.0.1:15432", "payments") == (
        "postgresql://postgres@127.0.0.1:15432/payments"
    )
    assert database_url("postgresql://u:pw@db:5432/postgres?sslmode=require", "portal") == (
        "postgresql://u:pw@db:5432/portal?sslmode=require"
    )


def test_server_url_drops_the_database_name():
    assert server_url("postgresql://u:pw@db:5432/postgres") == "postgresql://u:pw@db:5432"


def test_cluster_id_is_22_url_safe_chars_not_starting_with_a_dash():
    for _ in range(200):
        cid = kafka_cluster_id()
        assert re.fullmatch(r"[A-Za-z0-9_-]{22}", cid) and not cid.startswith("-")


def test_server_properties_single_node_settings():
    security = BrokerSecurity("pw", Path("/data/tls/server.pem"), Path("/secrets/ca.pem"))
    node = KafkaNode(1, 19092, 19093)
    text = server_properties(Path("/data"), node, [node], security)
    props = dict(line.split("=", 1) for line in text.splitlines())
    assert props["controller.quorum.voters"] == "1@127.0.0.1:19093"
    assert props["advertised.listeners"] == "CLIENT://127.0.0.1:19092"
    assert "PLAINTEXT" not in props["listener.security.protocol.map"]
    assert props["listener.security.protocol.map"] == "CLIENT:SASL_SSL,CONTROLLER:SASL_SSL"
    assert props["allow.everyone.if.no.acl.found"] == "false"
    assert props["super.users"] == "User:admin"
    assert props["auto.create.topics.enable"] == "false"
    assert props["group.initial.rebalance.delay.ms"] == "0"
    assert props["offsets.topic.replication.factor"] == "1"
    assert props["transaction.state.log.min.isr"] == "1"
    assert props["log.dirs"] == "/data/kraft"


def test_free_ports_are_distinct_and_free():
    ports = free_ports(3)
    assert len(set(ports)) == 3
    assert all(port_is_free(port) for port in ports)
