"""Nothing personal in what the running platform writes: after a flow that carries a NINO, an
email address, a phone number and bank details through every service (and a unique violation
forced on the NINO's key in the assessment service), the spans every service exported and the
log of every process hold none of them."""

import asyncio
import json
import re

import asyncpg
import httpx
import pytest
from assessment.adapters.sealed import NINO as NINO_COLUMN
from devstack.drive import FACTS, eventually, random_nino

pytestmark = pytest.mark.e2e
EMAIL, PHONE, ACCOUNT, SORT_CODE = "ada.e2e@example.org", "07700 900461", "31926819", "404784"
# Independent of servicekit.redaction's rules, looser where they can be.
PATTERNS = {
    "NINO": re.compile(r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b"),
    "email": re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"),
    "phone": re.compile(r"\b07\d{3}\s?\d{6}\b|\+447\d{9}"),
}


async def open_case(http: httpx.AsyncClient, nino: str) -> dict:
    case = await http.post(
        "/cases",
        json={
            "nino": nino,
            "full_name": "Ada E2E",
            "date_of_birth": "1952-03-27",
            "area_code": "E09000033",
        },
    )
    assert case.status_code == 201, case.text
    return case.json()


async def decide(http: httpx.AsyncClient, case_id: str) -> None:
    recorded = await http.post(f"/cases/{case_id}/assessments", json={"facts": FACTS})
    submitted = await http.post(
        f"/cases/{case_id}/assessments/{recorded.json()['assessment_id']}/submit"
    )
    assert submitted.status_code == 201, submitted.text


async def a_flow_with_personal_data(platform, nino: str) -> str:
    """As staff with real tokens: an assessor opens, decides and verifies; a payments officer
    records the bank details."""
    async with httpx.AsyncClient(
        base_url=platform.url("assessment"),
        timeout=30,
        headers=await _bearer(platform, "assessment"),
    ) as assessment:
        case = await open_case(assessment, nino)
        person_id = case["person_id"]
        async with httpx.AsyncClient(timeout=30) as http:
            preferences = await http.put(
                f"{platform.url('notifications')}/people/{person_id}/preferences",
                json={"channels": ["email", "sms"], "email": EMAIL, "phone": PHONE},
                headers=await _bearer(platform, "notifications"),
            )
            assert preferences.status_code == 200, preferences.text
            await decide(assessment, case["case_id"])
            await eventually(lambda: platform.get("payments", f"/people/{person_id}/payments"))
            account = await http.put(
                f"{platform.url('payments')}/people/{person_id}/bank-account",
                json={
                    "payee_name": "Ada E2E",
                    "sort_code": SORT_CODE,
                    "account_number": ACCOUNT,
                    "reason": "the person gave them on the phone",
                },
                headers=await _bearer(platform, "payments"),
            )
            assert account.status_code == 200, account.text
        verified = await assessment.post(
            "/people/verify", json={"nino": nino, "date_of_birth": "1952-03-27"}
        )
        assert verified.status_code == 200, verified.text
    await eventually(lambda: platform.inbox(person_id))
    return person_id


async def _bearer(platform, service: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {await platform.token(service)}"}


async def a_unique_violation_on_the_nino(platform, nino: str) -> None:
    """A second case for a new NINO while another transaction holds an uncommitted person with
    it: the service's lookup misses it, its insert waits on the unique index and fails once
    the other commits (a 500, logged with the database's error text)."""
    sealer = platform.infra.sealer("assessment")
    blocker = await asyncpg.connect(platform.infra.database_url("assessment"))
    try:
        transaction = blocker.transaction()
        await transaction.start()
        await blocker.execute(
            "INSERT INTO people (person_id, nino, full_name, date_of_birth, area_code, nino_hash)"
            " VALUES ('Pblocker', $1, 'Blocker', '1952-03-27', 'E09000033', $2)",
            sealer.seal(NINO_COLUMN, "Pblocker", nino),
            sealer.digest(NINO_COLUMN, nino),
        )
        async with httpx.AsyncClient(
            base_url=platform.url("assessment"),
            timeout=30,
            headers=await _bearer(platform, "assessment"),
        ) as http:
            second = asyncio.create_task(
                http.post(
                    "/cases",
                    json={
                        "nino": nino,
                        "full_name": "Ada E2E",
                        "date_of_birth": "1952-03-27",
                        "area_code": "E09000033",
                    },
                )
            )
            await eventually(lambda: waiting_on_a_lock(blocker), timeout=15)
            await transaction.commit()
            response = await second
        assert response.status_code == 500
    finally:
        await blocker.close()


async def waiting_on_a_lock(conn: asyncpg.Connection) -> bool:
    return bool(
        await conn.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = 'assessment'"
            " AND wait_event_type = 'Lock'"
        )
    )


async def test_no_nino_email_phone_or_bank_details_in_spans_or_logs(platform) -> None:
    nino, violated = random_nino(), random_nino()
    person_id = await a_flow_with_personal_data(platform, nino)
    await a_unique_violation_on_the_nino(platform, violated)
    assessment_log = platform.running["assessment"].log_file
    await eventually(lambda: _contains(assessment_log, "UniqueViolationError"), timeout=15)
    await eventually(lambda: _spans_of(platform, person_id), timeout=15)
    await eventually(lambda: _contains(platform.collector.spans_file, person_id), timeout=15)

    digest = platform.infra.sealer("assessment").digest(NINO_COLUMN, violated)
    values = [nino, violated, digest, EMAIL, PHONE, PHONE.replace(" ", ""), ACCOUNT, "Ada E2E"]
    stored = [p.read_text() for p in platform.traces_dir.glob("*.jsonl")]
    spans = "\n".join([*stored, platform.collector.spans_file.read_text()])  # and as exported
    logs = "\n".join(p.read_text() for p in platform.log_dir.glob("*.log"))
    for where, text in (("spans", spans), ("logs", logs)):
        assert not [v for v in values if v in text], where
        for kind, pattern in PATTERNS.items():
            assert not pattern.findall(text), (where, kind)
    assert "Key (nino_hash)=([redacted]) already exists" in logs


async def _contains(path, text: str) -> bool:
    return path.exists() and text in path.read_text()


async def _spans_of(platform, person_id: str) -> bool:
    """Spans of every service that carry this person's id (their exports have run)."""
    found = set()
    for path in platform.traces_dir.glob("*.jsonl"):
        for line in path.read_text().splitlines():
            span = json.loads(line)
            if person_id in json.dumps(span["attributes"]):
                found.add(span["service"])
    return {"assessment", "payments", "notifications"} <= found
