"""Text messages and letters through GOV.UK Notify's REST API (or the local stub).

Notify has no idempotency key. `reference` is our notification id (a uuid5 hash: no personal
details), and before any attempt after the first we look that reference up: if Notify already
has a live notification for it, we adopt that one instead of sending a second message.
`status_of` asks for one notification's status (GET /v2/notifications/{id}), for reconciliation.
"""

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any

import httpx

from notifications.domain.delivery import DeliveryStatus, status_from_notify
from notifications.service_layer.ports import HandedOver, LookupFailed, Outgoing, SendResult

RECIPIENT_FIELD = {"sms": "phone_number", "email": "email_address"}
LIVE = (DeliveryStatus.SENDING, DeliveryStatus.DELIVERED)


def notify_jwt(api_key: str, now: float | None = None) -> str:
    """Notify's bearer token: HS256 over {iss: service id, iat: now}, keyed by the key's secret.

    An API key is `<key name>-<service id, 36 chars>-<secret, 36 chars>`.
    """
    service_id, secret = api_key[-73:-37], api_key[-36:]
    header = _b64({"typ": "JWT", "alg": "HS256"})
    claims = _b64({"iss": service_id, "iat": int(now if now is not None else time.time())})
    signature = hmac.new(secret.encode(), f"{header}.{claims}".encode(), hashlib.sha256).digest()
    return f"{header}.{claims}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


def _b64(value: dict) -> str:
    raw = json.dumps(value, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class NotifyClient:
    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: float = 10.0,
        template_ids: Mapping[str, str] | None = None,
    ) -> None:
        self._api_key, self._template_ids = api_key, dict(template_ids or {})
        self._http = httpx.AsyncClient(base_url=base_url, timeout=timeout)

    async def aclose(self) -> None:
        await self._http.aclose()

    def template_for(self, message: Outgoing) -> str:
        key = f"{message.template_id}/{message.channel.value}/{message.accessible_format}"
        return self._template_ids.get(key, key)

    async def send(self, message: Outgoing, handed_over: HandedOver) -> SendResult:
        if message.may_have_been_sent_before:
            try:
                found = await self.find(message)
            except LookupFailed as exc:
                return SendResult.temporary(f"could not look the reference up at Notify: {exc}")
            if found is not None:
                return found
        if not await handed_over():
            return SendResult.temporary("the attempt lost its lease before it was sent")
        body: dict[str, Any] = {
            "template_id": self.template_for(message),
            "personalisation": dict(message.personalisation),
            "reference": str(message.notification_id),
        }
        kind = message.channel.value
        if kind in RECIPIENT_FIELD:
            body[RECIPIENT_FIELD[kind]] = message.recipient
        try:
            response = await self._http.post(
                f"/v2/notifications/{kind}", json=body, headers=self._headers()
            )
        except httpx.HTTPError as exc:  # Notify may have it: the next attempt looks it up first
            return SendResult.temporary(f"Notify did not answer: {exc!r}")
        if response.status_code == 201:
            return SendResult.accepted_as(DeliveryStatus.SENDING, response.json()["id"])
        return _failure(response)

    async def find(self, message: Outgoing) -> SendResult | None:
        """A notification Notify holds for our reference that has not failed (it keeps 7 days)."""
        reference = str(message.notification_id)
        try:
            response = await self._http.get(
                "/v2/notifications", params={"reference": reference}, headers=self._headers()
            )
            response.raise_for_status()
            found = response.json().get("notifications", [])
        except (httpx.HTTPError, ValueError) as exc:
            raise LookupFailed(repr(exc)) from exc
        for notification in found:
            status = _status(notification.get("status", ""))
            if status in LIVE:
                return SendResult.accepted_as(status, notification["id"])
        return None

    async def status_of(self, provider_id: str) -> str | None:
        try:
            response = await self._http.get(
                f"/v2/notifications/{provider_id}", headers=self._headers()
            )
            if response.status_code == 404:
                return None
            response.raise_for_status()
            return str(response.json()["status"])
        except (httpx.HTTPError, ValueError, KeyError) as exc:
            raise LookupFailed(repr(exc)) from exc

    def _headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {notify_jwt(self._api_key)}",
            "User-Agent": "care-benefit-notifications",
        }


def _status(notify_status: str) -> DeliveryStatus:
    try:
        return status_from_notify(notify_status)
    except ValueError:  # a status we do not know: Notify has it, so never send it again
        return DeliveryStatus.SENDING


def _failure(response: httpx.Response) -> SendResult:
    code = response.status_code
    try:
        errors = "; ".join(e.get("message", "") for e in response.json().get("errors", []))
    except ValueError:
        errors = ""
    reason = f"Notify {code}" + (f": {errors}" if errors else "")
    if code == 429:
        return SendResult.temporary(f"{reason} (rate limit)")
    if code == 403:  # a wrong key or a clock more than 30 s out: fixable, so retry
        return SendResult.temporary(f"{reason} (check the API key and the clock)")
    if 400 <= code < 500:
        return SendResult.permanent(reason)
    return SendResult.temporary(reason)
