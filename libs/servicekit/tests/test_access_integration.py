"""The kit's edge (servicekit.access) with real tokens from the session's provider and the audit
trail on real PostgreSQL: a token before anything else, every route declaring its policy, a
person reaching only their own record, and every look at a record on the trail first."""

from typing import Annotated

import httpx
import pytest
from devstack.tokens import ASSESSOR, CITIZEN, OPERATIONS, bearer
from fastapi import Depends, FastAPI
from pydantic import BaseModel
from servicekit import audit, db
from servicekit.access import AccessMiddleware, UndeclaredAccess, install_access
from servicekit.audit import AuditWriter
from servicekit.auth import JwksCache, Principal, TokenValidator, ensure_may_act_for, require
from servicekit.http import CorrelationMiddleware

from .support import NO_MIGRATIONS

pytestmark = pytest.mark.integration
Reader = Annotated[Principal, Depends(require("payments:read", roles=["assessor"], person=True))]
Writer = Annotated[Principal, Depends(require("payments:write", roles=["assessor"]))]


class Body(BaseModel):
    amount: int


def service(provider, pool, writer: AuditWriter | None = None) -> CorrelationMiddleware:
    """Wired as create_service_app wires a service's routes."""
    app = FastAPI()

    @app.get("/people/{person_id}/record")
    async def record(person_id: str, who: Reader) -> dict:
        return {"person_id": person_id, "for": who.subject}

    @app.get("/things/{thing_id}")
    async def thing(thing_id: str, who: Reader) -> dict:
        ensure_may_act_for(who, f"owner-of-{thing_id}", "assessor")
        return {"thing_id": thing_id}

    @app.post("/things")
    async def make(body: Body, who: Writer) -> dict:
        return {"amount": body.amount}

    validator = TokenValidator(
        provider.issuer, provider.resources["payments"], JwksCache(issuer=provider.issuer)
    )
    install_access(app, validator, writer or AuditWriter(lambda: pool))
    app.add_middleware(AccessMiddleware, service=app)
    return CorrelationMiddleware(app)


@pytest.fixture
async def pool(fresh_database):
    pool = await db.create_pool(fresh_database)
    await db.migrate(pool, NO_MIGRATIONS)
    yield pool
    await pool.close()


@pytest.fixture
async def http(infra, pool):
    app = service(infra.oidc, pool)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://s") as c:
        yield c


async def trail(pool) -> list[tuple]:
    async with pool.acquire() as conn:
        rows = await audit.search(conn, limit=100)
    return [(r["person_id"], r["action"], r["outcome"], r["role"]) for r in reversed(rows)]


async def test_no_token_is_401_before_the_body_is_read_or_the_route_known(http, pool) -> None:
    for method, path, body in (
        ("POST", "/things", b"{not json"),
        ("GET", "/people/P1/record", None),
        ("GET", "/no/such/route", None),
    ):
        response = await http.request(
            method, path, content=body, headers={"content-type": "application/json"}
        )
        assert response.status_code == 401, (path, response.text)
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert await trail(pool) == []


async def test_a_token_for_another_audience_is_401(http, tokens) -> None:
    other = await tokens.staff(ASSESSOR, "assessment")
    refused = await http.get("/people/P1/record", headers=bearer(other))
    assert refused.status_code == 401 and "Audience" in refused.json()["errors"][0]["message"]


async def test_a_person_reads_their_own_record_and_nobody_elses(http, pool, tokens) -> None:
    own = bearer(await tokens.person(CITIZEN, "payments", "P1"))
    assert (await http.get("/people/P1/record", headers=own)).status_code == 200
    assert (await http.get("/people/P2/record", headers=own)).status_code == 403
    assert (await http.get("/things/T9", headers=own)).status_code == 403  # owner-of-T9
    assert (await http.post("/things", json={"amount": 1}, headers=own)).status_code == 403
    assert await trail(pool) == [
        ("P1", "read", "allowed", "person"),
        ("P2", "read", "denied", "person"),
        ("owner-of-T9", "read", "denied", "person"),
    ]


async def test_staff_reads_are_recorded_with_role_purpose_and_correlation(http, pool, tokens):
    staff = bearer(await tokens.staff(ASSESSOR, "payments"))
    headers = {**staff, "X-Access-Purpose": "complaint 1234", "X-Correlation-ID": "corr-7"}
    assert (await http.get("/things/T1", headers=headers)).status_code == 200
    assert (await http.get("/no/such/route", headers=staff)).status_code == 404
    operations = bearer(await tokens.staff(OPERATIONS, "payments"))
    assert (await http.get("/people/P1/record", headers=operations)).status_code == 403
    async with pool.acquire() as conn:
        rows = await audit.search(conn)
    read, refused = rows[1], rows[0]
    assert (read["person_id"], read["role"], read["purpose"], read["correlation_id"]) == (
        "owner-of-T1",
        "assessor",
        "complaint 1234",
        "corr-7",
    )
    assert read["actor"] == "urn:carebenefit:staff:asha-patel" and read["trace_id"] is None
    assert (refused["person_id"], refused["outcome"], refused["role"]) == (
        "P1",
        "denied",
        "operations",
    )


async def test_without_the_trail_the_data_is_not_answered(infra, pool, tokens) -> None:
    class Broken(AuditWriter):
        async def record(self, entries) -> None:
            raise ConnectionError("database gone")

    app = service(infra.oidc, pool, Broken(lambda: pool))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://s") as c:
        own = bearer(await tokens.person(CITIZEN, "payments", "P1"))
        response = await c.get("/people/P1/record", headers=own)
    assert response.status_code == 503 and "P1" not in response.text


def test_an_app_with_a_route_that_declares_no_policy_is_refused(infra) -> None:
    app = FastAPI()

    @app.get("/forgotten")
    async def forgotten() -> dict:
        return {}

    validator = TokenValidator(infra.oidc.issuer, "x", JwksCache(issuer=infra.oidc.issuer))
    with pytest.raises(UndeclaredAccess, match="GET /forgotten declares no access policy"):
        install_access(app, validator, AuditWriter(lambda: None))
