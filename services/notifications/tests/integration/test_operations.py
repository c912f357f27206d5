"""Timeliness as a Prometheus metric, and the whole loop with the background sender running."""

import pytest

from .support import eventually, metric

pytestmark = pytest.mark.integration


async def test_time_to_inbox_and_provider_are_exported_for_prometheus(service, make) -> None:
    await service.prefer(make.person_id, channels=["email"], email="amina@example.com")
    await service.hear(make.payment_issued(), make.statement())
    await service.send()
    response = await service.client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert metric(text, "notifications_time_to_inbox_seconds_count") == 2
    assert metric(text, 'notifications_time_to_provider_seconds_count{channel="email"}') == 2
    assert metric(text, 'notifications_outcomes_total{channel="email",status="delivered"}') == 2
    timeliness = (await service.client.get("/ops/timeliness", headers=service.ops)).json()
    assert timeliness["messages_last_day"] == 2 and timeliness["seconds"]["p95"] >= 0


async def test_waiting_messages_and_contact_gaps_are_gauges(service, make) -> None:
    await service.prefer(make.person_id, channels=["sms"], phone="07700900123")
    await service.hear(make.payment_issued(), make.another().payment_issued())
    text = (await service.client.get("/metrics")).text
    assert metric(text, 'notifications_waiting{channel="sms",status="pending"}') == 1
    assert metric(text, "notifications_contact_gaps") == 1


async def test_the_background_sender_and_notify_receipts_close_the_loop(
    running_service,
    make,
) -> None:
    service = running_service
    await service.prefer(
        make.person_id, channels=["email", "sms"], email="amina@example.com", phone="07700900123"
    )
    await service.hear(make.submitted(), make.decision())

    async def both_delivered() -> bool:
        rows = await service.rows(make.person_id)
        return {r["status"] for r in rows.values()} == {"delivered"} and len(rows) == 3

    await eventually(both_delivered)
    assert len(service.mailbox.messages) == 1 and len(service.notify.sent) == 1
    messages = (await service.client.get(f"/people/{make.person_id}/messages")).json()["messages"]
    assert [m["template_id"] for m in messages] == ["decision-made"]
    ready = await service.client.get("/health/ready")
    assert ready.json()["checks"]["background_tasks"] is True
