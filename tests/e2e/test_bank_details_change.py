"""A change of bank details on the running platform (real provider, Kafka and PostgreSQL): the
person's own token may change only their own details, and each change is audited, kept, and
told to the person by notifications, without the new account in the message."""

import asyncpg
import httpx
import pytest
from devstack.drive import eventually
from devstack.tokens import CITIZEN, bearer

pytestmark = pytest.mark.e2e
NEW_ACCOUNT = "70512346"


async def test_a_change_is_audited_kept_and_told_to_the_person_but_only_by_them(platform) -> None:
    person = await platform.submit("e2e-bank-change", nino="TC100311A")
    pid = person["person_id"]
    await eventually(lambda: platform.get("payments", f"/people/{pid}/payments"))
    account = f"{platform.url('payments')}/people/{pid}/bank-account"
    own = bearer(await platform.tokens.person(CITIZEN, "payments", pid))
    someone_else = bearer(await platform.tokens.person(CITIZEN, "payments", "P-somebody-else"))
    body = {"payee_name": "Bank E2E", "sort_code": "404784", "account_number": NEW_ACCOUNT}
    async with httpx.AsyncClient(timeout=30) as http:
        first = await http.put(
            account,
            json={**body, "account_number": "11112222", "reason": "given on the phone"},
            headers=bearer(await platform.token("payments")),
        )
        assert first.status_code == 200, first.text
        refused = await http.put(account, json=body, headers=someone_else)
        assert refused.status_code == 403
        changed = await http.put(account, json=body, headers=own)
        assert changed.status_code == 200, changed.text
        assert changed.json()["payments_held_until"]  # another account: cooling-off

    async def alert() -> list[dict]:
        messages = await platform.inbox(pid) or []
        return [m for m in messages if m["template_id"] == "bank-details-changed"]

    [*_, told] = await eventually(lambda: _both(alert))
    assert "If you did not ask for this change, call us" in told["body"]
    assert NEW_ACCOUNT not in told["body"] and NEW_ACCOUNT[-4:] not in told["body"]

    history = await platform.get("payments", f"/people/{pid}/bank-account")
    assert [c["role"] for c in history["changes"]] == ["person", "payments_officer"]
    assert history["account"] == f"****{NEW_ACCOUNT[-4:]}"
    conn = await asyncpg.connect(platform.infra.database_url("payments"))
    try:
        audit = await conn.fetch(
            "SELECT actor_kind, outcome FROM audit WHERE person_id = $1"
            " AND resource = 'PUT /people/{person_id}/bank-account' ORDER BY seq",
            pid,
        )
    finally:
        await conn.close()
    assert [(a["actor_kind"], a["outcome"]) for a in audit] == [
        ("staff", "allowed"),
        ("person", "denied"),  # the other person's token
        ("person", "allowed"),
    ]


async def _both(alert) -> list[dict] | None:
    found = await alert()
    return found if len(found) == 2 else None
