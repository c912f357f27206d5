"""The assessors' calls to the services, as the signed-in staff member (their exchanged token),
with the case version they saw (If-Match) on every change and, on a record not assigned to
them, the purpose they gave (X-Access-Purpose, written to each service's audit trail)."""

from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel

from portal.clients import Answer, ServiceClients
from portal.sessions import SignedIn

M = TypeVar("M", bound=BaseModel)
PURPOSE_HEADER = "X-Access-Purpose"


@dataclass
class Workspace:
    request: Request
    user: SignedIn
    purpose: str | None = None

    @property
    def clients(self) -> ServiceClients:
        return self.request.app.state.clients

    async def token(self, service: str) -> str:
        return await self.request.app.state.service_tokens.for_user(self.user, service)

    def _headers(self, version: int | None = None) -> dict[str, str]:
        headers = {PURPOSE_HEADER: self.purpose} if self.purpose else {}
        return headers | ({"If-Match": f'"{version}"'} if version is not None else {})

    async def get(self, service: str, path: str, **params: Any) -> Any | None:
        """A read's JSON as it is (a list, or a model the portal does not know yet)."""
        token = await self.token(service)
        return await self.clients.get(service, path, token, self._headers(), **params)

    async def read(self, service: str, path: str, model: type[M], **params: Any) -> M | None:
        token = await self.token(service)
        return await self.clients.read(service, path, model, token, self._headers(), **params)

    async def send(
        self, method: str, service: str, path: str, body: Any = None, version: int | None = None
    ) -> Answer:
        token = await self.token(service)
        return await self.clients.send(method, service, path, body, token, self._headers(version))
