"""A small demo data set, loaded through the services' real APIs (nothing written behind them),
by a demo assessor signed in at the OpenID Connect provider (devstack.tokens)."""

import asyncio
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx

from devstack.demo_overpayment import ok, overpay
from devstack.tokens import ASSESSOR, Tokens

OVERPAID_NINO = "JT456789D"


@dataclass(frozen=True)
class DemoPerson:
    nino: str
    full_name: str
    date_of_birth: str
    area_code: str
    facts: dict[str, Any]
    preferences: dict[str, Any] | None = None
    claimed_days_ago: int = 0
    """A claim made this many days before the demo is loaded (recorded as its date of claim)."""


def _descriptors(**codes: str) -> dict[str, str]:
    base = {str(n): f"{n}a" for n in range(1, 13)}
    return {**base, **{k.removeprefix("a"): v for k, v in codes.items()}}


DEMO_PEOPLE = (
    DemoPerson(
        "JT123456C",
        "Margaret Okafor",
        "1952-03-27",
        "E09000033",
        {
            "descriptors": _descriptors(
                a1="1d", a3="3b", a4="4c", a5="5b", a6="6c", a10="10b", a11="11b", a12="12c"
            ),
            "care_act": {
                "impairment_or_illness": True,
                "outcomes": {"a": "a", "b": "a", "d": "b"},
                "significant_wellbeing_impact": True,
            },
            "means": {
                "capital_pence": 800000,
                "weekly_income_pence": {"state_pension": 23000},
                "date_of_birth": "1952-03-27",
            },
        },
        {"channels": ["email"], "email": "margaret.okafor@example.com"},
    ),
    DemoPerson(
        "JT234567B",
        "Daniel Price",
        "1979-11-02",
        "E08000025",
        {
            "descriptors": _descriptors(
                a1="1e", a2="2d", a4="4e", a6="6d", a9="9c", a11="11d", a12="12e"
            ),
            "care_act": {
                "impairment_or_illness": True,
                "outcomes": {"a": "a", "c": "a"},
                "significant_wellbeing_impact": True,
            },
            "means": {
                "capital_pence": 100000,
                "weekly_income_pence": {},
                "date_of_birth": "1979-11-02",
            },
        },
        {
            "channels": ["sms", "letter"],
            "phone": "07700 900123",
            "address_lines": ["Daniel Price", "12 Example Street", "Birmingham"],
            "postcode": "B1 1AA",
            "accessible_format": "large_print",
        },
    ),
    DemoPerson(
        "JT345678A",
        "Priya Shah",
        "1990-06-15",
        "E06000023",
        {
            "descriptors": _descriptors(a9="9b"),
            "care_act": {
                "impairment_or_illness": True,
                "outcomes": {"g": "b"},
                "significant_wellbeing_impact": False,
            },
            "means": {"capital_pence": 0, "weekly_income_pence": {}, "date_of_birth": "1990-06-15"},
        },
    ),
    DemoPerson(
        OVERPAID_NINO,
        "Joyce Mensah",
        "1949-09-12",
        "E08000003",
        {
            "descriptors": _descriptors(a1="1d", a4="4c", a6="6c", a9="9b", a10="10b", a12="12c"),
            "care_act": {
                "impairment_or_illness": True,
                "outcomes": {"a": "a", "d": "b"},
                "significant_wellbeing_impact": True,
            },
            "means": {
                "capital_pence": 300000,
                "weekly_income_pence": {"state_pension": 23000},
                "date_of_birth": "1949-09-12",
            },
        },
        {"channels": ["email"], "email": "joyce.mensah@example.com"},
        claimed_days_ago=120,
    ),
)


async def load_demo(urls: dict[str, str], tokens: Tokens) -> list[dict[str, str]]:
    """Each demo person decided (with their contact preferences), then put in the state the
    walk-through shows (see `arrange`)."""
    loaded = await decide_people(urls["assessment"], urls["notifications"], tokens)
    people = {p["nino"]: p["person_id"] for p in loaded}
    await arrange(urls, people, tokens)
    joyce = next(p for p in DEMO_PEOPLE if p.nino == OVERPAID_NINO)
    await overpay(urls, people[OVERPAID_NINO], joyce.facts, tokens)
    return loaded


