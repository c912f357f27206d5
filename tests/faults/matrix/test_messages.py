"""What flows goes wrong: a whole topic replayed, and poison among good events."""

import pytest
from devstack import fault_kinds as faults

pytestmark = [pytest.mark.e2e, pytest.mark.fault, pytest.mark.timeout(600)]


async def test_a_whole_topic_replayed_changes_nothing(scenarios):
    row = await scenarios.run(
        "replay of assessment.events from offset 0", faults.replay_topic, seconds=0
    )
    assert row.figures["records re-published"] > 0
    assert row.figures["rows changed"] == {}
    assert min(row.figures["read again by"].values()) == row.figures["records re-published"]


async def test_one_poison_message_in_a_hundred_is_dead_lettered_and_nothing_else(scenarios):
    row = await scenarios.run("1 % poison on assessment.events", faults.poison_one_in_a_hundred)
    assert row.figures["poison records"] == 4
    assert row.report.figures["payments dead letters"] == len(scenarios.matrix.poison)
