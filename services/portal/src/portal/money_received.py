"""Money received: a payments officer records a credit from the collection account's statement
against a bill's reference, and sees the money no bill matched. Payments matches it to the bill,
keeps anything over as the person's credit, and records each bank transaction once; this page
says which of those happened."""

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from contracts.api.payments import IncomingPayment, UnmatchedIncomingPayments
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from portal.access import staff_with
from portal.assessor.forms import Problems, date_from, pence
from portal.assessor.workspace import Workspace
from portal.forms import Outcome, new_token
from portal.security import check_csrf
from portal.sessions import SignedIn
from portal.web import render

router = APIRouter(prefix="/money-received")
Officer = Annotated[SignedIn, Depends(staff_with("payments_officer"))]
FIELDS = {  # payments' field -> this page's input
    "credits.0.bank_transaction_id": "bank_transaction_id",
    "credits.0.reference": "reference",
    "credits.0.amount_pence": "amount",
    "credits.0.received_on": "received_on-day",
    "bank_transaction_id": "bank_transaction_id",
}


async def _page(request: Request, user: SignedIn, problems: Problems, values: dict[str, str],
                status: int = 200) -> Response:  # fmt: skip
    unmatched = await Workspace(request, user).read(
        "payments", "/ops/incoming-payments/unmatched", UnmatchedIncomingPayments
    )
    return render(
        request, "money_received.html", status, title="Money received", problems=problems,
        values=values, unmatched=unmatched, submission=new_token(),
    )  # fmt: skip


@router.get("", response_model=None)
async def money_received(request: Request, user: Officer) -> Response:
    return await _page(request, user, Problems(), {})


def credit_from(values: dict[str, str], problems: Problems, today: date) -> dict[str, Any]:
    """The credit as payments takes it, or the problems with what was typed."""
    transaction, reference = values.get("bank_transaction_id", ""), values.get("reference", "")
    if not transaction.strip():
        problems.add("bank_transaction_id", "Enter the bank's transaction ID")
    if not reference.strip():
        problems.add("reference", "Enter the reference the payer gave")
    amount = pence(values.get("amount", ""), problems, "amount", "Amount")
    if amount is None and "amount" not in problems.errors:
        problems.add("amount", "Enter the amount received")
    elif amount == 0:
        problems.add("amount", "Amount must be more than £0")
    received = date_from(
        *(values.get(f"received_on-{p}", "") for p in ("day", "month", "year")),
        problems, "received_on-day", "The date received",
    )  # fmt: skip
    if received is None and "received_on-day" not in problems.errors:
        problems.add("received_on-day", "Enter the date the money was received")
    elif received and received > today:
        problems.add("received_on-day", "The date received must be today or in the past")
    return {
        "bank_transaction_id": transaction.strip(), "reference": reference.strip(),
        "amount_pence": amount, "received_on": received.isoformat() if received else None,
    }  # fmt: skip


@router.post("", response_model=None, dependencies=[Depends(check_csrf)])
async def record(request: Request, user: Officer) -> Response:
    submitted = {k: str(v) for k, v in (await request.form()).items()}
    problems = Problems()

    async def act() -> Outcome:
        credit = credit_from(submitted, problems, date.today())
        if problems:
            return Outcome()
        answer = await Workspace(request, user).send(
            "POST", "payments", "/incoming-payments", {"credits": [credit]}
        )
        if answer.ok:
            [recorded] = answer.body["payments"]
            again = "?again=1" if recorded["duplicate"] else ""
            return Outcome(
                f"/money-received/{quote(credit['bank_transaction_id'], safe='')}{again}"
            )
        problems.from_service(answer.errors(), FIELDS, "bank_transaction_id")
        return Outcome()

    outcome = await request.app.state.submissions.once(user, submitted.get("submission", ""), act)
    if outcome.location:
        return RedirectResponse(outcome.location, status_code=303)
    return await _page(request, user, problems, submitted, status=422)


@router.get("/{bank_transaction_id}", response_model=None)
async def recorded(request: Request, user: Officer, bank_transaction_id: str) -> Response:
    """What payments recorded for the credit (after the form: the confirmation)."""
    path = f"/incoming-payments/{quote(bank_transaction_id, safe='')}"
    credit = await Workspace(request, user).read("payments", path, IncomingPayment)
    if credit is None:
        raise HTTPException(404)
    again = request.query_params.get("again") == "1"
    return render(
        request, "money_received_recorded.html", title="Money recorded", credit=credit,
        again=again,
    )  # fmt: skip
