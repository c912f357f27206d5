"""`python -m servicekit.call POST <url>`: one call to a service with a client-credentials token
of the caller's own client, for jobs (a CronJob asking care-plans to sweep its reviews).

Reads AUTH_ISSUER, AUTH_CLIENT_ID, AUTH_CLIENT_SECRET and AUTH_AUDIENCE (the called service's
resource indicator) from the environment; prints the answer; exits 1 unless it is 2xx.
"""

import argparse
import asyncio
import os
import sys

import httpx

from servicekit.auth import ClientCredentials, discover

NEEDED = ("AUTH_ISSUER", "AUTH_CLIENT_ID", "AUTH_CLIENT_SECRET", "AUTH_AUDIENCE")


async def call(
    method: str, url: str, scope: str, timeout: float, env: dict[str, str]
) -> httpx.Response:
    missing = [name for name in NEEDED if not env.get(name)]
    if missing:
        raise SystemExit(f"servicekit.call: set {', '.join(missing)}")
    async with httpx.AsyncClient(timeout=timeout) as http:
        token_url = (await discover(env["AUTH_ISSUER"], http))["token_endpoint"]
        tokens = ClientCredentials(
            token_url, env["AUTH_CLIENT_ID"], env["AUTH_CLIENT_SECRET"], http=http
        )
        token = await tokens.token(env["AUTH_AUDIENCE"], scope)
        return await http.request(method, url, headers={"Authorization": f"Bearer {token}"})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m servicekit.call", description=__doc__)
    parser.add_argument("method", choices=["GET", "POST", "PUT"])
    parser.add_argument("url")
    parser.add_argument("--scope", default="", help="e.g. care-plans:write")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds")
    args = parser.parse_args(argv)
    response = asyncio.run(call(args.method, args.url, args.scope, args.timeout, dict(os.environ)))
    print(response.status_code, response.text)
    return 0 if response.is_success else 1


if __name__ == "__main__":
    sys.exit(main())
