"""A local stand-in for GOV.UK Notify: same /v2/notifications shapes, JWT check, failures on demand.

For development and tests only. Every accepted send is kept in `sent`, so a test can assert
exactly one per reference. Failures: `fail_next(500)`, `fail_next(429, times=3)`,
`hang_next(seconds)` (keeps the message but answers late, so the client times out), and
`accept_then_fail()` (keeps the message but answers 500: why we look the reference up first).
Callbacks: set `callback_url` and `callback_token` to have each accepted message reported
`callback_status` shortly afterwards, as Notify does.
Run: python -m notifications.stubs.notify [port]
"""

import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

REQUIRED = {"sms": ("phone_number",), "email": ("email_address",), "letter": ()}
LETTER_LINES = ("address_line_1", "address_line_2", "address_line_3")


class NotifyStub:
    def __init__(self, api_key: str, callback_url: str | None = None,
                 callback_token: str | None = None, callback_status: str = "delivered") -> None:
        self.service_id, self.secret = api_key[-73:-37], api_key[-36:]
        self.callback_url, self.callback_token = callback_url, callback_token
        self.callback_status = callback_status
        self.sent: list[dict[str, Any]] = []
        self.requests = 0
        self._plan: list[tuple[str, Any]] = []
        self._tasks: set[asyncio.Task] = set()
        self.app = Starlette(routes=[
            Route("/v2/notifications/{kind}", self._send, methods=["POST"]),
            Route("/v2/notifications", self._search, methods=["GET"]),
        ])

    def fail_next(self, status: int, times: int = 1) -> None:
        self._plan += [("fail", status)] * times

    def hang_next(self, seconds: float) -> None:
        self._plan.append(("hang", seconds))

    def accept_then_fail(self) -> None:
        self._plan.append(("accept_then_fail", 500))

    def sends_for(self, reference: str) -> list[dict[str, Any]]:
        return [n for n in self.sent if n["reference"] == reference]

    async def _send(self, request: Request) -> JSONResponse:
        self.requests += 1
        if not self._authorised(request):
            return _error(403, "AuthError", "Invalid token: signature, api token not found")
        action, arg = self._plan.pop(0) if self._plan else ("accept", None)
        if action == "fail":
            return _error(arg, "RateLimitError" if arg == 429 else "Exception", "stubbed failure")
        kind, body = request.path_params["kind"], await request.json()
        problem = _invalid(kind, body)
        if problem:
            return _error(400, "ValidationError", problem)
        notification = {"id": str(uuid.uuid4()), "reference": body.get("reference"),
                        "type": kind, "status": "created", "template_id": body["template_id"],
                        "personalisation": body.get("personalisation", {}),
                        "to": body.get(REQUIRED[kind][0]) if REQUIRED[kind] else None,
                        "created_at": _now()}
        self.sent.append(notification)
        self._schedule_callback(notification)
        if action == "hang":
            await asyncio.sleep(arg)
        if action == "accept_then_fail":
            return _error(500, "Exception", "stubbed failure after accepting")
        return JSONResponse({"id": notification["id"], "reference": notification["reference"],
                             "content": {}, "template": {"id": body["template_id"]}},
                            status_code=201)

    async def _search(self, request: Request) -> JSONResponse:
        if not self._authorised(request):
            return _error(403, "AuthError", "Invalid token")
        found = self.sends_for(request.query_params.get("reference", ""))
        return JSONResponse({"notifications": found, "links": {}})

    def _authorised(self, request: Request) -> bool:
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        try:
            header, claims, signature = token.split(".")
            wanted = hmac.new(self.secret.encode(), f"{header}.{claims}".encode(),
                              hashlib.sha256).digest()
            given = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
            payload = json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))
        except ValueError:
            return False
        return (hmac.compare_digest(wanted, given) and payload.get("iss") == self.service_id
                and abs(time.time() - payload.get("iat", 0)) <= 30)

    def _schedule_callback(self, notification: dict[str, Any]) -> None:
        if self.callback_url:
            task = asyncio.get_running_loop().create_task(self._callback(notification))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _callback(self, notification: dict[str, Any]) -> None:
        await asyncio.sleep(0.05)
        notification["status"] = self.callback_status
        body = {k: notification[k] for k in ("id", "reference", "to", "status", "created_at")}
        body |= {"completed_at": _now(), "sent_at": _now(),
                 "notification_type": notification["type"]}
        headers = {"Authorization": f"Bearer {self.callback_token}"}
        with contextlib.suppress(httpx.HTTPError):
            async with httpx.AsyncClient(timeout=5) as client:
                await client.post(self.callback_url or "", json=body, headers=headers)


def _invalid(kind: str, body: dict[str, Any]) -> str | None:
    if kind not in REQUIRED:
        return f"{kind} is not a notification type"
    missing = [f for f in ("template_id", *REQUIRED[kind]) if not body.get(f)]
    if kind == "letter":
        given = body.get("personalisation") or {}
        missing += [f for f in LETTER_LINES if not given.get(f)]
    return f"{', '.join(missing)} is a required property" if missing else None


def _error(status: int, error: str, message: str) -> JSONResponse:
    return JSONResponse({"errors": [{"error": error, "message": message}], "status_code": status},
                        status_code=status)


def _now() -> str:
    return datetime.now(UTC).isoformat()


@contextlib.asynccontextmanager
async def serving(app: Any, port: int, host: str = "127.0.0.1",
                  lifespan: str = "off") -> AsyncIterator[str]:
    """Serve an ASGI app (the stub's `.app`) with uvicorn in this event loop; yields its URL."""
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning",
                                           lifespan=lifespan))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        await task


if __name__ == "__main__":
    import sys

    from notifications.config import DEV_CALLBACK_TOKEN, DEV_NOTIFY_KEY

    stub = NotifyStub(DEV_NOTIFY_KEY, "http://127.0.0.1:8104/notify/callback", DEV_CALLBACK_TOKEN)
    uvicorn.run(stub.app, host="127.0.0.1", port=int(sys.argv[1]) if len(sys.argv) > 1 else 8199)
