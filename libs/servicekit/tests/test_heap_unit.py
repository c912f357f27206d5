"""tracemalloc reports (servicekit.heap): off by default; a report names where memory grew."""

import asyncio
import tracemalloc

import pytest
from servicekit.heap import HeapReport, job
from servicekit.settings import ServiceSettings


@pytest.fixture
def tracing():
    was = tracemalloc.is_tracing()
    yield
    if not was:
        tracemalloc.stop()


def test_tracing_is_off_unless_a_directory_is_set(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://x@localhost/x")
    monkeypatch.setenv("CAREBENEFIT_ENVIRONMENT", "test")
    assert ServiceSettings().tracemalloc_dir is None
    monkeypatch.setenv("TRACEMALLOC_DIR", str(tmp_path))
    assert ServiceSettings().tracemalloc_dir == tmp_path


def grow(kept: list, n: int) -> None:
    kept.extend(bytearray(1024) for _ in range(n))  # the allocation a report should name


def top(report: str, title: str) -> str:
    return report.split(f"-- {title}")[1].splitlines()[1]


def kib(line: str) -> float:
    return float(line.split()[0].replace(",", ""))


def test_a_report_names_the_line_that_grew_since_the_first_snapshot(tmp_path, tracing) -> None:
    report, kept = HeapReport(tmp_path, "svc", top=3), []
    report.start()
    first = report.write()
    grow(kept, 2000)
    second = report.write()
    grow(kept, 1000)
    third = report.write()

    assert "since the first snapshot" not in first
    line = f"{__file__}:{grow.__code__.co_firstlineno + 1}"
    assert line in top(second, "since the first snapshot, by line")
    assert 2000 <= kib(top(second, "since the first snapshot, by line")) < 2300
    assert 3000 <= kib(top(third, "since the first snapshot, by line")) < 3400
    assert 1000 <= kib(top(third, "since the previous snapshot, by line")) < 1200
    assert report.path.read_text() == first + second + third
    first_dump = tracemalloc.Snapshot.load(str(report.path.with_suffix(".1.snap")))
    latest = tracemalloc.Snapshot.load(str(report.path.with_suffix(".3.snap")))
    assert len(latest.traces) > len(first_dump.traces) + 2000


def test_the_frames_kept_a_traceback_are_a_setting(monkeypatch, tmp_path, tracing) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://x@localhost/x")
    monkeypatch.setenv("CAREBENEFIT_ENVIRONMENT", "test")
    assert ServiceSettings().tracemalloc_frames == 8
    monkeypatch.setenv("TRACEMALLOC_FRAMES", "25")
    settings = ServiceSettings()
    was = tracemalloc.is_tracing()
    if was:
        tracemalloc.stop()
    trace_memory = job(tmp_path, "svc", 3600, settings.tracemalloc_frames)

    async def started() -> int:
        task = asyncio.create_task(trace_memory())
        await asyncio.sleep(0)
        task.cancel()
        return tracemalloc.get_traceback_limit()

    assert asyncio.run(started()) == 25
