"""Benchmark (not a test): the yearly uprating and a payment run end to end, through every
service as a process on a real Kafka broker, PostgreSQL and OpenID Connect provider.

    uv run python -m devstack.national_bench --people 100000

1. Seed: N people, each with a case, an assessment and the award the engine decided today
   (under the rule set in force), written to the assessment service's tables with COPY, with
   the AssessmentSubmitted and DecisionMade the submit would have put in its outbox; and each
   person's bank details in payments (COPY, sealed as the service seals them: a migration
   from the legacy system would bring them). Nothing else is seeded anywhere.
2. Decide: the services start; the assessment relay publishes the 2N events and the real
   consumers build awards and schedules (payments), plans (care-plans) and messages
   (notifications). Timed until every effect is committed: the rate of a mass decision.
3. Uprate: the real job (`python -m assessment.uprate`) re-decides every award under a
   rehearsal rule set in force from tomorrow with higher rates (devstack.rehearsal); timed until
   payments, care-plans and notifications have committed every effect of it.
4. Pay: the real run (`python -m payments run-payments`, as its Kubernetes Job runs it) pays
   everyone's first period; a second payments officer approves it over HTTP (four eyes; the
   events do not wait for it); timed until every PaymentIssued and StatementIssued is a
   message in notifications.

After each phase every person's effects are counted by SQL in every service's database
(devstack.national_checks): a lost, doubled or wrong one, a dead letter or a message not in a
final state ends the benchmark with "LOST OR DOUBLED" instead of a figure.

`--from uprate` (or `--from pay`) starts from the decided (or uprated) state instead, without
deciding everyone: only the first `--templates` people are seeded in assessment and go through
the platform (decided; uprated too for `pay`), the services stop, every other person's rows are
cloned from theirs by COPY (devstack.seed_decided; their published outbox rows modelled as
pruned), the services start again, and every person's state is checked as after the skipped
phases before the first timed one. The skipped phases' figures are not measured in that mode.
"""

import argparse
import asyncio
import json
import os
import resource
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import asyncpg
import httpx
import psutil
from assessment.main import MIGRATIONS as ASSESSMENT_MIGRATIONS
from payments.main import MIGRATIONS as PAYMENTS_MIGRATIONS
from servicekit import db

from devstack import apps, footprint
from devstack import national_checks as checks
from devstack.bench import cpu_seconds, events_consumed, raw_kafka, start_services
from devstack.flow_checks import LostOrDoubled, refuse
from devstack.paths import repo_root
from devstack.payments_bench_seed import bank_account
from devstack.rehearsal import REHEARSAL, rule_sets_with_a_rise_tomorrow
from devstack.seed_decided import seed_decided
from devstack.stack import Infra, running_infra
from devstack.tokens import OPERATIONS, PAYMENTS_OFFICER, Tokens
from devstack.uprating_bench import CHUNK, counts, seed, template

STALL_SECONDS = 300
FIRST = ("decide", "uprate", "pay")
TEMPLATES = 100
PAYMENTS_ENV = {"PAYMENTS_RUN_MAX_DAYS_AHEAD": "100"}  # the first period falls due next month
OUTBOX_COUNTS = ("decision_made", "superseded")  # of devstack.uprating_bench.counts


@dataclass
class Phase:
    name: str
    seconds: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)
    load: tuple[float, float] = (0.0, 0.0)
    notes: list[str] = field(default_factory=list)
    started: float = 0.0
    consumed: int = 0
    """Events consumed in the phase, summed over the services reading each."""


