"""The portal as an OpenID Connect relying party: authorization code with PKCE, state and nonce,
`private_key_jwt` client authentication (as GOV.UK One Login requires), ID token validation,
userinfo, RFC 8693 token exchange for service calls, client credentials and revocation.

Protocol pieces come from Authlib (authorization URL, PKCE challenge, client assertion) and
PyJWT through `servicekit.auth` (ID token signature and claims); HTTP is httpx.
"""

import asyncio
import hmac
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from authlib.common.security import generate_token
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7523 import private_key_jwt_sign
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc.jwk import RSAKey
from servicekit.auth import InvalidToken, JwksCache, ProviderUnavailable, TokenValidator, discover

TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"  # noqa: S105 (a grant type's URN, not a secret)
ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token"  # noqa: S105 (a token type's name, not a secret)


class SignInFailed(Exception):
    """The provider's answer cannot be trusted or used (state, code, ID token, userinfo)."""


@dataclass(frozen=True)
class AuthorizationRequest:
    url: str
    state: str
    nonce: str
    code_verifier: str


@dataclass(frozen=True)
class SignInResult:
    subject: str
    id_token: str
    access_token: str
    claims: dict[str, Any]  # the ID token's claims merged with userinfo's


class OidcClient:
    """One provider (One Login, or staff single sign-on) and the portal's client there."""

    def __init__(
        self, issuer: str, client_id: str, private_key_file: Path, http: httpx.AsyncClient
    ) -> None:
        self.issuer, self.client_id, self._http = issuer, client_id, http
        self._key = RSAKey.import_key(private_key_file.read_bytes())
        self._metadata: dict[str, Any] | None = None
        self._lock = asyncio.Lock()
        self._id_tokens: TokenValidator | None = None

    async def metadata(self) -> dict[str, Any]:
        async with self._lock:
            if self._metadata is None:
                self._metadata = await discover(self.issuer, self._http)
                jwks = JwksCache(self._metadata["jwks_uri"], http=self._http)
                self._id_tokens = TokenValidator(self.issuer, self.client_id, jwks, token_type=None)
        return self._metadata

    async def authorization_request(
        self, redirect_uri: str, scope: str, claims: str | None = None
    ) -> AuthorizationRequest:
        meta = await self.metadata()
        state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
        extra = {"claims": claims} if claims else {}
        url = prepare_grant_uri(
            meta["authorization_endpoint"],
            self.client_id,
            "code",
            redirect_uri=redirect_uri,
            scope=scope,
            state=state,
            nonce=nonce,
            code_challenge=create_s256_code_challenge(verifier),
            code_challenge_method="S256",
            **extra,
        )
        return AuthorizationRequest(url, state, nonce, verifier)

    async def finish(
        self, code: str, redirect_uri: str, code_verifier: str, nonce: str
    ) -> SignInResult:
        """Code for tokens, then the ID token checked (signature, iss, aud, exp, nonce) and
        userinfo read with the access token."""
        meta = await self.metadata()
        tokens = await self._token_request(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": code_verifier,
            }
        )
        if "id_token" not in tokens or "access_token" not in tokens:
            raise SignInFailed("the provider returned no ID token or access token")
        if self._id_tokens is None:
            raise SignInFailed("the provider's ID token keys are not loaded")
        try:
            id_claims = await self._id_tokens.claims(tokens["id_token"])
        except InvalidToken as error:
            raise SignInFailed(f"ID token refused: {error}") from error
        if not hmac.compare_digest(str(id_claims.get("nonce", "")), nonce):
            raise SignInFailed("ID token nonce does not match the sign-in request")
        userinfo = await self._get_json(meta["userinfo_endpoint"], tokens["access_token"])
        if userinfo.get("sub") != id_claims["sub"]:
            raise SignInFailed("userinfo is about someone else")
        return SignInResult(
            id_claims["sub"], tokens["id_token"], tokens["access_token"], {**id_claims, **userinfo}
        )

    async def exchange(
        self,
        subject_token: str,
        resource: str,
        person_id: str | None = None,
        *,
        authority_id: str | None = None,
    ) -> tuple[str, float]:
        """RFC 8693: a short-lived token for `resource` carrying the signed-in user, the person
        they act for and, when that is someone who authorised them, the authority."""
        form = {
            "grant_type": TOKEN_EXCHANGE,
            "subject_token": subject_token,
            "subject_token_type": ACCESS_TOKEN_TYPE,
            "resource": resource,
        }
        if person_id:
            form["person_id"] = person_id
        if authority_id:
            form["authority_id"] = authority_id
        body = await self._token_request(form)
        return body["access_token"], float(body.get("expires_in", 60))

    async def client_credentials(self, resource: str, scope: str = "") -> tuple[str, float]:
        form = {"grant_type": "client_credentials", "resource": resource}
        if scope:
            form["scope"] = scope
        body = await self._token_request(form)
        return body["access_token"], float(body.get("expires_in", 60))

    async def revoke(self, token: str) -> None:
        meta = await self.metadata()
        if "revocation_endpoint" in meta:
            await self._post(meta["revocation_endpoint"], {"token": token})

    async def end_session_url(self, id_token: str, post_logout_redirect_uri: str) -> str | None:
        meta = await self.metadata()
        if "end_session_endpoint" not in meta:
            return None
        request = httpx.Request(
            "GET",
            meta["end_session_endpoint"],
            params={
                "id_token_hint": id_token,
                "post_logout_redirect_uri": post_logout_redirect_uri,
                "client_id": self.client_id,
            },
        )
        return str(request.url)

    async def _token_request(self, form: dict[str, str]) -> dict[str, Any]:
        meta = await self.metadata()
        response = await self._post(meta["token_endpoint"], form)
        if response.status_code != 200:
            raise SignInFailed(f"token endpoint: {response.status_code} {response.text[:200]}")
        return response.json()

    async def _post(self, url: str, form: dict[str, str]) -> httpx.Response:
        assertion = private_key_jwt_sign(
            self._key,
            self.client_id,
            (await self.metadata())["token_endpoint"],
            claims={"exp": int(time.time()) + 60},
        )
        form = {
            **form,
            "client_id": self.client_id,
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": assertion,
        }
        try:
            return await self._http.post(url, data=form)
        except httpx.HTTPError as error:
            raise ProviderUnavailable(f"{url}: {error}") from error

    async def _get_json(self, url: str, access_token: str) -> dict[str, Any]:
        try:
            response = await self._http.get(
                url, headers={"Authorization": f"Bearer {access_token}"}
            )
        except httpx.HTTPError as error:
            raise ProviderUnavailable(f"{url}: {error}") from error
        if response.status_code != 200:
            raise SignInFailed(f"userinfo: {response.status_code}")
        return response.json()
