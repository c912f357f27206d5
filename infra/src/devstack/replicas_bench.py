"""`python -m devstack.replicas_bench`: do two notifications replicas in one consumer group take
about twice the throughput of one, when notifications is the bottleneck?

On a throwaway Kafka broker, PostgreSQL cluster and OpenID Connect provider, with a real SMTP
server and the Notify stub in this process: `--people` people are told to notifications as the
upstream services would tell it (an AssessmentSubmitted each, then their contact details set
over HTTP: email and text message), with one replica running. Then, for each round (`--replicas
1 2`): with every replica stopped, a payment run's events for every person (a PaymentIssued
and a StatementIssued each, real contract events from the payments principal, keyed by person)
are put on `payments.events`; then that many replicas are started at once, each its own
process, port and static member (`group.instance.id` from its port), and the round ends when
every message the events call for is final. So notifications is the only thing at work.

Before any figure is printed the round is checked: exactly one message per event, template and
channel (the inbox, the email, the text), each delivered, one SMTP send per email and one Notify
send per text and nothing else sent, nothing dead-lettered, the group's lag 0, and with two
replicas each held partitions of its own. A round that fails a check prints "LOST OR DOUBLED"
and no figures. Messages that needed a second attempt (a timeout on a loaded machine, say) are
counted with their reasons: they are still sent once, but they wait for their retry.

The rate is measured on PostgreSQL's clock, from the round's first message recorded to its last
made final, so the replicas' start-up (importing Python) is left out; the wall time from the
first start is printed too. CPU per process (user + system) covers the whole round.
"""

import argparse
import asyncio
import contextlib
import os
import re
import statistics
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import psutil
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from contracts.assessment import v1 as assessment
from contracts.envelope import Envelope, headers_for
from contracts.payments import v1 as payments
from contracts.topics import ASSESSMENT_EVENTS, PAYMENTS_EVENTS

from devstack import apps
from devstack.bench import cpu_seconds, process_cpu
from devstack.notify_stub import NotifyStub
from devstack.paths import repo_root
from devstack.procs import free_ports
from devstack.serving import serving
from devstack.smtp_sink import Mailbox, mailbox_server
from devstack.stack import Infra, running_infra
from devstack.tokens import ASSESSOR, Tokens
from devstack.watching import GroupLag

APP = apps.BY_NAME["notifications"]
GROUP = APP.name
CHANNELS = ("inbox", "email", "sms")
TEMPLATES = {
    payments.PaymentIssuedV1.event_type(): "payment-issued",
    payments.StatementIssuedV1.event_type(): "statement-ready",
}
MESSAGE_ID_DOMAIN = "carebenefit.service.gov.uk"
FINAL = ("delivered", "permanent_failure")
LAG_LINE = re.compile(r'carebenefit_consumer_lag\{partition="(\d+)",topic="([^"]+)"\}')


def person_id(i: int) -> str:
    return f"replicas-{i:06d}"


def submitted(i: int) -> assessment.AssessmentSubmittedV1:
    return assessment.AssessmentSubmittedV1(
        source=assessment.SOURCE,
        subject=person_id(i),
        data=assessment.AssessmentSubmitted(
            case_id=f"case-{i:06d}",
            assessment_id=f"asmt-{i:06d}",
            assessor_id="as-1",
            area_code="E09000033",
            first_name="Amina",
        ),
    )


def payment_run(i: int, run_id: str) -> list[Envelope[Any]]:
    """What one payment run tells person `i`: their payment, and their statement."""
    flow = {"source": payments.SOURCE, "subject": person_id(i), "correlationid": run_id}
    return [
        payments.PaymentIssuedV1(
            **flow,
            data=payments.PaymentIssued(
                instruction_id=f"ins-{run_id}-{i}",
                run_id=run_id,
                amount_pence=118_083,
                paid_on=date(2026, 5, 15),
            ),
        ),
        payments.StatementIssuedV1(
            **flow,
            data=payments.StatementIssued(
                statement_id=f"stm-{run_id}-{i}",
                period_start=date(2026, 4, 1),
                period_end=date(2026, 4, 30),
                lines=[],
                net_pence=118_083,
            ),
        ),
    ]


