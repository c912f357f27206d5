"""Steady traffic for fault tests and the soak: people assessed at a fixed rate over HTTP, as
assessors and the portal would do it, each with contact preferences (email, text, letter, both,
or the portal inbox only); one in four is not eligible.
`give_bank_accounts` then gives those awarded a bank account, for a payment run to pay them.

A step that fails before its request was sent (connection refused) or with 503 is tried again,
as a caller told "try again later" would; a step whose outcome is unknown (the connection broke
after the request went out, or a 500) ends that person's flow there ("abandoned"). What was
acknowledged is recorded, so a check can prove that nothing acknowledged was lost.
"""

import asyncio
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from devstack.demo import DEMO_PEOPLE

ELIGIBLE_FACTS, INELIGIBLE_FACTS = DEMO_PEOPLE[0].facts, DEMO_PEOPLE[2].facts
RETRY_FOR_S = 90.0  # how long a caller keeps trying a step the platform refuses for now
ADDRESS = {"address_lines": ["Flat 1", "2 Example Street", "Leeds"], "postcode": "LS1 1AA"}


def preferences(n: int) -> dict[str, Any]:
    """Person `n`'s contact preferences: one of five kinds in turn."""
    email, phone = {"email": f"person{n}@example.com"}, {"phone": "07700 900123"}
    kinds = (
        {"channels": ["email"], **email},
        {"channels": ["sms"], **phone},
        {"channels": ["letter"], **ADDRESS},
        {"channels": ["email", "sms"], **email, **phone},
        {"channels": []},
    )
    return kinds[n % len(kinds)]


def nino(n: int) -> str:
    return f"SX{n % 1_000_000:06d}{'ABCD'[(n // 1_000_000) % 4]}"


@dataclass
class Person:
    n: int
    person_id: str | None = None
    channels: tuple[str, ...] = ()
    decision_id: str | None = None  # set once the submission was acknowledged
    eligible: bool | None = None
    acknowledged_at: float | None = None
    outcome: str = "in progress"  # "decided", "abandoned at <step>"
    bank_account: bool = False


class Unknown(Exception):
    """The request may or may not have had its effect."""


@dataclass
class Traffic:
    urls: dict[str, str]
    """Each service's base URL: assessment, notifications (and payments for bank accounts)."""
    headers: Callable[[str], Awaitable[dict[str, str]]]
    """`await headers(service)`: each call's bearer token (`devstack.tokens.Tokens.headers_for`:
    an assessor's, a payments officer's for payments)."""
    first: int = 0
    people: list[Person] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)  # seconds, acknowledged submissions

    def channels_of(self) -> dict[str, tuple[str, ...]]:
        return {p.person_id: p.channels for p in self.people if p.person_id}

    def acknowledged(self) -> list[Person]:
        return [p for p in self.people if p.decision_id]

    async def run(
        self, rate: float, seconds: float, concurrency: int = 16, *, catch_up: bool = True
    ) -> None:
        """People at `rate` per second for `seconds`, then until every flow has ended. With
        `catch_up` every one of the `rate` x `seconds` people is offered, however late; without
        it the offering stops at `seconds` (so a rate above what the platform takes saturates it
        for that long)."""
        gate, flows = asyncio.Semaphore(concurrency), []
        started = time.monotonic()
        limits = httpx.Limits(max_connections=concurrency * 2)
        async with httpx.AsyncClient(timeout=30, limits=limits) as http:
            i = 0
            while (due := started + i / rate) < started + seconds:
                await asyncio.sleep(max(0.0, due - time.monotonic()))
                await gate.acquire()
                if not catch_up and time.monotonic() >= started + seconds:
                    gate.release()
                    break
                person = Person(self.first + len(self.people))
                self.people.append(person)
                flow = asyncio.create_task(self._flow(http, person))
                flow.add_done_callback(lambda _: gate.release())
                flows.append(flow)
                i += 1
            await asyncio.gather(*flows)

    async def _flow(self, http: httpx.AsyncClient, person: Person) -> None:
        self.counts["offered"] += 1
        facts = ELIGIBLE_FACTS if person.n % 4 != 3 else INELIGIBLE_FACTS
        step = "case"
        try:
            case = await self._call(
                http,
                "assessment",
                "POST",
                "/cases",
                {
                    "nino": nino(person.n),
                    "full_name": f"Fault Person {person.n}",
                    "date_of_birth": "1952-03-27",
                    "area_code": "E09000033",
                },
            )
            person.person_id, case_id = case["person_id"], case["case_id"]
            step = "preferences"
            prefs = preferences(person.n)
            await self._call(
                http,
                "notifications",
                "PUT",
                f"/people/{person.person_id}/preferences",
                prefs,
                idempotent=True,
            )
            person.channels = tuple(prefs["channels"])
            step = "assessment"
            recorded = await self._call(
                http,
                "assessment",
                "POST",
                f"/cases/{case_id}/assessments",
                {"facts": facts},
            )
            step = "submit"
            sent = time.monotonic()
            decision = await self._call(
                http,
                "assessment",
                "POST",
                f"/cases/{case_id}/assessments/{recorded['assessment_id']}/submit",
                {},
            )
        except Unknown:
            person.outcome = f"abandoned at {step}"
            self.counts[person.outcome] += 1
            return
        person.acknowledged_at = time.monotonic()
        self.latencies.append(person.acknowledged_at - sent)
        person.decision_id, person.eligible = decision["decision_id"], decision["eligible"]
        person.outcome = "decided"
        self.counts["decided"] += 1

    async def _call(
        self,
        http: httpx.AsyncClient,
        service: str,
        method: str,
        path: str,
        body: dict[str, Any],
        idempotent: bool = False,
        absent_ok: bool = False,
    ) -> dict[str, Any] | None:
        base = self.urls[service]
        deadline, delay = time.monotonic() + RETRY_FOR_S, 0.2
        while True:
            headers = await self.headers(service)
            try:
                response = await http.request(method, base + path, json=body, headers=headers)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout):
                response = None  # nothing was sent
            except httpx.HTTPError as exc:
                if not idempotent:
                    raise Unknown(type(exc).__name__) from exc
                response = None
            if response is not None and response.status_code < 300:
                return response.json()
            if response is not None and response.status_code == 404 and absent_ok:
                return None
            if response is not None and response.status_code not in (502, 503):
                self.counts[f"HTTP {response.status_code}"] += 1
                if response.status_code < 500:
                    raise AssertionError(f"{method} {path}: {response.status_code} {response.text}")
                if not idempotent:
                    raise Unknown(str(response.status_code))
            self.counts["retried"] += 1
            if time.monotonic() > deadline:
                raise Unknown("gave up")
            await asyncio.sleep(delay)
            delay = min(2.0, delay * 2)

    async def give_bank_accounts(self, most: int | None = None) -> int:
        """A bank account for (at most `most` of) those awarded who have none yet; how many
        were given (one whose award has not arrived yet is left for next time)."""
        todo = [p for p in self.people if p.eligible and not p.bank_account][:most]
        given = 0
        async with httpx.AsyncClient(timeout=30) as http:
            for person in todo:
                account = {
                    "payee_name": f"Fault Person {person.n}",
                    "sort_code": "200000",
                    "account_number": f"{person.n % 10**8:08d}",
                    "reason": "fault-matrix traffic: the person's first bank details",
                }
                path = f"/people/{person.person_id}/bank-account"
                if await self._call(
                    http, "payments", "PUT", path, account, idempotent=True, absent_ok=True
                ):
                    person.bank_account, given = True, given + 1
        return given
