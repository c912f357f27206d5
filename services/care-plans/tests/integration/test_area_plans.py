"""Care plans per area for the area comparison (GET /ops/areas) on real PostgreSQL."""

from datetime import date

import pytest

from ..unit.fakes import weekly

pytestmark = pytest.mark.integration
BIRMINGHAM = "E08000025"


async def test_plans_agreed_shortfalls_and_overdue_reviews_per_area(service) -> None:
    await service.agreed("person-1")
    await service.decide("person-2", decision_id="D-2", award=weekly(1_000))  # over budget
    short = (await service.client.get("/people/person-2/plan")).json()
    assert short["shortfall_pence"] > 0
    ops = await service.operations()

    body = (await service.client.get("/ops/areas", headers=ops)).json()
    [area] = body["areas"]
    assert (area["area_code"], area["area_name"]) == (BIRMINGHAM, "Birmingham")
    assert (area["open_plans"], area["plans_agreed"], area["reviews_overdue"]) == (2, 1, 0)
    assert (area["shortfalls"], area["shortfall_weekly_pence"]) == (1, short["shortfall_pence"])

    service.today = date(2026, 1, 5)  # past the agreed plan's first review
    later = (await service.client.get("/ops/areas", headers=ops)).json()
    assert later["areas"][0]["reviews_overdue"] == 1 and later["on"] == "2026-01-05"


async def test_only_operations_reads_the_area_figures(service) -> None:
    assert (await service.client.get("/ops/areas")).status_code == 403  # an assessor
    no_token = await service.client.get("/ops/areas", headers={"Authorization": ""})
    assert no_token.status_code == 401
    as_person = await service.as_person("person-1")
    assert (await service.client.get("/ops/areas", headers=as_person)).status_code == 403


async def test_agreed_splits_for_comparing_with_what_payments_holds(service) -> None:
    plan_id = await service.agreed("person-1")
    ops = await service.operations()
    answer = await service.client.get("/ops/agreed-splits?older_than_minutes=0", headers=ops)
    assert answer.status_code == 200, answer.text
    [row] = answer.json()["plans"]
    plan = (await service.client.get("/people/person-1/plan")).json()
    assert (row["person_id"], row["plan_id"], row["version"]) == ("person-1", plan_id, 3)
    assert row["managed_weekly_pence"] == plan["split"]["managed_weekly_pence"]
    assert answer.json()["more"] is False
    later = await service.client.get("/ops/agreed-splits?older_than_minutes=60", headers=ops)
    assert later.json()["plans"] == []  # agreed just now: not yet overdue
    refused = await service.client.get("/ops/agreed-splits", headers=ops)
    assert refused.status_code == 422  # the threshold is the caller's (the console's data)
