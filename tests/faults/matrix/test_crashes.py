"""Processes killed with SIGKILL and PostgreSQL stopped under steady traffic: every service, the
broker, the database crashing mid-relay and restarting while the consumers retry."""

import pytest
from devstack import fault_kinds as faults
from devstack.fault_platform import SERVICES

pytestmark = [pytest.mark.e2e, pytest.mark.fault, pytest.mark.timeout(600)]


@pytest.mark.parametrize("service", SERVICES)
async def test_a_service_killed_with_sigkill_is_restarted_and_loses_nothing(scenarios, service):
    row = await scenarios.run(f"kill -9 {service}", faults.kill_service(service))
    assert row.figures["exit"] == -9 and row.figures["restarts"] == 1
    assert 0 < row.figures["ready after its start (s)"] <= row.figures["ready again after (s)"]


async def test_the_broker_killed_with_sigkill_loses_nothing(scenarios):
    row = await scenarios.run("kill -9 the Kafka broker", faults.kill_broker(), seconds=12)
    assert row.figures["broker serving again after (s)"] > 3


async def test_postgresql_crashing_while_the_relays_are_busy_loses_no_acknowledged_write(
    scenarios,
):
    row = await scenarios.run(
        "PostgreSQL stop -m immediate mid-relay", faults.postgres_crash(), rate=6, fault_at=4
    )
    assert row.figures["requests refused (503) and retried"] > 0
    assert row.report.figures["acknowledged"] > 0


async def test_postgresql_restarting_while_the_consumers_retry_dead_letters_nothing(scenarios):
    row = await scenarios.run(
        "PostgreSQL restart during consumer retries", faults.postgres_restart()
    )
    assert all(row.figures["backlog when it stopped"].values()), "no work waited for the restart"
    assert row.figures["consumer retries logged"] > 0