@dataclass
class Round:
    replicas: int
    events: int
    messages: int
    sent: int  # emails and texts
    drain_s: float  # PostgreSQL's clock: first message recorded to last made final
    told_s: float  # first message recorded to last recorded (the consumers' share)
    retried: Counter[str]  # messages that took more than one attempt, by reason
    wall_s: float  # from the first replica's start until every message was final
    cpu_s: dict[str, float]
    partitions: list[list[str]]
    load: tuple[float, float]  # 1-minute load average at the start and the end
    receipts_refused: int  # Notify's receipts a replica refused (or was not yet up for)

    @property
    def messages_per_s(self) -> float:
        return self.messages / self.drain_s


@dataclass
class Bench:
    infra: Infra
    mailbox: Mailbox
    notify: NotifyStub
    ports: list[int]
    log_dir: Path
    profile_dir: Path | None = None
    running: list[apps.RunningApp] = field(default_factory=list)

    def env(self, port: int) -> dict[str, str]:
        """A replica's environment: as devstack runs the service, its static member id from its
        port (`<app>@<host>:<port>`), so no two replicas share one."""
        return apps.app_env(
            APP,
            {APP.name: port},
            self.infra,
            extra={
                "CAREBENEFIT_ENVIRONMENT": "test",
                "NOTIFICATIONS_SMTP_PORT": str(self.mailbox.port),
                "NOTIFICATIONS_NOTIFY_BASE_URL": self.notify.url,
            },
        )

    def start(self, replicas: int) -> list[apps.RunningApp]:
        self.running = [
            apps.start_app(APP, port, self.env(port), self.log_dir / f"replica-{n + 1}")
            for n, port in enumerate(self.ports[:replicas])
        ]
        return self.running

    async def stop(self) -> None:
        if not self.running:
            return
        await asyncio.gather(*(asyncio.to_thread(apps.stop_app, r) for r in self.running))
        self.running = []
        await wait_group_empty(self.infra)

    async def seed(self, people: int) -> None:
        """Everyone known to notifications, with an email address and a phone number."""
        [replica] = self.start(1)
        await apps.wait_ready(replica)
        await produce(self.infra, "assessment", [submitted(i) for i in range(people)])
        tokens = await Tokens.for_provider(repo_root(), self.infra.oidc)
        gate = asyncio.Semaphore(16)
        auth = tokens.auth(ASSESSOR, APP.name)
        async with httpx.AsyncClient(base_url=replica.url, timeout=60, auth=auth) as http:

            async def prefer(i: int) -> None:
                body = {
                    "channels": ["email", "sms"],
                    "email": f"person{i}@example.com",
                    "phone": "07700900123",
                }
                async with gate:
                    answer = await http.put(f"/people/{person_id(i)}/preferences", json=body)
                answer.raise_for_status()

            await asyncio.gather(*(prefer(i) for i in range(people)))
        await until_lag_zero(self.infra)
        await self.stop()

    async def round(self, replicas: int, people: int) -> Round:
        run_id = uuid.uuid4().hex[:8]
        events = [e for i in range(people) for e in payment_run(i, run_id)]
        await check_partitions(self.infra, replicas)
        await produce(self.infra, "payments", events)
        ids = [e.id for e in events]
        mailed, notified = len(self.mailbox.messages), len(self.notify.sent)
        receipts = len(self.notify.callback_attempts)
        load_before = os.getloadavg()[0]
        before = shared_cpu(self.infra)
        started = time.monotonic()
        running = self.start(replicas)
        self.notify.callback_url = f"{running[0].url}/notify/callback"
        async with self.profiled(running, replicas):
            await until_final(self.infra, ids, len(ids) * len(CHANNELS))
        wall = time.monotonic() - started
        cpu = {
            f"replica {n + 1}": process_cpu(psutil.Process(r.pid)) for n, r in enumerate(running)
        }
        cpu |= {name: seconds - before[name] for name, seconds in shared_cpu(self.infra).items()}
        await until_lag_zero(self.infra)
        held = [await partitions_held(r) for r in running]
        refused = sum(_refused(o) for _, o in self.notify.callback_attempts[receipts:])
        await self.stop()
        figures = await self.check(events, mailed, notified, held)
        load = (load_before, os.getloadavg()[0])
        return Round(replicas, len(ids), *figures, wall, cpu, held, load, refused)

    @contextlib.asynccontextmanager
    async def profiled(self, running: list[apps.RunningApp], replicas: int) -> AsyncIterator[None]:
        """With `profile_dir`: py-spy records each replica from when it is ready (start-up left
        out) to the end of the round, as raw stacks per thread."""
        if self.profile_dir is None:
            yield
            return
        await asyncio.gather(*(apps.wait_ready(r) for r in running))
        spies = []
        for n, replica in enumerate(running):
            out = self.profile_dir / f"{replicas}x-replica-{n + 1}.txt"
            spies.append(await _spy(replica, out))
        try:
            yield
        finally:
            for spy in spies:
                spy.send_signal(2)  # SIGINT: py-spy writes its profile and exits
            await asyncio.gather(*(spy.wait() for spy in spies))

    async def check(
        self, events: list[Envelope[Any]], mailed: int, notified: int, held: list[list[str]]
    ) -> tuple[int, int, float, float, Counter[str]]:
        """The round's invariants (see the module's doc); its counts and windows if they hold."""
        templates = {e.id: TEMPLATES[e.type] for e in events}
        db = await asyncpg.connect(self.infra.database_url("notifications"))
        try:
            rows = await db.fetch(
                "SELECT notification_id::text AS id, business_event_id, template_id, channel,"
                " status, attempts, reason, created_at, updated_at FROM messages"
                " WHERE business_event_id = ANY($1)",
                list(templates),
            )
            dead = await db.fetchval("SELECT count(*) FROM dead_letters")
        finally:
            await db.close()
        sends = self.mailbox.messages[mailed:], self.notify.sent[notified:]
        problems = message_problems(rows, templates) + send_problems(rows, *sends)
        if dead:
            problems.append(f"{dead} dead letters")
        if not _shared(held):
            problems.append(f"the replicas did not each hold partitions of their own: {held}")
        if problems:
            raise SystemExit("LOST OR DOUBLED:\n  " + "\n  ".join(problems))
        created = [r["created_at"] for r in rows]
        drain = (max(r["updated_at"] for r in rows) - min(created)).total_seconds()
        told = (max(created) - min(created)).total_seconds()
        return len(rows), len(sends[0]) + len(sends[1]), drain, told, retried(rows)


