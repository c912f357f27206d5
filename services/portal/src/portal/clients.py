"""The portal reads each service's own API; it holds no copy of their data."""

from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


def _bearer(token: str | None, extra: dict[str, str] | None = None) -> dict[str, str]:
    return ({"Authorization": f"Bearer {token}"} if token else {}) | (extra or {})


@dataclass(frozen=True)
class Answer:
    """A service's answer to a command: its status, JSON body and headers."""

    status: int
    body: Any
    headers: dict[str, str]

    @property
    def ok(self) -> bool:
        return self.status < 400

    def errors(self) -> list[tuple[str, str]]:
        """The (field, message) pairs of a 4xx body (`{"errors": [...]}`)."""
        if not isinstance(self.body, dict):
            return []
        return [(e.get("field", ""), e.get("message", "")) for e in self.body.get("errors", [])]


@dataclass(frozen=True)
class Download:
    """A file a service gave (or refused, with its 4xx status)."""

    status: int
    content: bytes


class ServiceUnavailable(Exception):
    """A service the page needs is down, unreachable, or answered 5xx (503 while its own
    infrastructure is down); `retry_after` is its Retry-After in seconds when it gave one."""

    def __init__(self, service: str, retry_after: int | None = None) -> None:
        super().__init__(service)
        self.service, self.retry_after = service, retry_after

    @classmethod
    def answered(cls, service: str, response: httpx.Response) -> "ServiceUnavailable":
        retry_after = response.headers.get("retry-after", "")
        return cls(service, int(retry_after) if retry_after.isdigit() else None)


class ServiceClients:
    def __init__(self, urls: dict[str, str], timeout: float = 5.0) -> None:
        self._urls = urls
        self._http = httpx.AsyncClient(timeout=timeout)

    async def get(
        self,
        service: str,
        path: str,
        token: str | None = None,
        headers: dict[str, str] | None = None,
        **params: Any,
    ) -> Any | None:
        """The JSON body, or None when the service has nothing (404)."""
        try:
            response = await self._http.get(
                self._urls[service] + path, params=params or None, headers=_bearer(token, headers)
            )
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(service) from exc
        if response.status_code == 404:
            return None
        if response.status_code >= 400:
            raise ServiceUnavailable.answered(service, response)
        return response.json()

    async def read(
        self,
        service: str,
        path: str,
        model: type[M],
        token: str | None = None,
        headers: dict[str, str] | None = None,
        **params: Any,
    ) -> M | None:
        """A service's read model (contracts.api), or None when it has nothing (404)."""
        body = await self.get(service, path, token, headers, **params)
        return None if body is None else model.model_validate(body)

    async def send(
        self,
        method: str,
        service: str,
        path: str,
        body: Any = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        """A command (POST, PUT, DELETE): the answer, whatever its 4xx status; 5xx and a
        service that cannot be reached raise ServiceUnavailable."""
        try:
            response = await self._http.request(
                method,
                self._urls[service] + path,
                json=body,
                headers=_bearer(token, headers),
            )
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(service) from exc
        if response.status_code >= 500:
            raise ServiceUnavailable.answered(service, response)
        try:
            content = response.json() if response.content else None
        except ValueError:
            content = None
        return Answer(response.status_code, content, dict(response.headers))

    async def download(self, service: str, path: str, token: str) -> Download | None:
        """A file as the service gives it; None when it has no such file (404)."""
        try:
            response = await self._http.get(self._urls[service] + path, headers=_bearer(token))
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(service) from exc
        if response.status_code >= 500:
            raise ServiceUnavailable.answered(service, response)
        if response.status_code == 404:
            return None
        return Download(response.status_code, response.content)

    async def post(
        self, service: str, path: str, body: dict[str, Any], token: str | None = None
    ) -> tuple[int, Any]:
        """(status, JSON body) of a command; raises ServiceUnavailable when it cannot be sent."""
        answer = await self.send("POST", service, path, body, token)
        return answer.status, answer.body

    async def close(self) -> None:
        await self._http.aclose()
