"""A local stand-in for GOV.UK Notify, for development and tests: the same /v2/notifications
shapes and JWT check, delivery receipts retried as Notify retries them, failures on demand.

What real Notify does, and the stub with it (GOV.UK Notify API documentation,
https://docs.notifications.service.gov.uk/rest-api.html, "Callbacks" and "Get message status"):
- A message is `created`, then `sending`, then final: email and text `delivered` (or
  `permanent-failure`, `temporary-failure`, `technical-failure`); a letter `accepted`, then
  `received` once printed and posted. `GET /v2/notifications/{id}` answers with its status
  (404 `NoResultFound` for an id it does not hold); `GET /v2/notifications?reference=` lists
  those with a reference.
- Delivery receipts go only for emails and text messages (letters get none), POSTed to the
  callback URL with the bearer token. "If the request fails then we will retry. We will retry
  every 5 minutes, up to a maximum of 5 times": a connection error, a timeout (60 s), a 5xx or a
  429 is retried; any other 4xx is not (notifications-api, app/celery/service_callback_tasks.py).
  After that the receipt is lost for good.

Every accepted send is kept in `sent`, so a test can assert exactly one per reference.
Failures: `fail_next(500)`, `fail_next(429, times=3)`, `hang_next(seconds)` (keeps the message but
answers late, so the client times out), `accept_then_fail()` (keeps the message but answers 500:
why the service looks the reference up first), `lose_callbacks(n)` (the next n receipts, or all,
are never sent: as if every retry failed), `answer_lookups = False` (status look-ups get 500),
`final_status = None` (messages never become final), `final_statuses` (how the next ones
end: "temporary-failure", ...), `send_receipt(id)` (a receipt again, late: as a retry would).
`callback_retry_s` shortens Notify's 5 minutes for tests.
Run: python -m devstack.notify_stub --port 8199 --callback-url http://127.0.0.1:8104/notify/callback
"""

import argparse
import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
import logging
import os
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

log = logging.getLogger(__name__)
REQUIRED = {"sms": ("phone_number",), "email": ("email_address",), "letter": ()}
LETTER_LINES = ("address_line_1", "address_line_2", "address_line_3")
RECEIPTS_FOR = ("email", "sms")  # Notify sends no delivery receipts for letters
CALLBACK_RETRIES, CALLBACK_RETRY_S, CALLBACK_TIMEOUT_S = 5, 300.0, 60.0
# The development key pair: the same as the notifications service's defaults, which its settings
# refuse in production.
DEV_API_KEY = "dev-00000000-0000-4000-8000-000000000000-00000000-0000-4000-8000-000000000001"
DEV_CALLBACK_TOKEN = "dev-notify-callback-token"  # noqa: S105 (the stub's development default)


