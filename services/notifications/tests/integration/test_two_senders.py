"""Two replicas' senders on one database share the due messages and send each exactly once:
each claims with FOR UPDATE SKIP LOCKED and sends only under its own live lease. Both run
here, each as its own app with its own pool on the real PostgreSQL, against the real SMTP
server and the Notify stub, claiming at the same moment."""

import asyncio
import dataclasses
from collections import Counter

import pytest
from asgi_lifespan import LifespanManager
from notifications.main import create_app
from notifications.service_layer import sending

from .conftest import settings_for

pytestmark = pytest.mark.integration
PEOPLE = 24


class Recording:
    """A channel that notes which sender sent what, then sends it for real."""

    def __init__(self, channel, sender: str, log: list[tuple[str, str]]) -> None:
        self.channel, self.sender, self.log = channel, sender, log

    async def send(self, message, handed_over):
        self.log.append((self.sender, str(message.notification_id)))
        return await self.channel.send(message, handed_over)

    async def find(self, message):
        return await self.channel.find(message)


def recording(sender: sending.Sender, name: str, log: list) -> sending.Sender:
    channels = {c: Recording(adapter, name, log) for c, adapter in sender.channels.items()}
    return dataclasses.replace(sender, channels=channels, batch_size=5)


async def test_two_senders_share_the_due_messages_and_send_each_once(
    service, infra, fresh_database, mailbox, notify_stub, make
) -> None:
    for _ in range(PEOPLE):  # an email and a text message each
        person = make.another()
        await service.prefer(
            person.person_id, channels=["email", "sms"], email="a@example.com", phone="07700900123"
        )
        await service.hear(person.payment_issued())
    settings = settings_for(infra, fresh_database, mailbox.port, notify_stub.url)
    other = create_app(settings, clock=service.clock)
    log: list[tuple[str, str]] = []
    async with LifespanManager(other, startup_timeout=60):
        runtime = other.app.app.state.runtime
        senders = [
            (service.runtime.uow, recording(service.deps.sender, "first", log)),
            (runtime.uow, recording(runtime.deps.sender, "second", log)),
        ]
        for _ in range(20):
            sent = await asyncio.gather(*(sending.send_due(uow, s) for uow, s in senders))
            if not any(sent):
                break
    rows = await service.runtime.pool.fetch(
        "SELECT notification_id::text AS id, channel, status, attempts FROM messages"
        " WHERE channel <> 'inbox'"
    )
    assert len(rows) == 2 * PEOPLE
    assert Counter(i for _, i in log) == Counter(r["id"] for r in rows)  # each sent once
    assert Counter(s for s, _ in log).keys() == {"first", "second"}  # by both
    assert {r["attempts"] for r in rows} == {1}
    assert {r["status"] for r in rows if r["channel"] == "email"} == {"delivered"}
    assert {r["status"] for r in rows if r["channel"] == "sms"} == {"sending"}  # at Notify
    emails = {f"<{r['id']}@carebenefit.service.gov.uk>" for r in rows if r["channel"] == "email"}
    assert mailbox.count_by_id() == Counter(emails)
    texts = [r["id"] for r in rows if r["channel"] == "sms"]
    assert Counter(n["reference"] for n in notify_stub.sent) == Counter(texts)
