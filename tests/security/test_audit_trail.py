"""The audit trail on the running platform: an assessor's changes and a person's reads of their
record are on it (who, in what role, when, why, correlation and trace), a refused look is too;
the person sees who looked by role and day, never by name; operations search it; each service's
chain verifies with the command operators use."""

import asyncio
import sys

import asyncpg
import httpx
import pytest
from devstack.tokens import ASSESSOR, CITIZEN, OPERATIONS, bearer

pytestmark = pytest.mark.e2e
ASHA = "urn:carebenefit:staff:asha-patel"


async def trail(platform, database: str, person_id: str) -> list[dict]:
    conn = await asyncpg.connect(platform.infra.database_url(database))
    try:
        rows = await conn.fetch("SELECT * FROM audit WHERE person_id = $1 ORDER BY seq", person_id)
    finally:
        await conn.close()
    return [dict(r) for r in rows]


async def test_changes_reads_and_refusals_are_on_the_trail(platform, tokens) -> None:
    person = await platform.submit("audit-flow")  # as Asha Patel, an assessor
    pid, url = person["person_id"], platform.url("assessment")
    own = bearer(await tokens.person(CITIZEN, "assessment", pid))
    other = bearer(await tokens.person(CITIZEN, "assessment", "P-someone-else"))
    asha = bearer(await tokens.staff(ASSESSOR, "assessment"))
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        assert (await http.get(f"/people/{pid}/decision", headers=own)).status_code == 200
        assert (await http.get(f"/people/{pid}/decision", headers=other)).status_code == 403
        why = {**asha, "X-Access-Purpose": "phone call from the person, ref 88"}
        assert (await http.get(f"/people/{pid}/decision", headers=why)).status_code == 200

    rows = await trail(platform, "assessment", pid)
    changes = [r for r in rows if r["action"] == "write"]
    assert [r["resource"] for r in changes] == [
        "POST /cases",
        "POST /cases/{case_id}/assessments",
        "POST /cases/{case_id}/assessments/{assessment_id}/submit",
    ]
    assert {(r["actor"], r["role"], r["correlation_id"], r["outcome"]) for r in changes} == {
        (ASHA, "assessor", "audit-flow", "allowed")
    }
    assert all(len(r["trace_id"] or "") == 32 for r in rows)
    reads = [(r["actor_kind"], r["role"], r["outcome"], r["purpose"]) for r in rows[3:]]
    assert reads == [
        ("person", "person", "allowed", None),
        ("person", "person", "denied", None),
        ("staff", "assessor", "allowed", "phone call from the person, ref 88"),
    ]
    assert all(r["at"].tzinfo is not None for r in rows)


async def test_a_person_sees_who_looked_by_role_and_day_and_operations_search(
    platform, tokens
) -> None:
    person = await platform.submit("audit-log")
    pid, url = person["person_id"], platform.url("assessment")
    own = bearer(await tokens.person(CITIZEN, "assessment", pid))
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        await http.get(f"/people/{pid}/decision", headers=own)
        log = await http.get(f"/people/{pid}/access-log", headers=own)
        ops = bearer(await tokens.staff(OPERATIONS, "assessment"))
        found = await http.get("/ops/audit", params={"person_id": pid}, headers=ops)
        by_actor = await http.get("/ops/audit", params={"actor": ASHA, "limit": 5}, headers=ops)
    assert log.status_code == 200, log.text
    body = log.json()
    assert {(e["role"], e["action"]) for e in body["entries"]} == {("assessor", "write")}
    assert len(body["entries"]) == 3 and body["service"] == "assessment"
    assert ASHA not in log.text and "actor" not in log.text  # the role and the day, no names
    records = found.json()["records"]
    assert {r["actor"] for r in records} >= {ASHA} and all(r["person_id"] == pid for r in records)
    assert by_actor.status_code == 200 and {r["actor"] for r in by_actor.json()["records"]} == {
        ASHA
    }
    rows = await trail(platform, "assessment", pid)
    assert (rows[-1]["actor"], rows[-1]["role"], rows[-1]["resource"]) == (
        "urn:carebenefit:staff:sam-taylor",
        "operations",
        "GET /ops/audit",
    )  # searching by person is a look at their record too


@pytest.mark.parametrize("database", ["assessment", "payments", "care_plans", "notifications"])
async def test_each_services_chain_verifies_with_the_operators_command(platform, database):
    await platform.submit(f"audit-verify-{database}")
    command = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "servicekit.audit",
        "verify",
        "--database-url",
        platform.infra.database_url(database),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output = (await asyncio.wait_for(command.communicate(), 60))[0].decode()
    assert command.returncode == 0, output
    assert output.startswith("audit chain intact:")
