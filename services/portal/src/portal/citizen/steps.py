"""Question-per-page journeys: each step asks one question, keeps the answer as a draft (server
side) and goes on to the next; the last page checks the answers and sends them once."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from portal.citizen.pages import Question, ask, go, send_once
from portal.forms import Form, Outcome
from portal.i18n import gettext
from portal.sessions import SignedIn

Check = Callable[[Form, Any], Any]  # reads the form, records errors, returns the answer


@dataclass(frozen=True)
class Step:
    path: str
    question: Question
    check: Check


def text_answer(required_message: str | None, too_long_message: str) -> Check:
    """A free-text answer: trimmed; required unless `required_message` is None."""

    def check(form: Form, question: Question) -> str:
        value = form.get(question.name).strip()
        if not value and required_message:
            form.error(question.name, gettext(required_message))
        elif len(value) > question.max_length:
            form.error(question.name, gettext(too_long_message) % {"max": question.max_length})
        return value

    return check


async def show(request: Request, user: SignedIn, journey: str, step: Step, back: str) -> Response:
    draft = await request.app.state.drafts.get(user, journey)
    return ask(request, step.question, back=back, value=draft.get(step.question.name))


async def answer(
    request: Request,
    user: SignedIn,
    journey: str,
    step: Step,
    *,
    back: str,
    next_path: str,
    extra_check: Callable[[Form, Any], Awaitable[None]] | None = None,
) -> Response:
    """Keeps a good answer and goes on; a bad one is shown again with its error."""
    form = Form(values={k: str(v) for k, v in (await request.form()).items()})
    value = step.check(form, step.question)
    if form.ok and extra_check is not None:
        await extra_check(form, value)
    if not form.ok:
        form.values[step.question.name] = value
        return ask(request, step.question, back=back, form=form, value=value)
    await request.app.state.drafts.update(user, journey, **{step.question.name: value})
    return go(next_path)


CheckPage = Callable[[Request, dict[str, Any], Form], Response]
"""A journey's check-your-answers page: the draft's answers, and the form's errors."""


async def send_checked(
    request: Request,
    user: SignedIn,
    journey: str,
    submission: str,
    act: Callable[[], Awaitable[Outcome]],
    check_page: CheckPage,
) -> Response:
    """The journey's answers sent once (pages.send_once) from its check page: on to where that
    led, else the check page again with the errors (or, with none to show, the page itself)."""

    async def again(form: Form | None) -> Response:
        if form is None:
            return go(request.url.path)  # the check page is where it posts
        return check_page(request, await request.app.state.drafts.get(user, journey), form)

    return await send_once(request, user, submission, act, again)