class Peaks:
    """Peak resident memory of each process named, sampled every half second (PostgreSQL: the
    postmaster and its backends together, shared buffers counted in each)."""

    def __init__(self) -> None:
        self.peak: dict[str, int] = {}
        self._watched: dict[str, psutil.Process] = {}
        self._stop = threading.Event()

    def watch(self, name: str, pid: int) -> None:
        self._watched[name] = psutil.Process(pid)

    def __enter__(self) -> "Peaks":
        threading.Thread(target=self._sample, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()

    def _sample(self) -> None:
        while not self._stop.wait(0.5):
            for name, process in list(self._watched.items()):
                try:
                    family = [process, *(process.children() if name == "postgresql" else [])]
                    rss = sum(p.memory_info().rss for p in family)
                except psutil.Error:
                    continue
                self.peak[name] = max(self.peak.get(name, 0), rss)


@dataclass
class Bench:
    infra: Infra
    people: list[str]
    ports: dict[str, int]
    running: list[apps.RunningApp]
    dbs: checks.Dbs
    peaks: Peaks
    log_dir: Path
    phases: list[Phase] = field(default_factory=list)

    def env(self, name: str, extra: dict[str, str] | None = None) -> dict[str, str]:
        extra = {"CAREBENEFIT_ENVIRONMENT": "test", **(extra or {})}
        return apps.app_env(apps.BY_NAME[name], self.ports, self.infra, extra=extra)

    async def timed(
        self, name: str, work: Callable[[Phase], Awaitable[None]], seeded: bool = False
    ) -> Phase:
        """`work` timed, with each process's CPU and the events consumed (`seeded`: counting
        the seeded outbox's too)."""
        phase = Phase(name)
        before, load = cpu_seconds(self.running, self.infra), os.getloadavg()[0]
        since = None if seeded else await self.dbs["assessment"].fetchval("SELECT now()")
        phase.started = started = time.perf_counter()
        await work(phase)
        phase.seconds = time.perf_counter() - started
        phase.consumed = await events_consumed(self.infra, since)
        used = cpu_seconds(self.running, self.infra)
        phase.cpu = {**{n: used[n] - before[n] for n in used}, **phase.cpu}
        phase.load = (load, os.getloadavg()[0])
        self.phases.append(phase)
        print(f"{name}: {phase.seconds:.1f} s (load average {load:.1f} -> {phase.load[1]:.1f})")
        return phase

    async def job(self, phase: Phase, name: str, service: str, argv: list[str], extra=None):
        """One of the platform's jobs as its own process; its CPU (from the kernel's account
        of reaped children) and peak memory are recorded under `name`."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            *argv,
            env=self.env(service, extra),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        self.peaks.watch(name, process.pid)
        out, err = await process.communicate()
        if process.returncode != 0:
            raise RuntimeError(f"{name} failed ({process.returncode}): {err.decode()[-2000:]}")
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        phase.cpu[name] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return json.loads(out)

    async def until(
        self, phase: Phase, what: str, probe: Callable[[], Awaitable[dict[str, int]]]
    ) -> None:
        """Polls `probe` (counts still to come, by SQL) until every one is 0, noting when each
        got there; fails when nothing moves for STALL_SECONDS."""
        last, moved, said, done = None, time.monotonic(), 0.0, {}
        while True:
            left = await probe()
            for key, value in left.items():  # when each reached 0 for good
                if value:
                    done.pop(key, None)
                elif key not in done:
                    done[key] = time.perf_counter() - phase.started
            if not any(left.values()):
                phase.notes.append(
                    "all done at: " + ", ".join(f"{k} {s:.1f} s" for k, s in done.items())
                )
                return
            now = time.monotonic()
            if left != last:
                last, moved = left, now
            elif now - moved > STALL_SECONDS:
                raise LostOrDoubled(
                    f"LOST OR DOUBLED: {what} stalled for {STALL_SECONDS} s: {left}"
                )
            if now - said > 15:
                print(f"  {what}: still to come {left}", flush=True)
                said = now
            await asyncio.sleep(1.0)


async def seed_everything(
    infra: Infra, people: int, today: date, assessed: int | None = None
) -> float:
    """Migrate assessment and payments as the services would, then COPY (`assessed`: only the
    first so many people in assessment; everyone's bank details all the same); the COPY rate
    (rows a second) is the database's raw bulk-write figure for this run."""
    assessed = people if assessed is None else assessed
    for name, migrations in (
        ("assessment", ASSESSMENT_MIGRATIONS),
        ("payments", PAYMENTS_MIGRATIONS),
    ):
        pool = await db.create_pool(infra.runtime_database_url(name), 1, 2)
        try:
            await db.migrate(pool, migrations, infra.migration_database_url(name))
        finally:
            await pool.close()
    started = time.perf_counter()
    await seed(
        infra.database_url("assessment"),
        assessed,
        infra.sealer("assessment"),
        template(today),
        True,
    )
    sealer = infra.sealer("payments")
    conn = await asyncpg.connect(infra.database_url("payments"))
    try:
        for start in range(0, people, CHUNK):
            await conn.copy_records_to_table(
                "bank_accounts",
                columns=("person_id", "payee_name", "sort_code", "account_number"),
                records=[
                    bank_account(sealer, f"P{n:09d}", n)
                    for n in range(start, min(people, start + CHUNK))
                ],
            )
    finally:
        await conn.close()
    took = time.perf_counter() - started
    for name in ("assessment", "payments"):
        conn = await asyncpg.connect(infra.database_url(name))
        await conn.execute("VACUUM ANALYZE")
        await conn.close()
    rows = assessed * 6 + people  # person, case, assessment, decision, two events; bank details
    print(f"seeded {assessed:,} people in {took:.1f} s ({rows / took:,.0f} rows/s by COPY)")
    return rows / took


async def decide(bench: Bench, phase: Phase, rule_set_id: str) -> None:
    n = len(bench.people)
    pay, plans, told = bench.dbs["payments"], bench.dbs["care_plans"], bench.dbs["notifications"]

    async def left() -> dict[str, int]:
        return {
            "awards": n - await pay.fetchval("SELECT count(*) FROM awards"),
            "plans": n - await plans.fetchval("SELECT count(*) FROM plans"),
            "messages": 3 * n - await told.fetchval("SELECT count(*) FROM messages"),
            "unpublished": await checks.pending(bench.dbs),
        }

    await bench.until(phase, "decisions", left)
    refuse(await checks.check_decided(bench.dbs, bench.people, rule_set_id))


async def uprate(bench: Bench, phase: Phase, rule_sets: Path) -> dict:
    n = len(bench.people)
    argv = ["-m", "assessment.uprate", "--rule-set", REHEARSAL, "--rule-sets", str(rule_sets)]
    started = time.perf_counter()
    report = await bench.job(phase, "uprating job", "assessment", argv)
    took = time.perf_counter() - started
    phase.notes.append(
        f"the job: {report['counts']} in {report['batches']} batches, {took:.1f} s"
        f" ({n / took:,.0f} awards/s)"
    )
    print(f"  {phase.notes[-1]}")
    pay, plans, told = bench.dbs["payments"], bench.dbs["care_plans"], bench.dbs["notifications"]

    async def left() -> dict[str, int]:
        return {
            "award versions": n
            - await pay.fetchval(
                "SELECT count(*) FROM award_versions WHERE rule_set_id = $1", REHEARSAL
            ),
            "plan revisions": n
            - await plans.fetchval("SELECT count(*) FROM plan_versions WHERE number > 1"),
            "messages": 4 * n - await told.fetchval("SELECT count(*) FROM messages"),
            "unpublished": await checks.pending(bench.dbs),
        }

    await bench.until(phase, "uprating", left)
    return report


async def pay(bench: Bench, phase: Phase, run_date: date) -> dict:
    n = len(bench.people)
    argv = ["-m", "payments", "run-payments", "--run-date", run_date.isoformat()]
    started = time.perf_counter()
    run = await bench.job(phase, "payment run", "payments", argv, PAYMENTS_ENV)
    paid = time.perf_counter() - started
    phase.notes.append(
        f"paid {run['instructed']:,} in {paid:.1f} s ({run['instructed'] / paid:,.0f}/s)"
    )
    print(f"  {phase.notes[-1]}")
    told = bench.dbs["notifications"]

    async def left() -> dict[str, int]:
        return {
            "messages": 6 * n - await told.fetchval("SELECT count(*) FROM messages"),
            "unpublished": await checks.pending(bench.dbs),
        }

    await bench.until(phase, "payment messages", left)
    run["paid_seconds"] = paid
    return run


async def approve(bench: Bench, run_id: str) -> dict:
    tokens = await Tokens.for_provider(repo_root(), bench.infra.oidc)
    url = f"http://127.0.0.1:{bench.ports['payments']}"
    async with httpx.AsyncClient(base_url=url, timeout=600) as http:
        approved = await http.post(
            f"/payment-runs/{run_id}/approval", auth=tokens.auth(PAYMENTS_OFFICER, "payments")
        )
        approved.raise_for_status()
        report = await http.get("/ops/reconciliation", auth=tokens.auth(OPERATIONS, "payments"))
        report.raise_for_status()
    return report.json()


async def first_due_date(payments: asyncpg.Connection) -> date:
    return await payments.fetchval(
        "SELECT max(first) FROM (SELECT min(due_date) AS first FROM scheduled_payments"
        " GROUP BY award_id) AS each"
    )


async def run(
    people: int,
    skip_payments: bool,
    first: str = "decide",
    templates: int = TEMPLATES,
    seed_only: bool = False,
) -> None:
    """`first`: the first phase timed (decide: the full run); `seed_only`: stop once the state
    before it is seeded and checked."""
    today = date.today()
    log_dir = Path(tempfile.mkdtemp(prefix="national-bench-"))
    rule_sets = rule_sets_with_a_rise_tomorrow(Path(tempfile.mkdtemp(prefix="rule-sets-")))
    templates = people if first == "decide" else min(templates, people)
    async with running_infra(use_env=False) as infra:
        raw = await raw_kafka(infra.kafka_options(), 5_000)
        print(
            f"raw aiokafka: produce+consume {raw['end_to_end_per_s']:,.0f} msg/s"
            f" (load average {os.getloadavg()[0]:.1f})"
        )
        copy_rate = await seed_everything(infra, people, today, templates)
        ports, seeded = None, None
        if first != "decide":
            ports = await template_run(infra, templates, today, rule_sets, first, log_dir)
            seeded = await clone(infra, templates, people, first)
        bench = await start(infra, people, log_dir, ports)
        try:
            with bench.peaks:
                await phases(bench, today, rule_sets, skip_payments, first, seed_only)
        finally:
            await stop(bench)
    report(bench, raw, copy_rate, seeded)


async def template_run(
    infra: Infra, templates: int, today: date, rule_sets: Path, first: str, log_dir: Path
) -> dict[str, int]:
    """The first `templates` people through the platform up to the phase `first`, checked as
    in the full run; the services then stopped. Their ports, for the restart."""
    bench = await start(infra, templates, log_dir)
    try:
        await asyncio.gather(*(apps.wait_ready(r) for r in bench.running))
        rules = template(today).decisions[0].rule_set_id
        await bench.timed("template: decide", lambda p: decide(bench, p, rules), seeded=True)
        if first == "pay":
            await uprate_checked(bench, today, rule_sets, "template: uprate")
    finally:
        await stop(bench)
    return bench.ports


async def clone(infra: Infra, templates: int, people: int, first: str) -> str:
    """Everyone else cloned from the template people (devstack.seed_decided); what was done."""
    load, before = os.getloadavg()[0], cpu_seconds([], infra)["postgresql"]
    took = await seed_decided(infra, templates, people)
    postgresql = cpu_seconds([], infra)["postgresql"] - before
    cloned = people - templates
    done = (
        f"seeded {cloned:,} people as {templates:,} template people left them"
        f" (before {first}) in {took.seconds:.1f} s = {cloned / took.seconds:,.0f}/s"
        f" ({took.rows:,} rows, {took.rows / took.seconds:,.0f}/s; this process's CPU"
        f" {took.cpu:.1f} s, PostgreSQL's {postgresql:.1f} s: {took.cpu / cloned * 1000:.2f}"
        f" and {postgresql / cloned * 1000:.2f} ms a person; VACUUM ANALYZE {took.vacuum:.1f} s)"
        f" (load average {load:.1f} -> {os.getloadavg()[0]:.1f})"
    )
    print(done)
    return done


async def stop(bench: Bench) -> None:
    for conn in bench.dbs.values():
        await conn.close()
    for r in bench.running:
        apps.stop_app(r)


async def start(
    infra: Infra, people: int, log_dir: Path, ports: dict[str, int] | None = None
) -> Bench:
    """The four services started (not yet ready), a connection to each database, and every
    process watched for its peak memory."""
    ports, running = start_services(infra, log_dir, PAYMENTS_ENV, ports)
    dbs = {s: await asyncpg.connect(infra.database_url(s)) for s in checks.SERVICES}
    peaks = Peaks()
    for r in running:
        peaks.watch(r.app.name, r.pid)
    peaks.watch("postgresql", infra.postgres.pid)
    peaks.watch("kafka", infra.kafka.pid)
    people_ids = [f"P{n:09d}" for n in range(people)]
    return Bench(infra, people_ids, ports, running, dbs, peaks, log_dir)


async def phases(
    bench: Bench,
    today: date,
    rule_sets: Path,
    skip_payments: bool,
    first: str = "decide",
    seed_only: bool = False,
) -> None:
    """Decide (timed from every service being ready), uprate, pay: each checked person by
    person before the next; from `first` on (the state before it seeded, checked first)."""
    first_rules = template(today).decisions[0].rule_set_id
    await asyncio.gather(*(apps.wait_ready(r) for r in bench.running))
    if first == "decide":
        await bench.timed("decide", lambda p: decide(bench, p, first_rules), seeded=True)
        await print_disk(bench, "decide")
    elif first == "uprate":
        await seeded_checked(bench, checks.check_decided(bench.dbs, bench.people, first_rules))
    if first == "pay":
        await seeded_checked(bench, uprated_problems(bench, today, seeded=True))
    if first != "decide":
        await print_disk(bench, "seeding")
    if seed_only:
        return
    if first != "pay":
        await uprate_checked(bench, today, rule_sets)
        await print_disk(bench, "uprate")
    if skip_payments:
        return
    run_date, paid = await first_due_date(bench.dbs["payments"]), {}

    async def paying(phase: Phase) -> None:
        paid.update(await pay(bench, phase, run_date))

    await bench.timed("pay", paying)
    refuse(await checks.check_paid(bench.dbs, bench.people, paid["run_id"]))
    reconciled = await approve(bench, paid["run_id"])
    refuse([] if reconciled["balanced"] else [f"ledger: {reconciled['checks']}"])
    await print_disk(bench, "pay")


async def uprated_problems(bench: Bench, today: date, seeded: bool = False) -> list[str]:
    """`check_uprated` and the uprating job's counts (`seeded`: not those of outbox rows, which
    the seeded state holds for the template people only, devstack.seed_decided)."""
    tomorrow = today + timedelta(days=1)
    problems = await checks.check_uprated(bench.dbs, bench.people, REHEARSAL, tomorrow)
    found = await counts(bench.dbs["assessment"], REHEARSAL)
    if seeded:
        found = {k: v for k, v in found.items() if k not in OUTBOX_COUNTS}
    return problems + [f"assessment: {k} {v:,}" for k, v in found.items() if v != len(bench.people)]


async def uprate_checked(bench: Bench, today: date, rule_sets: Path, name: str = "uprate") -> None:
    await bench.timed(name, lambda p: uprate(bench, p, rule_sets))
    refuse(await uprated_problems(bench, today))


async def print_disk(bench: Bench, after: str) -> None:
    """Each service database's bytes in use a person (devstack.footprint) and its biggest
    tables, and the room left: how much disk a bigger run needs is known before it is tried."""
    n, parts = len(bench.people), []
    for service in checks.SERVICES:
        tables = await footprint.used_bytes(bench.infra.database_url(service))
        top = sorted(tables.items(), key=lambda t: -t[1])[:3]
        biggest = ", ".join(f"{name} {size / n:,.0f}" for name, size in top)
        parts.append(f"{service} {sum(tables.values()) / n:,.0f} ({biggest})")
    free = shutil.disk_usage(bench.infra.postgres.data_dir).free if bench.infra.postgres else 0
    print(f"disk after {after}, bytes a person: {'; '.join(parts)}; {free / 2**30:,.1f} GiB free")


async def seeded_checked(bench: Bench, check: Awaitable[list[str]]) -> None:
    """Refuses a seeded state with `check`'s problems or a seeded event left for a relay to
    publish."""
    load, started = os.getloadavg()[0], time.perf_counter()
    left = await checks.pending(bench.dbs)
    refuse(await check + ([f"outboxes: {left:,} seeded events unpublished"] if left else []))
    print(
        f"the seeded state checked person by person: {len(bench.people):,} people in"
        f" {time.perf_counter() - started:.1f} s (load average {load:.1f} ->"
        f" {os.getloadavg()[0]:.1f})"
    )


def report(bench: Bench, raw: dict, copy_rate: float, seeded: str | None = None) -> None:
    n = len(bench.people)
    print(f"\nnothing lost, nothing doubled: every count is {n:,} per person-effect")
    if seeded:
        print(f"{seeded}; the phases before are not measured")
    for phase in bench.phases:
        cpu = ", ".join(f"{k} {v:.1f}" for k, v in phase.cpu.items())
        print(
            f"{phase.name}: {n:,} people in {phase.seconds:.1f} s = {n / phase.seconds:,.1f}/s"
            f" (load average {phase.load[0]:.1f} -> {phase.load[1]:.1f});"
            f" CPU s: {cpu}; {sum(phase.cpu.values()):.1f} in all"
        )
        each = ", ".join(f"{k} {v / n * 1000:.2f}" for k, v in phase.cpu.items())
        print(f"  CPU ms a person: {each}; {sum(phase.cpu.values()) / n * 1000:.2f} in all")
        rate = phase.consumed / phase.seconds
        print(
            f"  events consumed {phase.consumed:,} ({rate:,.0f}/s:"
            f" {rate / raw['end_to_end_per_s']:.1%} of raw produce+consume)"
        )
        for note in phase.notes:
            print(f"  {note}")
    print(
        "peak RSS MiB: " + ", ".join(f"{k} {v / 2**20:,.0f}" for k, v in bench.peaks.peak.items())
    )
    print(
        f"raw limits this run: aiokafka produce+consume {raw['end_to_end_per_s']:,.0f} msg/s;"
        f" COPY {copy_rate:,.0f} rows/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m devstack.national_bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--skip-payments", action="store_true", help="stop after the uprating")
    parser.add_argument(
        "--from",
        dest="first",
        choices=FIRST,
        default="decide",
        help="the first phase timed; the state before it is seeded (devstack.seed_decided)",
    )
    parser.add_argument(
        "--templates",
        type=int,
        default=TEMPLATES,
        help="with --from: the people decided through the platform, whom the rest copy",
    )
    parser.add_argument(
        "--seed-only",
        action="store_true",
        help="with --from: stop once the state is seeded and checked (times the seeding)",
    )
    args = parser.parse_args()
    if args.seed_only and args.first == "decide":
        parser.error("--seed-only needs --from uprate or --from pay")
    if args.templates < 2:
        parser.error("--templates: at least 2 (an id two template people share is no one's)")
    if args.first == "pay" and args.skip_payments:
        parser.error("--from pay --skip-payments would time nothing")
    asyncio.run(run(args.people, args.skip_payments, args.first, args.templates, args.seed_only))


if __name__ == "__main__":
    main()
