"""The faults of the matrix, each `async def fault(matrix) -> figures` (`devstack.fault_matrix`):
processes killed and paused, the broker killed, PostgreSQL crashed and restarted, a service cut
off from PostgreSQL or Kafka, a topic replayed, poison, a payment run killed mid-batch, Notify
losing receipts, the SMTP server hanging (at RCPT, or slow to answer DATA)."""

import asyncio
import datetime
import time

import httpx
from aiokafka.admin import AIOKafkaAdminClient
from contracts.topics import ASSESSMENT_EVENTS

from devstack import nemesis
from devstack.fault_matrix import Fault, Figures, Matrix
from devstack.fault_platform import (
    CONSUMERS,
    DB_CUT,
    KAFKA_CUT,
    NOTIFICATIONS_ENV,
    FaultPlatform,
)

UNCHANGED = (
    ("payments", "awards"),
    ("payments", "award_versions"),
    ("payments", "scheduled_payments"),
    ("payments", "ledger_postings"),
    ("care-plans", "plans"),
    ("care-plans", "plan_versions"),
    ("notifications", "messages"),
    ("payments", "outbox"),
    ("care-plans", "outbox"),
    ("notifications", "outbox"),
    ("payments", "inbox"),
    ("care-plans", "inbox"),
    ("notifications", "inbox"),
)


# --- the faults --------------------------------------------------------------------------------


def kill_service(name: str) -> Fault:
    async def fault(m: Matrix) -> Figures:
        restarts = m.platform.starts[name]
        ready, since_start = await m.platform.kill(name)
        figures = {
            "ready again after (s)": round(ready, 2),
            "ready after its start (s)": round(since_start, 2),
        }
        if name in CONSUMERS:
            figures["its lag reached 0 after ready (s)"] = await _lag_drained(m.platform, name)
        return {
            **figures,
            "restarts": m.platform.starts[name] - restarts,
            "exit": m.platform.exits[-1][1],
        }

    return fault


async def _lag_drained(platform: FaultPlatform, group: str, within: float = 15.0) -> float | None:
    """Seconds until `group`'s lag is first read as 0 (None: not within `within` s, which
    steady traffic can cause without anything being stuck: quiescence checks the rest)."""
    started = time.monotonic()
    while time.monotonic() - started < within:
        if not sum((await platform.lag(group)).values()):
            return round(time.monotonic() - started, 2)
        await asyncio.sleep(0.1)
    return None


def kill_broker(down_for: float = 3.0) -> Fault:
    async def fault(m: Matrix) -> Figures:
        return {"broker serving again after (s)": await m.platform.kill_broker(down_for)}

    return fault


def postgres_crash(down_for: float = 3.0) -> Fault:
    """`pg_ctl stop -m immediate` while the relays are busy, started again `down_for` s later."""

    async def fault(m: Matrix) -> Figures:
        pending = await _outbox_pending(m.platform)
        retried = m.traffic.counts["retried"]
        started = time.monotonic()
        async with m.platform.postgres_stopped("immediate"):
            await asyncio.sleep(down_for)
        return {
            "outbox rows pending at the crash": pending,
            "down (s)": time.monotonic() - started,
            "requests refused (503) and retried": m.traffic.counts["retried"] - retried,
        }

    return fault


BACKLOGGED = ("payments", "care-plans")


def postgres_restart(backlog_for: float = 4.0, down_for: float = 3.0) -> Fault:
    """A clean restart (`pg_ctl stop -m fast`, then start) while the consumers work through a
    backlog: payments and care-plans are stopped (SIGSTOP, well inside their session) until
    events pile up for each, and let go as the server stops; notifications keeps serving, since
    every flow asks it for preferences before its decision (stopped, it would stall the traffic
    and no backlog would build). They see "terminating connection due to administrator
    command", then "the database system is starting up", and must wait, not dead-letter."""

    async def fault(m: Matrix) -> Figures:
        before = _consumer_retries(m.platform)
        stopped = m.platform.stop_processes(*BACKLOGGED)
        try:
            backlog = await _backlog_building(m.platform, backlog_for)
            async with m.platform.postgres_stopped("fast"):
                m.platform.continue_processes(stopped)
                await asyncio.sleep(down_for)
        finally:
            m.platform.continue_processes(stopped)
        await m.platform.all_ready()
        return {
            "backlog when it stopped": backlog,
            "consumer retries logged": _consumer_retries(m.platform) - before,
        }

    return fault


