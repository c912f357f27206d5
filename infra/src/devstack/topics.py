"""Create the project's Kafka topics and wait until every partition has a leader.

Replication follows the cluster: on three brokers or more every partition has three replicas
and takes an acks=all write once two have it (`min.insync.replicas=2`); on one, one.
"""

import asyncio
import time
from collections.abc import Iterable, Mapping
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError, for_code
from contracts.topics import ALL_TOPICS, Topic

from devstack.kafka_setup import replication_properties


class TopicSetupError(RuntimeError):
    pass


async def ensure_topics(
    options: Mapping[str, Any], topics: Iterable[Topic] = ALL_TOPICS, wait_timeout: float = 30.0
) -> list[str]:
    """Create missing topics (replicated as `replication` says for the cluster's size; existing
    ones are left as they are) and wait for partition leaders, as the admin (`options`: aiokafka
    client arguments). Returns the names created by this call."""
    wanted = {topic.name: topic.partitions for topic in topics}
    deadline = time.monotonic() + wait_timeout
    admin = AIOKafkaAdminClient(**options, request_timeout_ms=int(wait_timeout * 1000))
    await admin.start()
    try:
        brokers = len((await admin.describe_cluster())["brokers"])
        created = await _create(admin, wanted, replication(brokers), wait_timeout)
        await _wait_for_leaders(admin, wanted, deadline)
    finally:
        await admin.close()
    return created


def replication(brokers: int) -> tuple[int, dict[str, str]]:
    """Replication factor and topic configuration on a cluster of `brokers`."""
    replicas = replication_properties(brokers)
    factor = int(replicas["default.replication.factor"])
    return factor, {"min.insync.replicas": replicas["min.insync.replicas"]}


async def _create(
    admin: AIOKafkaAdminClient,
    wanted: dict[str, int],
    replicated: tuple[int, dict[str, str]],
    timeout_s: float,
) -> list[str]:
    if not wanted:
        return []
    factor, configs = replicated
    response = await admin.create_topics(
        [NewTopic(name, n, factor, topic_configs=configs) for name, n in wanted.items()],
        timeout_ms=int(timeout_s * 1000),
    )
    created, failures = [], []
    for name, code, *rest in response.topic_errors:
        if code == 0:
            created.append(name)
        elif for_code(code) is not TopicAlreadyExistsError:
            message = rest[0] if rest else ""
            failures.append(f"{name}: {for_code(code).__name__} {message or ''}".rstrip())
    if failures:
        raise TopicSetupError("could not create topics: " + "; ".join(failures))
    return created


async def _wait_for_leaders(
    admin: AIOKafkaAdminClient, wanted: dict[str, int], deadline: float
) -> None:
    pending: list[str] = list(wanted)
    while True:
        try:
            described = await admin.describe_topics(pending)
            pending = [t["topic"] for t in described if not _ready(t)]
            if not pending:
                return
        except KafkaError:
            pass
        if time.monotonic() > deadline:
            raise TopicSetupError(
                f"topics with partitions still lacking a leader: {', '.join(sorted(pending))}"
            )
        await asyncio.sleep(0.1)


def _ready(topic: dict) -> bool:
    partitions = topic["partitions"]
    return (
        topic["error_code"] == 0
        and bool(partitions)
        and all(p["error_code"] == 0 and p["leader"] >= 0 for p in partitions)
    )
