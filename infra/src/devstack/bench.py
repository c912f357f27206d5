"""`python -m devstack.bench`: N assessments through the real pipeline, and raw aiokafka alongside.

Prints throughput and decision-to-notification latency (p50/p95/p99), measured from the
assessment service's commit of the decision to the notifications service's commit of the inbox
message — both stamped by the same PostgreSQL server, so one clock — and the pipeline's events
consumed per second as a share of raw aiokafka's produce+consume rate in the same run, and each
service's CPU time per decision (which a shared machine's load disturbs far less). Not a
test, but it refuses to print a figure when an inbox message is missing or duplicated.
"""

import argparse
import asyncio
import statistics
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import asyncpg
import psutil
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from devstack import apps
from devstack.demo import DEMO_PEOPLE
from devstack.kafka_acls import CONSUMES
from devstack.paths import repo_root
from devstack.procs import free_ports
from devstack.stack import Infra, running_infra
from devstack.tokens import ASSESSOR, Tokens


def percentiles(values: list[float]) -> dict[str, float]:
    if len(values) < 2:
        return {"p50": values[0] if values else 0.0, "p95": 0.0, "p99": 0.0}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98]}


async def raw_kafka(options: dict[str, Any], count: int, size: int = 2_000) -> dict[str, float]:
    """Idempotent acks=all producer and a consumer running side by side on a 6-partition topic:
    saturated throughput over `count` records, then one-at-a-time transit latency."""
    topic = f"bench-raw-{uuid.uuid4().hex[:8]}"
    admin = AIOKafkaAdminClient(**options)
    await admin.start()
    await admin.create_topics([NewTopic(topic, 6, 1)])
    await admin.close()
    producer = AIOKafkaProducer(**options, enable_idempotence=True)
    consumer = AIOKafkaConsumer(
        topic,
        **options,
        group_id=f"g-{topic}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await producer.start()
    await consumer.start()
    received: dict[bytes, float] = {}

    async def consume(until: int) -> None:
        while len(received) < until:
            for records in (await consumer.getmany(timeout_ms=200)).values():
                now = time.perf_counter()
                received.update((r.value[:16], now) for r in records)
            await consumer.commit()

    try:
        payload = b"x" * size
        reader = asyncio.create_task(consume(count))
        started = time.perf_counter()
        acks = [
            await producer.send(topic, f"{i:016d}".encode() + payload, key=f"p{i}".encode())
            for i in range(count)
        ]
        await asyncio.gather(*acks)
        produced = time.perf_counter() - started
        await reader
        total = time.perf_counter() - started
        sent: dict[bytes, float] = {}
        reader = asyncio.create_task(consume(count + 200))
        for i in range(count, count + 200):
            tag = f"{i:016d}".encode()
            sent[tag] = time.perf_counter()
            await producer.send_and_wait(topic, tag + payload, key=f"p{i}".encode())
            await asyncio.sleep(0.005)
        await reader
    finally:
        await producer.stop()
        await consumer.stop()
    latencies = [received[tag] - at for tag, at in sent.items()]
    return {
        "produce_per_s": count / produced,
        "end_to_end_per_s": count / total,
        **percentiles(latencies),
    }


async def pipeline(
    infra: Infra,
    count: int,
    concurrency: int,
    log_dir,
    pace_per_s: float | None = None,
    settings: dict[str, str] | None = None,
    idle_s: float = 0.0,
) -> dict[str, Any]:
    import httpx

    ports, running = start_services(infra, log_dir, for_each_service(settings or {}))
    try:
        await asyncio.gather(*(apps.wait_ready(r) for r in running))
        idle = await idle_cpu(running, infra, idle_s) if idle_s else {}
        url = f"http://127.0.0.1:{ports['assessment']}"
        tokens = await Tokens.for_provider(repo_root(), infra.oidc)
        assessor = tokens.auth(ASSESSOR, "assessment")
        facts = DEMO_PEOPLE[0].facts
        gate = asyncio.Semaphore(concurrency)

        async def one(http: httpx.AsyncClient, i: int) -> None:
            if pace_per_s:  # paced: assessment i starts i / pace_per_s seconds in
                await asyncio.sleep(max(0.0, started + i / pace_per_s - time.perf_counter()))
            async with gate:
                await submit_assessment(http, i, facts)

        xacts_before = await transactions(infra)
        cpu_before = cpu_seconds(running, infra)
        started = time.perf_counter()
        async with httpx.AsyncClient(base_url=url, timeout=60, auth=assessor) as http:
            await asyncio.gather(*(one(http, i) for i in range(count)))
        submitted = time.perf_counter() - started
        figures = await _latencies(infra, count, submitted)
        figures["catch_up_seconds"] = time.perf_counter() - started - submitted
        used = cpu_seconds(running, infra)
        figures["cpu_ms_per_decision"] = {
            name: (used[name] - cpu_before[name]) * 1000 / count for name in used
        }
        await asyncio.sleep(1)  # backends report their counts within a second (PostgreSQL 15+)
        figures["transactions_per_decision"] = {
            name: (n - xacts_before[name]) / count
            for name, n in (await transactions(infra)).items()
        }
        figures["idle_cpu_ms_per_s"] = idle
        elapsed = figures["submit_seconds"] + figures["catch_up_seconds"]
        figures["marginal_cpu_ms_per_decision"] = (
            {
                name: ms - idle[name] * elapsed / count
                for name, ms in figures["cpu_ms_per_decision"].items()
            }
            if idle
            else {}
        )
        return figures
    finally:
        for r in running:
            apps.stop_app(r)


def for_each_service(settings: dict[str, str]) -> dict[str, str]:
    """`{"CONSUMER_FETCH_MIN_BYTES": "1"}` as each service's own variable (its prefix)."""
    return {
        f"{a.env_prefix}{name}": value
        for a in apps.APPS
        if a.name != "portal"
        for name, value in settings.items()
    }


async def idle_cpu(running: list[apps.RunningApp], infra: Infra, seconds: float) -> dict:
    """CPU ms a second each process uses with nothing to do (polls, heartbeats): the part of
    a decision's CPU that depends on how long the run takes, not on the work."""
    await asyncio.sleep(5)  # start-up's tail (group joins, first metadata) out of the way
    before = cpu_seconds(running, infra)
    await asyncio.sleep(seconds)
    after = cpu_seconds(running, infra)
    return {name: (after[name] - before[name]) * 1000 / seconds for name in after}


DATABASES = ("assessment", "payments", "care_plans", "notifications")


async def transactions(infra: Infra) -> dict[str, int]:
    """Transactions each service's database has committed or rolled back so far (its relay's,
    consumer's and background jobs' as well as its requests')."""
    conn = await asyncpg.connect(infra.database_url("postgres"))
    try:
        rows = await conn.fetch(
            "SELECT datname, xact_commit + xact_rollback AS n FROM pg_stat_database"
            " WHERE datname = ANY($1::text[])",
            list(DATABASES),
        )
    finally:
        await conn.close()
    return {r["datname"]: r["n"] for r in rows}


def start_services(
    infra: Infra, log_dir, extra: dict[str, str] | None = None, ports: dict[str, int] | None = None
) -> tuple[dict[str, int], list[apps.RunningApp]]:
    """The four services (not the portal: it is not in the flow) as processes on free ports (or
    `ports`: a restart keeps each consumer's static group membership, named after its port)."""
    services = [a for a in apps.APPS if a.name != "portal"]
    ports = ports or dict(zip((a.name for a in services), free_ports(len(services)), strict=True))
    env = {"CAREBENEFIT_ENVIRONMENT": "test", **(extra or {})}
    running = [
        apps.start_app(a, ports[a.name], apps.app_env(a, ports, infra, extra=env), log_dir)
        for a in services
    ]
    return ports, running


def cpu_seconds(running: list[apps.RunningApp], infra: Infra) -> dict[str, float]:
    """User + system CPU each service's process, PostgreSQL (the postmaster, its live backends
    and those it has reaped) and the Kafka broker have used so far."""
    used = {r.app.name: process_cpu(psutil.Process(r.pid)) for r in running}
    if infra.postgres is not None:
        postmaster = psutil.Process(infra.postgres.pid)
        reaped = postmaster.cpu_times()
        used["postgresql"] = (
            process_cpu(postmaster)
            + reaped.children_user
            + reaped.children_system
            + sum(process_cpu(child) for child in postmaster.children())
        )
    if infra.kafka is not None:
        used["kafka"] = process_cpu(psutil.Process(infra.kafka.pid))
    return used


def process_cpu(process: psutil.Process) -> float:
    try:
        times = process.cpu_times()
    except psutil.NoSuchProcess:
        return 0.0
    return times.user + times.system


async def submit_assessment(http, i: int, facts: dict) -> None:
    """Open a case for bench person `i`, record an assessment with `facts` and submit it."""
    nino = f"JT{i:06d}{'ABCD'[i % 4]}"
    case = (
        await http.post(
            "/cases",
            json={
                "nino": nino,
                "full_name": f"Bench {i}",
                "date_of_birth": "1950-01-01",
                "area_code": "E09000033",
            },
        )
    ).json()
    recorded = (
        await http.post(
            f"/cases/{case['case_id']}/assessments",
            json={"facts": facts},
        )
    ).json()
    (
        await http.post(f"/cases/{case['case_id']}/assessments/{recorded['assessment_id']}/submit")
    ).raise_for_status()


async def _latencies(infra: Infra, count: int, submitted_s: float) -> dict[str, float]:
    notifications = await asyncpg.connect(infra.database_url("notifications"))
    assessment = await asyncpg.connect(infra.database_url("assessment"))
    try:
        deadline = time.monotonic() + 600
        told_sql = (
            "SELECT person_id, created_at FROM messages"
            " WHERE template_id = 'decision-made' AND channel = 'inbox'"
        )
        while len(await notifications.fetch(told_sql)) < count:
            if time.monotonic() > deadline:
                raise RuntimeError("notifications did not catch up within 10 minutes")
            await asyncio.sleep(0.5)
        decided = {
            r["person_id"]: r["decided_at"]
            for r in await assessment.fetch("SELECT person_id, decided_at FROM decisions")
        }
        rows = await notifications.fetch(told_sql)
        told = {r["person_id"]: r["created_at"] for r in rows}
    finally:
        await notifications.close()
        await assessment.close()
    if len(rows) != count or set(told) != set(decided) or len(decided) != count:
        raise RuntimeError(
            f"{count} decisions should make {count} inbox messages, one each: found"
            f" {len(decided)} decisions and {len(rows)} messages for {len(told)} people"
        )
    latencies = [(told[p] - decided[p]).total_seconds() for p in told]
    span = (max(told.values()) - min(decided.values())).total_seconds()
    return {
        "assessments": count,
        "submit_seconds": submitted_s,
        "decisions_to_notifications_per_s": count / span,
        "consumed_per_s": await events_consumed(infra) / span,
        **percentiles(latencies),
    }


async def events_consumed(infra: Infra, since=None) -> int:
    """Every event the services published (`since`: written to an outbox from then on, by the
    database's clock), once for each service that reads its topic."""
    readers = {
        topic: sum(topic in topics for topics in CONSUMES.values())
        for topics in CONSUMES.values()
        for topic in topics
    }
    consumed = 0
    for database in DATABASES:
        conn = await asyncpg.connect(infra.database_url(database))
        try:
            sql = "SELECT topic, count(*) AS n FROM outbox WHERE created_at >= $1 GROUP BY topic"
            for r in await conn.fetch(sql, since or datetime.min.replace(tzinfo=UTC)):
                consumed += r["n"] * readers.get(r["topic"], 0)
        finally:
            await conn.close()
    return consumed


async def main(
    count: int,
    concurrency: int,
    pace_per_s: float | None,
    settings: dict[str, str],
    idle_s: float,
    raw: bool,
) -> None:
    import tempfile
    from pathlib import Path

    async with running_infra(use_env=False) as infra:
        raw_figures = await raw_kafka(infra.kafka_options(), max(count * 5, 5_000)) if raw else {}
        log_dir = Path(tempfile.mkdtemp()) / "logs"
        flow = await pipeline(infra, count, concurrency, log_dir, pace_per_s, settings, idle_s)
    if settings:
        print("settings: " + ", ".join(f"{k}={v}" for k, v in settings.items()))
    if raw_figures:
        print_raw(raw_figures, max(count * 5, 5_000))
    print_pipeline(flow, concurrency, pace_per_s, raw_figures)


def print_raw(raw: dict[str, float], count: int) -> None:
    print(f"raw aiokafka (idempotent, acks=all, 2 kB, 6 partitions, {count} msgs):")
    print(
        f"  produce {raw['produce_per_s']:,.0f} msg/s;"
        f" produce+consume {raw['end_to_end_per_s']:,.0f} msg/s;"
        f" one-at-a-time transit p50 {raw['p50'] * 1000:.1f} ms,"
        f" p95 {raw['p95'] * 1000:.1f} ms, p99 {raw['p99'] * 1000:.1f} ms"
    )


def print_pipeline(
    flow: dict[str, Any], concurrency: int, pace_per_s: float | None, raw: dict[str, float]
) -> None:
    pace = (
        f"paced at {pace_per_s:g}/s"
        if pace_per_s
        else f"as fast as possible, concurrency {concurrency}"
    )
    print(f"pipeline ({flow['assessments']} assessments over HTTP, {pace}):")
    print(
        f"  submitted in {flow['submit_seconds']:.1f} s;"
        f" decision->notification {flow['decisions_to_notifications_per_s']:.1f}/s;"
        f" latency p50 {flow['p50'] * 1000:.0f} ms, p95 {flow['p95'] * 1000:.0f} ms,"
        f" p99 {flow['p99'] * 1000:.0f} ms"
    )
    share = (
        f": {flow['consumed_per_s'] / raw['end_to_end_per_s']:.1%} of raw produce+consume"
        if raw
        else ""
    )
    print(f"  events consumed {flow['consumed_per_s']:,.0f}/s across the services{share}")
    cpu = flow["cpu_ms_per_decision"]
    print(
        "  CPU per decision (user + system, from the first submit to the last inbox message): "
        + ", ".join(f"{name} {ms:.1f} ms" for name, ms in cpu.items())
        + f"; {sum(cpu.values()):.1f} ms in all"
    )
    print(
        "  database transactions per decision: "
        + ", ".join(f"{name} {n:.1f}" for name, n in flow["transactions_per_decision"].items())
    )
    if idle := flow["idle_cpu_ms_per_s"]:
        print(
            "  CPU a second with nothing to do (before the run): "
            + ", ".join(f"{name} {ms:.1f} ms" for name, ms in idle.items())
            + f"; {sum(idle.values()):.1f} ms in all"
        )
        marginal = flow["marginal_cpu_ms_per_decision"]
        print(
            "  CPU per decision less that idle rate over the run (the work's own): "
            + ", ".join(f"{name} {ms:.1f} ms" for name, ms in marginal.items())
            + f"; {sum(marginal.values()):.1f} ms in all"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--assessments", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--rate",
        type=float,
        default=None,
        help="assessments per second (default: as fast as possible)",
    )
    parser.add_argument(
        "--setting",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a service setting for all four, without its prefix (CONSUMER_FETCH_MIN_BYTES=1)",
    )
    parser.add_argument(
        "--idle-seconds",
        type=float,
        default=10.0,
        help="measure each process's CPU this long with nothing to do first (0: skip)",
    )
    parser.add_argument("--no-raw", action="store_true", help="skip the raw aiokafka figures")
    args = parser.parse_args()
    settings = dict(item.split("=", 1) for item in args.setting)
    asyncio.run(
        main(
            args.assessments,
            args.concurrency,
            args.rate,
            settings,
            args.idle_seconds,
            not args.no_raw,
        )
    )