class NotifyStub:
    def __init__(
        self,
        api_key: str = DEV_API_KEY,
        callback_url: str | None = None,
        callback_token: str | None = DEV_CALLBACK_TOKEN,
        final_status: str | None = "delivered",
        delivery_delay_s: float = 0.05,
        callback_retry_s: float = CALLBACK_RETRY_S,
    ) -> None:
        self.service_id, self.secret = api_key[-73:-37], api_key[-36:]
        self.callback_url, self.callback_token = callback_url, callback_token
        self.final_status, self.delivery_delay_s = final_status, delivery_delay_s
        self.final_statuses: list[str] = []  # how the next sends end, before `final_status`
        self.callback_retry_s = callback_retry_s
        self.answer_lookups = True
        self.sent: list[dict[str, Any]] = []
        self.requests = 0
        self.callback_attempts: list[tuple[str, int | str]] = []  # (notification id, outcome)
        self.callbacks_lost: list[str] = []
        self._by_id: dict[str, dict[str, Any]] = {}
        self._plan: list[tuple[str, Any]] = []
        self._to_lose: int | None = 0  # None: all
        self._tasks: set[asyncio.Task] = set()
        self._released = asyncio.Event()  # ends every hang at once
        self._client: httpx.AsyncClient | None = None  # one for every receipt (see `_post`)
        self.app = Starlette(
            routes=[
                Route("/v2/notifications/{kind:str}", self._send, methods=["POST"]),
                Route("/v2/notifications/{notification_id:str}", self._one, methods=["GET"]),
                Route("/v2/notifications", self._search, methods=["GET"]),
            ]
        )

    def fail_next(self, status: int, times: int = 1) -> None:
        self._plan += [("fail", status)] * times

    def hang_next(self, seconds: float) -> None:
        self._plan.append(("hang", seconds))

    def accept_then_fail(self) -> None:
        self._plan.append(("accept_then_fail", 500))

    def lose_callbacks(self, count: int | None = None) -> None:
        """The next `count` receipts (None: every one from now on) are never delivered."""
        self._to_lose = count

    def sends_for(self, reference: str) -> list[dict[str, Any]]:
        return [n for n in self.sent if n["reference"] == reference]

    async def close(self) -> None:
        """Answer the hanging requests, stop the pending status changes and receipts."""
        self._released.set()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._client is not None:
            await self._client.aclose()
            self._client = None

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
        notification = {
            "id": str(uuid.uuid4()),
            "reference": body.get("reference"),
            "type": kind,
            "status": "created",
            "template_id": body["template_id"],
            "personalisation": body.get("personalisation", {}),
            "to": body.get(REQUIRED[kind][0]) if REQUIRED[kind] else None,
            "created_at": _now(),
            "sent_at": None,
            "completed_at": None,
        }
        self.sent.append(notification)
        self._by_id[notification["id"]] = notification
        self._start(self._deliver(notification))
        if action == "hang":
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._released.wait(), arg)
        if action == "accept_then_fail":
            return _error(500, "Exception", "stubbed failure after accepting")
        return JSONResponse(
            {
                "id": notification["id"],
                "reference": notification["reference"],
                "content": {},
                "template": {"id": body["template_id"]},
            },
            status_code=201,
        )

    async def _one(self, request: Request) -> JSONResponse:
        problem = self._lookup_refused(request)
        if problem:
            return problem
        notification_id = request.path_params["notification_id"]
        try:
            uuid.UUID(notification_id)
        except ValueError:
            return _error(400, "ValidationError", "notification_id is not a valid UUID")
        notification = self._by_id.get(notification_id)
        if notification is None:
            return _error(404, "NoResultFound", "No result found")
        return JSONResponse(_shown(notification))

    async def _search(self, request: Request) -> JSONResponse:
        problem = self._lookup_refused(request)
        if problem:
            return problem
        found = self.sends_for(request.query_params.get("reference", ""))
        return JSONResponse({"notifications": [_shown(n) for n in found], "links": {}})

    def _lookup_refused(self, request: Request) -> JSONResponse | None:
        if not self._authorised(request):
            return _error(403, "AuthError", "Invalid token")
        if not self.answer_lookups:
            return _error(500, "Exception", "stubbed failure")
        return None

    def _authorised(self, request: Request) -> bool:
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        try:
            header, claims, signature = token.split(".")
            wanted = hmac.new(
                self.secret.encode(), f"{header}.{claims}".encode(), hashlib.sha256
            ).digest()
            given = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
            payload = json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))
        except ValueError:
            return False
        return (
            hmac.compare_digest(wanted, given)
            and payload.get("iss") == self.service_id
            and abs(time.time() - payload.get("iat", 0)) <= 30
        )

    def _start(self, work: Any) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _deliver(self, notification: dict[str, Any]) -> None:
        """Sending, then final after a moment (unless `final_status` is None), then the receipt."""
        letter = notification["type"] == "letter"
        notification["status"], notification["sent_at"] = (
            "accepted" if letter else "sending",
            _now(),
        )
        final = self.final_statuses.pop(0) if self.final_statuses else self.final_status
        if final is None:
            return
        await asyncio.sleep(self.delivery_delay_s)
        final = "received" if letter and final == "delivered" else final
        notification["status"], notification["completed_at"] = final, _now()
        if self.callback_url and notification["type"] in RECEIPTS_FOR:
            if self._to_lose is None or self._to_lose > 0:
                self._to_lose = None if self._to_lose is None else self._to_lose - 1
                self.callbacks_lost.append(notification["id"])
            else:
                await self.send_receipt(notification["id"])

    async def send_receipt(self, notification_id: str) -> None:
        """Report the notification's status to the callback URL now, retrying as Notify does
        (a test may call it again: Notify delivers a receipt at least once)."""
        notification = self._by_id[notification_id]
        body = {
            k: notification[k]
            for k in ("id", "reference", "to", "status", "created_at", "completed_at", "sent_at")
        }
        body |= {
            "notification_type": notification["type"],
            "template_id": notification["template_id"],
            "template_version": 1,
        }
        headers = {"Authorization": f"Bearer {self.callback_token}"}
        for attempt in range(1 + CALLBACK_RETRIES):
            if attempt:
                await asyncio.sleep(self.callback_retry_s)
            outcome = await _post(self._receipts(), self.callback_url or "", body, headers)
            self.callback_attempts.append((notification["id"], outcome))
            if not _retried(outcome):
                return
        log.warning("receipt for %s not delivered after %d retries", body["id"], CALLBACK_RETRIES)

    def _receipts(self) -> httpx.AsyncClient:
        """The client receipts go out with, kept (a new client per receipt loads the system's
        CA bundle each time: most of the stub's CPU when thousands of texts are sent)."""
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=CALLBACK_TIMEOUT_S)
        return self._client


