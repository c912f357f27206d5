"""Closed by default, and every look at a person's record on the audit trail.

`install_access(app, validator)` refuses an app with a route that declares no `Policy`
(servicekit.auth: `require(...)` or `open_access(reason)`), so a new route cannot be forgotten.
`AccessMiddleware`, at the edge, then asks every request for a valid bearer token before
anything else runs (routing, body parsing, validation), unless its route is declared open, and
opens the request's `AccessContext`. Access checks note the people whose records a request
touches; the unit of work records writes in their own transaction (`write_entries`), and the
edge records the rest (reads, refusals) with `AuditWriter` before the response goes out: if the
trail cannot be written, the caller gets 503, never the data.
"""

import logging
from collections.abc import Iterable
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from opentelemetry import trace
from starlette.responses import JSONResponse
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from servicekit.audit import AuditEntry, AuditWriter, now
from servicekit.auth import (
    InvalidToken,
    Policy,
    ProviderUnavailable,
    TokenValidator,
    challenge,
    install_auth,
)
from servicekit.context import AccessContext, acting, correlation_id, current_access

log = logging.getLogger(__name__)
PURPOSE_HEADER = "x-access-purpose"
READS = {"GET", "HEAD", "OPTIONS"}


class UndeclaredAccess(RuntimeError):
    """A route says nothing about who may call it."""


def policy_of(route: RouteContext) -> Policy:
    """The one `Policy` a route declares (in its dependencies, at any depth: its own, its
    router's, or those it was included with)."""
    found = list(_policies(route.dependant))
    where = f"{', '.join(sorted(route.methods or ()))} {route.path}"
    if not found:
        raise UndeclaredAccess(
            f"{where} declares no access policy: add Depends(servicekit.auth.require(...)) or "
            "Depends(servicekit.auth.open_access('why'))"
        )
    if len(set(found)) > 1:
        raise UndeclaredAccess(f"{where} declares more than one access policy: {found}")
    return found[0]


def _policies(dependant: Dependant) -> Iterable[Policy]:
    policy = getattr(dependant.call, "policy", None)
    if isinstance(policy, Policy):
        yield policy
    for sub in dependant.dependencies:
        yield from _policies(sub)


def _contexts(app: FastAPI) -> list[RouteContext]:
    """Every route of the app, included routers' routes as they are served."""
    return list(iter_route_contexts(app.routes))


def route_policies(app: FastAPI) -> list[tuple[str, str, Policy]]:
    """(method, path, policy) for every API route: the table the README shows."""
    return sorted(
        (method, str(rc.path), policy_of(rc))
        for rc in _contexts(app)
        if isinstance(rc.original_route, APIRoute)
        for method in rc.original_route.methods
    )


def _docs_paths(app: FastAPI) -> set[str]:
    return {p for p in (app.docs_url, app.redoc_url, app.openapi_url) if p} | (
        {app.swagger_ui_oauth2_redirect_url}
        if app.docs_url and app.swagger_ui_oauth2_redirect_url
        else set()
    )


def install_access(app: FastAPI, validator: TokenValidator, writer: AuditWriter) -> None:
    """Checks every route declares a policy; the edge middleware reads what this leaves on the
    app's state. Call after the last route is added."""
    install_auth(app, validator)
    docs = _docs_paths(app)
    routes: list[tuple[RouteContext, Policy]] = []
    for rc in _contexts(app):
        if isinstance(rc.original_route, APIRoute):
            routes.append((rc, policy_of(rc)))
        elif rc.path in docs:
            routes.append((rc, Policy(open="API documentation, outside production only")))
        else:
            raise UndeclaredAccess(f"{rc.path!r} is not an API route with an access policy")
    app.state.route_policies = routes
    app.state.audit_writer = writer


def _route(app: FastAPI, scope: Scope) -> tuple[str | None, Policy | None]:
    """The route template and policy of the route that will serve `scope` (None: no route)."""
    partial: tuple[str | None, Policy | None] = (None, None)
    for rc, policy in app.state.route_policies:
        match, _ = rc.matches(scope)
        if match == Match.FULL:
            return rc.path, policy
        if match == Match.PARTIAL and partial[1] is None:
            partial = (rc.path, policy)
    return partial


def _header(scope: Scope, name: str) -> str | None:
    for key, value in scope.get("headers") or []:
        if key.decode("latin-1").lower() == name:
            return value.decode("latin-1")
    return None


