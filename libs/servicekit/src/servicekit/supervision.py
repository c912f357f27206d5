"""Supervised background work: every failure is logged, backed off with jitter and retried.

Each task (the outbox relay, a service's senders and schedulers) runs under the `Supervisor`:
when it raises, the failure is logged with its class and the line it came from (never its text,
which may quote personal data), the task is marked failing, and it is started again after a
jittered, growing delay; a fresh start takes fresh pooled connections (and the relay its leader
lock). A task counts as recovered once it reports progress with `healthy()`, or has run for
`settle` seconds without failing. While any task is failing the service is not ready
(`/health/ready` names the task and the error class); a failure that persists past
`exit_after` seconds calls `on_fatal`, which in a service makes the process exit non-zero so
that whatever supervises processes (`make up`, systemd, Kubernetes) starts it afresh.
"""

import asyncio
import contextvars
import logging
import random
import time
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from servicekit.faults import describe

log = logging.getLogger(__name__)
Clock = Callable[[], float]


def origin(exc: BaseException) -> str:
    """Where `exc` was raised, as `file:line in function` (no values, no message). The source
    lines are not looked up: `extract_tb` would read each file in the traceback into
    `linecache`, kept for the process's life, for a text this never shows."""
    frames = traceback.StackSummary.extract(
        traceback.walk_tb(exc.__traceback__), lookup_lines=False
    )
    if not frames:
        return "unknown"
    last = frames[-1]
    return f"{last.filename.rsplit('/', 1)[-1]}:{last.lineno} in {last.name}"


class Backoff:
    """Delays that double from `first` to `cap`, each scaled by a random factor in [0.5, 1)."""

    def __init__(
        self, first: float = 0.2, cap: float = 5.0, jitter: Callable[[], float] = random.random
    ) -> None:
        self.first, self.cap, self._jitter, self.failures = first, cap, jitter, 0

    def next_delay(self) -> float:
        delay = min(self.cap, self.first * 2**self.failures)
        self.failures += 1
        return delay * (0.5 + self._jitter() / 2)

    def reset(self) -> None:
        self.failures = 0


@dataclass
class TaskHealth:
    """One task's state, as readiness and the exit watchdog see it."""

    name: str
    settle: float = 1.0
    clock: Clock = time.monotonic
    error: str | None = None
    failing_since: float | None = None
    running_since: float | None = None
    restarts: int = 0
    finished: bool = False

    def failed(self, exc: BaseException) -> None:
        self.error, self.running_since = describe(exc), None
        if self.failing_since is None:
            self.failing_since = self.clock()

    def ok(self) -> None:
        self.error = self.failing_since = None

    def started(self) -> None:
        self.running_since = self.clock()

    @property
    def failing(self) -> bool:
        """Failing until it reports progress or has run `settle` seconds since its restart."""
        if self.failing_since is not None and self.running_since is not None:
            if self.clock() - self.running_since >= self.settle:
                self.ok()
        return self.failing_since is not None

    def failing_for(self) -> float:
        return 0.0 if not self.failing else self.clock() - (self.failing_since or 0.0)

    def view(self) -> dict[str, Any]:
        state = "failing" if self.failing else "finished" if self.finished else "running"
        view: dict[str, Any] = {"state": state, "restarts": self.restarts}
        if self.failing:
            view |= {"error": self.error, "failing_for_seconds": round(self.failing_for(), 1)}
        return view


_current: contextvars.ContextVar[TaskHealth | None] = contextvars.ContextVar(
    "supervised_task", default=None
)


def healthy() -> None:
    """A supervised task calls this after work that succeeded: it is no longer failing."""
    health = _current.get()
    if health is not None:
        health.ok()


@dataclass
class Supervisor:
    exit_after: float = 120.0
    on_fatal: Callable[[str], None] = lambda reason: None
    backoff_cap: float = 5.0
    settle: float = 1.0
    clock: Clock = time.monotonic
    tasks: dict[str, TaskHealth] = field(default_factory=dict)
    _fatal: bool = False

    def watch(self, name: str) -> TaskHealth:
        """Health for something that runs itself (the consumer) and reports with ok/failed."""
        health = TaskHealth(self._unique(name), self.settle, self.clock)
        self.tasks[health.name] = health
        return health

    def start(self, name: str, run: Callable[[], Awaitable[Any]]) -> asyncio.Task[None]:
        health = self.watch(name)
        return asyncio.create_task(self._supervise(health, run), name=health.name)

    def reasons(self) -> list[str]:
        return [f"{h.name}: {h.error}" for h in self.tasks.values() if h.failing]

    async def watchdog(self, interval: float = 1.0) -> None:
        """Calls `on_fatal` (once) when a task has been failing for longer than `exit_after`."""
        while not self._fatal:
            for health in self.tasks.values():
                if health.failing and health.failing_for() > self.exit_after:
                    self._fatal = True
                    self.on_fatal(
                        f"{health.name} has been failing for {health.failing_for():.0f} s"
                        f" ({health.error})"
                    )
                    break
            await asyncio.sleep(min(interval, self.exit_after / 4))

    async def _supervise(self, health: TaskHealth, run: Callable[[], Awaitable[Any]]) -> None:
        _current.set(health)
        backoff = Backoff(cap=self.backoff_cap)
        while True:
            health.started()
            try:
                await run()
            except Exception as exc:
                if not health.failing:
                    backoff.reset()  # it had recovered: a new streak starts short
                health.failed(exc)
                delay = backoff.next_delay()
                log.error(
                    "%s failed: %s at %s; restarting in %.1f s (failing for %.0f s)",
                    health.name, describe(exc), origin(exc), delay, health.failing_for(),
                )  # fmt: skip
                await asyncio.sleep(delay)
                health.restarts += 1
                continue
            health.finished = True
            log.info("%s finished", health.name)
            return

    def _unique(self, name: str) -> str:
        taken, candidate, n = set(self.tasks), name, 1
        while candidate in taken:
            n += 1
            candidate = f"{name}-{n}"
        return candidate


def every(seconds: float, step: Callable[[Any], Awaitable[Any]], name: str | None = None):
    """A background job running `step(runtime)` now and then every `seconds`. A failing step
    is left to the supervisor (logged, backed off, run again); a step that succeeds marks the
    job healthy."""

    async def job(runtime: Any) -> None:
        while True:
            await step(runtime)
            healthy()
            await asyncio.sleep(seconds)

    job.__qualname__ = name or getattr(step, "__qualname__", "job")
    return job
