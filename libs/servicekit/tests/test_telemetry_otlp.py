"""Spans exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set go to the collector's
/v1/traces (a real OpenTelemetry Collector receives them in infra/tests/test_otelcol.py and in
the platform's tests); what a collector's file exporter writes reads back as span records."""

from servicekit.telemetry import otlp_span_records, otlp_traces_url

EXPORT = {  # one line of the collector's file exporter (OTLP/JSON)
    "resourceSpans": [
        {
            "resource": {
                "attributes": [{"key": "service.name", "value": {"stringValue": "payments"}}]
            },
            "scopeSpans": [
                {
                    "scope": {"name": "t"},
                    "spans": [
                        {
                            "traceId": "5b8efff798038103d269b633813fc60c",
                            "spanId": "eee19b7ec3c1b174",
                            "name": "payment run",
                            "kind": 2,
                            "startTimeUnixNano": "1700000000000000000",
                            "endTimeUnixNano": "1700000000250000000",
                            "attributes": [
                                {"key": "run.batches", "value": {"intValue": "2"}},
                                {"key": "run.dry", "value": {"boolValue": False}},
                                {
                                    "key": "run.topics",
                                    "value": {"arrayValue": {"values": [{"stringValue": "a"}]}},
                                },
                            ],
                            "status": {},
                        },
                        {
                            "traceId": "5b8efff798038103d269b633813fc60c",
                            "spanId": "0000000000000001",
                            "parentSpanId": "eee19b7ec3c1b174",
                            "name": "batch",
                            "kind": 5,
                            "startTimeUnixNano": "1700000000100000000",
                            "endTimeUnixNano": "1700000000200000000",
                            "events": [{"name": "retry", "timeUnixNano": "1"}],
                            "status": {"code": 2, "message": "failed"},
                        },
                    ],
                }
            ],
        }
    ]
}


def test_a_collectors_export_reads_back_as_the_records_the_services_write() -> None:
    run, batch = otlp_span_records(EXPORT)
    assert run == {
        "service": "payments",
        "name": "payment run",
        "kind": "SERVER",
        "trace_id": "5b8efff798038103d269b633813fc60c",
        "span_id": "eee19b7ec3c1b174",
        "parent_id": None,
        "start_ns": 1_700_000_000_000_000_000,
        "end_ns": 1_700_000_000_250_000_000,
        "status": "UNSET",
        "attributes": {"run.batches": 2, "run.dry": False, "run.topics": ["a"]},
        "events": [],
    }
    assert (batch["kind"], batch["parent_id"], batch["status"]) == (
        "CONSUMER",
        "eee19b7ec3c1b174",
        "ERROR",
    )
    assert batch["events"] == [{"name": "retry", "attributes": {}}]


def test_an_empty_export_has_no_spans() -> None:
    assert otlp_span_records({}) == []
    assert otlp_span_records({"resourceSpans": [{"scopeSpans": [{}]}]}) == []


def test_the_endpoint_is_the_collectors_base_url_or_its_traces_url() -> None:
    assert otlp_traces_url("http://otel:4318") == "http://otel:4318/v1/traces"
    assert otlp_traces_url("http://otel:4318/") == "http://otel:4318/v1/traces"
    assert otlp_traces_url("http://otel:4318/v1/traces") == "http://otel:4318/v1/traces"
