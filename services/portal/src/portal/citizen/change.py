"""Report a change of circumstances: what changed and from when; check; sent once to the
assessment service, where it waits for an assessor (nothing about the award changes yet)."""

from datetime import date
from typing import Annotated

from contracts.api.assessment import CurrentDecision
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from wording import long_date

from portal.access import citizen
from portal.citizen.dates import parts_of, read_date
from portal.citizen.pages import Question, Source, ask, go, page, read_all, send, today
from portal.citizen.steps import Step, answer, send_checked, show, text_answer
from portal.forms import Form, Outcome, new_token
from portal.i18n import N_
from portal.i18n import gettext as _
from portal.security import check_csrf
from portal.sessions import SignedIn

router = APIRouter(prefix="/award/change")
JOURNEY = "change"
CAPTION = N_("Report a change")
WHAT = Step(
    "/award/change",
    Question(
        "what_changed",
        N_("What has changed?"),
        hint=N_("For example, your care needs, your money, who lives with you, or your address."),
        caption=CAPTION,
    ),
    text_answer(
        N_("Enter what has changed"), N_("Your answer must be %(max)s characters or fewer")
    ),
)
WHEN = Question(
    "changed_on",
    N_("When did it change?"),
    kind="date",
    hint=N_("For example, 27 3 2025"),
    caption=CAPTION,
)
Citizen = Annotated[SignedIn, Depends(citizen)]


async def _decision(request: Request, user: SignedIn) -> CurrentDecision | None:
    reads = await read_all(
        request,
        user,
        decision=Source("assessment", f"/people/{user.person_id}/decision", CurrentDecision),
    )
    return reads.decision


@router.get("")
async def what(request: Request, user: Citizen) -> Response:
    return await show(request, user, JOURNEY, WHAT, back="/award")


@router.post("", dependencies=[Depends(check_csrf)])
async def what_answered(request: Request, user: Citizen) -> Response:
    return await answer(request, user, JOURNEY, WHAT, back="/award", next_path="/award/change/when")


@router.get("/when")
async def when(request: Request, user: Citizen) -> Response:
    draft = await request.app.state.drafts.get(user, JOURNEY)
    return ask(request, WHEN, back=WHAT.path, value=parts_of(draft.get("changed_on")))


def check_change_date(form: Form, changed_on: date | None, award_starts: date | None) -> None:
    what = _("The date it changed")
    if changed_on is None:
        return
    if changed_on > today():
        form.error(
            "changed_on",
            _("%(what)s must be today or in the past") % {"what": what},
            "changed_on-day",
        )
    elif award_starts and changed_on < award_starts:
        form.error(
            "changed_on",
            _("%(what)s must be on or after %(day)s, when your award started")
            % {"what": what, "day": long_date(award_starts)},
            "changed_on-day",
        )


@router.post("/when", dependencies=[Depends(check_csrf)])
async def when_answered(request: Request, user: Citizen) -> Response:
    form = Form(values={k: str(v) for k, v in (await request.form()).items()})
    changed_on, raw = read_date(form, "changed_on", _("The date it changed"))
    decision = await _decision(request, user)
    check_change_date(form, changed_on, decision.effective_date if decision else None)
    if not form.ok:
        return ask(request, WHEN, back=WHAT.path, form=form, value=raw)
    await request.app.state.drafts.update(user, JOURNEY, changed_on=changed_on.isoformat())
    return go("/award/change/check")


def _check_page(request: Request, draft: dict, form: Form | None = None) -> Response:
    when_text = (
        long_date(date.fromisoformat(draft["changed_on"])) if draft.get("changed_on") else ""
    )
    return page(
        request,
        "citizen/check.html",
        422 if form and form.errors else 200,
        title=_("Check your answers before reporting the change"),
        rows=[
            {
                "key": _(WHAT.question.heading),
                "value": draft.get("what_changed", ""),
                "change": WHAT.path,
            },
            {"key": _(WHEN.heading), "value": when_text, "change": "/award/change/when"},
        ],
        form=form,
        errors=form.errors if form else None,
        declaration=_(
            "An assessor will look at what you tell us and may contact you. "
            "Your award stays the same until they decide."
        ),
        button=_("Report the change"),
        submission=new_token(),
        back="/award/change/when",
    )


@router.get("/check")
async def check(request: Request, user: Citizen) -> Response:
    draft = await request.app.state.drafts.get(user, JOURNEY)
    if not draft.get("what_changed"):
        return go(WHAT.path)
    if not draft.get("changed_on"):
        return go("/award/change/when")
    return _check_page(request, draft)


@router.post("/check", dependencies=[Depends(check_csrf)])
async def report(request: Request, user: Citizen) -> Response:
    submitted = await request.form()

    async def act() -> Outcome:
        draft = await request.app.state.drafts.get(user, JOURNEY)
        if not (draft.get("what_changed") and draft.get("changed_on")):
            return Outcome("/award/change/check")
        form = Form()
        decision = await _decision(request, user)
        changed_on = date.fromisoformat(draft["changed_on"])
        check_change_date(form, changed_on, decision.effective_date if decision else None)
        if not form.ok:
            return Outcome(form=form)
        body = {"what_changed": draft["what_changed"], "changed_on": draft["changed_on"]}
        status, _answer = await send(
            request, user, "assessment", f"/people/{user.person_id}/changes", body
        )
        if status == 201:
            await request.app.state.drafts.clear(user, JOURNEY)
            return Outcome("/award/change/sent")
        form.error(
            "changed_on",
            _("We could not accept this change. Check your answers."),
            "changed_on-day",
        )
        return Outcome(form=form)

    submission = str(submitted.get("submission", ""))
    return await send_checked(request, user, JOURNEY, submission, act, _check_page)


@router.get("/sent")
async def sent(request: Request, user: Citizen) -> Response:
    return page(
        request,
        "citizen/done.html",
        title=_("Change reported"),
        panel_text=_("We have your report of a change"),
        next_steps=[
            _("An assessor will look at what you told us. They may contact you to ask more."),
            _("If the change affects your award, we will write to you with a new decision."),
        ],
        onward_href="/award",
        onward_text=_("Back to your award"),
    )
