"""The operations console's pages behind the one role check, and what they say when a service
or Kafka cannot be read (the portal here has no reachable Kafka; services are fakes)."""

import json
import socket

import pytest
from fastapi.routing import APIRoute
from portal import lag_trend, ops_dead_letters, ops_flows, ops_journey, ops_stuck, ops_traces
from portal.lag import PartitionLag
from portal.security import check_csrf

from .conftest import ASSESSOR, CITIZEN_ONE, OPS, FakeServices

pytestmark = pytest.mark.integration
LETTER = {
    "id": 7, "consumer": "care-plans", "topic": "assessment.events", "partition": 0,
    "offset": 41, "event_id": "ev-1", "event_type": "assessment.decision-made.v1",
    "error_class": "Unprocessable", "reason": "no person P-9", "attempts": 1,
    "dead_lettered_at": "2026-12-01T12:00:00Z", "published_at": "2026-12-01T12:00:01Z",
    "dlq_topic": "care-plans.dlq", "dlq_partition": 0, "dlq_offset": 3, "replay_of": None,
    "resolution": None, "resolved_at": None, "resolved_by": None, "resolution_reason": None,
}  # fmt: skip
OPS_PAGES = [
    "/ops", "/ops/dead-letters", "/ops/dead-letters/care_plans/7", "/ops/stuck",
    "/ops/journey?person=P-9", "/ops/replays?batch=rp-1", "/ops/flows",
    "/ops/traces/4bf92f3577b34da6a3ce929d0e0e4736", "/ops/areas", "/ops/areas.csv",
    "/ops/payment-runs", "/ops/payment-runs/run-1",
]  # fmt: skip
RUN = {
    "run_id": "run-1", "run_date": "2026-11-16", "status": "completed", "batches": 1,
    "instructed": 2, "held": 1, "nil": 0, "total_pence": 38920, "outcome": None,
    "files": ["F-1"], "provider_total_pence": 0, "provider_payments": [],
    "bank_files": [{"file_id": "F-1", "batch_no": 1, "transactions": 2, "total_pence": 38920}],
}  # fmt: skip
PAYMENTS_READS = {
    "/payment-runs": {"runs": [RUN]},
    "/payment-runs/run-1": RUN,
    "/payment-runs/run-1/bank-responses": {"run_id": "run-1", "responses": [
        {"status": "accepted", "reason": None, "outcome": "paid", "payments": 1,
         "amount_pence": 19460},
        {"status": "returned", "reason": "AC04", "outcome": "held", "payments": 1,
         "amount_pence": 19460},
    ]},
    "/ops/reconciliation": {"balanced": True, "outbox_pending": 0, "accounts": [], "checks": [
        {"check": "ledger_balances", "rule": "debits equal credits", "ok": True,
         "violations": []},
    ]},
}  # fmt: skip
HELD = {
    "name": "held", "title": "Held payments", "threshold": 0, "unit": "days", "more": False,
    "cases": [{"person_id": "P-9", "reference": "instr-9", "since": "2026-11-20T09:00:00Z",
               "detail": "the account has been closed"}],
}  # fmt: skip
AREA = {
    "area_code": "E09000033", "claims": 3, "claims_decided": 2,
    "claim_to_decision_median_seconds": 5400, "claim_to_decision_p90_seconds": 9000,
    "decisions_in_force": 2, "awarded": 1, "average_award_weekly_pence": 19460,
    "reconsiderations": 1, "reconsiderations_decided": 1, "reconsiderations_changed": 0,
}  # fmt: skip


