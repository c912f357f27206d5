"""Receipts lost, late or repeated: Notify is asked about every message it accepted whose final
status did not come back, and one that still has none is flagged for operations. On the real
Notify stub (its receipts retried as Notify retries them) and PostgreSQL."""

import pytest

from .support import eventually, metric

pytestmark = pytest.mark.integration
FLAG_AFTER = 2.0
QUICK = dict(
    reconcile_after_s=0.3,
    reconcile_every_s=0.3,
    reconcile_poll_s=0.1,
    unconfirmed_after_s=FLAG_AFTER,
    # The stub answers from the test's own event loop, which a loaded machine slows: with the
    # fixture's 1 s a send or a look-up can time out there and use up the attempts (3), leaving
    # failed for good a message these tests wait to see delivered.
    notify_timeout_s=10.0,
)
BOTH = dict(
    channels=["sms", "letter"],
    phone="07700900123",
    address_lines=["Flat 2", "10 High Street"],
    postcode="LS1 4AP",
)


async def tell(service, make, people: int) -> list[str]:
    """Each person chose texts and letters and is told of a payment: two messages to Notify."""
    person_ids = []
    for _ in range(people):
        person = make.another()
        await service.prefer(person.person_id, **BOTH)
        await service.hear(person.payment_issued())
        person_ids.append(person.person_id)
    return person_ids


async def count(service, where: str) -> int:
    return await service.runtime.pool.fetchval(
        f"SELECT count(*) FROM messages WHERE channel <> 'inbox' AND {where}"
    )


async def stuck(service) -> int:
    """Messages still `sending` past the threshold without operations being told."""
    return await count(
        service,
        "status = 'sending' AND unconfirmed_at IS NULL AND accepted_at"
        f" < now() - interval '{FLAG_AFTER} seconds'",
    )


@pytest.mark.parametrize("lost", [None, 2], ids=["every receipt lost", "two receipts lost"])
async def test_lost_receipts_are_made_up_for_by_asking_notify(
    serve, notify_stub, make, lost
) -> None:
    notify_stub.final_status = "delivered"
    notify_stub.lose_callbacks(lost)
    async with serve(**QUICK) as service:
        await tell(service, make, 4)

        async def all_final() -> bool:
            return await count(service, "status NOT IN ('delivered', 'permanent_failure')") == 0

        await eventually(all_final)
        assert await count(service, "status = 'delivered'") == 8
        assert len(notify_stub.callbacks_lost) == (lost or 4)  # letters get no receipts at all
        delivered = [
            e for e in await service.published("delivered") if e["data"]["channel"] != "inbox"
        ]
        assert len(delivered) == 8
        assert all(
            len(notify_stub.sends_for(str(r["notification_id"]))) == 1
            for r in await service.runtime.pool.fetch(
                "SELECT notification_id FROM messages WHERE channel <> 'inbox'"
            )
        )
        assert await stuck(service) == 0


@pytest.mark.parametrize("silence", ["never final", "look-ups fail"])
async def test_a_message_with_no_final_status_is_flagged_after_the_threshold(
    serve, notify_stub, make, silence
) -> None:
    if silence == "look-ups fail":
        notify_stub.final_status = "delivered"
        notify_stub.lose_callbacks()
        notify_stub.answer_lookups = False
    async with serve(**QUICK) as service:
        await tell(service, make, 3)

        async def flagged() -> dict:
            listed = (
                await service.client.get("/ops/unconfirmed-messages", headers=service.ops)
            ).json()
            return listed if listed["count"] == 6 else {}

        listed = await eventually(flagged)
        assert {m["channel"] for m in listed["messages"]} == {"sms", "letter"}
        assert all(m["unconfirmed_at"] >= m["accepted_at"] for m in listed["messages"])
        assert "phone" not in listed["messages"][0] and "recipient" not in listed["messages"][0]
        text = (await service.client.get("/metrics")).text
        assert metric(text, "notifications_unconfirmed") == 6
        assert metric(text, 'notifications_waiting{channel="sms",status="accepted"}') == 3
        assert metric(text, 'notifications_waiting{channel="letter",status="accepted"}') == 3
        assert await stuck(service) == 0
        assert await count(service, "status = 'sending'") == 6  # flagged, never made up


async def test_late_and_repeated_receipts_change_nothing(serve, notify_stub, make) -> None:
    notify_stub.final_status = "delivered"
    notify_stub.final_statuses = ["temporary-failure"]  # the first attempt fails at the phone
    notify_stub.lose_callbacks(1)  # ... and its receipt is lost, for now
    async with serve(**QUICK, retry_base_delay_s=0.5) as service:
        await service.prefer(make.person_id, channels=["sms"], phone="07700900123")
        await service.hear(make.review_due())

        async def delivered() -> dict:
            row = (await service.rows(make.person_id))["sms"]
            return row if row["status"] == "delivered" else {}

        row = await eventually(delivered)
        first, second = notify_stub.sends_for(str(row["notification_id"]))
        assert (first["status"], second["status"], row["attempts"]) == (
            "temporary-failure",
            "delivered",
            2,
        )
        await notify_stub.send_receipt(first["id"])  # late, about the first attempt
        await notify_stub.send_receipt(second["id"])  # again
        assert [outcome for _, outcome in notify_stub.callback_attempts] == [200, 200, 200]
        assert (await service.rows(make.person_id))["sms"]["status"] == "delivered"
        sms = [e["data"] for e in await service.published() if e["data"].get("channel") == "sms"]
        assert [(d.get("permanent"), "reason" in d) for d in sms] == [
            (None, False),
            (False, True),
            (None, False),
            (None, False),
        ]
