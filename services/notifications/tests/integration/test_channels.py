"""Preferences decide the channels; Notify's receipts move a message's status only forward."""

import asyncio

import pytest
from notifications.config import DEV_CALLBACK_TOKEN

pytestmark = pytest.mark.integration
TOKEN = {"Authorization": f"Bearer {DEV_CALLBACK_TOKEN}"}


def receipt(notification: dict, status: str) -> dict:
    return {
        "id": notification["id"],
        "reference": notification["reference"],
        "to": notification["to"],
        "status": status,
        "created_at": notification["created_at"],
        "completed_at": None,
        "sent_at": None,
        "notification_type": notification["type"],
    }


async def test_email_goes_over_smtp_and_nothing_else_is_used(service, make) -> None:
    await service.prefer(make.person_id, channels=["email"], email=" Amina@Example.COM ")
    await service.hear(make.submitted(first_name="Amina"), make.payment_issued())
    await service.send()
    [mail] = service.mailbox.messages
    assert mail["To"] == "Amina@example.com" and "Amina" in mail.get_payload()
    assert mail["Subject"] and service.notify.sent == []
    rows = await service.rows(make.person_id)
    assert (rows["email"]["status"], rows["inbox"]["status"]) == ("delivered", "delivered")
    assert [e["data"]["channel"] for e in await service.published("delivered")] == [
        "inbox",
        "email",
    ]


async def test_a_text_message_goes_to_notify_with_our_reference(service, make) -> None:
    await service.prefer(make.person_id, channels=["sms"], phone="+44 (0)7700-900123")
    await service.hear(make.payment_failed())
    await service.send()
    [sms] = service.notify.sent
    row = (await service.rows(make.person_id))["sms"]
    assert sms["to"] == "+447700900123" and sms["reference"] == str(row["notification_id"])
    assert sms["template_id"] == "payment-failed/sms/none"
    assert service.mailbox.messages == [] and row["status"] == "sending"


@pytest.mark.parametrize(
    ("fmt", "event", "template"),
    [
        ("large_print", "decision", "decision-made/letter/large_print"),
        ("easy_read", "plan_drafted", "care-plan-ready/letter/easy_read"),
        ("braille", "payment_issued", "payment-issued/letter/none"),  # no braille variant yet
    ],
)
async def test_a_letter_uses_the_accessible_format_asked_for(
    service,
    make,
    fmt,
    event,
    template,
) -> None:
    await service.prefer(
        make.person_id,
        channels=["letter"],
        accessible_format=fmt,
        address_lines=["Flat 2", "10 High Street", "Leeds"],
        postcode="ls14ap",
    )
    await service.hear(getattr(make, event)())
    await service.send()
    [letter] = service.notify.sent
    assert letter["template_id"] == template
    assert letter["personalisation"]["address_line_4"] == "LS1 4AP"


async def test_receipts_only_move_forward_and_repeats_change_nothing(service, make) -> None:
    await service.prefer(make.person_id, channels=["sms"], phone="07700900123")
    await service.hear(make.review_due())
    await service.send()
    [sent] = service.notify.sent
    for status in ("delivered", "sending", "delivered", "permanent-failure"):
        response = await service.client.post(
            "/notify/callback", json=receipt(sent, status), headers=TOKEN
        )
        assert response.status_code == 200, response.text
    assert (await service.rows(make.person_id))["sms"]["status"] == "delivered"
    delivered = [e for e in await service.published("delivered") if e["data"]["channel"] == "sms"]
    assert len(delivered) == 1 and await service.published("failed") == []


async def test_a_temporary_failure_receipt_is_retried_as_a_new_send(service, make) -> None:
    await service.prefer(make.person_id, channels=["sms"], phone="07700900123")
    await service.hear(make.review_due())
    await service.send()
    [first] = service.notify.sent
    first["status"] = "temporary-failure"  # as Notify will then report it
    await service.client.post(
        "/notify/callback", json=receipt(first, "temporary-failure"), headers=TOKEN
    )
    row = (await service.rows(make.person_id))["sms"]
    assert row["status"] == "temporary_failure" and row["reason"].startswith("Notify reported")
    service.clock.advance(minutes=5)
    await service.send()
    assert len(service.notify.sends_for(first["reference"])) == 2


@pytest.mark.parametrize(
    ("headers", "body", "status"),
    [
        ({}, None, 401),
        ({"Authorization": "Bearer wrong-token"}, None, 401),
        (TOKEN, {"reference": "not-a-uuid"}, 404),
        (TOKEN, {"reference": "7c9e6679-7425-40de-944b-e07fc1f90ae7"}, 404),
        (TOKEN, {"status": "exploded"}, 422),
    ],
)
async def test_bad_receipts_are_refused(service, make, headers, body, status) -> None:
    await service.prefer(make.person_id, channels=["sms"], phone="07700900123")
    await service.hear(make.review_due())
    await service.send()
    payload = {**receipt(service.notify.sent[0], "delivered"), **(body or {})}
    response = await service.client.post("/notify/callback", json=payload, headers=headers)
    assert response.status_code == status, response.text
    assert (await service.rows(make.person_id))["sms"]["status"] == "sending"


async def test_receipts_that_come_in_together_each_get_their_own_answer(service, make) -> None:
    """Applied in one transaction (entrypoints/dependencies.py), yet a receipt's own fault is
    its alone: the others are applied, and a repeat within the batch changes nothing."""
    await service.prefer(make.person_id, channels=["sms"], phone="07700900123")
    await service.hear(make.review_due())
    await service.send()
    [sent] = service.notify.sent
    bodies = [
        receipt(sent, "delivered"),
        receipt(sent, "delivered"),
        {**receipt(sent, "delivered"), "reference": "7c9e6679-7425-40de-944b-e07fc1f90ae7"},
        {**receipt(sent, "delivered"), "status": "exploded"},
    ]
    answers = await asyncio.gather(
        *(service.client.post("/notify/callback", json=b, headers=TOKEN) for b in bodies)
    )
    assert [a.status_code for a in answers] == [200, 200, 404, 422]
    assert (await service.rows(make.person_id))["sms"]["status"] == "delivered"
    delivered = [e for e in await service.published("delivered") if e["data"]["channel"] == "sms"]
    assert len(delivered) == 1
