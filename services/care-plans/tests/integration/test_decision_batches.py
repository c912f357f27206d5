"""DecisionMade in batches on real PostgreSQL: a run of decisions is read ahead and written
behind once (care_plans.adapters.plans_ahead), and leaves exactly what applying the same events
one at a time leaves; a duplicate changes nothing, and a poison sinks only itself."""

from types import SimpleNamespace

import pytest
from care_plans.entrypoints.errors import UNPROCESSABLE
from care_plans.entrypoints.events import HANDLERS
from servicekit.consumer import Delivery, EventConsumer

from ..unit.fakes import decision, weekly

pytestmark = pytest.mark.integration


def decisions(person: str) -> list:
    """Drafted, rebudgeted, ended, then drafted again: each must see what the one before left.
    Decision ids are the person's own (as assessment's are: unique)."""
    d1, d2, d3, d4 = (f"D-{n}-{person}" for n in range(1, 5))
    return [
        decision(person, decision_id=d1),
        decision(
            person,
            decision_id=d2,
            decision_version=2,
            supersedes_decision_id=d1,
            award=weekly(120_000),
        ),
        decision(
            person,
            decision_id=d3,
            decision_version=3,
            supersedes_decision_id=d2,
            eligible=False,
        ),  # fmt: skip
        decision(person, decision_id=d4, award=weekly(90_000)),
    ]


async def state(service, person: str) -> dict:
    """What care-plans holds and published for the person, named without them."""
    plans = await service.pool.fetch(
        "SELECT replace(plan_id, $1, '') AS plan, current_version, status, in_force_version,"
        " review_due_on, review_notice_on, review_policy FROM plans WHERE person_id = $1"
        " ORDER BY created_at, plan_id",
        person,
    )
    versions = await service.pool.fetch(
        "SELECT replace(v.plan_id, $1, '') AS plan, v.number, v.status,"
        " replace(v.decision_id, $1, '') AS decision, replace(v.body::text, $1, '') AS body"
        " FROM plan_versions v JOIN plans p USING (plan_id)"
        " WHERE p.person_id = $1 ORDER BY v.plan_id, v.number",
        person,
    )
    notices = await service.pool.fetchval(
        "SELECT count(*) FROM review_notices n JOIN plans p USING (plan_id) WHERE p.person_id = $1",
        person,
    )
    published = await service.pool.fetch(
        "SELECT type, replace((payload->'data')::text, $1, '') AS data FROM outbox"
        " WHERE key = $1 ORDER BY position",
        person,
    )
    return {
        "plans": [dict(r) for r in plans],
        "versions": [dict(r) for r in versions],
        "notices": notices,
        "published": [(r["type"], r["data"]) for r in published],
    }


async def test_several_decisions_for_one_person_in_a_batch_leave_what_one_at_a_time_leaves(
    service,
) -> None:
    for event in decisions("apart"):
        await service.runtime.consumer.apply(event)
    together = decisions("together")
    others = [decision("other", decision_id="D-1-other"), decision("other", decision_id="D-9")]
    batch = [together[0], others[0], *together[1:], others[1]]
    await service.runtime.consumer.apply_batch([Delivery(e) for e in batch])
    found = await state(service, "together")
    assert found == await state(service, "apart")
    assert [p["status"] for p in found["plans"]] == ["ended", "draft"]
    assert len(found["versions"]) == 4 and found["published"]


async def test_an_event_delivered_twice_in_a_batch_is_applied_once(service) -> None:
    for event in decisions("once"):
        await service.runtime.consumer.apply(event)
    twice = decisions("twice")
    batch = [twice[0], twice[0], twice[1], twice[2], twice[1], twice[3]]
    await service.runtime.consumer.apply_batch([Delivery(e) for e in batch])
    assert await state(service, "twice") == await state(service, "once")


class Letters:
    def __init__(self) -> None:
        self.sent: list = []

    async def send(self, letter) -> None:
        self.sent.append(letter)


def record(offset: int, event) -> SimpleNamespace:
    return SimpleNamespace(
        topic="assessment.decisions", partition=0, offset=offset, key=event.subject.encode(),
        value=event.to_json_bytes(), headers=[],
    )  # fmt: skip


async def test_a_poison_decision_in_the_middle_of_a_batch_sinks_only_itself(service) -> None:
    poison = decision("nowhere", area_code="X99999999")  # not an area in the catalogue
    batch = [decision(p, decision_id=f"D-{p}") for p in ("a", "b", "c")]
    batch.insert(2, poison)
    letters = Letters()
    consumer = EventConsumer(
        "care-plans", HANDLERS, service.runtime.uow, letters, max_attempts=3, backoff_ms=0,
        deps=lambda: service.runtime.deps, unprocessable=UNPROCESSABLE,
    )  # fmt: skip
    await consumer.apply_batch([Delivery(e, record(n, e)) for n, e in enumerate(batch)])
    [letter] = letters.sent
    assert (letter.error_class, letter.attempts, letter.event_id) == ("UnknownArea", 1, poison.id)
    people = await service.pool.fetch("SELECT person_id FROM plans ORDER BY person_id")
    assert [r["person_id"] for r in people] == ["a", "b", "c"]
    assert await service.pool.fetchval("SELECT count(*) FROM inbox") == 3
