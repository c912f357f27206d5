"""Python's cyclic garbage collector, set for processes that allocate heavily once started.

By default the youngest generation is collected every 700 net allocations, and a full
collection walks every object tracked since the process began: the modules, rule books and
catalogues loaded at start-up as well as what is in hand. A consumer's batch or a job's batch
allocates hundreds of thousands of objects (an event's explanation alone is dozens), so the
collector ran thousands of times a batch and the full collections it triggered walked the
whole start-up heap each time: about a third of the uprating job's CPU (docs/benchmarks.md).

`settle()`, once start-up is done, moves what start-up made out of the collector's reach
(`gc.freeze`: never walked again, and never collected: start-up's objects live as long as the
process anyway) and collects the youngest generation every `young` net allocations. Garbage is
still collected: reference counting frees most of it at once, the collector still finds cycles,
only later (a few batches at most, not within each one); the older generations keep Python's
thresholds.
"""

import gc

YOUNG = 50_000
"""Net allocations between collections of the youngest generation (Python's default: 700)."""


_frozen = False


def settle(young: int = YOUNG) -> None:
    """Freeze what exists now (after a collection, so no garbage is kept for good; once a
    process: tests start many services in one) and set the youngest generation's threshold;
    `young` 0 leaves the collector as Python set it."""
    global _frozen
    if young <= 0:
        return
    if not _frozen:
        gc.collect()
        gc.freeze()
        _frozen = True
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(young, older, oldest)
