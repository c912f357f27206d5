"""Starts the real broker and PostgreSQL cluster through `running_infra` and uses both."""

import time
import uuid

import asyncpg
import httpx
import psutil
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from contracts.topics import ALL_TOPICS, ASSESSMENT_EVENTS
from devstack import SERVICE_DATABASES, running_infra


def _tree(pid: int) -> list[psutil.Process]:
    parent = psutil.Process(pid)
    return [parent, *parent.children(recursive=True)]


def _gone(proc: psutil.Process) -> bool:
    try:
        return not proc.is_running() or proc.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


@pytest.mark.integration
async def test_running_infra_serves_kafka_and_postgres_then_leaves_nothing(tmp_path):
    started = time.monotonic()
    async with running_infra(tmp_path, use_env=False) as infra:
        print(f"running_infra up in {time.monotonic() - started:.1f} s")
        assert infra.kafka is not None and infra.postgres is not None and infra.oidc is not None
        processes = _tree(infra.kafka.pid) + _tree(infra.postgres.pid) + _tree(infra.oidc.pid)
        async with httpx.AsyncClient() as http:
            discovery = (
                await http.get(infra.oidc_issuer + "/.well-known/openid-configuration")
            ).json()
        assert discovery["issuer"] == infra.oidc_issuer

        admin = AIOKafkaAdminClient(**infra.kafka_options())
        await admin.start()
        try:
            described = await admin.describe_topics([t.name for t in ALL_TOPICS])
        finally:
            await admin.close()
        assert {d["topic"]: len(d["partitions"]) for d in described} == {
            t.name: t.partitions for t in ALL_TOPICS
        }

        key, value = f"person-{uuid.uuid4()}".encode(), b'{"type": "ping"}'
        producer = AIOKafkaProducer(**infra.kafka_options(), enable_idempotence=True)
        await producer.start()
        try:
            sent = await producer.send_and_wait(ASSESSMENT_EVENTS.name, value, key=key)
        finally:
            await producer.stop()
        consumer = AIOKafkaConsumer(
            ASSESSMENT_EVENTS.name,
            **infra.kafka_options(),
            group_id=f"test-{uuid.uuid4()}",
            auto_offset_reset="earliest",
            enable_auto_commit=False,
        )
        await consumer.start()
        try:
            record = await consumer.getone()
            await consumer.commit()
        finally:
            await consumer.stop()
        assert (record.key, record.value, record.partition) == (key, value, sent.partition)

        for name in SERVICE_DATABASES:
            connection = await asyncpg.connect(infra.database_url(name))
            try:
                assert await connection.fetchval("SELECT current_database()") == name
                assert await connection.fetchval("SHOW max_connections") == "200"
            finally:
                await connection.close()
        print(f"running_infra used after {time.monotonic() - started:.1f} s")

    assert [p for p in processes if not _gone(p)] == []
    assert (tmp_path / "kafka" / "kafka.log").is_file()
    print(f"running_infra torn down after {time.monotonic() - started:.1f} s")
