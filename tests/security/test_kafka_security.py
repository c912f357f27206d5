"""On the session's real broker: SASL/SCRAM over TLS is the only way in, and each principal can
do what the ACL table (devstack.kafka_acls) grants it and nothing else."""

import logging
import ssl
import uuid

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import (
    GroupAuthorizationFailedError,
    KafkaConnectionError,
    TopicAuthorizationFailedError,
)
from contracts.topics import ASSESSMENT_EVENTS, NOTIFICATIONS_EVENTS, dead_letter

pytestmark = pytest.mark.integration


async def produce(options: dict, topic: str) -> None:
    producer = AIOKafkaProducer(**options, enable_idempotence=True, request_timeout_ms=10_000)
    try:
        await producer.start()
        await producer.send_and_wait(topic, b'{"probe": true}', key=b"probe")
    finally:
        await producer.stop()


async def consume(options: dict, topic: str, group: str) -> None:
    consumer = AIOKafkaConsumer(
        topic, **options, group_id=group, auto_offset_reset="earliest", enable_auto_commit=False
    )
    try:
        await consumer.start()
        await consumer.getmany(timeout_ms=5_000)
    finally:
        await consumer.stop()


async def connect(options: dict) -> None:
    admin = AIOKafkaAdminClient(**options, request_timeout_ms=5_000)
    try:
        await admin.start()
        await admin.describe_cluster()
    finally:
        await admin.close()


async def test_payments_cannot_produce_to_assessment_events_but_can_to_its_own_dead_letters(
    infra,
) -> None:
    payments = infra.kafka_options("payments")
    with pytest.raises(TopicAuthorizationFailedError):
        await produce(payments, ASSESSMENT_EVENTS.name)
    await produce(payments, dead_letter("payments").name)  # nobody consumes dead-letter topics


async def test_the_benefits_system_may_not_write_a_services_topic(infra) -> None:
    with pytest.raises(TopicAuthorizationFailedError):
        await produce(infra.kafka_options("benefits-system"), ASSESSMENT_EVENTS.name)


@pytest.mark.parametrize(
    ("change", "logged"),
    [
        ("plaintext", "closed"),  # PLAINTEXT to the SASL_SSL port: the broker hangs up
        ("tls without sasl", "closed"),
        ("wrong password", "SaslAuthenticationFailed"),
        ("unknown user", "SaslAuthenticationFailed"),
        ("untrusted certificate", "CERTIFICATE_VERIFY_FAILED"),  # the system CAs don't know ours
    ],
)
async def test_no_way_in_without_tls_and_the_right_password(infra, caplog, change, logged) -> None:
    good = infra.kafka_options("payments")
    options = {
        "plaintext": {"bootstrap_servers": infra.bootstrap_servers},
        "tls without sasl": {
            "bootstrap_servers": infra.bootstrap_servers,
            "security_protocol": "SSL",
            "ssl_context": good["ssl_context"],
        },
        "wrong password": {**good, "sasl_plain_password": good["sasl_plain_password"] + "x"},
        "unknown user": {**good, "sasl_plain_username": "mallory"},
        "untrusted certificate": {**good, "ssl_context": ssl.create_default_context()},
    }[change]
    with caplog.at_level(logging.WARNING, logger="aiokafka"), pytest.raises(KafkaConnectionError):
        await connect(options)
    assert logged in caplog.text
    await connect(good)  # the same broker, the right way: in


async def test_a_service_may_not_use_another_services_group(infra) -> None:
    with pytest.raises(GroupAuthorizationFailedError):
        await consume(infra.kafka_options("payments"), ASSESSMENT_EVENTS.name, "notifications")


async def test_a_service_may_not_read_a_topic_it_does_not_consume(infra) -> None:
    with pytest.raises(TopicAuthorizationFailedError):
        await consume(infra.kafka_options("payments"), NOTIFICATIONS_EVENTS.name, "payments")


async def test_a_service_reads_what_it_consumes_in_its_own_group(infra) -> None:
    await consume(infra.kafka_options("care-plans"), ASSESSMENT_EVENTS.name, "care-plans")


async def test_operations_sees_lag_and_dead_letters_but_reads_and_writes_no_event_stream(
    infra,
) -> None:
    operations = infra.kafka_options("operations")
    admin = AIOKafkaAdminClient(**operations, request_timeout_ms=5_000)
    try:
        await admin.start()
        await admin.list_consumer_group_offsets("payments")  # describe: allowed
    finally:
        await admin.close()
    await consume(operations, dead_letter("payments").name, "operations")
    with pytest.raises(TopicAuthorizationFailedError):
        await consume(operations, ASSESSMENT_EVENTS.name, "operations")
    with pytest.raises(TopicAuthorizationFailedError):
        await produce(operations, NOTIFICATIONS_EVENTS.name)  # no one consumes it: no replay
    with pytest.raises(GroupAuthorizationFailedError):
        await consume(operations, dead_letter("payments").name, f"ops-{uuid.uuid4().hex[:6]}")
