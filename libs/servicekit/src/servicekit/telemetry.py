"""OpenTelemetry tracing: one provider per service, spans to a JSON-lines file and/or OTLP."""

import json
import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from opentelemetry import propagate, trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.trace import TraceFlags

from servicekit.redaction import RedactingSpanExporter


class JsonLinesSpanExporter(SpanExporter):
    """Appends one JSON object per finished span; readable without a tracing backend."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = path.open("a", encoding="utf-8")
        self._lock = threading.Lock()

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        lines = [json.dumps(span_record(span), default=str) + "\n" for span in spans]
        with self._lock:
            self._file.writelines(lines)
            self._file.flush()
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        with self._lock:
            self._file.close()


def span_record(span: ReadableSpan) -> dict:
    ctx = span.get_span_context()
    return {
        "service": span.resource.attributes.get("service.name"),
        "name": span.name,
        "kind": span.kind.name,
        "trace_id": format(ctx.trace_id, "032x"),
        "span_id": format(ctx.span_id, "016x"),
        "parent_id": format(span.parent.span_id, "016x") if span.parent else None,
        "start_ns": span.start_time,
        "end_ns": span.end_time,
        "status": span.status.status_code.name,
        "attributes": {k: _plain(v) for k, v in (span.attributes or {}).items()},
        "events": [
            {"name": e.name, "attributes": {k: _plain(v) for k, v in (e.attributes or {}).items()}}
            for e in span.events
        ],
    }


_OTLP_KINDS = {1: "INTERNAL", 2: "SERVER", 3: "CLIENT", 4: "PRODUCER", 5: "CONSUMER"}
_OTLP_STATUSES = {0: "UNSET", 1: "OK", 2: "ERROR"}


def otlp_span_records(request: dict[str, Any]) -> list[dict]:
    """The spans of one OTLP/JSON export request (as an OpenTelemetry Collector's file exporter
    writes them, one request a line), as `span_record` writes them."""
    return [
        {
            "service": _otlp_attributes(resource.get("resource", {})).get("service.name"),
            "name": span["name"],
            "kind": _OTLP_KINDS.get(span.get("kind", 0), "INTERNAL"),
            "trace_id": span["traceId"],
            "span_id": span["spanId"],
            "parent_id": span.get("parentSpanId") or None,
            "start_ns": int(span["startTimeUnixNano"]),
            "end_ns": int(span["endTimeUnixNano"]),
            "status": _OTLP_STATUSES[span.get("status", {}).get("code", 0)],
            "attributes": _otlp_attributes(span),
            "events": [
                {"name": e["name"], "attributes": _otlp_attributes(e)}
                for e in span.get("events", [])
            ],
        }
        for resource in request.get("resourceSpans", [])
        for scope in resource.get("scopeSpans", [])
        for span in scope.get("spans", [])
    ]


def _otlp_attributes(item: dict[str, Any]) -> dict[str, Any]:
    return {a["key"]: _otlp_value(a.get("value", {})) for a in item.get("attributes", [])}


def _otlp_value(value: dict[str, Any]) -> object:
    if "arrayValue" in value:
        return [_otlp_value(v) for v in value["arrayValue"].get("values", [])]
    if "intValue" in value:  # a string in OTLP/JSON (64-bit)
        return int(value["intValue"])
    return next(iter(value.values()), None)


def _plain(value: object) -> object:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return [_plain(v) for v in value] if isinstance(value, tuple) else value


def create_tracer_provider(
    service_name: str, traces_file: Path | None = None, otlp_endpoint: str | None = None
) -> TracerProvider:
    provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
    if traces_file:
        exporter = RedactingSpanExporter(JsonLinesSpanExporter(traces_file))
        provider.add_span_processor(BatchSpanProcessor(exporter, schedule_delay_millis=200))
    if otlp_endpoint:  # only when a collector is configured (eShop ServiceDefaults pattern)
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        otlp = RedactingSpanExporter(OTLPSpanExporter(endpoint=otlp_traces_url(otlp_endpoint)))
        provider.add_span_processor(BatchSpanProcessor(otlp))
    return provider


def otlp_traces_url(endpoint: str) -> str:
    """OTEL_EXPORTER_OTLP_ENDPOINT is the collector's base URL; spans go to its /v1/traces
    (the OTLP exporter spec; an explicit endpoint= is otherwise used exactly as given)."""
    base = endpoint.rstrip("/")
    return base if base.endswith("/v1/traces") else base + "/v1/traces"


_TRACEPARENT = re.compile(
    r"^\s*([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?\s*$"
)  # as opentelemetry.trace.propagation.tracecontext reads it


def current_traceparent() -> str | None:
    """The current span's W3C `traceparent` (None outside a valid span), as the TraceContext
    propagator injects it."""
    return traceparent_of(trace.get_current_span())


def context_from_traceparent(traceparent: str | None) -> Context | None:
    if not traceparent:
        return None
    return propagate.extract({"traceparent": traceparent})


def parent_context(traceparent: str | None) -> Context | None:
    """The remote parent a W3C `traceparent` names, as the TraceContext propagator reads it but
    without the propagators' machinery (no baggage travels with an event), for the per-message
    spans. None when there is none (the current context is the parent); an empty context for a
    malformed one (the span starts a trace of its own), as the propagator does."""
    if not traceparent:
        return None
    found = _TRACEPARENT.match(traceparent)
    if found is None:
        return Context()
    version, trace_id, span_id, flags, rest = found.groups()
    if version == "ff" or (version == "00" and rest) or not int(trace_id, 16):
        return Context()
    if not int(span_id, 16):
        return Context()
    remote = trace.SpanContext(
        int(trace_id, 16), int(span_id, 16), is_remote=True, trace_flags=TraceFlags(int(flags, 16))
    )
    return trace.set_span_in_context(trace.NonRecordingSpan(remote))


def traceparent_of(span: trace.Span) -> str | None:
    """`span`'s W3C `traceparent`, as the TraceContext propagator injects it (None for an
    invalid span, e.g. none is current or tracing is off)."""
    ctx = span.get_span_context()
    if not ctx.is_valid:
        return None
    return f"00-{ctx.trace_id:032x}-{ctx.span_id:016x}-{ctx.trace_flags:02x}"


def producer_span(tracer: trace.Tracer, record: Any) -> trace.Span:
    """The span of one published outbox record (started, not current: the caller ends it), a
    child of the span that produced its event (its `traceparent` header). It names the record's
    key, the person's pseudonymous id, as FastStream's publish span did: how a person's events
    are found in the traces."""
    return tracer.start_span(
        f"{record.topic} publish",
        context=parent_context(record.headers.get("traceparent")),
        kind=trace.SpanKind.PRODUCER,
        attributes={
            "messaging.system": "kafka",
            "messaging.operation": "publish",
            "messaging.destination.name": record.topic,
            "messaging.message.id": record.id,
            "messaging.kafka.message.key": record.key,
        },
    )


def tracer(provider: TracerProvider, name: str) -> trace.Tracer:
    return provider.get_tracer(name)


def consumer_span(tracer: trace.Tracer, consumer: str, event: Any, record: Any = None):
    """The span of one consumed event: a child of its producer's (the record's `traceparent`
    header, set when it was published, or else the event's own), so one trace follows the flow
    through every service. Its attributes say where the event came from, never what it says
    or its key (a person id)."""
    header = next(
        (v for k, v in getattr(record, "headers", None) or () if k == "traceparent"), None
    )
    parent = header.decode("ascii", "replace") if header else event.traceparent
    attributes: dict[str, Any] = {
        "messaging.system": "kafka",
        "messaging.consumer.group.name": consumer,
        "messaging.message.id": event.id,
        "cloudevents.event_type": event.type,
    }
    if record is not None:
        attributes |= {
            "messaging.destination.name": record.topic,
            "messaging.destination.partition.id": str(record.partition),
            "messaging.kafka.offset": record.offset,
        }
    return tracer.start_as_current_span(
        f"{record.topic if record is not None else consumer} process",
        context=parent_context(parent),
        kind=trace.SpanKind.CONSUMER,
        attributes=attributes,
    )
