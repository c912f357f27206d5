"""PUT/GET /people/{id}/preferences: checked, normalised, every problem named at once."""

import pytest

pytestmark = pytest.mark.integration
FULL = {
    "channels": ["email", "sms", "letter"],
    "email": "  Amina@Example.COM",
    "phone": "07700 900 123",
    "address_lines": ["Flat 2", " 10  High Street "],
    "postcode": "ls14ap",
    "accessible_format": "large_print",
}


async def test_preferences_are_stored_normalised_and_shown_with_the_inbox(service, make) -> None:
    url = f"/people/{make.person_id}/preferences"
    put = await service.client.put(url, json=FULL)
    assert put.status_code == 200, put.text
    shown = (await service.client.get(url)).json()
    assert (
        shown
        == put.json()
        == {
            "person_id": make.person_id,
            "channels": ["inbox", "email", "sms", "letter"],
            "email": "Amina@example.com",
            "phone": "+447700900123",
            "address_lines": ["Flat 2", "10 High Street"],
            "postcode": "LS1 4AP",
            "accessible_format": "large_print",
        }
    )


async def test_someone_who_never_chose_gets_the_inbox_only(service, make) -> None:
    shown = (await service.client.get(f"/people/{make.person_id}/preferences")).json()
    assert shown["channels"] == ["inbox"] and shown["email"] is None


async def test_a_put_replaces_the_choice_and_is_honoured_next_time(service, make) -> None:
    await service.prefer(make.person_id, **FULL)
    await service.prefer(make.person_id, channels=["email"], email="amina@example.com")
    await service.hear(make.payment_issued())
    assert sorted(await service.rows(make.person_id)) == ["email", "inbox"]


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"email": "amina@@example"}, ["email"]),
        ({"phone": "0113 496 0000"}, ["phone"]),  # a landline cannot take texts
        ({"postcode": "NOT A CODE"}, ["postcode"]),
        ({"email": "nope", "phone": "12"}, ["email", "phone"]),
        ({"address_lines": ["Just one line"]}, ["address_lines"]),
        ({"channels": ["email"], "email": None}, ["email"]),
        (
            {"channels": ["letter"], "address_lines": [], "postcode": None},
            ["address_lines", "postcode"],
        ),
        ({"channels": ["pigeon"]}, ["channels.0"]),
        ({"accessible_format": "tiny"}, ["accessible_format"]),
        ({"nickname": "Mina"}, ["nickname"]),
    ],
)
async def test_bad_preferences_are_a_422_naming_each_field(service, make, change, fields) -> None:
    url = f"/people/{make.person_id}/preferences"
    response = await service.client.put(url, json={**FULL, **change})
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == fields
    assert (await service.client.get(url)).json()["channels"] == ["inbox"]  # nothing stored


async def test_a_malformed_person_id_is_refused(service) -> None:
    response = await service.client.put("/people/bad%20id/preferences", json=FULL)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "path.person_id"
