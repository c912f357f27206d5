"""A service cut off from PostgreSQL or from Kafka, and a consumer paused past its session."""

import pytest
from devstack import fault_kinds as faults
from devstack.fault_platform import EXIT_AFTER_S

pytestmark = [pytest.mark.e2e, pytest.mark.fault, pytest.mark.timeout(600)]


async def test_a_service_cut_off_from_postgresql_exits_is_restarted_and_catches_up(scenarios):
    row = await scenarios.run(
        "network cut: payments to PostgreSQL", faults.cut_database(), seconds=20
    )
    assert row.figures["cut (s)"] > EXIT_AFTER_S
    assert 75 in row.figures["exit statuses"]  # gave up, as told, and was started again


async def test_a_service_cut_off_from_kafka_catches_up(scenarios):
    row = await scenarios.run("network cut: care-plans to Kafka", faults.cut_kafka(), seconds=14)
    assert row.figures["its lag when the cut ended"] > 0


async def test_a_consumer_paused_past_its_session_rejoins(scenarios):
    row = await scenarios.run(
        "SIGSTOP notifications past its session", faults.pause_consumer(), seconds=18
    )
    assert (row.figures["group during the pause"], row.figures["members during"]) == ("Empty", 0)
