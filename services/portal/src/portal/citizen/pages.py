"""What every citizen page shares: reading several services at once (showing what answered and
naming what did not), calling a service as the signed-in user, sending a form once, and the
one-question page."""

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from portal.clients import ServiceUnavailable
from portal.forms import Form, Outcome, new_token
from portal.i18n import N_, gettext
from portal.sessions import SignedIn
from portal.web import render

M = TypeVar("M", bound=BaseModel)
SERVICE_NAMES = {
    "assessment": N_("your award"),
    "payments": N_("your payments"),
    "care_plans": N_("your care plan"),
    "notifications": N_("your messages and contact details"),
}


@dataclass(frozen=True)
class Source:
    service: str
    path: str
    model: type[BaseModel] | None = None  # None: untyped JSON (a service without read models)


@dataclass
class Reads:
    """What the services answered (None: they have nothing) and which did not answer."""

    values: dict[str, Any] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    def unavailable(self) -> list[str]:
        """The missing parts in words, once each."""
        return list(dict.fromkeys(gettext(SERVICE_NAMES[s]) for s in self.missing))


async def token(request: Request, user: SignedIn, service: str) -> str:
    return await request.app.state.service_tokens.for_user(user, service)


async def read_all(request: Request, user: SignedIn, **sources: Source) -> Reads:
    clients = request.app.state.clients

    async def fetch(source: Source) -> Any:
        bearer = await token(request, user, source.service)
        if source.model is None:
            return await clients.get(source.service, source.path, token=bearer)
        return await clients.read(source.service, source.path, source.model, token=bearer)

    results = await asyncio.gather(*(fetch(s) for s in sources.values()), return_exceptions=True)
    reads = Reads()
    for (name, source), result in zip(sources.items(), results, strict=True):
        if isinstance(result, ServiceUnavailable):
            reads.missing.append(source.service)
            result = None
        elif isinstance(result, BaseException):
            raise result
        reads.values[name] = result
    return reads


async def send(
    request: Request,
    user: SignedIn,
    service: str,
    path: str,
    body: dict[str, Any],
    method: str = "POST",
) -> tuple[int, Any]:
    """A command as the user; (status, body). Raises ServiceUnavailable when the service is
    down (or answers 5xx)."""
    bearer = await token(request, user, service)
    clients = request.app.state.clients
    answer = await clients.send(method, service, path, body, token=bearer)
    if answer.status >= 500:
        raise ServiceUnavailable(service)
    return answer.status, answer.body


def service_errors(answer: Any) -> dict[str, str]:
    """A service's 4xx body as field -> message (the portal words its own messages)."""
    errors = (answer or {}).get("errors") if isinstance(answer, dict) else None
    return {str(e.get("field")): str(e.get("message")) for e in errors or []}


def today() -> date:
    return date.today()


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return render(request, template, status_code, **context)


def go(location: str) -> Response:
    return RedirectResponse(location, status_code=303)


async def send_once(
    request: Request,
    user: SignedIn,
    submission: str,
    act: Callable[[], Awaitable[Outcome]],
    show: Callable[[Form | None], Response | Awaitable[Response]],
) -> Response:
    """`act` run once for the form's `submission` token (forms.Submissions: pressed twice, or
    sent again from another tab, the form goes where the first went): on to where it led, else
    `show` with the form it gave back (None: nothing to show, e.g. the first is still sending)."""
    outcome = await request.app.state.submissions.once(user, submission, act)
    if outcome.location:
        return go(outcome.location)
    shown = show(outcome.form)
    return await shown if inspect.isawaitable(shown) else shown


@dataclass(frozen=True)
class Question:
    """One question on its own page (GOV.UK: one thing per page)."""

    name: str
    heading: str
    kind: str = "textarea"  # textarea | date | radios | checkboxes | input
    hint: str = ""
    caption: str = ""
    max_length: int = 2000
    options: tuple[tuple[str, str], ...] = ()  # (value, label) for radios and checkboxes
    autocomplete: str | None = None
    input_type: str = "text"


def ask(
    request: Request,
    question: Question,
    *,
    back: str,
    form: Form | None = None,
    value: Any = None,
    button: str = N_("Continue"),
    status_code: int = 200,
    hidden_fields: dict[str, Any] | None = None,
    **context: Any,
) -> HTMLResponse:
    form = form or Form()
    return page(
        request,
        "citizen/question.html",
        422 if form.errors else status_code,
        title=gettext(question.heading),
        question=question,
        form=form,
        errors=form.errors,
        value=form.values.get(question.name, value) if form.values else value,
        back=back,
        button=button,
        submission=new_token(),
        hidden_fields=hidden_fields or {},
        **context,
    )
