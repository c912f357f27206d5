"""One message per business event and recipient: redelivery, replay, and a crash mid-send."""

import asyncio

import pytest
from aiokafka import AIOKafkaProducer
from contracts.registry import topic_for
from notifications.service_layer import sending

pytestmark = pytest.mark.integration
EVERYWHERE = dict(
    channels=["email", "sms", "letter"],
    email="amina@example.com",
    phone="07700 900123",
    address_lines=["Flat 2", "10 High Street"],
    postcode="LS1 4AP",
)


async def crash_before_recording(*_: object, **__: object) -> None:
    raise RuntimeError("the process died here")


async def test_a_redelivered_event_sends_one_message_per_channel(service, make) -> None:
    await service.prefer(make.person_id, **EVERYWHERE)
    event = make.payment_issued()
    await service.hear(event, event)
    await service.send()
    await service.hear(event)
    await service.send()
    rows = await service.rows(make.person_id)
    assert sorted(rows) == ["email", "inbox", "letter", "sms"]
    assert len(service.mailbox.messages) == 1 and len(service.notify.sent) == 2
    assert service.mailbox.ids() == [
        f"<{rows['email']['notification_id']}@carebenefit.service.gov.uk>"
    ]


async def test_a_replay_that_bypasses_the_inbox_still_sends_nothing_twice(service, make) -> None:
    await service.prefer(make.person_id, **EVERYWHERE)
    event = make.statement()
    await service.hear(event)
    await service.send()
    await service.runtime.pool.execute("DELETE FROM inbox")  # as if replayed from the DLQ
    await service.hear(event)
    await service.send()
    assert len(service.mailbox.messages) == 1 and len(service.notify.sent) == 2
    assert len(await service.published("notification_sent")) == 4


async def test_a_replay_after_new_preferences_adds_no_channel(service, make) -> None:
    event = make.payment_issued()
    await service.hear(event)
    await service.prefer(make.person_id, **EVERYWHERE)
    await service.runtime.pool.execute("DELETE FROM inbox")
    await service.hear(event)
    await service.send()
    assert set(await service.rows(make.person_id)) == {"inbox"}
    assert service.mailbox.messages == [] and service.notify.sent == []


async def test_the_same_event_twice_on_the_real_broker_makes_one_message(
    consuming_service, make, infra
) -> None:
    service = consuming_service
    event, sentinel = make.payment_issued(), make.statement()
    producer = AIOKafkaProducer(**infra.kafka_options())
    await producer.start()
    try:
        for e in (event, event, sentinel):  # one topic and key: one partition, in this order
            await producer.send_and_wait(topic_for(e), e.to_json_bytes(), key=b"k")
    finally:
        await producer.stop()
    for _ in range(300):
        rows = await service.rows(make.person_id)
        if "statement-ready" in {r["template_id"] for r in rows.values()}:
            break
        await asyncio.sleep(0.1)
    count = await service.runtime.pool.fetchval(
        "SELECT count(*) FROM messages WHERE business_event_id = $1", event.id
    )
    assert count == 1


async def test_a_crash_after_handing_the_email_over_never_sends_it_again(
    service, make, monkeypatch
) -> None:
    await service.prefer(make.person_id, channels=["email"], email="amina@example.com")
    await service.hear(make.payment_issued())
    monkeypatch.setattr(sending, "record_all", crash_before_recording)
    with pytest.raises(RuntimeError):
        await service.send()
    monkeypatch.undo()  # the restarted sender
    assert len(service.mailbox.messages) == 1
    await service.send()  # the lease has not run out: nobody touches it
    assert (await service.rows(make.person_id))["email"]["status"] == "sending"
    service.clock.advance(seconds=10)
    await service.send(rounds=2)
    email = (await service.rows(make.person_id))["email"]
    assert len(service.mailbox.messages) == 1
    assert email["status"] == "permanent_failure" and email["reason"].startswith("outcome unknown")
    [failed] = await service.published("notification_failed")
    assert failed["data"]["permanent"] is True


async def test_a_crash_before_the_email_was_handed_over_sends_it_once_later(service, make) -> None:
    await service.prefer(make.person_id, channels=["email"], email="amina@example.com")
    await service.hear(make.payment_issued())
    await sending.claim(service.runtime.uow, service.deps.sender)  # ... and the process dies
    service.clock.advance(seconds=10)  # its lease has run out
    await sending.recover(service.runtime.uow, service.deps.sender)
    email = (await service.rows(make.person_id))["email"]
    assert email["status"] == "temporary_failure"
    assert email["next_attempt_at"] <= service.clock()  # at once: the provider was not at fault
    await service.send()
    email = (await service.rows(make.person_id))["email"]
    assert (email["status"], email["attempts"]) == ("delivered", 2)
    assert len(service.mailbox.messages) == 1


async def test_notify_is_asked_for_the_reference_before_any_resend(service, make) -> None:
    await service.prefer(make.person_id, channels=["sms"], phone="07700 900123")
    await service.hear(make.plan_agreed())
    service.notify.accept_then_fail()  # Notify has it, but we see a 500
    await service.send()
    sms = (await service.rows(make.person_id))["sms"]
    assert sms["status"] == "temporary_failure"
    service.clock.advance(minutes=5)
    await service.send()
    sms = (await service.rows(make.person_id))["sms"]
    assert len(service.notify.sends_for(str(sms["notification_id"]))) == 1
    assert sms["status"] == "sending" and sms["accepted_at"] is not None
    assert list(sms["provider_ids"]) == [service.notify.sent[0]["id"]]


async def test_a_crash_after_notify_accepted_is_settled_by_the_reference(
    service, make, monkeypatch
) -> None:
    await service.prefer(
        make.person_id, channels=["letter"], address_lines=["1 Road", "Leeds"], postcode="LS1 4AP"
    )
    await service.hear(make.submitted(), make.review_due())
    monkeypatch.setattr(sending, "record_all", crash_before_recording)
    with pytest.raises(RuntimeError):
        await service.send()
    monkeypatch.undo()
    service.clock.advance(seconds=10)
    await service.send()  # recovered: Notify has it under our reference, so it is adopted
    service.clock.advance(minutes=5)
    await service.send()
    letter = (await service.rows(make.person_id))["letter"]
    assert letter["status"] == "sending" and len(service.notify.sent) == 1
    assert service.notify.sent[0]["personalisation"]["address_line_3"] == "LS1 4AP"