def message_problems(rows: Sequence[Any], templates: dict[str, str]) -> list[str]:
    """Exactly one message per event, template and channel; each delivered at its first try."""
    found = Counter((r["business_event_id"], r["template_id"], r["channel"]) for r in rows)
    wanted = Counter((e, t, c) for e, t in templates.items() for c in CHANNELS)
    problems = []
    if missing := wanted - found:
        problems.append(f"{sum(missing.values())} messages missing, e.g. {next(iter(missing))}")
    if extra := found - wanted:
        problems.append(f"{sum(extra.values())} messages too many, e.g. {next(iter(extra))}")
    if unfinished := [r["id"] for r in rows if r["status"] != "delivered"]:
        problems.append(f"{len(unfinished)} messages not delivered, e.g. {unfinished[0]}")
    return problems


def retried(rows: Sequence[Any]) -> Counter[str]:
    """Why messages needed more than one attempt (a timeout under load, say): one send each is
    still checked, by the SMTP server's and Notify's counts."""
    return Counter(r["reason"] or "no reason kept" for r in rows if r["attempts"] > 1)


def send_problems(rows: Sequence[Any], mailed: Sequence[Any], notified: Sequence[Any]) -> list:
    """One SMTP send per email and one Notify send per text, and none besides."""
    emails = {f"<{r['id']}@{MESSAGE_ID_DOMAIN}>" for r in rows if r["channel"] == "email"}
    texts = {r["id"] for r in rows if r["channel"] == "sms"}
    by_id = Counter(m["Message-ID"] for m in mailed)
    by_reference = Counter(n["reference"] for n in notified)
    problems = []
    if by_id != Counter(emails):
        problems.append(f"SMTP sends {sum(by_id.values())} for {len(emails)} emails, not one each")
    if by_reference != Counter(texts):
        problems.append(
            f"Notify sends {sum(by_reference.values())} for {len(texts)} texts, not one each"
        )
    return problems