async def decide_people(
    assessment_url: str, notifications_url: str, tokens: Tokens
) -> list[dict[str, str]]:
    """Opens a case, sets contact preferences, records and submits an assessment for each demo
    person not yet decided, as the demo assessor Asha Patel."""
    loaded = []
    async with (
        await tokens.http_as(ASSESSOR, "assessment", assessment_url) as http,
        await tokens.http_as(ASSESSOR, "notifications", notifications_url) as notifications,
    ):
        for person in DEMO_PEOPLE:
            known = await http.post(
                "/people/verify", json={"nino": person.nino, "date_of_birth": person.date_of_birth}
            )
            if known.status_code == 200:
                decided = await http.get(f"/people/{known.json()['person_id']}/decision")
                if decided.status_code == 200:
                    loaded.append({"nino": person.nino, "person_id": known.json()["person_id"]})
                    continue
            case = ok(
                await http.post(
                    "/cases",
                    json={
                        "nino": person.nino,
                        "full_name": person.full_name,
                        "date_of_birth": person.date_of_birth,
                        "area_code": person.area_code,
                        **_claimed_on(person),
                    },
                )
            )
            if person.preferences:
                ok(
                    await notifications.put(
                        f"/people/{case['person_id']}/preferences", json=person.preferences
                    )
                )
            recorded = ok(
                await http.post(
                    f"/cases/{case['case_id']}/assessments",
                    json={
                        "facts": person.facts,
                        "evidence_notes": "Demo data: home visit and GP letter.",
                    },
                )
            )
            ok(
                await http.post(
                    f"/cases/{case['case_id']}/assessments/{recorded['assessment_id']}/submit"
                )
            )
            loaded.append({"nino": person.nino, "person_id": case["person_id"]})
    return loaded


def _claimed_on(person: DemoPerson) -> dict[str, str]:
    if not person.claimed_days_ago:
        return {}
    return {"claimed_on": (date.today() - timedelta(days=person.claimed_days_ago)).isoformat()}


async def arrange(urls: dict[str, str], people: dict[str, str], tokens: Tokens) -> None:
    """The states the README's walk-through shows, each made through the services' APIs by the
    demo assessor, and left alone when already made:
    Margaret Okafor's plan is proposed and costs more than her budget (the page explains what
    happens next); Daniel Price's plan is proposed within his budget, ready to agree; Priya
    Shah, found not eligible, has asked for a mandatory reconsideration. (Joyce Mensah's
    overpayment is devstack.demo_overpayment's.)"""
    async with (
        await tokens.http_as(ASSESSOR, "care-plans", urls["care-plans"]) as plans,
        await tokens.http_as(ASSESSOR, "assessment", urls["assessment"]) as assessment,
    ):
        for nino in ("JT123456C", "JT234567B"):
            plan = await _plan_of(plans, people[nino])
            if plan["status"] == "draft" and plan["version"] == 1:
                ok(await plans.post(f"/plans/{plan['plan_id']}/propose", json={"seen_version": 1}))
        priya = people["JT345678A"]
        decision = ok(await assessment.get(f"/people/{priya}/decision"))
        cases = ok(await assessment.get(f"/cases/{decision['case_id']}"))
        if not cases["reconsiderations"]:
            ok(
                await assessment.post(
                    f"/decisions/{decision['decision_id']}/reconsiderations",
                    json={
                        "requested_on": decision["body"]["decided_on"],
                        "reason": "My anxiety means I cannot go out alone; "
                        "the assessment missed it.",
                        "requested_by": "Priya Shah (by telephone)",
                    },
                )
            )


async def _plan_of(plans: httpx.AsyncClient, person_id: str) -> dict[str, Any]:
    """The person's plan, once care-plans has drafted it from the decision."""
    for _ in range(150):
        found = await plans.get(f"/people/{person_id}/plan")
        if found.status_code == 200:
            return found.json()
        await asyncio.sleep(0.2)
    raise RuntimeError(f"demo data: no care plan was drafted for {person_id}")
