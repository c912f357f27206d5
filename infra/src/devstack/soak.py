"""`python -m devstack.soak --minutes 30`: steady traffic for a long while with a fault every few
minutes, on a platform of its own (`devstack.fault_platform`). Not a test: a benchmark.

The rate follows from a measurement on the platform itself, on the machine as it is at the time
(shared machines differ from idle ones): first the platform is saturated for `--calibrate`
seconds (people offered as fast as 16 concurrent callers can), then left to go quiet, and what
it sustained end to end is measured: people decided and told on every channel (each email, text
and letter final) per second, from the first offer until nothing was on its way; and the
messages made final per second meanwhile. The soak then runs at half that (or at `--rate`), and
the time it allows for the platform to go quiet after the traffic follows from the measured
message rate and the backlog left when the traffic stops. The faults come in turn from the
fault matrix: each service killed with SIGKILL, the broker killed, PostgreSQL crashed and
restarted, a service cut off from PostgreSQL and another from Kafka, a consumer paused past its
session, 1 % poison, Notify losing receipts, the SMTP server hanging or slow to answer DATA, a
payment run killed mid-batch, a replay of recent records. At the end the traffic stops, the
platform is left to go quiet (what is left is printed every 30 s), and the invariants are
checked: a lost or duplicated effect fails loudly (exit status 1) and no figures are printed.
Otherwise it prints throughput, latency percentiles, each process's memory at the start and the
end, the machine's load while it ran, and the invariant counts.
"""

import argparse
import asyncio
import csv
import dataclasses
import datetime
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil
from contracts.topics import ASSESSMENT_EVENTS
from prometheus_client.parser import text_string_to_metric_families

from devstack import fault_kinds as faults
from devstack import nemesis
from devstack.bench import percentiles
from devstack.fault_matrix import Figures, Matrix
from devstack.fault_platform import NOT_FINAL, FaultPlatform, fault_platform
from devstack.paths import repo_root

MiB = 1024 * 1024
SATURATING_RATE = 1000.0  # people/s offered while calibrating: far above what the callers reach
QUIET_BASE_S = 300.0  # for the last fault's recovery and the reconciliation's rounds
DRAIN_MARGIN = 3.0  # times the backlog's measured drain time
SENDER_COPIES, SENDER_SAMPLE = 2000, 500
COPIED = (
    "person_id, template_id, template_version, channel, recipient, accessible_format, subject,"
    " body, personalisation, correlation_id, traceparent"
)
POSTGRES = "postgresql (every process, PSS)"


def rotation() -> list[tuple[str, Callable[[Matrix], Awaitable[Figures]]]]:
    """The faults, in the order the soak injects them (then round again)."""
    return [
        ("kill -9 payments", faults.kill_service("payments")),
        ("kill -9 the broker", faults.kill_broker()),
        ("1 % poison", faults.poison_one_in_a_hundred),
        ("kill -9 notifications", faults.kill_service("notifications")),
        ("PostgreSQL stop -m immediate", faults.postgres_crash()),
        ("Notify losing receipts", faults.lose_callbacks(20.0)),
        ("kill -9 care-plans", faults.kill_service("care-plans")),
        ("network cut: payments to PostgreSQL", faults.cut_database()),
        ("SMTP server hanging", faults.smtp_hang(20.0)),
        ("SMTP server slow to answer DATA", faults.smtp_slow_data(20.0)),
        ("kill -9 assessment", faults.kill_service("assessment")),
        ("network cut: care-plans to Kafka", faults.cut_kafka()),
        ("payment run killed mid-batch", payment_run),
        ("SIGSTOP notifications past its session", faults.pause_consumer()),
        ("PostgreSQL restart", faults.postgres_restart()),
        ("replay of the last 2,000 records", replay_recent),
    ]


async def payment_run(m: Matrix) -> Figures:
    """As the matrix's, without waiting for a quiet platform (the traffic goes on)."""
    accounts = await m.traffic.give_bank_accounts(200)
    run_date = datetime.date.today() + datetime.timedelta(days=70)
    killed = await nemesis.kill_payment_run(m.platform, run_date)
    async with httpx.AsyncClient(timeout=600) as http:
        resumed = await http.post(
            m.platform.url("payments") + "/payment-runs",
            json={"run_date": run_date.isoformat()},
            headers=await m.platform.tokens.headers_for("payments"),
        )
    resumed.raise_for_status()
    return {"bank accounts given": accounts, **killed, "then": resumed.json()["outcome"]}


async def replay_recent(m: Matrix) -> Figures:
    return {"re-published": await nemesis.replay(m.platform, ASSESSMENT_EVENTS, last=2000)}