def _shared(held: list[list[str]]) -> bool:
    """With more than one replica, each held partitions, and none the same one."""
    every = [p for h in held for p in h]
    return len(held) < 2 or (all(held) and len(set(every)) == len(every))


async def produce(infra: Infra, principal: str, events: Sequence[Envelope[Any]]) -> None:
    """`events` on their topic as `principal` (the service that owns it) publishes them."""
    topic = {"assessment": ASSESSMENT_EVENTS, "payments": PAYMENTS_EVENTS}[principal].name
    producer = AIOKafkaProducer(
        **infra.kafka_options(principal), enable_idempotence=True, linger_ms=5
    )
    await producer.start()
    try:
        acks = [
            await producer.send(
                topic,
                e.to_json_bytes(),
                key=e.subject.encode(),
                headers=[(k, v.encode()) for k, v in headers_for(e).items()],
            )
            for e in events
        ]
        await asyncio.gather(*acks)
    finally:
        await producer.stop()


async def check_partitions(infra: Infra, replicas: int) -> None:
    """Each replica needs a partition of its own to have any work."""
    producer = AIOKafkaProducer(**infra.kafka_options("payments"))
    await producer.start()
    try:
        partitions = await producer.partitions_for(PAYMENTS_EVENTS.name)
    finally:
        await producer.stop()
    if len(partitions) < replicas:
        raise SystemExit(f"{PAYMENTS_EVENTS.name} has {len(partitions)} partitions: too few")


async def until_final(infra: Infra, ids: list[str], messages: int, timeout: float = 1800) -> None:
    db = await asyncpg.connect(infra.database_url("notifications"))
    deadline = time.monotonic() + timeout
    try:
        while (
            await db.fetchval(
                "SELECT count(*) FROM messages WHERE business_event_id = ANY($1)"
                " AND status = ANY($2)",
                ids,
                list(FINAL),
            )
            < messages
        ):
            if time.monotonic() > deadline:
                raise SystemExit(f"not every message final within {timeout:.0f} s")
            await asyncio.sleep(0.25)
    finally:
        await db.close()


async def until_lag_zero(infra: Infra, timeout: float = 300) -> None:
    lag, deadline = GroupLag(infra.kafka_options()), time.monotonic() + timeout
    try:
        while sum((await lag.of(GROUP)).values()):
            if time.monotonic() > deadline:
                raise SystemExit(f"{GROUP} still lagging after {timeout:.0f} s")
            await asyncio.sleep(0.5)
    finally:
        await lag.close()


async def wait_group_empty(infra: Infra, timeout: float = 120) -> None:
    """Until the group has no members: a stopped static member keeps its partitions until its
    session times out, and the next round must start from nobody."""
    admin = AIOKafkaAdminClient(**infra.kafka_options())
    await admin.start()
    deadline = time.monotonic() + timeout
    try:
        while True:
            [described] = await admin.describe_consumer_groups([GROUP])
            _, _, state, *_ = described.groups[0]
            if state in ("Empty", "Dead"):
                return
            if time.monotonic() > deadline:
                raise SystemExit(f"{GROUP} still has members {timeout:.0f} s after they stopped")
            await asyncio.sleep(0.5)
    finally:
        await admin.close()


async def partitions_held(replica: apps.RunningApp) -> list[str]:
    """The partitions of `payments.events` this replica's consumer holds, from its /metrics
    (its lag per partition held)."""
    async with httpx.AsyncClient(timeout=10) as http:
        text = (await http.get(replica.url + "/metrics")).text
    return sorted(
        f"{topic}[{p}]" for p, topic in LAG_LINE.findall(text) if topic == PAYMENTS_EVENTS.name
    )


