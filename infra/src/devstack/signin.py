"""Signing in through the development OpenID Connect provider with httpx, as a browser would:
the portal redirects to the provider, the provider's form takes the demo account's email
address and password, and the redirects lead back to the portal."""

import re

import httpx

DEMO_PASSWORD = "care-benefit-demo"  # every account in infra/oidc/*accounts.json  # noqa: S105 (the demo accounts' published password)
LOGIN_FORM = re.compile(r'<form method="post" action="(/interaction/[\w-]+/login)"')


async def sign_in(
    http: httpx.AsyncClient, start_url: str, username: str, password: str = DEMO_PASSWORD
) -> httpx.Response:
    """GET `start_url` (e.g. the portal's /sign-in), fill the provider's login form when it asks
    (it does not while its own session lasts), and return the page the redirects end on."""
    page = await http.get(start_url, follow_redirects=True)
    form = LOGIN_FORM.search(page.text)
    if form is None:
        return page
    return await http.post(
        page.url.join(form.group(1)),
        data={"username": username, "password": password},
        follow_redirects=True,
    )
