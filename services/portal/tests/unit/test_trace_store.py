"""Stored spans of one trace, found across the services' files and laid out as a waterfall."""

import json

from portal.trace_store import collector_spans_of, spans_of, trace_id_of, waterfall

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


def span(service, span_id, parent, start, end, trace=TRACE):
    return {
        "service": service, "name": f"{service} work", "kind": "INTERNAL", "trace_id": trace,
        "span_id": span_id, "parent_id": parent, "start_ns": start, "end_ns": end,
        "status": "UNSET",
    }  # fmt: skip


def test_spans_of_a_trace_from_every_file_as_a_waterfall(tmp_path) -> None:
    (tmp_path / "assessment.jsonl").write_text(
        json.dumps(span("assessment", "a", None, 0, 10_000_000))
        + "\n"
        + json.dumps(span("assessment", "x", None, 0, 5, trace="0" * 32))
        + "\n"
    )
    (tmp_path / "payments.jsonl").write_text(
        json.dumps(span("payments", "b", "a", 5_000_000, 7_500_000)) + "\n"
    )
    bars = waterfall(spans_of(tmp_path, TRACE))
    assert [(b.service, b.depth) for b in bars] == [("assessment", 0), ("payments", 1)]
    assert bars[1].start_ms == 5.0 and bars[1].duration_ms == 2.5
    assert (bars[1].left_pct, bars[1].width_pct) == (50.0, 25.0)


def test_a_traceparent_names_its_trace() -> None:
    assert trace_id_of(f"00-{TRACE}-00f067aa0ba902b7-01") == TRACE
    assert trace_id_of("nonsense") is None and trace_id_of(None) is None
    assert waterfall([]) == []


def test_a_collectors_file_gives_the_spans_of_one_trace(tmp_path) -> None:
    def export(trace: str, span_id: str, parent: str = "") -> str:
        span = {"traceId": trace, "spanId": span_id, "parentSpanId": parent, "name": "work",
                "startTimeUnixNano": "0", "endTimeUnixNano": "10"}  # fmt: skip
        resource = {"attributes": [{"key": "service.name", "value": {"stringValue": "payments"}}]}
        line = {"resourceSpans": [{"resource": resource, "scopeSpans": [{"spans": [span]}]}]}
        return json.dumps(line, separators=(",", ":")) + "\n"  # as the collector writes

    path = tmp_path / "spans.jsonl"
    path.write_text(export(TRACE, "a") + export("0" * 32, "x") + export(TRACE, "b", "a"))
    spans = collector_spans_of(path, TRACE)
    assert [(s["service"], s["span_id"], s["parent_id"]) for s in spans] == [
        ("payments", "a", None),
        ("payments", "b", "a"),
    ]
