"""The world outside fails: a payment run killed mid-batch, Notify losing its delivery
receipts, the SMTP server hanging at RCPT or slow to answer DATA."""

import pytest
from devstack import fault_kinds as faults

pytestmark = [pytest.mark.e2e, pytest.mark.fault, pytest.mark.timeout(600)]


async def test_a_payment_run_killed_mid_batch_is_resumed_and_pays_each_once(scenarios):
    row = await scenarios.run("payment run killed mid-batch", faults.payment_run_killed())
    assert row.figures["killed after batches"] >= 2 and row.figures["resumed"] == "resumed"
    assert row.figures["instructed"] > row.figures["instructed before the kill"]
    assert row.report.figures["payments issued"] >= row.figures["instructed"]


async def test_lost_delivery_receipts_are_reconciled(scenarios):
    notify = scenarios.matrix.platform.notify
    already = len(notify.callbacks_lost)
    row = await scenarios.run("Notify stub losing callbacks", faults.lose_callbacks())
    lost = set(notify.callbacks_lost[already:])
    assert len(lost) == row.figures["receipts lost"] > 0
    references = [n["reference"] for n in notify.sent if n["id"] in lost]
    asked = await scenarios.matrix.platform.fetchval(
        "notifications",
        "SELECT count(*) FROM messages WHERE notification_id::text = ANY($1)"
        " AND checked_at IS NOT NULL AND status = 'delivered'",
        references,
    )
    assert asked == len(lost)  # Notify was asked about each, and each is final


async def test_an_smtp_server_hanging_is_waited_out_and_each_email_sent_once(scenarios):
    row = await scenarios.run("SMTP server hanging", faults.smtp_hang())
    assert row.figures["sessions held at RCPT"] > 0
    retried = await scenarios.matrix.platform.fetchval(
        "notifications", "SELECT count(*) FROM messages WHERE channel = 'email' AND attempts > 1"
    )
    assert retried > 0  # timed out, tried again, and (the invariants say) sent once


async def test_an_smtp_server_slow_to_answer_data_loses_no_email(scenarios):
    row = await scenarios.run("SMTP server slow to answer DATA", faults.smtp_slow_data())
    assert row.figures["sessions held at DATA"] > 0
    retried = await scenarios.matrix.platform.fetchval(
        "notifications",
        "SELECT count(*) FROM messages WHERE channel = 'email' AND attempts > 1"
        " AND status = 'delivered'",
    )
    assert retried > 0  # timed out before the content, tried again, and (the invariants) sent once