@dataclass
class Memory:
    """RSS samples per process, by name, and the Python heap of each service (its
    `carebenefit_python_heap_blocks` gauge); a new pid under a name is a restart. A leak grows in
    both halves of a long run alike; caches and pools filling grow in the first and level off.
    RSS also keeps the high-water mark of every backlog a fault left (the allocator keeps freed
    arenas), while the heap falls again once the backlog is worked off."""

    samples: dict[str, list[tuple[float, int, int]]] = field(default_factory=dict)  # t, pid, rss
    heap: dict[str, list[tuple[float, int, int]]] = field(default_factory=dict)  # t, pid, blocks
    path: Path | None = None  # rewritten at every sample, so a run that dies still leaves them

    async def sample(self, platform: FaultPlatform, at: float) -> None:
        for name, pid in _pids(platform).items():
            rss = _rss(pid, tree=name == POSTGRES)
            if rss:
                self.samples.setdefault(name, []).append((at, pid, rss))
        async with httpx.AsyncClient(timeout=5) as http:
            for name, app in platform.running.items():
                blocks = await _heap_blocks(http, platform.url(name))
                if blocks is not None:
                    self.heap.setdefault(name, []).append((at, app.pid, blocks))
        if self.path is not None:
            self.write_csv(self.path)

    def table(self, warm_s: float, interval_s: float) -> list[str]:
        lines = [
            "| Process | RSS at the start | RSS at the end | Growth | Restarts |"
            " Longest run without a restart: growth over it | its first half / second half |",
            "|---|---|---|---|---|---|---|",
        ]
        lines += [_row(name, s, warm_s, _mib) for name, s in self.samples.items()]
        lines += [
            "",
            "| Service | Python heap blocks at the start | at the end | Growth | Restarts |"
            " Longest run without a restart: growth over it | its first half / second half |"
            " Its floor (least in each interval between faults): trend an hour |",
            "|---|---|---|---|---|---|---|---|",
        ]
        lines += [
            f"{_row(name, s, warm_s, _blocks)} {_trend(_floors(_warm(s, warm_s), interval_s))} |"
            for name, s in self.heap.items()
        ]
        return lines

    @classmethod
    def read_csv(cls, path: Path) -> "Memory":
        """The samples `write_csv` wrote, to print the tables again or analyse them."""
        memory = cls()
        with path.open(newline="") as rows:
            for row in csv.DictReader(rows):
                table = memory.samples if row["what"] == "rss_bytes" else memory.heap
                sample = (float(row["seconds"]), int(row["pid"]), int(row["value"]))
                table.setdefault(row["process"], []).append(sample)
        return memory

    def write_csv(self, path: Path) -> None:
        """Every sample, for an analysis the table does not make (say, one rotation against the
        next): seconds since the traffic started, process, pid, what (rss_bytes or
        heap_blocks), value."""
        with path.open("w", newline="") as out:
            rows = csv.writer(out)
            rows.writerow(["seconds", "process", "pid", "what", "value"])
            for what, table in (("rss_bytes", self.samples), ("heap_blocks", self.heap)):
                for name, series in table.items():
                    rows.writerows((f"{at:.1f}", name, pid, what, v) for at, pid, v in series)


async def _heap_blocks(http: httpx.AsyncClient, url: str) -> int | None:
    """The service's heap gauge, or None while it is down or restarting, or for an app with no
    Prometheus metrics (the portal)."""
    try:
        response = await http.get(url + "/metrics")
    except httpx.HTTPError:
        return None
    if not response.headers.get("content-type", "").startswith("text/plain"):
        return None
    for family in text_string_to_metric_families(response.text):
        if family.name == "carebenefit_python_heap_blocks":
            return int(family.samples[0].value)
    return None


def _longest(series: list) -> list:
    """The samples of the process that ran longest without a restart."""
    pids = dict.fromkeys(pid for _, pid, _ in series)
    runs = [[s for s in series if s[1] == pid] for pid in pids]
    return max(runs, key=lambda run: run[-1][0] - run[0][0])


def _warm(series: list, warm_s: float) -> list:
    """The longest run's samples after its first `warm_s` seconds."""
    run = _longest(series)
    return [s for s in run if s[0] - run[0][0] >= warm_s]


