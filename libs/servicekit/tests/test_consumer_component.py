"""The consumer wired into FastStream, on the in-memory broker (no offsets or commits here: those
are covered on the real broker in test_consumer_integration)."""

from faststream.kafka import KafkaBroker, TestKafkaBroker
from servicekit.consumer import EventConsumer
from servicekit.deadletter import DeadLetters
from servicekit.testing import FakeUnitOfWork

from .support import submitted


async def test_messages_reach_handlers_and_poison_is_published_to_the_dead_letter_topic() -> None:
    broker = KafkaBroker("in-memory")
    applied: list[str] = []

    async def handler(event, uow, deps) -> None:
        applied.append(event.subject)

    consumer = EventConsumer(
        "svc", {type(submitted()): handler}, FakeUnitOfWork, DeadLetters("svc", broker, pool=None)
    )
    consumer.subscribe(broker, ["in.events"])

    @broker.subscriber("svc.dlq")
    async def dead_letters(body: bytes) -> None:
        pass

    async with TestKafkaBroker(broker) as test_broker:
        await test_broker.publish(submitted("alice").to_json_bytes(), "in.events", key=b"alice")
        await test_broker.publish(b"\xff not json", "in.events", key=b"bob")
        await test_broker.publish(b'{"type": "uk.gov.carebenefit.x.y.v9"}', "in.events", key=b"c")
        assert applied == ["alice"]
        dead_letters.mock.assert_called_once()
        [call] = dead_letters.mock.call_args_list
        assert call.args[0] == b"\xff not json"
