"""An assessor changes a plan's items and records another way a need is met, over HTTP on real
PostgreSQL with real tokens: new draft versions announced through the outbox, on the audit
trail, refused (nothing written) for bad input, an older version or the person's own token."""

import pytest

pytestmark = pytest.mark.integration
PLAN = "person-1:D-1"  # Birmingham: meals 7 days (a), home care 7 hours (b)
HOME_CARE, MEALS = "HOME_CARE_HOUR", "MEALS_DAY"


async def _catalogue(service) -> dict[str, dict]:
    found = await service.client.get(f"/plans/{PLAN}/services")
    assert found.status_code == 200, found.text
    return {s["service_code"]: s for s in found.json()["services"]}


async def test_an_assessor_changes_an_item_and_records_another_way_a_need_is_met(service) -> None:
    await service.agreed()  # versions 1-3, 3 agreed and in force
    services = await _catalogue(service)
    assert "SUPPORTED_ACCESS_HOUR" not in services  # helps with none of this person's needs
    dearest = services[HOME_CARE]["providers"][-1]

    changed = await service.client.put(
        f"/plans/{PLAN}/items/{HOME_CARE}",
        json={"seen_version": 3, "units_per_week": 10, "provider_id": dearest["provider_id"]},
    )
    assert changed.status_code == 200, changed.text
    plan = changed.json()
    [care] = [i for i in plan["items"] if i["service_code"] == HOME_CARE]
    assert (plan["version"], plan["status"], plan["in_force_version"]) == (4, "draft", 3)
    assert care["weekly_cost_pence"] == 10 * dearest["unit_rate_pence"]

    met = await service.client.put(
        f"/plans/{PLAN}/other-support/a",
        json={"seen_version": 4, "kind": "unpaid_carer", "description": "Her daughter cooks"},
    )
    assert met.status_code == 200, met.text
    plan = met.json()
    assert [i["service_code"] for i in plan["items"]] == [HOME_CARE]
    assert plan["other_support"] == [
        {"outcome": "a", "kind": "unpaid_carer", "description": "Her daughter cooks"}
    ]
    assert plan["weekly_cost_pence"] == care["weekly_cost_pence"]

    drafted = [r["payload"]["data"] for r in await service.outbox("plan_drafted")]
    assert [d["version"] for d in drafted] == [1, 4, 5]
    assert drafted[-1]["in_force_version"] == 3
    assert drafted[-1]["other_support"][0]["kind"] == "unpaid_carer"
    writes = await service.pool.fetch(
        "SELECT actor, actor_kind, person_id FROM audit WHERE action = 'write'"
        " AND resource LIKE '%/other-support/%'"
    )
    assert [(w["actor_kind"], w["person_id"]) for w in writes] == [("staff", "person-1")]
    assert writes[0]["actor"].startswith("urn:carebenefit:staff:")


async def test_an_assessor_removes_other_support_once_a_service_meets_the_need(service) -> None:
    await service.decide()  # version 1: meals (a), home care (b)
    body = {"seen_version": 1, "kind": "unpaid_carer", "description": "Her daughter cooks"}
    met = await service.client.put(f"/plans/{PLAN}/other-support/a", json=body)
    assert met.status_code == 200, met.text
    refused = await service.client.request(
        "DELETE", f"/plans/{PLAN}/other-support/a", json={"seen_version": 2}
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["field"] == "service_code"
    assert await service.version_count(PLAN) == 2

    meals = (await _catalogue(service))[MEALS]["providers"][0]
    added = await service.client.put(
        f"/plans/{PLAN}/items/{MEALS}",
        json={"seen_version": 2, "units_per_week": 7, "provider_id": meals["provider_id"]},
    )
    assert added.status_code == 200, added.text
    removed = await service.client.request(
        "DELETE", f"/plans/{PLAN}/other-support/a", json={"seen_version": 3}
    )
    assert removed.status_code == 200, removed.text
    assert removed.json()["other_support"] == [] and removed.json()["version"] == 4
    drafted = [r["payload"]["data"] for r in await service.outbox("plan_drafted")]
    assert [d["version"] for d in drafted] == [1, 2, 3, 4]
    assert drafted[-1]["other_support"] == []
    gone = await service.client.request(
        "DELETE", f"/plans/{PLAN}/other-support/b", json={"seen_version": 4}
    )
    assert gone.status_code == 422 and gone.json()["errors"][0]["field"] == "outcome"


async def test_removing_an_item_that_alone_meets_a_need_is_refused(service) -> None:
    await service.decide()
    refused = await service.client.request(
        "DELETE", f"/plans/{PLAN}/items/{MEALS}", json={"seen_version": 1}
    )
    assert refused.status_code == 422, refused.text
    [error] = refused.json()["errors"]
    assert error["field"] == "service_code" and "nutrition" in error["message"]
    assert await service.version_count(PLAN) == 1
    assert len(await service.outbox()) == 1  # the first draft only


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (f"/items/{HOME_CARE}", {"units_per_week": 0, "provider_id": "PRV-0001"}, "units_per_week"),
        (f"/items/{HOME_CARE}", {"units_per_week": "7"}, "units_per_week"),
        (f"/items/{HOME_CARE}", {"units_per_week": 7, "provider_id": "PRV-0004"}, "provider_id"),
        ("/items/NOPE", {"units_per_week": 7, "provider_id": "PRV-0001"}, "service_code"),
        ("/other-support/a", {"kind": "neighbour", "description": "x"}, "kind"),
        ("/other-support/a", {"kind": "equipment", "description": ""}, "description"),
        ("/other-support/h", {"kind": "equipment", "description": "A hoist"}, "outcome"),
    ],
)
async def test_bad_input_is_a_422_naming_the_field_and_nothing_is_written(
    service, path: str, body: dict, field: str
) -> None:
    await service.decide()
    answer = await service.client.put(f"/plans/{PLAN}{path}", json={"seen_version": 1, **body})
    assert answer.status_code == 422, answer.text
    assert field in [e["field"] for e in answer.json()["errors"]]
    assert await service.version_count(PLAN) == 1


async def test_a_change_on_an_older_version_or_by_the_person_is_refused(service) -> None:
    await service.decide()
    await service.client.post(f"/plans/{PLAN}/propose", json={"seen_version": 1})
    body = {"seen_version": 1, "kind": "equipment", "description": "A perching stool"}
    stale = await service.client.put(f"/plans/{PLAN}/other-support/b", json=body)
    assert stale.status_code == 409
    assert stale.json()["errors"][0]["field"] == "seen_version"
    body["seen_version"] = 2
    own = await service.client.put(
        f"/plans/{PLAN}/other-support/b", json=body, headers=await service.as_person("person-1")
    )
    assert own.status_code == 403
    assert await service.version_count(PLAN) == 2
