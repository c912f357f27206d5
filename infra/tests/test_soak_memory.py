"""The soak's memory table tells a leak (growing in both halves of a run) from caches filling
(growing in the first half, then level), and counts restarts by a new pid under a name. The heap
table's floor trend tells a leak (the heap's floor between faults rising) from backlogs (each
raising its own interval only)."""

from devstack.soak import Memory, MiB


def _run(pid: int, rss_mib: list[int], start: float = 0.0) -> list[tuple[float, int, int]]:
    return [(start + 60.0 * i, pid, mib * MiB) for i, mib in enumerate(rss_mib)]


def test_a_leak_grows_in_both_halves_and_a_filling_cache_only_in_the_first() -> None:
    memory = Memory(
        samples={
            "leaky": _run(1, [100, 110, 120, 130, 140]),
            "warming": _run(2, [100, 120, 130, 130, 130]),
        }
    )
    leaky, warming = memory.table(warm_s=0.0, interval_s=90.0)[2:4]
    assert leaky.endswith("| +20.0 % / +16.7 % |")
    assert warming.endswith("| +30.0 % / +0.0 % |")


def test_a_restart_starts_a_new_run_and_the_longest_is_judged() -> None:
    series = _run(1, [100, 150]) + _run(2, [90, 95, 100, 100, 100], start=120.0)
    [row] = Memory(samples={"payments": series}).table(warm_s=60.0, interval_s=90.0)[2:3]
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[4] == "1"  # one restart
    assert cells[5] == "3 min: +5.3 %"  # from the warm sample (95) to the end (100)
    assert cells[6] == "+5.3 % / +0.0 %"


def _heap(blocks: list[int]) -> list[tuple[float, int, int]]:
    return [(15.0 * i, 1, n) for i, n in enumerate(blocks)]


def _trend_cell(series: list[tuple[float, int, int]]) -> str:
    row = Memory(heap={"notifications": series}).table(warm_s=0.0, interval_s=60.0)[-1]
    return row.strip("|").split("|")[-1].strip()


def _backlogs() -> list[tuple[float, int, int]]:
    # each minute (four samples) a fault's backlog doubles the heap, then it is worked off
    return _heap([500_000, 1_000_000, 700_000, 500_000] * 8)


def test_backlogs_that_are_worked_off_leave_the_heap_floor_flat() -> None:
    assert _trend_cell(_backlogs()) == "+0.0 % an hour (8 intervals)"


def test_a_leak_raises_the_floor_between_faults() -> None:
    # the same backlogs, and 1,000 blocks more each sample (4,000 a minute, 240,000 an hour)
    leaking = [(at, pid, n + 1_000 * i) for i, (at, pid, n) in enumerate(_backlogs())]
    trend = _trend_cell(leaking)
    assert trend.startswith("+4") and trend.endswith("% an hour (8 intervals)"), trend
