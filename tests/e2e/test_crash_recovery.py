"""A service killed between its database commit and its publish loses nothing after restart."""

import signal

import pytest
from devstack.drive import eventually

pytestmark = [pytest.mark.e2e, pytest.mark.fault]


async def test_a_decision_committed_but_never_published_flows_after_a_restart(platform) -> None:
    # Restart assessment with its relay switched off: commits happen, publishing does not,
    # exactly as if the process died after every commit.
    platform.kill("assessment")
    await platform.start("assessment", ASSESSMENT_RELAY_ENABLED="false")
    person = await platform.submit("e2e-crash")
    status = await platform.get("assessment", "/ops/status")
    assert status["outbox"]["pending"] >= 2  # AssessmentSubmitted + DecisionMade, unpublished
    platform.kill("assessment")  # SIGKILL: no shutdown hooks run

    await platform.start("assessment")
    pid = person["person_id"]
    payments = await eventually(lambda: platform.get("payments", f"/people/{pid}/payments"))
    assert payments["next_payment"]["amount_pence"] > 0
    await eventually(lambda: platform.inbox(pid))
    status = await platform.get("assessment", "/ops/status")
    assert status["outbox"]["pending"] == 0


async def test_a_consumer_killed_mid_stream_misses_nothing_and_duplicates_nothing(platform) -> None:
    platform.kill("payments")
    people = [await platform.submit(f"e2e-down-{i}") for i in range(3)]
    await platform.start("payments")
    for person in people:
        payments = await eventually(
            lambda p=person: platform.get("payments", f"/people/{p['person_id']}/payments")
        )
        periods = [p["period_start"] for p in payments["payments"]]
        assert len(periods) == len(set(periods))  # one scheduled payment per period, never two


async def test_a_service_stops_cleanly_on_sigterm(platform) -> None:
    running = platform.running.pop("notifications")
    running.process.terminate()
    # uvicorn re-raises SIGTERM once its shutdown has finished, so -15 is a clean exit
    assert running.process.wait(30) in (0, -signal.SIGTERM)
    assert "Application shutdown complete." in running.log_file.read_text()
    await platform.start("notifications")
