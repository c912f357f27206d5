"""Your care plan: the current version and what it costs against the budget (and, over budget,
what happens next), earlier versions and what changed, agreeing it or asking for changes,
choosing a provider for a service, and which services to take as a direct payment. Every
action names the version the person saw; care-plans refuses an out-of-date one and the page
says so, showing the version there is now."""

from typing import Annotated, Any

from contracts.api.care_plans import PlanVersionView, PlanView, ProviderChoicesView
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import RootModel

from portal.access import citizen
from portal.citizen.pages import Question, Source, ask, go, page, read_all, send, send_once
from portal.citizen.plan_changes import what_changed
from portal.citizen.steps import text_answer
from portal.forms import Form, Outcome, new_token
from portal.i18n import N_
from portal.i18n import gettext as _
from portal.security import check_csrf
from portal.sessions import SignedIn

router = APIRouter(prefix="/plan")
Citizen = Annotated[SignedIn, Depends(citizen)]
CHOOSABLE = ("draft", "proposed", "agreed", "under_review")
CHANGES = Question(
    "reason",
    N_("What would you like changed in your plan?"),
    hint=N_("For example, a different time of day, more help with meals, or another provider."),
    caption=N_("Ask for changes"),
)
CHANGES_CHECK = text_answer(
    N_("Enter what you would like changed"), N_("Your answer must be %(max)s characters or fewer")
)
STALE = N_(
    "Your plan changed while you were reading it: it is now version %(version)s. "
    "Read this version before you agree it or ask for changes."
)


class Versions(RootModel[list[PlanVersionView]]):
    pass


async def _plan(request: Request, user: SignedIn, *extra: str) -> tuple[Any, list[str]]:
    """The person's plan and, by name, `versions` and/or `providers` of it."""
    reads = await read_all(
        request, user, plan=Source("care_plans", f"/people/{user.person_id}/plan", PlanView)
    )
    plan: PlanView | None = reads.plan
    if plan is None or not extra:
        return reads, reads.unavailable()
    more = {
        "versions": Source("care_plans", f"/plans/{plan.plan_id}/versions", Versions),
        "providers": Source("care_plans", f"/plans/{plan.plan_id}/providers", ProviderChoicesView),
    }
    further = await read_all(request, user, **{name: more[name] for name in extra})
    reads.values.update(further.values)
    reads.missing += further.missing
    return reads, reads.unavailable()


def _names(providers: ProviderChoicesView | None) -> dict[str, str]:
    if providers is None:
        return {}
    return {p.provider_id: p.name for s in providers.services for p in s.providers}


@router.get("")
async def plan_page(request: Request, user: Citizen) -> Response:
    reads, missing = await _plan(request, user, "providers")
    plan: PlanView | None = reads.plan
    return page(
        request,
        "citizen/plan/plan.html",
        title=_("Your care plan"),
        plan=plan,
        names=_names(reads.values.get("providers")),
        choosable=plan is not None and plan.status in CHOOSABLE,
        unavailable=missing,
        back="/account",
    )


@router.get("/versions")
async def versions(request: Request, user: Citizen) -> Response:
    reads, missing = await _plan(request, user, "versions", "providers")
    found = reads.values.get("versions")
    listed = found.root if found else []
    names = _names(reads.values.get("providers"))
    shown = [
        (v, what_changed(listed[i - 1] if i else None, v, names)) for i, v in enumerate(listed)
    ]
    return page(
        request,
        "citizen/plan/versions.html",
        title=_("Versions of your care plan"),
        versions=list(reversed(shown)),
        unavailable=missing,
        back="/plan",
    )


def _agree_page(request: Request, plan: PlanView, form: Form | None = None) -> Response:
    return page(
        request,
        "citizen/plan/agree.html",
        409 if form and form.errors else 200,
        title=_("Agree your care plan"),
        plan=plan,
        form=form,
        errors=form.errors if form else None,
        submission=new_token(),
        back="/plan",
    )


@router.get("/agree")
async def agree(request: Request, user: Citizen) -> Response:
    reads, _missing = await _plan(request, user)
    if reads.plan is None or reads.plan.status != "proposed":
        return go("/plan")
    return _agree_page(request, reads.plan)


