"""Static membership on the real broker: a member stopped and started again under the same
instance id within the session timeout takes its partition back and the other member's stays
put (no rebalance); without instance ids the same restart rebalances the group."""

import uuid

import pytest
from faststream.kafka import KafkaBroker
from servicekit import offsets
from servicekit.consumer import EventConsumer
from servicekit.deadletter import DeadLetters
from servicekit.lifecycle import REBALANCE_MS

from .support import eventually, submitted

pytestmark = pytest.mark.integration
SESSION = {"session_timeout_ms": 60_000, "rebalance_timeout_ms": REBALANCE_MS}


@pytest.fixture
def rebalances(monkeypatch) -> dict[int, list[str]]:
    """What each consumer's listener saw, by the listener's id: "revoked" / "assigned"."""
    seen: dict[int, list[str]] = {}
    revoked, assigned = (
        offsets.InFlight.on_partitions_revoked,
        offsets.InFlight.on_partitions_assigned,
    )

    async def on_revoked(self, partitions):
        seen.setdefault(id(self), []).append("revoked")
        await revoked(self, partitions)

    async def on_assigned(self, partitions):
        seen.setdefault(id(self), []).append("assigned" if partitions else "assigned nothing")
        await assigned(self, partitions)

    monkeypatch.setattr(offsets.InFlight, "on_partitions_revoked", on_revoked)
    monkeypatch.setattr(offsets.InFlight, "on_partitions_assigned", on_assigned)
    return seen


async def nothing(event, uow, deps) -> None:
    return None


async def member(infra, group: str, topic: str, instance: str | None):
    """A member of `group` with no events to apply (so no database behind it)."""
    broker = KafkaBroker(**infra.faststream_options())
    consumer = EventConsumer(
        group,
        {type(submitted()): nothing},
        lambda: pytest.fail("no event is sent: nothing to apply"),
        DeadLetters(group, broker, None),
        fetch=SESSION if instance else None,
    )
    consumer.subscribe(broker, [topic], instance_id=instance)
    await broker.start()
    return broker, consumer.in_flight[0]


@pytest.mark.parametrize("static", [True, False], ids=["static", "dynamic"])
async def test_a_restarted_member_rebalances_the_group_only_without_an_instance_id(
    infra, make_topics, rebalances, static: bool
) -> None:
    group = f"kit-static-{uuid.uuid4().hex[:8]}"
    topic = f"{group}.in"
    await make_topics(topic, partitions=2)
    first, first_listener = await member(infra, group, topic, "pod-0" if static else None)
    second, listener = await member(infra, group, topic, "pod-1" if static else None)

    async def settled() -> bool:
        return all(_last(rebalances, x) == "assigned" for x in (first_listener, listener))

    await eventually(settled, timeout=60)
    before = list(rebalances[id(listener)])
    await first.stop()  # a static member does not leave the group when it stops
    again, again_listener = await member(infra, group, topic, "pod-0" if static else None)

    async def back() -> bool:
        return _last(rebalances, again_listener) == "assigned"

    try:
        await eventually(back, timeout=60)
        changed = rebalances[id(listener)][len(before) :]
        assert ("revoked" in changed) is not static, changed
    finally:
        await again.stop()
        await second.stop()


def _last(rebalances: dict[int, list[str]], listener) -> str:
    return (rebalances.get(id(listener)) or [""])[-1]
