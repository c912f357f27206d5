"""Dead letters operations can act on, on the real broker and database: an event about a person
not known yet is dead-lettered; replayed once the person exists, it is applied exactly once;
replaying the same selection again applies nothing twice; a replay that fails again is
dead-lettered again with every attempt counted; a discarded one cannot be replayed."""

import uuid

import httpx
import pytest
from fastapi import FastAPI
from faststream.kafka import KafkaBroker
from servicekit import db
from servicekit.auth import Principal, authenticated
from servicekit.consumer import EventConsumer, Unprocessable
from servicekit.deadletter import DeadLetters
from servicekit.deliveries import Deliveries
from servicekit.metrics import ServiceMetrics
from servicekit.ops_api import (
    DiscardOrder,
    ReplayOrder,
    discard_dead_letters,
    ops_router,
    order_replay,
)
from servicekit.replay import DeadLetterTopics
from servicekit.uow import AsyncpgUnitOfWork

from .support import NO_MIGRATIONS, eventually, read_topic, submitted

OPERATOR = Principal("ops-sam", "portal", frozenset({"operations"}), frozenset())

pytestmark = pytest.mark.integration


async def known_people_only(event, uow, deps) -> None:
    """Applies an event only about a person this service knows (the handler of a real service
    refusing an award for someone it has no record of)."""
    if not await uow.conn.fetchval("SELECT 1 FROM people WHERE id = $1", event.subject):
        raise Unprocessable(f"no person {event.subject}")
    await uow.conn.execute("INSERT INTO applied (event_id) VALUES ($1)", event.id)


@pytest.fixture
async def wired(infra, fresh_database, make_topics):
    name = f"replay-{uuid.uuid4().hex[:8]}"
    topic = f"{name}.in"
    await make_topics(topic, f"{name}.dlq")
    pool = await db.create_pool(fresh_database)
    await db.migrate(pool, NO_MIGRATIONS)
    await pool.execute("CREATE TABLE people (id text PRIMARY KEY)")
    await pool.execute("CREATE TABLE applied (event_id text)")
    broker = KafkaBroker(**infra.faststream_options(), enable_idempotence=True)
    metrics = ServiceMetrics()
    deliveries = Deliveries(name, pool, metrics)
    consumer = EventConsumer(
        name, {type(submitted()): known_people_only}, lambda: AsyncpgUnitOfWork(pool),
        DeadLetters(name, broker, pool, deliveries), max_attempts=2, backoff_ms=10,
        deliveries=deliveries,
    )  # fmt: skip
    consumer.subscribe(broker, [topic])
    await broker.start()
    yield pool, broker, topic, name, metrics
    await broker.stop()
    await pool.close()


async def open_letter(pool, event_id: str):
    return await pool.fetchrow(
        "SELECT * FROM dead_letters WHERE event_id = $1 AND resolution IS NULL"
        " AND dlq_offset IS NOT NULL ORDER BY id DESC LIMIT 1",
        event_id,
    )


async def outcome(pool, batch: str):
    return await pool.fetchrow(
        "SELECT * FROM replay_outcomes WHERE starts_with(replay_id, $1)", batch + "."
    )


async def test_replayed_after_the_person_exists_it_is_applied_exactly_once(infra, wired) -> None:
    pool, broker, topic, name, metrics = wired
    event = submitted("person-late")
    await broker.publish(event.to_json_bytes(), topic, key=b"person-late")
    letter = await eventually(lambda: open_letter(pool, event.id))
    assert letter["error_class"] == "Unprocessable" and "person-late" in letter["reason"]
    assert letter["attempts"] == 1 and letter["dlq_partition"] == 0

    await pool.execute("INSERT INTO people (id) VALUES ('person-late')")
    topics = DeadLetterTopics(infra.kafka_options())
    first = await order_replay(pool, ReplayOrder(ids=[letter["id"]], operator="sam.taylor"))
    assert [o.dead_letter_id for o in first.orders] == [letter["id"]] and not first.refused
    assert await topics.publish(first.orders) == {letter["id"]: "published"}
    done = await eventually(lambda: outcome(pool, first.batch))
    assert done["outcome"] == "applied"
    assert await pool.fetchval("SELECT count(*) FROM applied WHERE event_id = $1", event.id) == 1
    settled = await pool.fetchrow("SELECT * FROM dead_letters WHERE id = $1", letter["id"])
    assert settled["resolution"] == "replayed"

    # The same selection again: the inbox absorbs it, nothing is applied twice.
    again = await order_replay(pool, ReplayOrder(ids=[letter["id"]], operator="sam.taylor"))
    await topics.publish(again.orders)
    assert (await eventually(lambda: outcome(pool, again.batch)))["outcome"] == "duplicate"
    assert await pool.fetchval("SELECT count(*) FROM applied WHERE event_id = $1", event.id) == 1
    assert await pool.fetchval("SELECT duplicates FROM inbox_duplicates") == 1
    audit = await pool.fetch(
        "SELECT action, operator, replay_id FROM dead_letter_actions WHERE dead_letter_id = $1"
        " ORDER BY id",
        letter["id"],
    )
    assert [(a["action"], a["operator"]) for a in audit] == [("replay", "sam.taylor")] * 2
    assert [a["replay_id"] for a in audit] == [first.orders[0].replay_id, again.orders[0].replay_id]
    text = metrics.registry.get_sample_value(
        "carebenefit_events_consumed_total",
        {"consumer": name, "topic": topic, "outcome": "duplicate"},
    )
    assert text == 1