def _bearer(scope: Scope) -> str | None:
    scheme, _, token = (_header(scope, "authorization") or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _refusal(status: int, message: str, challenge: str | None = None) -> JSONResponse:
    headers = {"WWW-Authenticate": challenge} if challenge else None
    body = {"errors": [{"field": "authorization", "message": message}]}
    return JSONResponse(body, status_code=status, headers=headers)


class AccessMiddleware:
    """The edge of a service's HTTP API: token first, then the route, then the audit. Added with
    `service.add_middleware(AccessMiddleware, service=service)` (`service`: the FastAPI app)."""

    def __init__(self, app: ASGIApp, service: FastAPI) -> None:
        self.app, self.service = app, service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        template, policy = _route(self.service, scope)
        template = template or scope["path"]
        context = AccessContext(
            resource=f"{scope['method']} {template}",
            action="read" if scope["method"] in READS else "write",
            purpose=(_header(scope, PURPOSE_HEADER) or "").strip()[:500] or None,
        )
        if policy is None or policy.open is None:
            refusal = await self._authenticate(scope, context)
            if refusal is not None:
                await refusal(scope, receive, send)
                return
        with acting(context):
            await self.app(scope, receive, self._audited(send, context))

    async def _authenticate(self, scope: Scope, context: AccessContext) -> Any:
        token = _bearer(scope)
        if token is None:
            return _refusal(401, "A bearer token is required.", challenge())
        validator: TokenValidator = self.service.state.token_validator
        try:
            context.principal = await validator.principal(token)
        except InvalidToken as error:
            return _refusal(401, str(error), challenge("invalid_token", str(error)))
        except ProviderUnavailable as error:
            log.warning("token not checked: %s", error)
            return _refusal(503, "The identity provider cannot be reached.")
        context.role = context.principal.role_in()
        scope.setdefault("state", {})["principal"] = context.principal
        return None

    def _audited(self, send: Send, context: AccessContext) -> Send:
        replaced = False

        async def audited_send(message: Message) -> None:
            nonlocal replaced
            if replaced:
                return
            if message["type"] == "http.response.start":
                entries = edge_entries(context, message["status"])
                try:
                    await self.service.state.audit_writer.record(entries)
                except Exception:
                    log.exception("audit trail not written: answering 503 instead")
                    replaced = True
                    response = _refusal(503, "The service cannot record this access now.")
                    await response({"type": "http"}, _no_body, send)
                    return
            await send(message)

        return audited_send


async def _no_body() -> Message:
    return {"type": "http.disconnect"}


def entries_for(
    context: AccessContext, persons: Iterable[str | None], action: str, allowed: bool = True
) -> list[AuditEntry]:
    principal = context.principal
    span = trace.get_current_span().get_span_context()
    at = now()
    return [
        AuditEntry(
            at=at,
            actor=principal.subject,
            actor_kind=principal.kind,
            role=context.role or principal.role_in(),
            client_id=principal.actor or principal.client_id,
            person_id=person,
            resource=context.resource,
            action=action,
            outcome="allowed" if allowed else "denied",
            purpose=context.purpose,
            correlation_id=correlation_id(),
            trace_id=f"{span.trace_id:032x}" if span.is_valid else None,
        )
        for person in persons
    ]


def edge_entries(context: AccessContext, status: int) -> list[AuditEntry]:
    """What the edge records as the response starts: refusals, and every record the request
    looked at without changing it (a change is on the trail already, from its transaction), 404s
    included (the record was looked for); nothing for a request that failed on our side."""
    if context.principal is None:
        return []
    pending = {p: ok for p, ok in context.persons.items() if p not in context.recorded}
    refused = [p for p, ok in pending.items() if not ok]
    entries = entries_for(context, refused, context.action, allowed=False)
    if status < 500:
        entries += entries_for(context, [p for p, ok in pending.items() if ok], "read")
    return entries


def write_entries(subjects: Iterable[str]) -> list[AuditEntry]:
    """For the unit of work committing an HTTP request's change: one entry per person whose
    record it changes (those the request's checks allowed, and the subjects of the events it
    emits), or one with no person for work on no one's record."""
    context = current_access()
    if context is None or context.principal is None:
        return []  # not an HTTP request (a consumer, a job): the event's source was audited
    persons: set[str | None] = {p for p, ok in context.persons.items() if ok} | set(subjects)
    persons -= context.recorded
    if not persons and context.recorded:
        return []
    context.recorded |= persons or {None}
    return entries_for(context, sorted(persons, key=str) or [None], "write")
