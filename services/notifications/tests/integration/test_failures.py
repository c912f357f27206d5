"""Providers that fail, refuse or hang: retried with back-off, or recorded, never crashed on."""

import asyncio
import contextlib
import uuid
from dataclasses import replace

import pytest
from devstack.procs import free_ports
from notifications.domain.channels import Channel
from notifications.service_layer.ports import Outgoing

pytestmark = pytest.mark.integration
SMS = dict(channels=["sms"], phone="07700900123")
EMAIL = dict(channels=["email"], email="amina@example.com")
DOMAIN = "carebenefit.service.gov.uk"  # the settings' message_id_domain


async def status(service, person_id: str, channel: str) -> dict:
    return (await service.rows(person_id))[channel]


async def test_notify_failing_then_working_is_retried_with_back_off(service, make) -> None:
    await service.prefer(make.person_id, **SMS)
    await service.hear(make.payment_issued())
    service.notify.fail_next(500)
    await service.send()
    row = await status(service, make.person_id, "sms")
    assert (row["status"], row["reason"]) == ("temporary_failure", "Notify 500: stubbed failure")
    assert (row["next_attempt_at"] - service.clock()).total_seconds() > 25  # back-off, jittered
    await service.send()  # not due yet
    assert service.notify.requests == 1
    service.clock.advance(minutes=2)
    await service.send()
    assert (await status(service, make.person_id, "sms"))["status"] == "sending"
    [failed] = await service.published("notification_failed")
    assert failed["data"]["permanent"] is False and len(service.notify.sent) == 1


@pytest.mark.parametrize(
    ("code", "expected"),
    [(429, "temporary_failure"), (403, "temporary_failure"), (400, "permanent_failure")],
)
async def test_notify_errors_are_temporary_or_permanent(service, make, code, expected) -> None:
    await service.prefer(make.person_id, **SMS)
    await service.hear(make.payment_issued())
    service.notify.fail_next(code)
    await service.send()
    assert (await status(service, make.person_id, "sms"))["status"] == expected


async def test_bounded_retries_end_in_a_permanent_failure_for_operations(service, make) -> None:
    await service.prefer(make.person_id, **SMS)
    await service.hear(make.payment_issued())
    service.notify.fail_next(500, times=10)
    for _ in range(5):
        await service.send()
        service.clock.advance(hours=1)
    row = await status(service, make.person_id, "sms")
    assert (row["status"], row["attempts"]) == ("permanent_failure", 3)
    assert row["reason"].startswith("gave up after 3 attempts")
    failed = (await service.client.get("/ops/failed-messages", headers=service.ops)).json()[
        "messages"
    ]
    assert [m["channel"] for m in failed] == ["sms"] and "recipient" not in failed[0]


async def test_a_notify_timeout_is_settled_by_looking_the_reference_up(service, make) -> None:
    await service.prefer(make.person_id, **SMS)
    await service.hear(make.payment_issued())
    service.notify.hang_next(2.0)  # keeps it, answers after our 1 s timeout
    await service.send()
    assert "did not answer" in (await status(service, make.person_id, "sms"))["reason"]
    service.clock.advance(minutes=5)
    await service.send()
    assert len(service.notify.sent) == 1
    assert (await status(service, make.person_id, "sms"))["accepted_at"] is not None


async def test_a_send_timing_out_after_the_hand_over_is_looked_up_not_lost(service, make) -> None:
    """The whole attempt's cap (send_timeout) ends before Notify answers: the text is not given
    up, and the next attempt adopts the one Notify took instead of sending a second."""
    service.deps = replace(service.deps, sender=replace(service.deps.sender, send_timeout=0.3))
    await service.prefer(make.person_id, **SMS)
    await service.hear(make.payment_issued())
    service.notify.hang_next(0.8)  # keeps it, answers after the attempt's cap
    await service.send()
    first = await status(service, make.person_id, "sms")
    assert first["status"] == "temporary_failure" and "asked for the reference" in first["reason"]
    service.clock.advance(minutes=5)
    await service.send()
    assert len(service.notify.sent) == 1
    assert (await status(service, make.person_id, "sms"))["status"] in ("sending", "delivered")


