"""Spans exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set: to the collector's
/v1/traces, as protobuf, with the service's name and redacted attributes. The receiver here is
a plain HTTP server decoding the OTLP request, not an OpenTelemetry Collector."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from servicekit.telemetry import create_tracer_provider, otlp_traces_url


class Receiver(BaseHTTPRequestHandler):
    received: list[tuple[str, str, bytes]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.path, self.headers["Content-Type"], body))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.end_headers()
        self.wfile.write(b"")

    def log_message(self, *args) -> None:
        pass


def test_spans_go_to_the_collectors_traces_path_as_otlp_protobuf() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        provider = create_tracer_provider("payments", otlp_endpoint=base)
        tracer = provider.get_tracer("t")
        with tracer.start_as_current_span("payment run", attributes={"run.batches": 2}):
            pass
        provider.shutdown()  # flushes the batch
    finally:
        server.shutdown()
    [(path, content_type, body)] = Receiver.received
    assert (path, content_type) == ("/v1/traces", "application/x-protobuf")
    request = ExportTraceServiceRequest.FromString(body)
    [resource_spans] = request.resource_spans
    resource = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
    assert resource["service.name"] == "payments"
    [span] = [s for scope in resource_spans.scope_spans for s in scope.spans]
    assert span.name == "payment run"
    assert {a.key: a.value.int_value for a in span.attributes} == {"run.batches": 2}


def test_the_endpoint_is_the_collectors_base_url_or_its_traces_url() -> None:
    assert otlp_traces_url("http://otel:4318") == "http://otel:4318/v1/traces"
    assert otlp_traces_url("http://otel:4318/") == "http://otel:4318/v1/traces"
    assert otlp_traces_url("http://otel:4318/v1/traces") == "http://otel:4318/v1/traces"
