"""A staff member's own service token, got as the portal gets one (authorization code with
PKCE through the provider's login form, then RFC 8693 token exchange), so a test can read an
API as an assessor would: the assessor's queue, for example."""

import re
from urllib.parse import parse_qs, urlsplit

import httpx
from devstack.signin import DEMO_PASSWORD
from portal.identity import OidcClient

_FORM = re.compile(r'<form method="post" action="(/interaction/[\w-]+/login)"')


async def staff_token(platform, username: str, service: str) -> str:
    callback = platform.url("portal") + "/staff/sign-in/callback"
    portal = platform.portal_client
    async with httpx.AsyncClient(timeout=30) as http:
        client = OidcClient(
            platform.infra.oidc_issuer, portal.client_id, portal.private_key_file, http
        )
        auth = await client.authorization_request(callback, "openid email profile roles")
        login = await http.get(auth.url, follow_redirects=True)
        form = _FORM.search(login.text)
        assert form, "the provider did not ask to sign in"
        answer = await http.post(
            login.url.join(form.group(1)), data={"username": username, "password": DEMO_PASSWORD}
        )
        while not answer.headers["location"].startswith(callback):
            answer = await http.get(answer.url.join(answer.headers["location"]))
        code = parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]
        result = await client.finish(code, callback, auth.code_verifier, auth.nonce)
        token, _ = await client.exchange(
            result.access_token, platform.infra.oidc.resources[service]
        )
        return token