async def test_a_replay_that_fails_again_is_dead_lettered_with_every_attempt(infra, wired) -> None:
    pool, broker, topic, name, _ = wired
    event = submitted("person-never")
    await broker.publish(event.to_json_bytes(), topic, key=b"person-never")
    letter = await eventually(lambda: open_letter(pool, event.id))
    topics = DeadLetterTopics(infra.kafka_options())
    order = await order_replay(pool, ReplayOrder(topic=topic, operator="sam.taylor"))
    assert [o.dead_letter_id for o in order.orders] == [letter["id"]]
    await topics.publish(order.orders)

    failed = await eventually(lambda: outcome(pool, order.batch))
    assert failed["outcome"] == "dead_lettered" and failed["attempts"] == 2
    newer = await eventually(lambda: open_letter(pool, event.id))
    assert newer["id"] == failed["dead_letter_id"] != letter["id"]
    assert newer["attempts"] == 2 and newer["replay_of"] == letter["id"]
    assert newer["offset"] > letter["offset"]
    first = await pool.fetchrow("SELECT * FROM dead_letters WHERE id = $1", letter["id"])
    assert first["resolution"] == "dead_lettered_again"
    on_topic = await read_topic(infra.kafka_options(), f"{name}.dlq", want=2)
    headers = dict(on_topic[-1].headers)
    assert (
        headers["dlq.attempts"] == b"2"
        and headers["replay.id"] == order.orders[0].replay_id.encode()
    )
    assert await pool.fetchval("SELECT count(*) FROM applied") == 0

    # Discarded with a reason, audited; a discarded dead letter is not replayed.
    gone = await discard_dead_letters(
        pool, DiscardOrder(ids=[newer["id"], letter["id"]], reason="test person", operator="sam")
    )
    assert gone.discarded == [newer["id"]]
    assert gone.refused == {letter["id"]: "already dead_lettered_again"}
    refused = await order_replay(pool, ReplayOrder(ids=[newer["id"]], operator="sam"))
    assert refused.orders == [] and refused.refused == {newer["id"]: "discarded"}


async def test_the_http_api_lists_shows_and_refuses_bad_orders(wired) -> None:
    pool, broker, topic, name, _ = wired
    event = submitted("person-http")
    await broker.publish(event.to_json_bytes(), topic, key=b"person-http")
    letter = await eventually(lambda: open_letter(pool, event.id))
    runtime = type("Runtime", (), {"pool": pool, "name": name})()
    app = FastAPI()
    app.include_router(ops_router(lambda request: runtime, []))
    app.dependency_overrides[authenticated] = lambda: OPERATOR
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as http:
        listed = (await http.get("/ops/dead-letters", params={"topic": topic})).json()
        assert listed["open"] == 1 and [d["id"] for d in listed["dead_letters"]] == [letter["id"]]
        one = (await http.get(f"/ops/dead-letters/{letter['id']}")).json()
        assert one["dlq_topic"] == f"{name}.dlq" and one["event_id"] == event.id
        assert (await http.get("/ops/dead-letters/999999")).status_code == 404
        no_reason = await http.post(
            "/ops/dead-letters/discard", json={"ids": [letter["id"]], "reason": ""}
        )
        assert no_reason.status_code == 422 and "reason" in no_reason.text
        assert (await http.get("/ops/dead-letters", params={"state": "gone"})).status_code == 422
        assert await pool.fetchval("SELECT count(*) FROM dead_letter_actions") == 0
        # The operator is the token's subject: a name in the body is not believed.
        ordered = await http.post(
            "/ops/dead-letters/replays", json={"ids": [letter["id"]], "operator": "mallory"}
        )
        assert ordered.status_code == 200, ordered.text
    actions = await pool.fetch("SELECT action, operator FROM dead_letter_actions")
    assert [(a["action"], a["operator"]) for a in actions] == [("replay", OPERATOR.subject)]