class OpsServices(FakeServices):
    """Care plans has one dead letter; the others none (unless down)."""

    async def get(self, service: str, path: str, token: str | None = None, headers=None, **params):
        ops_reads = (
            "/ops/dead-letters",
            "/ops/replays",
            "/ops/stuck",
            "/ops/journey",
            "/ops/areas",
        )
        if service == "payments" and path in PAYMENTS_READS and service not in self.down:
            self.calls.append((service, path, token))
            return PAYMENTS_READS[path]
        if not path.startswith(ops_reads):
            return await super().get(service, path, token, headers, **params)
        self.calls.append((service, path, token))
        if service in self.down:
            from portal.clients import ServiceUnavailable

            raise ServiceUnavailable(service)
        if path == "/ops/dead-letters":
            letters = [LETTER] if service == "care_plans" else []
            return {"consumer": service, "open": len(letters), "dead_letters": letters}
        if path == "/ops/dead-letters/7" and service == "care_plans":
            return LETTER
        if path == "/ops/stuck":
            lists = [HELD] if service == "payments" and params.get("held") == 0 else []
            return {"service": service, "lists": lists}
        if path == "/ops/areas":
            return {"areas": [AREA]} if service == "assessment" else None
        if path == "/ops/journey":
            return {"service": service, "produced": [], "consumed": []}
        return None

    async def post(self, service: str, path: str, body: dict, token: str | None = None):
        self.calls.append((service, path, token))
        if path == "/ops/dead-letters/replays":
            order = {
                "dead_letter_id": 7, "consumer": "care-plans", "replay_id": "rp-1.7",
                "dlq_topic": "care-plans.dlq", "dlq_partition": 0, "dlq_offset": 3,
                "topic": "assessment.events", "partition": 0, "prior_attempts": 1,
            }  # fmt: skip
            return 200, {"batch": "rp-1", "orders": [order], "refused": {}}
        return await super().post(service, path, body, token)


def closed_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{s.getsockname()[1]}"


@pytest.fixture
async def console(start_portal):
    services = OpsServices(down=frozenset({"payments"}))
    async with start_portal(services, kafka_bootstrap_servers=closed_port()) as portal:
        page = await portal.sign_in(OPS, start="/staff/sign-in")
        assert page.status_code == 200
        yield portal


TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


def stored_span(service: str, span_id: str, parent: str | None, start: int) -> dict:
    return {
        "service": service, "name": f"{service} work", "kind": "INTERNAL", "trace_id": TRACE,
        "span_id": span_id, "parent_id": parent, "start_ns": start, "end_ns": start + 10**6,
        "status": "UNSET",
    }  # fmt: skip


def collector_export(service: str, span_id: str, start: int) -> dict:
    span = {"traceId": TRACE, "spanId": span_id, "name": f"{service} exported", "kind": 2,
            "startTimeUnixNano": str(start), "endTimeUnixNano": str(start + 10**6)}  # fmt: skip
    resource = {"attributes": [{"key": "service.name", "value": {"stringValue": service}}]}
    return {"resourceSpans": [{"resource": resource, "scopeSpans": [{"spans": [span]}]}]}


async def test_a_trace_is_read_from_the_collector_when_one_is_configured(
    start_portal, tmp_path
) -> None:
    (tmp_path / "traces").mkdir()
    (tmp_path / "traces" / "payments.jsonl").write_text(
        json.dumps(stored_span("payments", "a" * 16, None, 0)) + "\n"
    )
    collected = tmp_path / "otelcol-spans.jsonl"
    collected.write_text(json.dumps(collector_export("care-plans", "b" * 16, 5)) + "\n")
    stored = {"otel_traces_file": str(tmp_path / "traces" / "portal.jsonl")}
    for settings, shown, source in (
        (stored, "payments work", "Spans the services stored"),
        (stored | {"ops_traces_collector_file": str(collected)}, "care-plans exported",
         "Spans the OpenTelemetry Collector received"),
    ):  # fmt: skip
        async with start_portal(OpsServices(), **settings) as portal:
            await portal.sign_in(OPS, start="/staff/sign-in")
            page = await portal.http.get(f"/ops/traces/{TRACE}")
        assert page.status_code == 200 and shown in page.text and source in page.text
    collected.unlink()  # configured, but the collector has written nothing yet
    async with start_portal(OpsServices(), ops_traces_collector_file=str(collected)) as portal:
        await portal.sign_in(OPS, start="/staff/sign-in")
        page = await portal.http.get(f"/ops/traces/{TRACE}")
    assert page.status_code == 200 and "has no spans of this trace" in page.text