async def _post(
    client: httpx.AsyncClient, url: str, body: dict[str, Any], headers: dict[str, str]
) -> int | str:
    """The response's status code, or the name of the error that stopped it."""
    try:
        return (await client.post(url, json=body, headers=headers)).status_code
    except httpx.HTTPError as exc:
        return type(exc).__name__


def _retried(outcome: int | str) -> bool:
    """As Notify: a connection error or timeout, a 5xx or a 429 is tried again."""
    return isinstance(outcome, str) or outcome >= 500 or outcome == 429


def _shown(notification: dict[str, Any]) -> dict[str, Any]:
    """A notification as GET /v2/notifications/{id} shows it."""
    shown = {
        "id": notification["id"],
        "reference": notification["reference"],
        "type": notification["type"],
        "status": notification["status"],
        "template": {
            "id": notification["template_id"],
            "version": 1,
            "uri": f"/v2/template/{notification['template_id']}/1",
        },
        "body": "",
        "subject": None,
        "created_at": notification["created_at"],
        "created_by_name": None,
        "sent_at": notification["sent_at"],
        "completed_at": notification["completed_at"],
    }
    if notification["type"] == "letter":
        lines = [
            v
            for k, v in sorted(notification["personalisation"].items())
            if k.startswith("address_line_")
        ]
        shown |= {f"line_{n}": line for n, line in enumerate(lines, start=1)}
    else:
        shown[REQUIRED[notification["type"]][0]] = notification["to"]
    return shown


def _invalid(kind: str, body: dict[str, Any]) -> str | None:
    if kind not in REQUIRED:
        return f"{kind} is not a notification type"
    missing = [f for f in ("template_id", *REQUIRED[kind]) if not body.get(f)]
    if kind == "letter":
        given = body.get("personalisation") or {}
        missing += [f for f in LETTER_LINES if not given.get(f)]
    return f"{', '.join(missing)} is a required property" if missing else None


def _error(status: int, error: str, message: str) -> JSONResponse:
    return JSONResponse(
        {"errors": [{"error": error, "message": message}], "status_code": status},
        status_code=status,
    )


def _now() -> str:
    return datetime.now(UTC).isoformat()


def main() -> None:
    parser = argparse.ArgumentParser(description="A local GOV.UK Notify stand-in")
    parser.add_argument("--port", type=int, default=8199)
    parser.add_argument("--callback-url", default=None, help="where delivery receipts go")
    args = parser.parse_args()
    stub = NotifyStub(
        os.environ.get("NOTIFY_STUB_API_KEY", DEV_API_KEY),
        args.callback_url,
        os.environ.get("NOTIFY_STUB_CALLBACK_TOKEN", DEV_CALLBACK_TOKEN),
    )
    uvicorn.run(stub.app, host="127.0.0.1", port=args.port)


if __name__ == "__main__":
    main()