def _refused(outcome: int | str) -> bool:
    return isinstance(outcome, str) or outcome >= 300


def shared_cpu(infra: Infra) -> dict[str, float]:
    """CPU seconds so far of PostgreSQL, the broker and this process (the SMTP server, the
    Notify stub and the polling)."""
    return cpu_seconds([], infra) | {"bench driver": process_cpu(psutil.Process())}


async def _spy(replica: apps.RunningApp, out: Path) -> asyncio.subprocess.Process:
    out.parent.mkdir(parents=True, exist_ok=True)
    return await asyncio.create_subprocess_exec(
        "py-spy", "record", "--pid", str(replica.pid), "--rate", "100", "--format", "raw",
        "--threads", "--output", str(out), stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip


def report(rounds: list[Round], people: int) -> str:
    lines = [
        f"notifications replicas, {people:,} people: a PaymentIssued and a StatementIssued each,"
        f" {len(CHANNELS)} messages an event ({', '.join(CHANNELS)}), on {os.cpu_count()} cores",
    ]
    for r in rounds:
        cpu = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in r.cpu_s.items())
        lines += [
            f"{r.replicas} replica{'s' if r.replicas > 1 else ''}: {r.events:,} events,"
            f" {r.messages:,} messages ({r.sent:,} sent) final in {r.drain_s:.1f} s:"
            f" {r.messages_per_s:,.1f} messages/s ({r.events / r.told_s:,.1f} events/s recorded);"
            f" {r.wall_s:.1f} s from the first start;"
            f" load average {r.load[0]:.1f} -> {r.load[1]:.1f}",
            f"  CPU (user + system): {cpu}; {sum(r.cpu_s.values()):.1f} s in all,"
            f" {sum(r.cpu_s.values()) * 1000 / r.messages:.1f} ms a message;"
            f" {sum(r.cpu_s.values()) / r.wall_s:.2f} of the {os.cpu_count()} cores busy with it",
            f"  Notify receipts refused and sent again 1 s later: {r.receipts_refused:,};"
            f" messages that needed a second attempt: {sum(r.retried.values()):,}"
            + "".join(f"; {n} {why!r}" for why, n in r.retried.most_common(3)),
            "  partitions held: " + "; ".join(", ".join(h) or "none" for h in r.partitions),
        ]
    rates: dict[int, list[float]] = {}
    for r in rounds:
        rates.setdefault(r.replicas, []).append(r.messages_per_s)
    one = statistics.median(rates.get(1, [0.0]))
    for count, seen in rates.items():
        if count > 1 and one:
            lines.append(
                f"{count} replicas / 1 (medians of {len(seen)} and {len(rates[1])} rounds):"
                f" {statistics.median(seen) / one:.2f}x the messages/s"
            )
    return "\n".join(lines)


async def main(people: int, counts: list[int], profile: Path | None) -> None:
    with tempfile.TemporaryDirectory(prefix="replicas-") as base:
        async with running_infra(use_env=False) as infra, contextlib.AsyncExitStack() as stack:
            mailbox = stack.enter_context(mailbox_server())
            *ports, notify_port = free_ports(max(counts) + 1)
            notify = NotifyStub(  # a receipt refused (its replica still starting): again in 1 s
                callback_url=f"http://127.0.0.1:{ports[0]}/notify/callback", callback_retry_s=1.0
            )
            notify.url = await stack.enter_async_context(serving(notify.app, notify_port))
            stack.push_async_callback(notify.close)
            bench = Bench(infra, mailbox, notify, ports, Path(base) / "logs", profile)
            try:
                await bench.seed(people)
                rounds = [await bench.round(n, people) for n in counts]
            finally:
                await bench.stop()
    print(report(rounds, people))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=1500)
    parser.add_argument("--replicas", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--profile", type=Path, default=None, help="a folder for py-spy profiles of each replica"
    )
    args = parser.parse_args()
    asyncio.run(main(args.people, args.replicas, args.profile))
