"""Identity claims as GOV.UK One Login's identity proving supplies them in userinfo: the core
identity JWT (name and date of birth, signed by One Login's identity service with a key from its
DID document) and the social security record (the National Insurance number)."""

import asyncio
import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import jwt
from servicekit.auth import ProviderUnavailable

CORE_IDENTITY = "https://vocab.account.gov.uk/v1/coreIdentityJWT"
SOCIAL_SECURITY = "https://vocab.account.gov.uk/v1/socialSecurityRecord"
# What the portal asks One Login for (OIDC `claims` request parameter, userinfo member).
CLAIMS_REQUEST = json.dumps({"userinfo": {CORE_IDENTITY: None, SOCIAL_SECURITY: None}})
VECTORS_OF_TRUST = {"P2"}  # medium confidence, what matching against a benefit record needs
NINO = re.compile(r"^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$")


class IdentityUnproven(Exception):
    """The identity claims are missing, unsigned, for someone else, or not usable to match."""


@dataclass(frozen=True)
class ProvenIdentity:
    nino: str
    date_of_birth: date
    given_name: str
    family_name: str


class DidKeys:
    """The public keys in a DID document's `assertionMethod`, by verification method id."""

    def __init__(self, url: str, http: httpx.AsyncClient) -> None:
        self._url, self._http = url, http
        self._keys: dict[str, jwt.PyJWK] | None = None
        self._lock = asyncio.Lock()

    async def key(self, kid: str) -> jwt.PyJWK:
        async with self._lock:
            if self._keys is None or kid not in self._keys:
                self._keys = await self._fetch()
        if kid not in self._keys:
            raise IdentityUnproven(f"core identity signed with unknown key {kid!r}")
        return self._keys[kid]

    async def _fetch(self) -> dict[str, jwt.PyJWK]:
        try:
            response = await self._http.get(self._url)
            response.raise_for_status()
            document = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise ProviderUnavailable(f"DID document {self._url}: {error}") from error
        return {
            method["id"]: jwt.PyJWK(method["publicKeyJwk"], algorithm="ES256")
            for method in document.get("assertionMethod", [])
            if isinstance(method, dict) and "publicKeyJwk" in method
        }


async def proven_identity(
    userinfo: dict[str, Any], subject: str, client_id: str, issuer: str, keys: DidKeys
) -> ProvenIdentity:
    """Checks the core identity JWT (ES256, issuer, audience = this client, subject = the
    signed-in subject, expiry) and reads name, date of birth and NINO."""
    core, records = userinfo.get(CORE_IDENTITY), userinfo.get(SOCIAL_SECURITY)
    if not isinstance(core, str) or not isinstance(records, list) or not records:
        raise IdentityUnproven("no proven identity with a National Insurance number")
    try:
        kid = jwt.get_unverified_header(core).get("kid", "")
        claims = jwt.decode(
            core,
            await keys.key(kid),
            algorithms=["ES256"],
            audience=client_id,
            issuer=issuer,
            subject=subject,
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
        )
        if claims.get("vot") not in VECTORS_OF_TRUST:
            raise IdentityUnproven(f"identity confidence {claims.get('vot')!r} is too low")
        subject_claims = claims["vc"]["credentialSubject"]
        parts = {p["type"]: p["value"] for p in subject_claims["name"][0]["nameParts"]}
        born = date.fromisoformat(subject_claims["birthDate"][0]["value"])
    except (jwt.InvalidTokenError, KeyError, IndexError, TypeError, ValueError) as error:
        raise IdentityUnproven(f"core identity refused: {error}") from error
    nino = str(records[0].get("personalNumber", "")).replace(" ", "").upper()
    if not NINO.fullmatch(nino):
        raise IdentityUnproven("the social security record holds no valid NINO")
    return ProvenIdentity(nino, born, parts.get("GivenName", ""), parts.get("FamilyName", ""))
