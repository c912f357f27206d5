"""Bank details to confirm: new bank details whose payments wait for the cooling-off. A payments
officer confirms the change with the person, on the contact details held before it, and records
that here; payments then need not wait. Payments refuses the officer who made the change (four
eyes) and audits each read of the person's details."""

from typing import Annotated
from urllib.parse import quote

from contracts.api.payments import BankAccountView, BankDetailsCoolingOff
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from portal.access import staff_with
from portal.assessor.workspace import Workspace
from portal.clients import Answer
from portal.forms import Form, new_token
from portal.security import check_csrf
from portal.sessions import SignedIn
from portal.staff_actions import act_once
from portal.web import render

router = APIRouter(prefix="/bank-details-checks")
Officer = Annotated[SignedIn, Depends(staff_with("payments_officer"))]
OWN_CHANGE = "You made this change. A different payments officer must confirm it with the person."


@router.get("", response_model=None)
async def waiting(request: Request, user: Officer) -> Response:
    listed = await Workspace(request, user).read(
        "payments", "/ops/bank-details/cooling-off", BankDetailsCoolingOff
    )
    return render(request, "bank_details_checks.html", title="Bank details to confirm",
                  waiting=listed)  # fmt: skip


def _path(person_id: str) -> str:
    return f"/people/{quote(person_id, safe='')}/bank-account"


async def _person_page(
    request: Request, user: SignedIn, person_id: str, form: Form | None = None, status: int = 200
) -> Response:
    bank = await Workspace(request, user).read("payments", _path(person_id), BankAccountView)
    if bank is None:
        raise HTTPException(404)
    return render(
        request, "bank_details_check.html", status, title="Confirm new bank details", bank=bank,
        form=form or Form(), submission=new_token(),
        confirmed=request.query_params.get("confirmed") == "1",
    )  # fmt: skip


@router.get("/{person_id}", response_model=None)
async def person(request: Request, user: Officer, person_id: str) -> Response:
    return await _person_page(request, user, person_id)


def refusal(answer: Answer) -> str:
    field, message = next(iter(answer.errors()), ("", "payments refused it"))
    return OWN_CHANGE if field == "authorization" else f"This cannot be confirmed: {message}."


@router.post("/{person_id}", response_model=None, dependencies=[Depends(check_csrf)])
async def confirm(request: Request, user: Officer, person_id: str) -> Response:
    done = await act_once(
        request, user, "payments", _path(person_id) + "/verification",
        done=f"/bank-details-checks/{quote(person_id, safe='')}?confirmed=1", refusal=refusal,
        anchor="bank-account",
    )  # fmt: skip
    if isinstance(done, Response):
        return done
    return await _person_page(request, user, person_id, done, 409)