def _floors(run: list, interval_s: float) -> list[tuple[float, int]]:
    """The least value in each interval between faults: where the heap is once a fault's backlog
    has been worked off. A leak raises the floors; a backlog raises only its own interval."""
    floors: dict[int, tuple[float, int]] = {}
    for at, _, value in run:
        slot = int(at // interval_s)
        if slot not in floors or value < floors[slot][1]:
            floors[slot] = (at, value)
    return list(floors.values())


def _trend(floors: list[tuple[float, int]]) -> str:
    """The floors' least-squares slope, as a share of their mean an hour."""
    if len(floors) < 3:
        return "too short"
    times, values = [at / 3600 for at, _ in floors], [value for _, value in floors]
    slope = statistics.linear_regression(times, values).slope
    return f"{100 * slope / statistics.fmean(values):+.1f} % an hour ({len(floors)} intervals)"


def _row(name: str, series: list, warm_s: float, shown) -> str:
    first, last = series[0], series[-1]
    pids = list(dict.fromkeys(pid for _, pid, _ in series))
    longest = _longest(series)
    warm = next((s for s in longest if s[0] - longest[0][0] >= warm_s), longest[0])
    end = longest[-1]
    mid = next(s for s in longest if s[0] >= (warm[0] + end[0]) / 2)
    return (
        f"| {name} | {shown(first[2])} | {shown(last[2])} |"
        f" {_growth(first[2], last[2])} | {len(pids) - 1} |"
        f" {(end[0] - warm[0]) / 60:.0f} min: {_growth(warm[2], end[2])} |"
        f" {_growth(warm[2], mid[2])} / {_growth(mid[2], end[2])} |"
    )


def _mib(value: int) -> str:
    return f"{value / MiB:,.0f} MiB"


def _blocks(value: int) -> str:
    return f"{value:,}"


def _growth(before: int, after: int) -> str:
    return f"{100 * (after - before) / before:+.1f} %"


def _pids(platform: FaultPlatform) -> dict[str, int]:
    pids = {name: app.pid for name, app in platform.running.items()}
    infra = platform.infra
    if infra.kafka is not None:
        pids["kafka"] = infra.kafka.pid
    if infra.postgres is not None and infra.postgres.pid:
        pids[POSTGRES] = infra.postgres.pid
    if infra.oidc is not None:
        pids["oidc provider"] = infra.oidc.pid
    pids["soak driver (traffic, stub, proxies)"] = os.getpid()
    return pids


def _rss(pid: int, tree: bool = False) -> int:
    """RSS of `pid`; with `tree`, the PSS of it and its children (PostgreSQL's backends share
    its buffers: RSS would count them once per backend)."""
    try:
        process = psutil.Process(pid)
        if not tree:
            return process.memory_info().rss
        members = [process, *process.children(recursive=True)]
        return sum(p.memory_full_info().pss for p in members if p.is_running())
    except psutil.Error:
        return 0


@dataclass(frozen=True)
class Capacity:
    """What the platform sustained when saturated: measured, not assumed."""

    decided: int
    offered_s: float  # how long people were offered
    quiet_s: float  # from the first offer until nothing was on its way
    told: int  # email, text and letter copies made final meanwhile
    left: int  # of those, not final when the offering stopped
    drained_s: float  # from then until quiet
    sender: tuple[int, float] = (0, 0.0)  # copies made due at once, seconds until all final

    @property
    def people_per_s(self) -> float:
        """Decided and told on every channel, end to end."""
        return self.decided / self.quiet_s

    @property
    def messages_per_s(self) -> float:
        """What the sender sustains on its own: the copies made due at once, over the time it
        took to make them all final (the calibration's own rate if it could not be measured)."""
        copies, seconds = self.sender
        return copies / seconds if copies else self.told / self.quiet_s

    @property
    def sustained_per_s(self) -> float:
        """People per second the platform sustains: the end-to-end figure, or what the sender
        alone allows at the emails, texts and letters per person seen, if that is lower."""
        per_person = self.told / max(self.decided, 1)
        return min(self.people_per_s, self.messages_per_s / max(per_person, 0.1))

    def line(self) -> str:
        return (
            f"calibration: {self.decided:,} people decided in {self.offered_s:.0f} s"
            f" ({self.decided / self.offered_s:.1f}/s submitted); quiet {self.quiet_s:.0f} s after"
            f" the first offer: {self.people_per_s:.1f} people/s end to end; {self.told:,}"
            f" emails, texts and letters final ({self.messages_per_s:.1f}/s); {self.left:,} not"
            f" final when the offering stopped, drained in {self.drained_s:.0f} s"
            f"; the sender alone: {self.sender[0]:,} emails, texts and letters made due at once,"
            f" all final in {self.sender[1]:.0f} s ({self.messages_per_s:.1f}/s); so"
            f" {self.sustained_per_s:.1f} people/s sustained"
            f" (load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
        )


async def soak(
    minutes: float,
    rate: float | None,
    fault_every: float,
    calibrate_s: float = 60.0,
    samples: Path | None = None,
) -> int:
    # SIGTERM stops it the way Ctrl-C does, so every server it started is stopped with it.
    this = asyncio.current_task()
    if this is not None:
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, this.cancel)
    with tempfile.TemporaryDirectory(prefix="soak-") as base:
        async with fault_platform(Path(base)) as platform:
            return await _run(Matrix.on(platform), minutes, rate, fault_every, calibrate_s, samples)


