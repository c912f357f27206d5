"""The portal reads each service's own API; it holds no copy of their data."""

from typing import Any, TypeVar

import httpx
from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


def _bearer(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


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
        self, service: str, path: str, token: str | None = None, **params: Any
    ) -> Any | None:
        """The JSON body, or None when the service has nothing (404)."""
        try:
            response = await self._http.get(
                self._urls[service] + path, params=params or None, headers=_bearer(token)
            )
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(service) from exc
        if response.status_code == 404:
            return None
        if response.status_code >= 400:
            raise ServiceUnavailable.answered(service, response)
        return response.json()

    async def read(
        self, service: str, path: str, model: type[M], token: str | None = None, **params: Any
    ) -> M | None:
        """A service's read model (contracts.api), or None when it has nothing (404)."""
        body = await self.get(service, path, token, **params)
        return None if body is None else model.model_validate(body)

    async def post(
        self, service: str, path: str, body: dict[str, Any], token: str | None = None
    ) -> tuple[int, Any]:
        return await self.send("POST", service, path, body, token)

    async def send(
        self, method: str, service: str, path: str, body: dict[str, Any], token: str | None = None
    ) -> tuple[int, Any]:
        """(status, JSON body) of a command; raises ServiceUnavailable when it cannot be sent."""
        try:
            response = await self._http.request(
                method, self._urls[service] + path, json=body, headers=_bearer(token)
            )
        except httpx.HTTPError as exc:
            raise ServiceUnavailable(service) from exc
        if response.status_code >= 500:
            raise ServiceUnavailable.answered(service, response)
        try:
            return response.status_code, response.json()
        except ValueError:
            return response.status_code, None

    async def close(self) -> None:
        await self._http.aclose()
