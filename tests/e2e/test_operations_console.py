"""The operations console's service side on the running platform: every service serves its
Prometheus metrics and its stuck-case lists, and a person only the portal inbox reaches is
listed as stuck (no contact details)."""

import httpx
import pytest
from devstack.drive import eventually
from devstack.tokens import OPERATIONS
from portal.ops_thresholds import thresholds

pytestmark = pytest.mark.e2e
SERVICES = {"assessment", "payments", "care-plans", "notifications"}
KIT_METRICS = (
    "carebenefit_outbox_pending",
    "carebenefit_outbox_oldest_pending_seconds",
    "carebenefit_relay_leader",
    "carebenefit_python_heap_blocks",
)
CONSUMER_METRICS = (
    "carebenefit_events_consumed_total",
    "carebenefit_event_handler_seconds_bucket",
    "carebenefit_consumer_lag",
)


async def test_every_service_exports_its_metrics_and_stuck_cases(platform) -> None:
    person = await platform.submit("e2e-console")
    pid = person["person_id"]
    await eventually(lambda: platform.inbox(pid))
    operator = {
        s: {"Authorization": f"Bearer {await platform.tokens.staff(OPERATIONS, s)}"}
        for s in SERVICES
    }
    zero = {name: 0 for name in thresholds().stuck}
    async with httpx.AsyncClient(timeout=30) as http:
        for service in SERVICES:
            url = platform.url(service)
            text = (await http.get(url + "/metrics")).text
            assert all(f"\n{m}" in text or text.startswith(m) for m in KIT_METRICS), service
            if service != "assessment":  # the only one that consumes nothing
                assert all(m in text for m in CONSUMER_METRICS), service
                assert f'consumer="{service}",outcome="applied"' in text, service
            answer = await http.get(url + "/ops/stuck", params=zero, headers=operator[service])
            assert answer.status_code == 200, (service, answer.text)
            stuck = answer.json()
            assert stuck["service"] == service and stuck["lists"], service
            flows = (await http.get(url + "/ops/flows", headers=operator[service])).json()
            assert all(len(s["per_minute"]) == 60 for s in flows["published"] + flows["consumed"])
            if service != "assessment":
                assert any(s["consumer"] == service for s in flows["consumed"]), service
        published = (
            await http.get(
                platform.url("assessment") + "/ops/flows", headers=operator["assessment"]
            )
        ).json()
        assert [s["topic"] for s in published["published"]] == ["assessment.events"]
        assert sum(published["published"][0]["per_minute"]) >= 1
        sent = (await http.get(platform.url("assessment") + "/metrics")).text
        assert 'carebenefit_messages_sent_total{topic="assessment.events"}' in sent

        async def unreachable() -> bool:
            answer = await http.get(
                platform.url("notifications") + "/ops/stuck",
                params={"no_contact": 0},
                headers=operator["notifications"],
            )
            (listed,) = answer.json()["lists"]
            return any(case["person_id"] == pid for case in listed["cases"])

        await eventually(unreachable)