@pytest.mark.parametrize(
    ("where", "reply", "expected"),
    [
        ("rcpt_replies", "451 4.3.0 Try again later", "temporary_failure"),
        ("rcpt_replies", "550 5.1.1 <amina@example.com> no such user", "permanent_failure"),
        ("data_replies", "554 5.7.1 Message refused", "permanent_failure"),
    ],
)
async def test_an_smtp_refusal_is_classified_by_its_code(
    service,
    make,
    where,
    reply,
    expected,
) -> None:
    await service.prefer(make.person_id, **EMAIL)
    await service.hear(make.payment_issued())
    getattr(service.mailbox, where).append(reply)
    await service.send()
    row = await status(service, make.person_id, "email")
    assert row["status"] == expected and "example.com" not in row["reason"]
    service.clock.advance(minutes=5)
    await service.send()
    assert len(service.mailbox.messages) == (1 if expected == "temporary_failure" else 0)


async def test_an_smtp_server_hanging_after_the_data_is_an_unknown_outcome(service, make) -> None:
    await service.prefer(make.person_id, **EMAIL)
    await service.hear(make.payment_issued())
    service.mailbox.hang_after_data = 2.0  # it has the message, but answers too late
    await service.send()
    row = await status(service, make.person_id, "email")
    assert row["status"] == "permanent_failure" and row["reason"].startswith("outcome unknown")
    assert "Message-ID" in row["reason"]
    service.clock.advance(hours=1)
    await service.send()
    assert len(service.mailbox.messages) == 1


async def test_an_smtp_server_slow_to_answer_data_is_retried_and_sends_once(service, make) -> None:
    """The server has nothing until the content follows its 354: a timeout waiting for the 354
    is "not sent" (retried), not an unknown outcome (which would lose the email for good)."""
    await service.prefer(make.person_id, **EMAIL)
    await service.hear(make.payment_issued())
    service.mailbox.hang_at_data = 2.0  # past the client's 1 s per-command timeout
    await service.send()
    row = await status(service, make.person_id, "email")
    assert service.mailbox.held_at_data == 1 and service.mailbox.messages == []
    assert row["status"] == "temporary_failure" and "did not answer DATA" in row["reason"]
    assert row["handed_over_at"] is None
    service.mailbox.hang_at_data = 0.0
    service.clock.advance(minutes=5)
    await service.send()
    row = await status(service, make.person_id, "email")
    assert (row["status"], row["attempts"]) == ("delivered", 2)
    assert service.mailbox.count_by_id() == {f"<{row['notification_id']}@{DOMAIN}>": 1}


async def test_an_email_goes_out_dot_stuffed_and_arrives_as_written(service) -> None:
    """The content follows the 354 by hand, so its leading dots are doubled by hand too."""
    email = service.deps.sender.channels[Channel.EMAIL]
    body = "Dear Amina,\n.\n..two dots\n. a dot and more\nThe end.\n"
    outgoing = Outgoing(
        uuid.uuid4(), Channel.EMAIL, "amina@example.com", "t", "none", "Hello", body, {}, 1
    )

    async def handed_over() -> bool:
        return True

    result = await email.send(outgoing, handed_over)
    [mail] = service.mailbox.messages
    assert (result.status, result.accepted) == ("delivered", True)
    assert mail.get_payload().replace("\r\n", "\n") == body
    assert mail["Message-ID"] == f"<{outgoing.notification_id}@{DOMAIN}>"


async def silent_server(reader, writer) -> None:
    with contextlib.suppress(Exception):
        await reader.read()  # never greets
    writer.close()


@pytest.mark.parametrize("server", ["closed", "silent"])
async def test_an_smtp_server_down_or_silent_is_a_temporary_failure(service, make, server) -> None:
    port = free_ports(1)[0]
    listening = None
    if server == "silent":
        listening = await asyncio.start_server(silent_server, "127.0.0.1", port)
    service.deps.sender.channels[Channel.EMAIL].port = port
    await service.prefer(make.person_id, **EMAIL)
    await service.hear(make.payment_issued())
    try:
        await service.send()
    finally:
        if listening:
            listening.close()
    row = await status(service, make.person_id, "email")
    assert row["status"] == "temporary_failure" and "could not reach" in row["reason"]
    assert row["handed_over_at"] is None
