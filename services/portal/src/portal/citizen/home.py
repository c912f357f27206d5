"""Home: the award, the next payment, the plan and unread messages at a glance, and a task list
of what the person must do and by when."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated

from contracts.api.assessment import CurrentDecision, DecisionHistory
from contracts.api.care_plans import PlanView
from contracts.api.notifications import InboxView, PreferencesView
from contracts.api.payments import PersonPayments
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from wording import long_date

from portal.access import citizen
from portal.citizen.pages import Source, page, read_all, today
from portal.i18n import gettext as _
from portal.sessions import SignedIn

router = APIRouter()
REVIEW_SOON = timedelta(weeks=8)


@dataclass(frozen=True)
class Task:
    title: str
    href: str | None
    hint: str
    status: str
    to_do: bool  # shown as a blue "to do" tag, else as plain status text

    def item(self) -> dict[str, object]:
        title = {"text": self.title, **({"href": self.href} if self.href else {})}
        status = (
            {"tag": {"text": self.status, "classes": "govuk-tag--blue"}}
            if self.to_do
            else {"text": self.status}
        )
        return {"title": title, "hint": {"text": self.hint}, "status": status}


def sources(person: str) -> dict[str, Source]:
    return {
        "decision": Source("assessment", f"/people/{person}/decision", CurrentDecision),
        "history": Source("assessment", f"/people/{person}/decisions", DecisionHistory),
        "payments": Source("payments", f"/people/{person}/payments", PersonPayments),
        "plan": Source("care_plans", f"/people/{person}/plan", PlanView),
        "messages": Source("notifications", f"/people/{person}/messages", InboxView),
        "preferences": Source("notifications", f"/people/{person}/preferences", PreferencesView),
    }


@router.get("/account", response_class=HTMLResponse)
async def home(request: Request, user: Annotated[SignedIn, Depends(citizen)]) -> HTMLResponse:
    reads = await read_all(request, user, **sources(str(user.person_id)))
    tasks = _award_tasks(reads.decision, reads.history, today())
    tasks += _plan_tasks(reads.plan)
    tasks += _contact_tasks(reads.preferences)
    unread = [m for m in reads.messages.messages if not m.read] if reads.messages else []
    return page(
        request,
        "citizen/home.html",
        title=_("Your Care Benefit"),
        reads=reads,
        unavailable=reads.unavailable(),
        tasks=[t.item() for t in tasks],
        unread=unread,
    )


def _award_tasks(
    decision: CurrentDecision | None, history: DecisionHistory | None, on: date
) -> list[Task]:
    if decision is None:
        return []
    tasks = []
    pending = [r for r in (history.reconsiderations if history else []) if r.status == "requested"]
    if pending:
        asked = long_date(pending[-1].requested_on)
        tasks.append(
            Task(
                _("Your request to look again at your decision"),
                "/award",
                _("You asked on %(day)s. We will write to you with our decision.") % {"day": asked},
                _("Waiting for a decision"),
                False,
            )
        )
    elif on <= decision.reconsideration_deadline and _reconsiderable(decision, history):
        deadline = long_date(decision.reconsideration_deadline)
        tasks.append(
            Task(
                _("Ask us to look again at your decision if you think it is wrong"),
                "/award/reconsideration",
                _("You must ask by %(day)s.") % {"day": deadline},
                _("By %(day)s") % {"day": deadline},
                False,
            )
        )
    if decision.review_date - on <= REVIEW_SOON:
        tasks.append(
            Task(
                _("Your award review"),
                "/award",
                _("We will contact you to review your award by %(day)s.")
                % {"day": long_date(decision.review_date)},
                _("Due %(day)s") % {"day": long_date(decision.review_date)},
                True,
            )
        )
    return tasks


def _reconsiderable(decision: CurrentDecision, history: DecisionHistory | None) -> bool:
    version = next(
        (
            d
            for d in (history.decisions if history else [])
            if d.decision_id == decision.decision_id
        ),
        None,
    )
    return version is None or version.kind != "reconsideration"


def _plan_tasks(plan: PlanView | None) -> list[Task]:
    if plan is None:
        return []
    covered = plan.top_up is not None and plan.top_up.pence >= plan.shortfall_pence
    if plan.status in ("draft", "proposed") and plan.shortfall_pence > 0 and not covered:
        return [
            Task(
                _("Your care plan costs more than your budget"),
                "/plan",
                _(
                    "Your assessor will change the plan or arrange extra funding "
                    "before you agree it."
                ),
                _("Waiting for your assessor"),
                False,
            )
        ]
    if plan.status == "proposed":
        return [
            Task(
                _("Agree your care plan"),
                "/plan",
                _("Read version %(version)s of your plan and agree it or ask for changes.")
                % {"version": plan.version},
                _("To do"),
                True,
            )
        ]
    return []


def _contact_tasks(preferences: PreferencesView | None) -> list[Task]:
    if preferences is None or preferences.email or preferences.phone or preferences.postcode:
        return []
    return [
        Task(
            _("Tell us how to contact you"),
            "/preferences",
            _(
                "We can only reach you here in your account. "
                "Add an email address, mobile number or postal address."
            ),
            _("To do"),
            True,
        )
    ]
