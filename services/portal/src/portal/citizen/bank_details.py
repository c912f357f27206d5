"""Bank details: the account payments go to (its number masked), every change and who made it,
and the person changing it. The payments service keeps the change, tells the person on the
contact details held before it, and holds the first payment to a new account for a cooling-off
period unless a payments officer verifies it with them first."""

import re
from typing import Annotated

from contracts.api.payments import BankAccountView
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from wording import long_date

from portal.access import citizen
from portal.citizen.pages import Source, page, read_all, send, send_once, service_errors
from portal.forms import Form, Outcome, new_token
from portal.i18n import N_
from portal.i18n import gettext as _
from portal.security import check_csrf
from portal.sessions import SignedIn

router = APIRouter(prefix="/payments/bank-details")
Citizen = Annotated[SignedIn, Depends(citizen)]
HELD = N_(
    "For your security, payments go to your new account from %(day)s. If you did not make this"
    " change, contact us straight away."
)
SEPARATORS = re.compile(r"[\s-]")
FIELDS = {  # the payments service's field -> what the person is told
    "payee_name": N_("Enter the name on the account"),
    "sort_code": N_("Enter a valid sort code like 309430"),
    "account_number": N_("Enter a valid account number like 00733445"),
}


async def _current(request: Request, user: SignedIn) -> tuple[BankAccountView | None, list[str]]:
    path = f"/people/{user.person_id}/bank-account"
    reads = await read_all(request, user, bank=Source("payments", path, BankAccountView))
    return reads.bank, reads.unavailable()


@router.get("")
async def summary(request: Request, user: Citizen) -> Response:
    bank, missing = await _current(request, user)
    return page(
        request,
        "citizen/payments/bank_details.html",
        title=_("Bank details"),
        bank=bank,
        unavailable=missing,
        back="/payments",
    )


def _form_page(request: Request, form: Form) -> Response:
    return page(
        request,
        "citizen/payments/bank_details_change.html",
        422 if form.errors else 200,
        title=_("Change your bank details"),
        form=form,
        errors=form.errors,
        submission=new_token(),
        back="/payments/bank-details",
    )


@router.get("/change")
async def change(request: Request, user: Citizen) -> Response:
    return _form_page(request, Form())


def checked(submitted: dict[str, str]) -> Form:
    """The answers as the payments service takes them (digits only), with what is wrong."""
    form = Form(values={k: v.strip() for k, v in submitted.items()})
    for name in ("sort_code", "account_number"):
        form.values[name] = SEPARATORS.sub("", form.get(name))
    name, sort_code, number = (
        form.get("payee_name"),
        form.get("sort_code"),
        form.get("account_number"),
    )
    if not name:
        form.error("payee_name", _("Enter the name on the account"))
    elif len(name) > 70:
        form.error("payee_name", _("Name on the account must be 70 characters or fewer"))
    if not sort_code:
        form.error("sort_code", _("Enter a sort code"))
    elif not re.fullmatch(r"[0-9]{6}", sort_code):
        form.error("sort_code", _("Enter a valid sort code like 309430"))
    if not number:
        form.error("account_number", _("Enter an account number"))
    elif not re.fullmatch(r"[0-9]{8}", number):
        form.error("account_number", _("Account number must be 8 digits"))
    return form


@router.post("/change", dependencies=[Depends(check_csrf)])
async def changed(request: Request, user: Citizen) -> Response:
    submitted = await request.form()
    form = checked({k: str(v) for k, v in submitted.items() if k in FIELDS})

    async def act() -> Outcome:
        if not form.ok:
            return Outcome(form=form)
        body = {name: form.get(name) for name in FIELDS}
        path = f"/people/{user.person_id}/bank-account"
        status, answer = await send(request, user, "payments", path, body, method="PUT")
        if status == 200:
            return Outcome("/payments/bank-details/changed")
        for field in service_errors(answer):
            form.error(
                field if field in FIELDS else "payee_name",
                _(FIELDS.get(field, FIELDS["payee_name"])),
            )
        if form.ok:
            form.error("payee_name", _("We could not change your bank details. Try again."))
        return Outcome(form=form)

    token = str(submitted.get("submission", ""))
    return await send_once(
        request, user, token, act, lambda shown: _form_page(request, shown or form)
    )


@router.get("/changed")
async def confirmation(request: Request, user: Citizen) -> Response:
    bank, _missing = await _current(request, user)
    held = bank.payments_held_until if bank else None
    steps = [
        _("We have sent you a message about this change, to the contact details we had before.")
    ]
    if held:
        steps.insert(0, _(HELD) % {"day": long_date(held)})
    return page(
        request,
        "citizen/done.html",
        title=_("Bank details changed"),
        panel_text=_("We have your new bank details"),
        next_steps=steps,
        onward_href="/payments/bank-details",
        onward_text=_("Back to your bank details"),
    )
