import json

from opentelemetry import propagate
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from servicekit.telemetry import (
    JsonLinesSpanExporter,
    context_from_traceparent,
    current_traceparent,
    parent_context,
    traceparent_of,
)


def test_spans_with_binary_attributes_are_exported_as_json_lines(tmp_path) -> None:
    path = tmp_path / "spans.jsonl"
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(JsonLinesSpanExporter(path)))
    tracer = provider.get_tracer("t")
    with tracer.start_as_current_span("parent"):
        parent_header = current_traceparent()
        with tracer.start_as_current_span("child", attributes={"messaging.kafka.key": b"p-1"}):
            pass
    provider.shutdown()
    child, parent = (json.loads(line) for line in path.read_text().splitlines())
    assert child["attributes"]["messaging.kafka.key"] == "p-1"
    assert child["trace_id"] == parent["trace_id"] and child["parent_id"] == parent["span_id"]
    assert parent_header.split("-")[1] == parent["trace_id"]


def test_a_traceparent_round_trips_into_a_parent_context() -> None:
    header = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    provider = TracerProvider()
    with provider.get_tracer("t").start_as_current_span(
        "x", context=context_from_traceparent(header)
    ) as span:
        assert (
            format(span.get_span_context().trace_id, "032x") == "0af7651916cd43dd8448eb211c80319c"
        )
    assert context_from_traceparent(None) is None


def test_parent_context_reads_a_traceparent_as_the_propagator_does() -> None:
    provider = TracerProvider()
    tracer = provider.get_tracer("t")
    valid = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    future = "01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-more"
    malformed = [
        "garbage",
        "00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01",
        "00-00000000000000000000000000000000-b7ad6b7169203331-01",
        "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01",
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-more",
        "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    ]
    for header in [valid, future, *malformed]:
        with (
            tracer.start_as_current_span("ours", context=parent_context(header)) as ours,
            tracer.start_as_current_span("theirs", context=context_from_traceparent(header)) as it,
        ):
            assert ours.parent == it.parent, header
    assert parent_context(None) is None and parent_context("") is None


def test_a_traceparent_is_written_as_the_propagator_writes_it() -> None:
    provider = TracerProvider()
    with provider.get_tracer("t").start_as_current_span("x") as span:
        carrier: dict[str, str] = {}
        propagate.inject(carrier)
        assert traceparent_of(span) == current_traceparent() == carrier["traceparent"]
    assert current_traceparent() is None  # no span is current
