"""Driving the running platform over HTTP, as an assessor would: for end-to-end, fault and
browser tests (a development tool; nothing in the services imports it). Every call carries a
bearer token from the OpenID Connect provider (devstack.tokens)."""

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

FACTS = {
    "descriptors": {
        "1": "1d",
        "2": "2b",
        "3": "3b",
        "4": "4c",
        "5": "5b",
        "6": "6c",
        "7": "7a",
        "8": "8a",
        "9": "9a",
        "10": "10b",
        "11": "11b",
        "12": "12c",
    },
    "care_act": {
        "impairment_or_illness": True,
        "outcomes": {"a": "a", "b": "a", "d": "b"},
        "significant_wellbeing_impact": True,
    },
    "means": {
        "capital_pence": 500000,
        "weekly_income_pence": {"state_pension": 23000},
        "date_of_birth": "1952-03-27",
    },
}


def random_nino() -> str:
    """A well-formed National Insurance number (prefixes never issued are avoided)."""
    letters = "ABCEGHJKLMNPRSTWXYZ"
    prefix = "GB"
    while prefix in {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}:
        prefix = random.choice(letters) + random.choice(letters)  # noqa: S311 (made-up demo NINOs, not secrets)
    return prefix + f"{random.randrange(10**6):06d}" + random.choice("ABCD")  # noqa: S311 (made-up demo NINOs, not secrets)


async def submit_assessment(
    assessment_url: str,
    correlation_id: str,
    *,
    token: str,
    area_code: str = "E09000033",
    nino: str | None = None,
    date_of_birth: str = "1952-03-27",
    traceparent: str | None = None,
    claimed_on: str | None = None,
) -> dict[str, Any]:
    """A case, an assessment and its decision for `nino` (random unless given: a test that signs
    the person in uses the NINO of a provider test account, infra/oidc/test-accounts.json), by
    the assessor whose `token` it is; the decision's request continues `traceparent` if given
    (W3C trace context: a test knows the trace it follows); `claimed_on`: a date of claim
    before today (a claim made by telephone and recorded later), so periods are due already."""
    nino = nino or random_nino()
    headers = {"X-Correlation-ID": correlation_id, "Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=assessment_url, headers=headers, timeout=30) as http:
        case = await http.post(
            "/cases",
            json={
                "nino": nino,
                "full_name": "Test Person",
                "date_of_birth": date_of_birth,
                "area_code": area_code,
                **({"claimed_on": claimed_on} if claimed_on else {}),
            },
        )
        case.raise_for_status()
        case_id = case.json()["case_id"]
        recorded = await http.post(f"/cases/{case_id}/assessments", json={"facts": FACTS})
        recorded.raise_for_status()
        decision = await http.post(
            f"/cases/{case_id}/assessments/{recorded.json()['assessment_id']}/submit",
            headers={"traceparent": traceparent} if traceparent else None,
        )
        decision.raise_for_status()
    return {"nino": nino, "person_id": case.json()["person_id"], "decision": decision.json()}


async def get_json(base_url: str, path: str, token: str | None = None) -> Any | None:
    headers = {"Authorization": f"Bearer {token}"} if token else None
    async with httpx.AsyncClient(base_url=base_url, timeout=10, headers=headers) as http:
        response = await http.get(path)
    if response.status_code == 404:
        return None
    response.raise_for_status()
    return response.json() or None


async def inbox_of(
    notifications_url: str, person_id: str, token: str
) -> list[dict[str, Any]] | None:
    """The person's portal inbox messages (the notifications read model), None while empty."""
    inbox = await get_json(notifications_url, f"/people/{person_id}/messages", token)
    return (inbox or {}).get("messages") or None


async def eventually(check: Callable[[], Awaitable[Any]], timeout: float = 30.0) -> Any:
    deadline, value = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        value = await check()
        if value:
            return value
        await asyncio.sleep(0.2)
    raise AssertionError(f"not reached within {timeout}s; last value: {value!r}")
