"""Where a process's memory goes: tracemalloc snapshots compared minutes apart, written to a file.

Off unless `<SERVICE>_TRACEMALLOC_DIR` is set (tracing slows every allocation: for benchmarks
such as `devstack.soak`, never production). Every `<SERVICE>_TRACEMALLOC_EVERY_S` it appends to
`<dir>/<service>-<pid>.txt` the traced total and the process's RSS, then the allocations that
grew most since the first snapshot (taken one interval after the start, past the warm-up), by
line and by traceback, and since the previous one. Each snapshot is also dumped
(`<service>-<pid>.<n>.snap`, `tracemalloc.Snapshot.load`) to compare any two afterwards.
Tracebacks keep `<SERVICE>_TRACEMALLOC_FRAMES` frames (8; a request's first frame in the
service's own code is about 20 deep, under uvicorn, OpenTelemetry and FastAPI).
"""

import asyncio
import os
import resource
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path

from servicekit.supervision import healthy

MiB = 1024 * 1024
IGNORED = (
    tracemalloc.Filter(False, tracemalloc.__file__),
    tracemalloc.Filter(False, "<frozen importlib._bootstrap>"),
    tracemalloc.Filter(False, "<frozen importlib._bootstrap_external>"),
    tracemalloc.Filter(False, "<unknown>"),
)


@dataclass
class HeapReport:
    directory: Path
    name: str
    top: int = 15
    frames: int = 8
    started: float = field(default_factory=time.monotonic)
    first: tracemalloc.Snapshot | None = None
    previous: tracemalloc.Snapshot | None = None
    taken: int = 0

    @property
    def path(self) -> Path:
        return self.directory / f"{self.name}-{os.getpid()}.txt"

    def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        if not tracemalloc.is_tracing():
            tracemalloc.start(self.frames)

    def write(self) -> str:
        """Takes a snapshot and appends its comparisons; returns what it appended."""
        snapshot = tracemalloc.take_snapshot().filter_traces(IGNORED)
        self.first = first = self.first or snapshot
        text = "\n".join(self._report(snapshot, first)) + "\n\n"
        with self.path.open("a") as out:
            out.write(text)
        self.taken += 1
        snapshot.dump(str(self.path.with_suffix(f".{self.taken}.snap")))
        self.previous = snapshot
        return text

    def _report(self, snapshot: tracemalloc.Snapshot, first: tracemalloc.Snapshot) -> list[str]:
        traced, peak = tracemalloc.get_traced_memory()
        lines = [
            f"== {time.strftime('%H:%M:%S')} {(time.monotonic() - self.started) / 60:.1f} min:"
            f" traced {traced / MiB:.1f} MiB (peak {peak / MiB:.1f}), RSS {rss() / MiB:.1f} MiB"
            f" (max {max_rss() / MiB:.1f}) of which tracemalloc's own"
            f" {tracemalloc.get_tracemalloc_memory() / MiB:.1f} MiB"
        ]
        if first is not snapshot:
            lines += _top("since the first snapshot, by line", snapshot, first, "lineno", self.top)
            lines += _top("since the first snapshot, by traceback", snapshot, first, "traceback", 5)
        if self.previous is not None and self.previous is not first:
            lines += _top(
                "since the previous snapshot, by line", snapshot, self.previous, "lineno", self.top
            )
        return lines


def _top(title: str, now, before, key: str, n: int) -> list[str]:
    stats = now.compare_to(before, key)
    grown = sum(s.size_diff for s in stats)
    lines = [
        f"-- {title} (all: {grown / 1024:+,.0f} KiB, {sum(s.count_diff for s in stats):+,} blocks)"
    ]
    for stat in stats[:n]:
        frame, *callers = reversed(stat.traceback)  # the allocation first
        lines.append(
            f"{stat.size_diff / 1024:+10,.1f} KiB {stat.count_diff:+8,} blocks"
            f" (now {stat.size / 1024:,.1f} KiB) {frame.filename}:{frame.lineno}"
        )
        if key == "traceback":
            lines += [f"      {f.filename}:{f.lineno}" for f in callers]
    return lines


def rss() -> int:
    """This process's resident set size now (Linux)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0
    return pages * os.sysconf("SC_PAGE_SIZE")


def max_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def job(directory: Path, name: str, every_s: float, frames: int = 8):
    """The supervised background job: start tracing, then report every `every_s` seconds."""
    report = HeapReport(directory, name, frames=frames)

    async def trace_memory() -> None:
        report.start()
        while True:
            await asyncio.sleep(every_s)
            report.write()  # in the loop (a second or so): a thread would get a malloc arena
            healthy()

    return trace_memory