async def test_the_pages_say_what_they_could_not_read(console) -> None:
    listed = await console.http.get("/ops/dead-letters")
    assert listed.status_code == 200
    assert "Could not read the dead letters of: payments (not answering)" in listed.text
    assert "care-plans #7" in listed.text and "no person P-9" in listed.text
    one = await console.http.get("/ops/dead-letters/care_plans/7")
    assert one.status_code == 200 and "Unprocessable" in one.text
    assert "Could not read care-plans.dlq: Kafka unreachable" in one.text
    assert (await console.http.get("/ops/dead-letters/care_plans/8")).status_code == 404
    stuck = await console.http.get("/ops/stuck")
    assert "Could not read the stuck cases of: payments" in stuck.text
    journey = await console.http.get("/ops/journey", params={"person": "P-9"})
    assert "Could not read the events of: payments" in journey.text and "No events" in journey.text
    trace = await console.http.get("/ops/traces/4bf92f3577b34da6a3ce929d0e0e4736")
    assert trace.status_code == 200 and "No trace store is configured" in trace.text
    assert (await console.http.get("/ops/traces/not-a-trace")).status_code == 404
    flows = await console.http.get("/ops/flows")
    assert flows.status_code == 200 and "Could not read the flows of: payments" in flows.text
    overview = await console.http.get("/ops")
    assert "payments is not answering" in overview.text and "Kafka unreachable" in overview.text


async def test_the_area_comparison_says_which_service_did_not_answer(start_portal) -> None:
    async with start_portal(OpsServices(down=frozenset({"care_plans"}))) as portal:
        await portal.sign_in(OPS, start="/staff/sign-in")
        page = await portal.http.get("/ops/areas")
        assert page.status_code == 200
        assert "Could not read the figures of: care_plans (not answering)" in page.text
        assert "E09000033" in page.text and "1.5" in page.text  # 5,400 s: 1.5 hours
        assert "194.60" in page.text
        assert (await portal.http.get("/ops/areas.csv")).status_code == 503  # not half a file


async def test_payment_runs_show_files_bank_answers_held_payments_and_reconciliation(
    start_portal,
) -> None:
    async with start_portal(OpsServices()) as portal:
        await portal.sign_in(OPS, start="/staff/sign-in")
        listed = await portal.http.get("/ops/payment-runs")
        assert listed.status_code == 200
        for text in (
            "Balanced",
            "1 of 1 checks pass",
            "16 November 2026",
            "£389.20",
            "the account has been closed",
            'href="/ops/payment-runs/run-1"',
        ):
            assert text in listed.text, text
        assert "Approvals" in listed.text  # payments' four eyes (the fake run has no approval)
        assert "approved by: not yet" in listed.text
        one = await portal.http.get("/ops/payment-runs/run-1")
        assert one.status_code == 200
        for text in ("F-1", "<strong>returned</strong>", "AC04", "Rejections and returns: 1"):
            assert text in one.text, text
    async with start_portal(OpsServices(down=frozenset({"payments"}))) as portal:
        await portal.sign_in(OPS, start="/staff/sign-in")
        down = await portal.http.get("/ops/payment-runs")
        assert down.status_code == 200 and "Payments did not answer" in down.text
        assert "Could not read the payment runs." in down.text
        assert "Could not read the held payments." in down.text


class SplitServices(OpsServices):
    """Care plans has two agreed plans; payments holds the first one's split only."""

    def __init__(self, down=frozenset()) -> None:
        super().__init__(down=down)
        self.plans = [
            {"person_id": p, "plan_id": f"{p}:D-1", "version": 3, "managed_weekly_pence": 6000,
             "direct_payment_weekly_pence": 4000, "updated_at": "2026-12-01T09:00:00Z"}
            for p in ("P-1", "P-2")
        ]  # fmt: skip

    async def get(self, service: str, path: str, token=None, headers=None, **params):
        if (service, path) == ("care_plans", "/ops/agreed-splits"):
            assert params == {"older_than_minutes": 30}  # the data file's threshold
            return {"plans": self.plans, "more": False}
        return await super().get(service, path, token, headers, **params)

    async def post(self, service: str, path: str, body: dict, token: str | None = None):
        if (service, path) == ("payments", "/ops/managed-services/lookup"):
            if service in self.down:
                from portal.clients import ServiceUnavailable

                raise ServiceUnavailable(service)
            assert body == {"person_ids": ["P-1", "P-2"]}
            held = {k: v for k, v in self.plans[0].items() if k not in ("version", "updated_at")}
            return 200, {"held": [{**held, "plan_version": 3}]}
        return await super().post(service, path, body, token)


