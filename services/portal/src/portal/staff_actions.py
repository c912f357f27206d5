"""A staff member's one-button action on a service (approve a payment run, confirm new bank
details): sent once however often the form is, and the service's refusal said in words on the
page the button was on."""

from collections.abc import Callable

from fastapi import HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from portal.assessor.workspace import Workspace
from portal.clients import Answer
from portal.forms import Form, Outcome
from portal.sessions import SignedIn


async def act_once(
    request: Request, user: SignedIn, service: str, path: str, *, done: str,
    refusal: Callable[[Answer], str], anchor: str,
) -> Response | Form:  # fmt: skip
    """The redirect to `done` once the service accepted the POST, or the form with the reason
    it refused (nothing changed)."""
    submitted = await request.form()
    form = Form()

    async def act() -> Outcome:
        answer = await Workspace(request, user).send("POST", service, path)
        if answer.status == 404:
            raise HTTPException(404)
        if answer.ok:
            return Outcome(done)
        form.error("action", refusal(answer), anchor=anchor)
        return Outcome(form=form)

    token = str(submitted.get("submission", ""))
    outcome = await request.app.state.submissions.once(user, token, act)
    if outcome.location:
        return RedirectResponse(outcome.location, status_code=303)
    return outcome.form or form
