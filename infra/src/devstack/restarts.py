"""`python -m devstack.restarts`: how fast each service is ready, and how fast it catches up.

On a throwaway Kafka + PostgreSQL, with every app a real process:
1. time from start to `/health/ready` 200 for each service, started alone: cold (a new consumer
   group), after a clean stop (SIGTERM) and after a crash (SIGKILL);
2. under steady load (assessments at `--rate` per second), each consuming service (all four:
   assessment reads plan reviews) is killed with SIGKILL and started again (the load goes on
   until it is ready, then stops): the time to ready, then the time from ready until its
   consumer group's lag first reads 0.
Not a test: it prints figures and asserts nothing.
"""

import argparse
import asyncio
import contextlib
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient

from devstack import apps
from devstack.bench import submit_assessment
from devstack.demo import DEMO_PEOPLE
from devstack.kafka_acls import CONSUMES
from devstack.paths import repo_root
from devstack.procs import free_ports
from devstack.stack import Infra, running_infra
from devstack.tokens import ASSESSOR, Tokens

SERVICES = ("assessment", "payments", "care-plans", "notifications")
CONSUMERS = tuple(s for s in SERVICES if CONSUMES[s])  # assessment too: it reads plan reviews


class Platform:
    def __init__(self, infra: Infra, log_dir: Path) -> None:
        self.infra, self.log_dir = infra, log_dir
        self.ports = dict(zip((a.name for a in apps.APPS), free_ports(len(apps.APPS)), strict=True))
        self.running: dict[str, apps.RunningApp] = {}

    async def start(self, name: str) -> float:
        """Start `name` and return the seconds until it answered /health/ready with 200."""
        app = apps.BY_NAME[name]
        env = apps.app_env(app, self.ports, self.infra, extra={"CAREBENEFIT_ENVIRONMENT": "test"})
        started = time.monotonic()
        self.running[name] = apps.start_app(app, self.ports[name], env, self.log_dir)
        await apps.wait_ready(self.running[name])
        return time.monotonic() - started

    def stop(self, name: str, crash: bool = False) -> None:
        (apps.kill_app if crash else apps.stop_app)(self.running.pop(name))

    def stop_all(self) -> None:
        for running in self.running.values():
            apps.stop_app(running)
        self.running.clear()


async def group_lag(kafka: dict[str, Any], group: str) -> dict[str, int]:
    """Lag per `topic[partition]` of `group`: the end offset less the committed one. `kafka`:
    aiokafka client arguments (`Infra.kafka_options()`)."""
    admin = AIOKafkaAdminClient(**kafka)
    consumer = AIOKafkaConsumer(**kafka, enable_auto_commit=False)
    await admin.start()
    await consumer.start()
    try:
        committed = await admin.list_consumer_group_offsets(group)
        ends = await consumer.end_offsets(list(committed)) if committed else {}
    finally:
        await consumer.stop()
        await admin.close()
    return {
        f"{tp.topic}[{tp.partition}]": max(0, ends[tp] - max(meta.offset, 0))
        for tp, meta in committed.items()
    }


async def steady_load(
    url: str, rate: float, going: asyncio.Event, tokens: Tokens, first: int = 100_000
) -> int:
    """Submit assessments at `rate` per second whenever `going` is set, as a demo assessor;
    runs until cancelled. While assessment itself is down (killed to be timed) a submit fails
    and the next person is tried at the same pace."""
    sent, facts = 0, DEMO_PEOPLE[0].facts
    auth = tokens.auth(ASSESSOR, "assessment")
    async with httpx.AsyncClient(base_url=url, timeout=30, auth=auth) as http:
        while True:
            await going.wait()
            started, burst = time.monotonic(), 0
            while going.is_set():
                with contextlib.suppress(httpx.HTTPError, KeyError):
                    await submit_assessment(http, first + sent, facts)
                sent, burst = sent + 1, burst + 1
                await asyncio.sleep(max(0.0, started + burst / rate - time.monotonic()))


async def catch_up(platform: Platform, name: str, timeout: float = 120) -> float:
    """Seconds until `name`'s consumer group has lag 0 (polled every 100 ms)."""
    started = time.monotonic()
    while sum((lag := await group_lag(platform.infra.kafka_options(), name)).values()) > 0:
        if time.monotonic() - started > timeout:
            behind = {part: n for part, n in lag.items() if n}
            raise RuntimeError(f"{name} did not catch up within {timeout} s: lag {behind}")
        await asyncio.sleep(0.1)
    return time.monotonic() - started


async def measure(rate: float, load_seconds: float) -> None:
    async with running_infra(use_env=False) as infra:
        platform = Platform(infra, Path(tempfile.mkdtemp()) / "logs")
        try:
            cold = {name: await platform.start(name) for name in SERVICES}
            clean, crash = {}, {}
            for name in SERVICES:
                platform.stop(name)
                clean[name] = await platform.start(name)
                platform.stop(name, crash=True)
                crash[name] = await platform.start(name)
            kinds = (("cold", cold), ("after SIGTERM", clean), ("after SIGKILL", crash))
            for label, figures in kinds:
                line = ", ".join(f"{n} {s:.1f} s" for n, s in figures.items())
                print(f"start to ready, {label}: {line}")
            going = asyncio.Event()
            url = f"http://127.0.0.1:{platform.ports['assessment']}"
            tokens = await Tokens.for_provider(repo_root(), infra.oidc)
            load = asyncio.create_task(steady_load(url, rate, going, tokens))
            for name in CONSUMERS:
                going.set()
                await asyncio.sleep(load_seconds)
                before = sum((await group_lag(infra.kafka_options(), name)).values())
                platform.stop(name, crash=True)
                ready = await platform.start(name)
                going.clear()  # the load stops once it is ready: what is left is the backlog
                lag_zero = await catch_up(platform, name)
                print(
                    f"under load ({rate:g}/s, lag {before} just before the kill): {name}"
                    f" killed -9, ready {ready:.1f} s, lag 0 {lag_zero:.1f} s after ready"
                )
            load.cancel()
        finally:
            platform.stop_all()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, default=5, help="assessments per second")
    parser.add_argument("--load-seconds", type=float, default=5, help="load before each kill")
    args = parser.parse_args()
    asyncio.run(measure(args.rate, args.load_seconds))