async def test_a_plan_agreed_but_not_in_payments_is_stuck(start_portal) -> None:
    async with start_portal(SplitServices()) as portal:
        await portal.sign_in(OPS, start="/staff/sign-in")
        page = await portal.http.get("/ops/stuck")
        assert "Plan agreed, but the managed services not yet in payments" in page.text
        assert "P-2:D-1 v3" in page.text and "payments holds nothing" in page.text
        assert "P-1:D-1" not in page.text  # payments holds its split
    async with start_portal(SplitServices(down=frozenset({"payments"}))) as portal:
        await portal.sign_in(OPS, start="/staff/sign-in")
        page = await portal.http.get("/ops/stuck")
        assert "Could not read the stuck cases of: payments" in page.text
        assert "not yet in payments" not in page.text


async def test_a_replay_while_kafka_is_down_says_it_was_not_published(console) -> None:
    form = {"csrf_token": await csrf(console), "action": "replay", "selected": "care_plans:7"}
    page = await console.http.post("/ops/dead-letters/actions", data=form)
    assert page.status_code == 200 and "not published: Kafka unreachable" in page.text
    assert ("care_plans", "/ops/dead-letters/replays") in [c[:2] for c in console.services.calls]


async def test_bad_orders_are_refused_naming_why(console) -> None:
    token = await csrf(console)
    cases = [
        ({"action": "discard", "selected": "care_plans:7"}, "Give the reason for discarding"),
        ({"action": "replay"}, "Select at least one dead letter to replay"),
        ({"action": "replay", "selected": "nowhere:7"}, "does not name a dead letter"),
        ({"action": "replay_matching"}, "Choose a service"),
    ]
    for form, message in cases:
        page = await console.http.post(
            "/ops/dead-letters/actions", data={"csrf_token": token, **form}
        )
        assert page.status_code == 400 and message in page.text, form
    refused = await console.http.post("/ops/dead-letters/actions", data={"action": "replay"})
    assert refused.status_code == 403  # no CSRF token


async def test_every_ops_page_is_behind_the_operations_role(start_portal) -> None:
    async with start_portal(OpsServices()) as portal:
        for path in OPS_PAGES:
            assert (await portal.http.get(path)).status_code in (302, 303, 307), path
        await portal.sign_in(ASSESSOR, start="/staff/sign-in")
        for path in OPS_PAGES:
            assert (await portal.http.get(path)).status_code == 403, path
    async with start_portal(OpsServices()) as portal:
        await portal.sign_in(CITIZEN_ONE)
        for path in OPS_PAGES:
            assert (await portal.http.get(path)).status_code == 403, path


def test_every_state_changing_ops_route_checks_the_csrf_token() -> None:
    routes = [
        r
        for m in (ops_dead_letters, ops_stuck, ops_journey, ops_flows, ops_traces)
        for r in m.router.routes
    ]
    unsafe = [r for r in routes if isinstance(r, APIRoute) and r.methods & {"POST"}]
    assert unsafe
    for route in unsafe:
        assert check_csrf in [d.call for d in route.dependant.dependencies], route.path


async def csrf(portal) -> str:
    row = await portal.pool.fetchrow("SELECT csrf_token FROM sessions")
    return row["csrf_token"]


async def test_lag_samples_make_each_partitions_trend(start_portal) -> None:
    async with start_portal(OpsServices(), ops_lag_sample_seconds=0) as portal:
        pool = portal.pool
        await lag_trend.record(pool, [PartitionLag("payments", "assessment.events", 0, 5, 12)])
        await pool.execute(
            "INSERT INTO lag_samples (sampled_at, consumer_group, topic, partition, lag) VALUES"
            " (now() - interval '10 minutes', 'payments', 'assessment.events', 0, 40),"
            " (now() - interval '10 minutes 10 seconds', 'payments', 'assessment.events', 0, 30),"
            " (now() - interval '3 hours', 'payments', 'assessment.events', 0, 99)"
        )
        series = await lag_trend.trends(pool)
    trend = series[("payments", "assessment.events", 0)]
    assert len(trend) == 60 and trend[-1] == 7 and trend[-11] == 40  # the minute's highest
    assert sum(trend) == 47  # the sample older than an hour is not in it