def cut_database(seconds: float = 14.0) -> Fault:
    """`DB_CUT` cut off from PostgreSQL for longer than it waits before exiting (status 75)."""

    async def fault(m: Matrix) -> Figures:
        exits = len(m.platform.exits)
        async with m.platform.cut(m.platform.db_proxy):
            await asyncio.sleep(seconds)
        await m.platform.ready(DB_CUT)
        statuses = [status for _, status in m.platform.exits[exits:]]
        return {"service": DB_CUT, "cut (s)": seconds, "exit statuses": statuses}

    return fault


def cut_kafka(seconds: float = 10.0) -> Fault:
    """`KAFKA_CUT` cut off from the broker (consumer and relay alike)."""

    async def fault(m: Matrix) -> Figures:
        async with m.platform.cut(m.platform.kafka_proxy):
            await asyncio.sleep(seconds)
            lag = sum((await m.platform.lag(KAFKA_CUT)).values())
        return {"service": KAFKA_CUT, "cut (s)": seconds, "its lag when the cut ended": lag}

    return fault


def pause_consumer(name: str = "notifications", seconds: float = 16.0) -> Fault:
    """SIGSTOP past the session timeout (10 s): the broker drops the member; SIGCONT: it must
    find out, rejoin and carry on."""

    async def fault(m: Matrix) -> Figures:
        pause = asyncio.create_task(m.platform.pause(name, seconds))
        await asyncio.sleep(seconds - 2)
        during = await _group_state(m.platform, name)
        await pause
        await m.platform.ready(name)
        return {
            "paused": name,
            "for (s)": seconds,
            "group during the pause": during[0],
            "members during": during[1],
        }

    return fault


async def replay_topic(m: Matrix) -> Figures:
    """Every record of assessment.events from offset 0 published again, on a quiet platform;
    nothing may change."""
    await m.platform.quiesce()
    before = await _counts(m.platform)
    consumed = await _committed(m.platform)
    sent = await nemesis.replay(m.platform, ASSESSMENT_EVENTS)
    await m.platform.quiesce()
    changed = {k: (before[k], v) for k, v in (await _counts(m.platform)).items() if before[k] != v}
    moved = {g: n - consumed[g] for g, n in (await _committed(m.platform)).items()}
    return {"records re-published": sent, "read again by": moved, "rows changed": changed}


async def poison_one_in_a_hundred(m: Matrix) -> Figures:
    poison = await nemesis.inject_poison(m.platform, ASSESSMENT_EVENTS)
    m.poison += poison
    return {
        "poison records": len(poison),
        "kinds": sorted({p.kind for p in poison}),
        "good records around them": 99 * len(poison) - 1,
    }


def payment_run_killed(days_ahead: int = 70, people: int | None = 60) -> Fault:
    """A run for `days_ahead` from today, paying (at most) `people` given bank accounts now
    (the others' payments are held for want of one), killed mid-batch and resumed."""

    async def fault(m: Matrix) -> Figures:
        await m.platform.quiesce()
        accounts = await m.traffic.give_bank_accounts(people)
        run_date = datetime.date.today() + datetime.timedelta(days=days_ahead)
        killed = await nemesis.kill_payment_run(m.platform, run_date)
        async with httpx.AsyncClient(timeout=300) as http:
            resumed = await http.post(
                m.platform.url("payments") + "/payment-runs",
                json={"run_date": run_date.isoformat()},
                headers=await m.platform.tokens.headers_for("payments"),
            )
        resumed.raise_for_status()
        run = resumed.json()
        return {
            "bank accounts given": accounts,
            **killed,
            "resumed": run["outcome"],
            "instructed": run["instructed"],
            "held": run["held"],
            "batches": run["batches"],
        }

    return fault


