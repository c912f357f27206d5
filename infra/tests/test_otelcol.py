"""The OpenTelemetry Collector built from infra/otelcol (make bootstrap): started on a free
port, sent spans by servicekit's OTLP exporter, its file read back, stopped by PID."""

import json

import pytest
from devstack import otelcol
from devstack.drive import eventually
from devstack.paths import repo_root
from devstack.procs import pid_alive
from servicekit.telemetry import create_tracer_provider

pytestmark = pytest.mark.integration


async def test_a_services_spans_reach_the_collector_with_its_name_and_redacted(tmp_path) -> None:
    collector = await otelcol.start_collector(repo_root(), tmp_path / "otelcol")
    try:
        provider = create_tracer_provider("payments", otlp_endpoint=collector.endpoint)
        tracer = provider.get_tracer("t")
        with tracer.start_as_current_span("payment run", attributes={"run.batches": 2}) as run:
            with tracer.start_as_current_span("batch", attributes={"person.nino": "QQ123456C"}):
                pass
        provider.shutdown()  # flushes the batch to the collector

        async def written() -> list[dict]:
            return collector.spans()

        spans = await eventually(written)
    finally:
        assert otelcol.stop_collector(collector)
    assert not pid_alive(collector.pid)
    trace_id = format(run.get_span_context().trace_id, "032x")
    by_name = {s["name"]: s for s in spans}
    assert set(by_name) == {"payment run", "batch"}
    assert {s["service"] for s in spans} == {"payments"}  # the resource's service.name
    assert {s["trace_id"] for s in spans} == {trace_id}
    assert by_name["batch"]["parent_id"] == by_name["payment run"]["span_id"]
    assert by_name["payment run"]["attributes"] == {"run.batches": 2}
    assert by_name["batch"]["attributes"] == {"person.nino": "[NINO]"}
    assert "QQ123456C" not in collector.spans_file.read_text()  # redacted before export
    [request] = [json.loads(line) for line in collector.spans_file.read_text().splitlines()]
    assert "resourceSpans" in request  # OTLP/JSON, as the collector's file exporter writes


async def test_a_collector_that_cannot_start_says_why(tmp_path) -> None:
    first = await otelcol.start_collector(repo_root(), tmp_path / "first")
    try:
        with pytest.raises(RuntimeError, match="exited during start-up"):
            await otelcol.start_collector(repo_root(), tmp_path / "second", port=first.port)
    finally:
        otelcol.stop_collector(first)
