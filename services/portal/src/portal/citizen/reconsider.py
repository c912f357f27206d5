"""Ask for a mandatory reconsideration: why the decision is wrong, what is wrong in it, evidence
to add; check the answers; sent once to the assessment service. Only before the deadline: after
it (or for a decision already reconsidered) a page says what to do instead."""

from typing import Annotated

from contracts.api.assessment import CurrentDecision, DecisionHistory
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from portal.access import citizen
from portal.citizen.pages import (
    Question,
    Source,
    go,
    page,
    read_all,
    send,
    service_errors,
    today,
)
from portal.citizen.steps import Step, answer, send_checked, show, text_answer
from portal.clients import ServiceUnavailable
from portal.forms import Form, Outcome, new_token
from portal.i18n import N_
from portal.i18n import gettext as _
from portal.security import check_csrf
from portal.sessions import SignedIn

router = APIRouter(prefix="/award/reconsideration")
JOURNEY = "reconsideration"
TOO_LONG = N_("Your answer must be %(max)s characters or fewer")
CAPTION = N_("Ask us to look again")
STEPS = {
    "why": Step(
        "/award/reconsideration/why",
        Question(
            "reason",
            N_("Why do you think the decision is wrong?"),
            hint=N_("Tell us in your own words. You can add details and evidence next."),
            caption=CAPTION,
        ),
        text_answer(N_("Enter why you think the decision is wrong"), TOO_LONG),
    ),
    "wrong": Step(
        "/award/reconsideration/what-is-wrong",
        Question(
            "what_is_wrong",
            N_("What did we get wrong? (optional)"),
            hint=N_("For example, something about your needs or your money that is not right."),
            caption=CAPTION,
        ),
        text_answer(None, TOO_LONG),
    ),
    "evidence": Step(
        "/award/reconsideration/evidence",
        Question(
            "evidence",
            N_("What evidence can you add? (optional)"),
            hint=N_(
                "For example, a letter from your GP or a carer. "
                "Tell us what it is and when you will send it."
            ),
            caption=CAPTION,
        ),
        text_answer(None, TOO_LONG),
    ),
}
Citizen = Annotated[SignedIn, Depends(citizen)]


async def _where(request: Request, user: SignedIn) -> tuple[CurrentDecision | None, str | None]:
    """The decision, and why it cannot be reconsidered now (None: it can)."""
    person = str(user.person_id)
    reads = await read_all(
        request,
        user,
        decision=Source("assessment", f"/people/{person}/decision", CurrentDecision),
        history=Source("assessment", f"/people/{person}/decisions", DecisionHistory),
    )
    decision, history = reads.decision, reads.history
    if reads.missing:
        return decision, "unavailable"
    if decision is None:
        return None, "no_decision"
    if any(r.status == "requested" for r in history.reconsiderations):
        return decision, "pending"
    version = next(d for d in history.decisions if d.decision_id == decision.decision_id)
    if version.kind == "reconsideration":
        return decision, "reconsidered"
    if today() > decision.reconsideration_deadline:
        return decision, "too_late"
    return decision, None


@router.get("")
async def start(request: Request, user: Citizen) -> Response:
    decision, blocked = await _where(request, user)
    if blocked == "no_decision":
        return go("/award")
    return page(
        request,
        "citizen/award/reconsideration.html",
        503 if blocked == "unavailable" else 200,
        title=_("You cannot ask us to look again online")
        if blocked
        else _("Ask us to look again at your decision"),
        decision=decision,
        blocked=blocked,
        back="/award",
    )


def _step_routes(key: str, back: str, next_path: str) -> None:
    step = STEPS[key]

    async def get(request: Request, user: Citizen) -> Response:
        if (await _where(request, user))[1]:
            return go("/award/reconsideration")
        return await show(request, user, JOURNEY, step, back)

    async def post(request: Request, user: Citizen) -> Response:
        if (await _where(request, user))[1]:
            return go("/award/reconsideration")
        return await answer(request, user, JOURNEY, step, back=back, next_path=next_path)

    router.add_api_route(step.path.removeprefix(router.prefix), get, methods=["GET"])
    router.add_api_route(
        step.path.removeprefix(router.prefix),
        post,
        methods=["POST"],
        dependencies=[Depends(check_csrf)],
    )


_step_routes("why", "/award/reconsideration", STEPS["wrong"].path)
_step_routes("wrong", STEPS["why"].path, STEPS["evidence"].path)
_step_routes("evidence", STEPS["wrong"].path, "/award/reconsideration/check")


def _check_page(request: Request, draft: dict, form: Form | None = None) -> Response:
    rows = [
        {"key": _(s.question.heading), "value": draft.get(s.question.name, ""), "change": s.path}
        for s in STEPS.values()
    ]
    return page(
        request,
        "citizen/check.html",
        422 if form and form.errors else 200,
        title=_("Check your answers before sending your request"),
        rows=rows,
        form=form,
        errors=form.errors if form else None,
        declaration=_(
            "We will look at your decision again. "
            "Someone who did not make the decision will do this."
        ),
        button=_("Send request"),
        submission=new_token(),
        back=STEPS["evidence"].path,
    )


@router.get("/check")
async def check(request: Request, user: Citizen) -> Response:
    if (await _where(request, user))[1]:
        return go("/award/reconsideration")
    draft = await request.app.state.drafts.get(user, JOURNEY)
    if not draft.get("reason"):
        return go(STEPS["why"].path)
    return _check_page(request, draft)


@router.post("/check", dependencies=[Depends(check_csrf)])
async def send_request(request: Request, user: Citizen) -> Response:
    submitted = await request.form()

    async def act() -> Outcome:
        decision, blocked = await _where(request, user)
        if blocked == "unavailable":  # nothing done: the form may be sent again
            raise ServiceUnavailable("assessment")
        if blocked:
            return Outcome("/award/reconsideration")
        draft = await request.app.state.drafts.get(user, JOURNEY)
        if not draft.get("reason"):
            return Outcome(STEPS["why"].path)
        body = {
            "decision_id": decision.decision_id,
            **{k: draft.get(k, "") for k in ("reason", "what_is_wrong", "evidence")},
        }
        status, answered = await send(
            request, user, "assessment", f"/people/{user.person_id}/reconsiderations", body
        )
        if status == 201:
            await request.app.state.drafts.clear(user, JOURNEY)
            return Outcome("/award/reconsideration/sent")
        if status == 409 or "requested_on" in service_errors(answered):
            return Outcome("/award/reconsideration")
        form = Form()
        for name in service_errors(answered):
            if name in ("reason", "what_is_wrong", "evidence"):
                form.error(name, _("Check this answer: we could not accept it"))
        form.error("reason", _("We could not send your request. Try again."))
        return Outcome(form=form)

    submission = str(submitted.get("submission", ""))
    return await send_checked(request, user, JOURNEY, submission, act, _check_page)


@router.get("/sent")
async def sent(request: Request, user: Citizen) -> Response:
    return page(
        request,
        "citizen/done.html",
        title=_("Request sent"),
        panel_text=_("We have your request to look again at your decision"),
        next_steps=[
            _(
                "Someone who did not make the decision will look at it again, "
                "with what you told us."
            ),
            _("We will write to you with our decision. Your award stays the same until then."),
        ],
        onward_href="/award",
        onward_text=_("Back to your award"),
    )
