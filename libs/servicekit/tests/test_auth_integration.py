"""servicekit.auth against the real OpenID Connect provider of the test session: its tokens
are accepted; expired, foreign, unsigned, tampered and misdirected ones are refused."""

import asyncio
import base64
import json
import time
from typing import Annotated

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from devstack import oidc
from devstack.paths import repo_root
from devstack.procs import free_ports
from fastapi import Depends, FastAPI
from servicekit.auth import (
    ClientCredentials,
    InvalidToken,
    JwksCache,
    Principal,
    TokenRefused,
    TokenValidator,
    authenticated,
    ensure_may_act_for,
    install_auth,
    require,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def provider(infra):
    return infra.oidc


def credentials(provider, client: str = "assessment", http=None) -> ClientCredentials:
    return ClientCredentials(
        provider.issuer + "/token", client, provider.service_secrets[client], http=http
    )


def validator(provider, service: str = "payments", **options) -> TokenValidator:
    issuer = options.pop("issuer", provider.issuer)
    return TokenValidator(
        issuer, provider.resources[service], JwksCache(issuer=provider.issuer), **options
    )


def _segments(token: str) -> list[str]:
    return token.split(".")


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


async def test_a_client_credentials_token_is_accepted_for_its_audience(provider) -> None:
    token = await credentials(provider).token(provider.resources["payments"], "payments:read")
    principal = await validator(provider).principal(token)
    assert principal == Principal(
        subject="assessment",
        client_id="assessment",
        roles=frozenset(),
        scopes=frozenset({"payments:read"}),
    )


async def test_a_token_for_another_audience_is_refused(provider) -> None:
    token = await credentials(provider).token(provider.resources["payments"], "payments:read")
    with pytest.raises(InvalidToken, match="(?i)audience"):
        await validator(provider, "care-plans").claims(token)


async def test_a_token_from_another_issuer_is_refused(provider) -> None:
    token = await credentials(provider).token(provider.resources["payments"])
    with pytest.raises(InvalidToken, match="(?i)issuer"):
        await validator(provider, issuer="https://someone-else.example").claims(token)


async def test_a_foreign_signed_token_is_refused(provider) -> None:
    genuine = await credentials(provider).token(provider.resources["payments"])
    header, claims = (
        jwt.get_unverified_header(genuine),
        jwt.decode(genuine, options={"verify_signature": False}),
    )
    foreign_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(claims, foreign_key, algorithm="RS256", headers=header)
    with pytest.raises(InvalidToken, match="Signature verification failed"):
        await validator(provider).claims(forged)


async def test_an_unsigned_token_is_refused(provider) -> None:
    genuine = await credentials(provider).token(provider.resources["payments"])
    header = {**jwt.get_unverified_header(genuine), "alg": "none"}
    unsigned = ".".join([_b64(header), _segments(genuine)[1], ""])
    with pytest.raises(InvalidToken, match="'none' is not accepted"):
        await validator(provider).claims(unsigned)
    hs256 = jwt.encode(
        jwt.decode(genuine, options={"verify_signature": False}),
        "a-shared-secret-anyone-could-guess-0123456789",
        algorithm="HS256",
        headers={"typ": "at+jwt", "kid": header["kid"]},
    )
    with pytest.raises(InvalidToken, match="'HS256' is not accepted"):
        await validator(provider).claims(hs256)


async def test_a_tampered_token_is_refused(provider) -> None:
    genuine = await credentials(provider).token(provider.resources["payments"], "payments:read")
    head, body, signature = _segments(genuine)
    claims = jwt.decode(genuine, options={"verify_signature": False})
    widened = _b64({**claims, "scope": "payments:read payments:write payments:run"})
    with pytest.raises(InvalidToken, match="Signature verification failed"):
        await validator(provider).claims(".".join([head, widened, signature]))
    with pytest.raises(InvalidToken, match="malformed"):
        await validator(provider).claims("not.a.jwt")


async def test_a_jwt_that_is_not_an_access_token_is_refused(provider) -> None:
    genuine = await credentials(provider).token(provider.resources["payments"])
    head, body, signature = _segments(genuine)
    id_token_typed = _b64({**jwt.get_unverified_header(genuine), "typ": "JWT"})
    with pytest.raises(InvalidToken, match="token type"):
        await validator(provider).claims(".".join([id_token_typed, body, signature]))


async def test_an_expired_token_is_refused(tmp_path) -> None:
    short = await oidc.start_oidc(
        repo_root(), tmp_path / "oidc", free_ports(1)[0], service_token_seconds=1
    )
    try:
        token = await credentials(short).token(short.resources["payments"])
        unverified = jwt.decode(token, options={"verify_signature": False})
        assert unverified["exp"] - unverified["iat"] == 1  # its lifetime, whatever the load
        await asyncio.sleep(max(0.0, unverified["exp"] + 1.1 - time.time()))
        with pytest.raises(InvalidToken, match="expired"):
            await validator(short, leeway=0).claims(token)
    finally:
        oidc.stop_oidc(short)


async def test_wrong_client_credentials_or_scopes_get_no_token(provider) -> None:
    wrong = ClientCredentials(provider.issuer + "/token", "assessment", "not-the-secret")
    with pytest.raises(TokenRefused, match="invalid_client"):
        await wrong.token(provider.resources["payments"])
    with pytest.raises(TokenRefused, match="invalid_scope"):  # not one of its allowed scopes
        await credentials(provider).token(provider.resources["payments"], "payments:run")


async def test_tokens_are_cached_until_they_near_expiry_and_keys_fetched_once(provider) -> None:
    requests: list[str] = []

    async def count(request: httpx.Request) -> None:
        requests.append(request.url.path)

    async with httpx.AsyncClient(event_hooks={"request": [count]}) as http:
        getter = credentials(provider, http=http)
        first = await getter.token(provider.resources["payments"])
        assert await getter.token(provider.resources["payments"]) == first
        jwks = JwksCache(issuer=provider.issuer, http=http)
        checker = TokenValidator(provider.issuer, provider.resources["payments"], jwks)
        for _ in range(3):
            await checker.claims(first)
        unknown_kid = ".".join(
            [_b64({**jwt.get_unverified_header(first), "kid": "rotated"}), *_segments(first)[1:]]
        )
        for _ in range(3):
            with pytest.raises(InvalidToken, match="no signing key 'rotated'"):
                await checker.claims(unknown_kid)
    assert requests.count("/token") == 1
    assert requests.count("/jwks") == 1  # unknown kids refetch at most every 30 s


def _app(provider) -> FastAPI:
    app = FastAPI()
    install_auth(app, validator(provider))

    @app.get("/anyone")
    async def anyone(who: Annotated[Principal, Depends(authenticated)]) -> dict:
        return {"subject": who.subject}

    @app.post("/payments")
    async def write(who: Annotated[Principal, Depends(require("payments:write"))]) -> dict:
        return {"subject": who.subject}

    @app.get("/runs")
    async def runs(
        who: Annotated[Principal, Depends(require("payments:read", roles=["payments_officer"]))],
    ) -> dict:
        return {"subject": who.subject}

    @app.get("/people/{person_id}")
    async def person(person_id: str, who: Annotated[Principal, Depends(authenticated)]) -> dict:
        ensure_may_act_for(who, person_id, "payments_officer")
        return {"person_id": person_id}

    return app


async def test_endpoints_answer_401_without_a_valid_token_and_403_without_the_scope(
    provider,
) -> None:
    token = await credentials(provider).token(provider.resources["payments"], "payments:read")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(_app(provider)), base_url="http://svc"
    ) as http:
        missing = await http.get("/anyone")
        assert missing.status_code == 401
        assert missing.headers["www-authenticate"] == 'Bearer realm="carebenefit"'
        bad = await http.get("/anyone", headers={"Authorization": "Bearer not.a.jwt"})
        assert bad.status_code == 401 and 'error="invalid_token"' in bad.headers["www-authenticate"]
        basic = await http.get("/anyone", headers={"Authorization": "Basic dXNlcjpwYXNz"})
        assert basic.status_code == 401
        auth = {"Authorization": f"Bearer {token}"}
        assert (await http.get("/anyone", headers=auth)).json() == {"subject": "assessment"}
        lacking = await http.post("/payments", headers=auth)
        assert lacking.status_code == 403
        assert 'error="insufficient_scope"' in lacking.headers["www-authenticate"]
        assert 'scope="payments:write"' in lacking.headers["www-authenticate"]
        assert (await http.get("/runs", headers=auth)).status_code == 403  # no role
        assert (await http.get("/people/P1", headers=auth)).status_code == 403  # not P1's


def test_a_principal_acts_only_for_its_own_person() -> None:
    citizen = Principal.from_claims(
        {"sub": "urn:fdc:x", "scope": "payments:read", "person_id": "P1", "act": {"sub": "portal"}}
    )
    assert citizen.may_act_for("P1") and not citizen.may_act_for("P2")
    assert citizen.actor == "portal" and citizen.client_id is None
    staff = Principal.from_claims({"sub": "s", "roles": ["payments_officer"], "scope": ""})
    assert not staff.may_act_for("P1") and staff.has_role("payments_officer")
    assert Principal.from_claims({"sub": "s", "roles": "assessor"}).roles == {"assessor"}