async def _stale(request: Request, user: SignedIn, form: Form, field: str) -> PlanView | None:
    reads, _missing = await _plan(request, user)
    if reads.plan is not None:
        form.error(field, _(STALE) % {"version": reads.plan.version}, "plan-version")
    return reads.plan


@router.post("/agree", dependencies=[Depends(check_csrf)])
async def agree_sent(request: Request, user: Citizen) -> Response:
    submitted = await request.form()
    plan_id, seen = str(submitted.get("plan_id", "")), str(submitted.get("seen_version", ""))
    latest: dict[str, PlanView | None] = {}

    async def act() -> Outcome:
        body = {"seen_version": int(seen or 0)}  # who agrees: the token's (care-plans reads it)
        status, answer = await send(request, user, "care_plans", f"/plans/{plan_id}/agree", body)
        if status == 200:
            return Outcome("/plan/agreed")
        form = Form()
        if status == 409:
            latest["plan"] = await _stale(request, user, form, "seen_version")
        else:
            form.error(
                "seen_version",
                _("You cannot agree this plan yet because it costs more than your budget.")
                if status == 422
                else _("We could not record your agreement. Try again."),
                "plan-version",
            )
            latest["plan"] = (await _plan(request, user))[0].plan
        return Outcome(form=form)

    def show(form: Form | None) -> Response:
        plan = latest.get("plan")
        return _agree_page(request, plan, form) if form is not None and plan else go("/plan")

    return await send_once(request, user, str(submitted.get("submission", "")), act, show)


@router.get("/agreed")
async def agreed(request: Request, user: Citizen) -> Response:
    return _done(
        request,
        _("Plan agreed"),
        _("You have agreed your care plan"),
        [
            _("Your care will be arranged as the plan says. We will tell the providers."),
            _("We will review the plan with you by the date shown on your plan."),
        ],
    )


def _changes_form(
    request: Request, plan: PlanView, form: Form | None = None, value: str = ""
) -> Response:
    return ask(
        request,
        CHANGES,
        back="/plan",
        form=form,
        value=value,
        button=N_("Send"),
        hidden_fields={"plan_id": plan.plan_id, "seen_version": plan.version},
        plan=plan,
    )


@router.get("/changes")
async def changes(request: Request, user: Citizen) -> Response:
    reads, _missing = await _plan(request, user)
    if reads.plan is None or reads.plan.status != "proposed":
        return go("/plan")
    return _changes_form(request, reads.plan)


@router.post("/changes", dependencies=[Depends(check_csrf)])
async def changes_sent(request: Request, user: Citizen) -> Response:
    submitted = await request.form()
    form = Form(values={k: str(v) for k, v in submitted.items()})
    reason = CHANGES_CHECK(form, CHANGES)
    plan_id, seen = form.get("plan_id"), form.get("seen_version")
    shown: dict[str, PlanView | None] = {}

    async def act() -> Outcome:
        body = {"seen_version": int(seen or 0), "reason": reason}
        path = f"/plans/{plan_id}/changes-requested"
        status, _answer = await send(request, user, "care_plans", path, body)
        if status == 200:
            return Outcome("/plan/changes/sent")
        failed = Form(values=form.values)
        shown["plan"] = await _stale(request, user, failed, "reason") if status == 409 else None
        if status != 409:
            failed.error("reason", _("We could not send your request. Try again."))
        return Outcome(form=failed)

    if not form.ok:
        current = (await _plan(request, user))[0].plan
        return _changes_form(request, current, form, reason) if current else go("/plan")

    async def show(failed: Form | None) -> Response:
        if failed is None:
            return go("/plan")
        current = shown.get("plan") or (await _plan(request, user))[0].plan
        return _changes_form(request, current, failed, reason) if current else go("/plan")

    return await send_once(request, user, form.get("submission"), act, show)


@router.get("/changes/sent")
async def changes_done(request: Request, user: Citizen) -> Response:
    return _done(
        request,
        _("Request sent"),
        _("We have your request to change your plan"),
        [
            _("Your assessor will look at what you asked for and change the plan."),
            _("We will send you the new version to agree. Your care stays as it is until then."),
        ],
    )


def _done(request: Request, title: str, panel: str, steps: list[str]) -> Response:
    return page(
        request,
        "citizen/done.html",
        title=title,
        panel_text=panel,
        next_steps=steps,
        onward_href="/plan",
        onward_text=_("Back to your care plan"),
    )
