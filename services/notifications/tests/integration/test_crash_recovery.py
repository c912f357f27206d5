"""A sender killed with SIGKILL mid-send: its messages go out again within its lease (seconds,
not minutes), and none twice. The sender runs as its own process on the real PostgreSQL, against
a real SMTP server and the real Notify stub; the test records the messages beside it."""

import asyncio
import time

import pytest
from devstack import apps
from devstack.procs import free_ports

pytestmark = [pytest.mark.integration, pytest.mark.fault]
LEASE_S = 4.0
PEOPLE = 6


def sender_process(infra, database, mailbox, notify_stub, log_dir) -> apps.RunningApp:
    app, port = apps.BY_NAME["notifications"], free_ports(1)[0]
    env = apps.app_env(
        app,
        {app.name: port},
        infra,
        extra={
            "CAREBENEFIT_ENVIRONMENT": "test",
            "NOTIFICATIONS_DATABASE_URL": database,  # the test's own database
            "NOTIFICATIONS_MIGRATION_DATABASE_URL": database,
            "NOTIFICATIONS_CONSUMER_ENABLED": "false",
            "NOTIFICATIONS_RELAY_ENABLED": "false",
            "NOTIFICATIONS_SMTP_PORT": str(mailbox.port),
            "NOTIFICATIONS_NOTIFY_BASE_URL": notify_stub.url,
            "NOTIFICATIONS_CLAIM_LEASE_S": str(LEASE_S),
            "NOTIFICATIONS_SENDER_POLL_INTERVAL_MS": "100",
        },
    )
    return apps.start_app(app, port, env, log_dir)


async def until(check, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not await check():
        assert time.monotonic() < deadline, "not reached in time"
        await asyncio.sleep(0.05)


async def test_a_killed_senders_messages_go_out_within_its_lease_and_once(
    service, infra, fresh_database, mailbox, notify_stub, make, tmp_path
) -> None:
    for _ in range(PEOPLE):  # a text message and an email each
        person = make.another()
        await service.prefer(
            person.person_id,
            channels=["sms", "email"],
            phone="07700900123",
            email="amina@example.com",
        )
        await service.hear(person.payment_issued())
    mailbox.hang_at_rcpt = 60.0  # the emails are claimed, not yet handed over
    for _ in range(PEOPLE // 2):
        notify_stub.hang_next(60.0)  # Notify has these texts; its answer never comes
    pool = service.runtime.pool

    async def in_flight() -> bool:
        accepted = await pool.fetchval(
            "SELECT count(*) FROM messages WHERE channel = 'sms' AND accepted_at IS NOT NULL"
        )
        return (len(notify_stub.sent), mailbox.held_at_rcpt, accepted) == (
            PEOPLE,
            PEOPLE,
            PEOPLE // 2,
        )

    first = sender_process(infra, fresh_database, mailbox, notify_stub, tmp_path)
    try:
        await apps.wait_ready(first)
        await until(in_flight)
    finally:
        apps.kill_app(first)
    killed_at = time.monotonic()
    mailbox.hang_at_rcpt = 0.0

    async def settled() -> bool:
        return (
            await pool.fetchval(
                "SELECT count(*) FROM messages WHERE channel <> 'inbox' AND accepted_at IS NULL"
            )
            == 0
        )

    second = sender_process(infra, fresh_database, mailbox, notify_stub, tmp_path)
    try:
        await apps.wait_ready(second)
        ready_at = time.monotonic()
        await until(settled)
        settled_at = time.monotonic()
    finally:
        apps.stop_app(second)
    print(
        f"\nrestarted and ready {ready_at - killed_at:.1f} s after the kill; every message"
        f" settled {settled_at - killed_at:.1f} s after it (lease {LEASE_S:.0f} s)"
    )
    assert settled_at - killed_at < LEASE_S + 30  # the lease, not the old 120 s + back-off
    rows = await pool.fetch(
        "SELECT notification_id, channel, status, attempts FROM messages WHERE channel <> 'inbox'"
    )
    assert len(rows) == 2 * PEOPLE
    for row in rows:
        if row["channel"] == "email":
            assert (row["status"], row["attempts"]) == ("delivered", 2)
        else:
            assert len(notify_stub.sends_for(str(row["notification_id"]))) == 1
    assert sorted(mailbox.ids()) == sorted(
        f"<{r['notification_id']}@carebenefit.service.gov.uk>"
        for r in rows
        if r["channel"] == "email"
    )
