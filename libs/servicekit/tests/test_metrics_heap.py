"""The heap gauge follows live Python objects: it rises with a backlog held and falls once the
backlog is freed, which RSS does not do (the allocator keeps freed arenas)."""

import asyncio

from prometheus_client.parser import text_string_to_metric_families
from servicekit.metrics import ServiceMetrics


def _heap_blocks(metrics: ServiceMetrics) -> float:
    text = asyncio.run(metrics.exposition()).decode()
    (family,) = [f for f in text_string_to_metric_families(text) if f.name.endswith("heap_blocks")]
    return family.samples[0].value


def test_the_heap_gauge_rises_with_objects_held_and_falls_when_they_are_freed() -> None:
    metrics = ServiceMetrics()
    before = _heap_blocks(metrics)
    backlog = [{"event": n} for n in range(200_000)]
    held = _heap_blocks(metrics)
    del backlog
    freed = _heap_blocks(metrics)
    assert held - before > 200_000
    assert freed - before < 20_000
