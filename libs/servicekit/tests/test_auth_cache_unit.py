"""TokenValidator keeps tokens it has verified, so a busy service checks each signature once:
a kept token is still refused once it expires, once its key has been rotated out of the JWKS,
and a token that differs by one byte is verified afresh. Keys and JWKS are made here and
served over an in-process HTTP transport (the real provider is in test_auth_integration.py)."""

import json
import time

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from servicekit import auth
from servicekit.auth import InvalidToken, JwksCache, TokenValidator

ISSUER, AUDIENCE = "https://id.example", "urn:carebenefit:payments"


class Provider:
    def __init__(self) -> None:
        self.keys: dict[str, rsa.RSAPrivateKey] = {}
        self.fetches = 0
        self.rotate("k1")

    def rotate(self, kid: str) -> None:
        self.keys = {kid: rsa.generate_private_key(public_exponent=65537, key_size=2048)}

    def jwks(self, request: httpx.Request) -> httpx.Response:
        self.fetches += 1
        keys = []
        for kid, key in self.keys.items():
            jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
            keys.append({**jwk, "kid": kid, "alg": "RS256", "use": "sig"})
        return httpx.Response(200, json={"keys": keys})

    def token(self, lifetime: float = 60) -> str:
        kid, key = next(iter(self.keys.items()))
        now = int(time.time())
        claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": "payments", "iat": now}
        claims["exp"] = now + lifetime
        headers = {"kid": kid, "typ": "at+jwt"}
        return jwt.encode(claims, key, algorithm="RS256", headers=headers)


@pytest.fixture
def provider() -> Provider:
    return Provider()


def checker(provider: Provider) -> TokenValidator:
    http = httpx.AsyncClient(transport=httpx.MockTransport(provider.jwks))
    jwks = JwksCache("https://id.example/jwks", http=http, min_refresh=0)
    return TokenValidator(ISSUER, AUDIENCE, jwks, leeway=0)


async def test_a_kept_token_is_refused_once_it_expires(provider, monkeypatch) -> None:
    validator, token = checker(provider), provider.token(lifetime=5)
    assert (await validator.claims(token))["sub"] == "payments"
    assert (await validator.claims(token))["sub"] == "payments"
    later = time.time() + 6
    monkeypatch.setattr(auth.time, "time", lambda: later)
    with pytest.raises(InvalidToken, match="expired"):
        await validator.claims(token)


async def test_a_kept_token_is_refused_once_its_key_is_rotated_out(provider) -> None:
    validator, old = checker(provider), provider.token()
    await validator.claims(old)
    provider.rotate("k2")
    await validator.claims(provider.token())  # an unknown kid: the JWKS is fetched again
    assert provider.fetches == 2
    with pytest.raises(InvalidToken, match="no signing key 'k1'"):
        await validator.claims(old)


async def test_a_changed_token_is_verified_afresh(provider) -> None:
    validator, token = checker(provider), provider.token()
    await validator.claims(token)
    head, body, signature = token.split(".")
    tampered = ".".join([head, body, ("A" if signature[0] != "A" else "B") + signature[1:]])
    with pytest.raises(InvalidToken):
        await validator.claims(tampered)