def lose_callbacks(seconds: float = 8.0) -> Fault:
    """The Notify stub sends no delivery receipt for a while (as if every retry failed)."""

    async def fault(m: Matrix) -> Figures:
        lost = len(m.platform.notify.callbacks_lost)
        m.platform.notify.lose_callbacks()
        try:
            await asyncio.sleep(seconds)
        finally:
            m.platform.notify.lose_callbacks(0)
        return {"receipts lost": len(m.platform.notify.callbacks_lost) - lost}

    return fault


def smtp_hang(seconds: float = 8.0) -> Fault:
    """The SMTP server answers RCPT only after 30 s, for `seconds`: the sender times out and
    tries again later (it had sent no message yet, so once it does, it is sent once)."""

    async def fault(m: Matrix) -> Figures:
        held = m.platform.mailbox.held_at_rcpt
        m.platform.mailbox.hang_at_rcpt = 30.0
        try:
            await asyncio.sleep(seconds)
        finally:
            m.platform.mailbox.hang_at_rcpt = 0.0
        return {"sessions held at RCPT": m.platform.mailbox.held_at_rcpt - held}

    return fault


def smtp_slow_data(seconds: float = 8.0) -> Fault:
    """The SMTP server answers the DATA command (354) only after twice the sender's SMTP
    timeout, for `seconds`: the sender times out before any of the message was sent, so it must
    try again (counting it an unknown outcome would lose the email: never sent, never retried)."""

    async def fault(m: Matrix) -> Figures:
        box = m.platform.mailbox
        held = box.held_at_data
        box.hang_at_data = 2 * float(NOTIFICATIONS_ENV["NOTIFICATIONS_SMTP_TIMEOUT_S"])
        try:
            await asyncio.sleep(seconds)
        finally:
            box.hang_at_data = 0.0
        return {"sessions held at DATA": box.held_at_data - held}

    return fault


# --- what the faults look at -----------------------------------------------------------------


async def _outbox_pending(platform: FaultPlatform) -> int:
    return sum(
        [
            await platform.fetchval(s, "SELECT count(*) FROM outbox WHERE published_at IS NULL")
            for s in ("assessment", "payments", "care-plans", "notifications")
        ]
    )


async def _backlog_building(platform: FaultPlatform, at_least: float) -> dict[str, int]:
    """Each stopped consumer's lag after `at_least` s, waiting on (up to 30 s more) until every
    one has work waiting: idle, the restart would find them with nothing to retry."""
    await asyncio.sleep(at_least)
    deadline = time.monotonic() + 30
    while True:
        backlog = {g: sum((await platform.lag(g)).values()) for g in BACKLOGGED}
        if all(backlog.values()) or time.monotonic() > deadline:
            return backlog
        await asyncio.sleep(0.5)


def _consumer_retries(platform: FaultPlatform) -> int:
    """Lines in which a consumer said it would wait and try again."""
    found = 0
    for name in CONSUMERS:
        log = platform.log_dir / f"{name}.log"
        if log.exists():
            found += sum(
                f"{name}: " in line and "trying again in" in line
                for line in log.read_text(errors="replace").splitlines()
            )
    return found


async def _group_state(platform: FaultPlatform, group: str) -> tuple[str, int]:
    admin = AIOKafkaAdminClient(**platform.infra.kafka_options())
    await admin.start()
    try:
        (described,) = await admin.describe_consumer_groups([group])
        _, _, state, _, _, members = described.groups[0][:6]
        return state, len(members)
    finally:
        await admin.close()


async def _counts(platform: FaultPlatform) -> dict[str, int]:
    return {
        f"{service}.{table}": await platform.fetchval(
            service,
            f"SELECT count(*) FROM {table}",  # noqa: S608 (the table names above)
        )
        for service, table in UNCHANGED
    }


async def _committed(platform: FaultPlatform) -> dict[str, int]:
    """Each consumer group's committed offsets on assessment.events, summed."""
    admin = AIOKafkaAdminClient(**platform.infra.kafka_options())
    await admin.start()
    try:
        found = {}
        for group in ("payments", "care-plans", "notifications"):
            offsets = await admin.list_consumer_group_offsets(group)
            found[group] = sum(
                meta.offset for tp, meta in offsets.items() if tp.topic == ASSESSMENT_EVENTS.name
            )
        return found
    finally:
        await admin.close()
