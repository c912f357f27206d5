"""The platform's spans in a real OpenTelemetry Collector (devstack.otelcol): every service
exports over OTLP/HTTP to it, and the collector's file holds one request's whole trace, each
span under its service's name, the same spans each service stored itself."""

import json
import re
import secrets

import pytest
from devstack.drive import eventually

pytestmark = pytest.mark.e2e

SUBMIT = re.compile(r"^POST /cases/\w+/assessments/\w+/submit$")
SERVICES = {"assessment", "payments", "care-plans", "notifications"}


async def test_one_requests_trace_reaches_the_collector_from_every_service(platform) -> None:
    trace_id = secrets.token_hex(16)
    person = await platform.submit(
        "e2e-collector", traceparent=f"00-{trace_id}-{secrets.token_hex(8)}-01"
    )
    await eventually(lambda: platform.inbox(person["person_id"]))

    def stored(service: str) -> set[tuple[str, str]]:
        path = platform.traces_dir / f"{service}.jsonl"
        spans = [json.loads(line) for line in path.read_text().splitlines()]
        return {(s["span_id"], s["name"]) for s in spans if s["trace_id"] == trace_id}

    async def collected() -> dict[str, set[tuple[str, str]]] | None:
        by_service: dict[str, set[tuple[str, str]]] = {}
        for span in platform.collector.spans():
            if span["trace_id"] == trace_id:
                by_service.setdefault(span["service"], set()).add((span["span_id"], span["name"]))
        complete = SERVICES <= set(by_service) and all(by_service[s] == stored(s) for s in SERVICES)
        return by_service if complete else None

    by_service = await eventually(collected)
    names = {service: {name for _, name in spans} for service, spans in by_service.items()}
    assert "assessment.events publish" in names["assessment"], names["assessment"]
    assert [n for n in names["assessment"] if SUBMIT.match(n)], names["assessment"]  # the request
    for consumer in ("payments", "care-plans", "notifications"):
        assert "assessment.events process" in names[consumer], names[consumer]
