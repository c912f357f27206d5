"""The spans of one trace, laid out as a waterfall: from the JSON-lines files the services
write (servicekit.telemetry, one per service, in one directory) or, when one is configured, from
the file an OpenTelemetry Collector's file exporter writes (OTLP/JSON, one export a line)."""

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from servicekit.telemetry import otlp_span_records

TRACE_ID = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class Bar:
    service: str
    name: str
    kind: str
    depth: int
    start_ms: float
    duration_ms: float
    left_pct: float
    width_pct: float
    status: str


def trace_id_of(traceparent: str | None) -> str | None:
    parts = (traceparent or "").split("-")
    return parts[1] if len(parts) == 4 and TRACE_ID.match(parts[1]) else None


def spans_of(directory: Path, trace_id: str) -> list[dict[str, Any]]:
    """Every stored span of `trace_id` (the files are scanned line by line)."""
    needle = f'"trace_id": "{trace_id}"'
    spans = []
    for path in sorted(directory.glob("*.jsonl")):
        with path.open(encoding="utf-8", errors="replace") as lines:
            spans += [json.loads(line) for line in lines if needle in line]
    return spans


def collector_spans_of(path: Path, trace_id: str) -> list[dict[str, Any]]:
    """Every span of `trace_id` the collector wrote (its lines are export requests: the ones
    naming the trace are parsed); none before it has written anything."""
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", errors="replace") as lines:
        requests = [json.loads(line) for line in lines if trace_id in line]
    return [s for r in requests for s in otlp_span_records(r) if s["trace_id"] == trace_id]


def waterfall(spans: list[dict[str, Any]]) -> list[Bar]:
    """Spans in start order, each indented under its parent, placed on the trace's time line."""
    if not spans:
        return []
    ids = {s["span_id"]: s for s in spans}
    start = min(s["start_ns"] for s in spans)
    total = max(max(s["end_ns"] for s in spans) - start, 1)

    def depth(span: dict[str, Any]) -> int:
        seen, level = set(), 0
        while (parent := ids.get(span.get("parent_id") or "")) and parent["span_id"] not in seen:
            seen.add(parent["span_id"])
            span, level = parent, level + 1
        return level

    return [
        Bar(
            service=s["service"], name=s["name"], kind=s.get("kind", ""), depth=depth(s),
            start_ms=(s["start_ns"] - start) / 1e6,
            duration_ms=(s["end_ns"] - s["start_ns"]) / 1e6,
            left_pct=100 * (s["start_ns"] - start) / total,
            width_pct=max(100 * (s["end_ns"] - s["start_ns"]) / total, 0.3),
            status=s.get("status", ""),
        )
        for s in sorted(spans, key=lambda s: s["start_ns"])
    ]  # fmt: skip