async def calibrate(m: Matrix, seconds: float) -> Capacity:
    """The platform saturated for `seconds`, then left to go quiet (also the soak's warm-up)."""
    print(f"calibrating: {seconds:.0f} s saturated, then quiet", flush=True)
    decided, told, started = m.traffic.counts["decided"], await _told(m), time.monotonic()
    await m.traffic.run(SATURATING_RATE, seconds, catch_up=False)
    stopped, left = time.monotonic(), await _not_final(m)
    await m.platform.quiesce(1800, _progress)
    quiet = time.monotonic()
    capacity = Capacity(
        m.traffic.counts["decided"] - decided,
        stopped - started,
        quiet - started,
        await _told(m) - told,
        left,
        quiet - stopped,
    )
    return dataclasses.replace(capacity, sender=await sender_capacity(m, SENDER_COPIES))


async def sender_capacity(m: Matrix, copies: int) -> tuple[int, float]:
    """`copies` more emails, texts and letters made due at once (copies of ones already
    delivered, each under an event id of its own, so the invariants hold them to one send each
    like any other), and the seconds until every one is final: the sender, the receipts and the
    reconciliation at full stretch, with nothing else to do."""
    made = await m.platform.fetchval(
        "notifications",
        f"WITH copied AS (INSERT INTO messages ({COPIED}, notification_id, business_event_id,"  # noqa: S608 (constants only)
        " status, attempts, next_attempt_at, source_event_time, created_at, updated_at)"
        f" SELECT {COPIED}, gen_random_uuid(), business_event_id || ':capacity-' || n,"
        " 'pending', 0, now(), now(), now(), now()"
        " FROM (SELECT * FROM messages WHERE channel <> 'inbox' AND status = 'delivered'"
        " ORDER BY created_at LIMIT $1) AS delivered CROSS JOIN generate_series(1, $2) AS n"
        " RETURNING 1) SELECT count(*) FROM copied",
        SENDER_SAMPLE,
        -(-copies // SENDER_SAMPLE),
    )
    started = time.monotonic()
    while await m.platform.fetchval(
        "notifications",
        "SELECT count(*) FROM messages WHERE business_event_id LIKE '%:capacity-%'"
        " AND status = ANY($1)",
        list(NOT_FINAL),
    ):
        await asyncio.sleep(0.5)
    return made, time.monotonic() - started


def quiet_window(capacity: Capacity, not_final: int) -> float:
    """Seconds allowed to go quiet: the backlog's drain time at the measured rate, with a margin."""
    return QUIET_BASE_S + DRAIN_MARGIN * not_final / max(capacity.messages_per_s, 0.1)


async def _run(
    m: Matrix,
    minutes: float,
    rate: float | None,
    fault_every: float,
    calibrate_s: float,
    samples: Path | None,
) -> int:
    memory, loads, injected = Memory(path=samples), [], []
    capacity = await calibrate(m, calibrate_s)
    print(capacity.line(), flush=True)
    rate = rate or round(capacity.sustained_per_s / 2, 1)
    print(
        f"soak: {minutes:g} min at {rate:g} people/s, a fault every {fault_every:g} s", flush=True
    )
    start, decided_before = time.monotonic(), m.traffic.counts["decided"]
    await memory.sample(m.platform, 0.0)
    load = asyncio.create_task(m.traffic.run(rate, minutes * 60))
    kinds = rotation()
    while not load.done():
        await _wait(load, fault_every, memory, loads, m, start)
        if load.done() or time.monotonic() - start > minutes * 60 - 30:
            break
        name, fault = kinds[len(injected) % len(kinds)]
        at = time.monotonic() - start
        figures = await fault(m)
        injected.append((at, name, figures))
        print(f"{at / 60:5.1f} min  {name}: {figures}", flush=True)
    await load
    ran = time.monotonic() - start
    await memory.sample(m.platform, ran)
    window = quiet_window(capacity, await _not_final(m))
    print(f"traffic stopped; allowing {window:.0f} s to go quiet", flush=True)
    quiet = await m.platform.quiesce(window, _progress)
    report = await m.check()
    decided = m.traffic.counts["decided"] - decided_before
    print(await _figures(m, rate, ran, decided, quiet, loads))
    print("\n".join(memory.table(60.0, fault_every)))
    if samples is not None:
        print(f"memory samples written to {samples}")
    print(
        f"\nfaults injected ({len(injected)}): "
        + "; ".join(f"{a / 60:.1f} min {n}" for a, n, _ in injected)
    )
    print("invariants (everything since the start, calibration included): " + report.line())
    if report.problems:
        kept = _keep_logs(m.platform.log_dir)
        print("\nSOAK FAILED: effects lost or duplicated\n  " + "\n  ".join(report.problems))
        print(f"the services' logs are kept in {kept}")
        return 1
    return 0


def _keep_logs(log_dir: Path) -> Path:
    """The platform's logs, copied out of its temporary directory before it is removed."""
    kept = repo_root() / ".local" / f"soak-failed-{time.strftime('%Y%m%dT%H%M%S')}"
    shutil.copytree(log_dir, kept)
    return kept


def _progress(seconds: float, left: dict[str, int]) -> None:
    print(f"  going quiet, {seconds:.0f} s: still {left}", flush=True)


async def _told(m: Matrix) -> int:
    return await m.platform.fetchval(
        "notifications",
        "SELECT count(*) FROM messages WHERE channel <> 'inbox'"
        " AND status IN ('delivered', 'permanent_failure')",
    )


async def _not_final(m: Matrix) -> int:
    return await m.platform.fetchval(
        "notifications", "SELECT count(*) FROM messages WHERE status = ANY($1)", list(NOT_FINAL)
    )


async def _wait(load, seconds: float, memory: Memory, loads: list, m: Matrix, start: float):
    """`seconds` of traffic, sampling memory and the machine's load every 15 s."""
    until = time.monotonic() + seconds
    while time.monotonic() < until and not load.done():
        await asyncio.sleep(min(15.0, until - time.monotonic()))
        loads.append(os.getloadavg()[0])
        await memory.sample(m.platform, time.monotonic() - start)


async def _figures(m: Matrix, rate: float, ran: float, decided: int, quiet: float, loads) -> str:
    rows = await m.platform.fetch("assessment", "SELECT person_id, decided_at FROM decisions")
    told = await m.platform.fetch(
        "notifications",
        "SELECT person_id, min(created_at) AS at FROM messages WHERE channel = 'inbox'"
        " AND template_id IN ('decision-made', 'decision-no-award') GROUP BY person_id",
    )
    decided_at = {r["person_id"]: r["decided_at"] for r in rows}
    pipeline = [(r["at"] - decided_at[r["person_id"]]).total_seconds() for r in told]
    counts = m.traffic.counts
    abandoned = sum(n for what, n in counts.items() if what.startswith("abandoned"))
    return "\n".join(
        [
            f"offered {rate:g} people/s for {ran / 60:.1f} min: {decided:,} decided"
            f" ({decided / ran:.1f}/s); abandoned {abandoned}, requests retried"
            f" {counts['retried']}; quiet {quiet:.0f} s after the traffic stopped",
            "decision -> inbox message (whole run): " + _ms(percentiles(pipeline), max(pipeline)),
            "submit request (HTTP): " + _ms(percentiles(m.traffic.latencies)),
            f"machine load (1-min average, every 15 s): min {min(loads):.1f},"
            f" mean {statistics.mean(loads):.1f}, max {max(loads):.1f} on {os.cpu_count()} cores",
        ]
    )


def _ms(cuts: dict[str, float], top: float | None = None) -> str:
    shown = ", ".join(f"{k} {v * 1000:,.0f} ms" for k, v in cuts.items())
    return shown + (f", max {top * 1000:,.0f} ms" if top is not None else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument(
        "--rate",
        type=float,
        default=None,
        help="people assessed per second (default: half what the calibration measured)",
    )
    parser.add_argument("--fault-every", type=float, default=120.0, metavar="SECONDS")
    parser.add_argument("--calibrate", type=float, default=60.0, metavar="SECONDS")
    parser.add_argument(
        "--samples", type=Path, default=None, help="write every memory sample to this CSV file"
    )
    parser.add_argument(
        "--tables-from",
        type=Path,
        default=None,
        metavar="SAMPLES",
        help="print the memory tables of an earlier run's --samples file (and --fault-every)",
    )
    args = parser.parse_args(argv)
    if args.tables_from is not None:
        print("\n".join(Memory.read_csv(args.tables_from).table(60.0, args.fault_every)))
        return 0
    return asyncio.run(
        soak(args.minutes, args.rate, args.fault_every, args.calibrate, args.samples)
    )


if __name__ == "__main__":
    sys.exit(main())
