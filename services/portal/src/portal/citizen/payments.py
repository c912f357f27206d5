"""Payments: what is coming and what has been paid, each assessment period's statement line by
line as the payments service explains it, any overpayment and how it is being recovered, and
how the budget is split between care the scheme pays for and the direct payment. A statement
downloads as an accessible (tagged, PDF/UA) PDF and as CSV."""

import csv
import io
from datetime import date
from typing import Annotated

from contracts.api.payments import PersonPayments, ScheduledPayment
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from wording import long_date, pounds

from portal.access import citizen
from portal.citizen.pages import Source, page, read_all, today
from portal.i18n import gettext as _
from portal.sessions import SignedIn

router = APIRouter(prefix="/payments")
Citizen = Annotated[SignedIn, Depends(citizen)]
DONE = ("paid", "instructed", "nil")


async def _payments(request: Request, user: SignedIn) -> tuple[PersonPayments | None, list[str]]:
    path = f"/people/{user.person_id}/payments"
    reads = await read_all(request, user, payments=Source("payments", path, PersonPayments))
    return reads.payments, reads.unavailable()


@router.get("")
async def payments(request: Request, user: Citizen) -> Response:
    found, missing = await _payments(request, user)
    on = today()
    listed = found.payments if found else []
    upcoming = [p for p in listed if p.status in ("scheduled", "held") and p.due_date >= on]
    return page(
        request,
        "citizen/payments/payments.html",
        title=_("Payments"),
        payments=found,
        upcoming=upcoming,
        history=[p for p in reversed(listed) if p not in upcoming],
        recovery=[p for p in upcoming if p.recovery_pence],
        unavailable=missing,
        back="/account",
    )


def _find(found: PersonPayments | None, instruction_id: str) -> ScheduledPayment | None:
    return next(
        (p for p in (found.payments if found else []) if p.instruction_id == instruction_id), None
    )


@router.get("/{instruction_id}")
async def statement(request: Request, user: Citizen, instruction_id: str) -> Response:
    found, missing = await _payments(request, user)
    payment = _find(found, instruction_id)
    if payment is None and not missing:
        return page(
            request,
            "error.html",
            404,
            title=_("Page not found"),
            message=_("There is no such payment."),
        )
    return page(
        request,
        "citizen/payments/statement.html",
        title=_("Statement"),
        payment=payment,
        payments=found,
        unavailable=missing,
        back="/payments",
    )


def _period(payment: ScheduledPayment) -> str:
    return _("%(start)s to %(end)s") % {
        "start": long_date(payment.period_start),
        "end": long_date(payment.period_end),
    }


def statement_rows(payment: ScheduledPayment) -> list[tuple[str, str, str]]:
    """(what, why, amount) for each line, then what was paid: the statement as a table."""
    rows = [
        (line.label, line.explanation, pounds(line.amount_pence))
        for line in payment.statement.lines
    ]
    rows.append(
        (
            _("Paid to you"),
            _("Due %(day)s") % {"day": long_date(payment.due_date)},
            pounds(payment.amount_pence),
        )
    )
    return rows


@router.get("/{instruction_id}/statement.csv")
async def statement_csv(request: Request, user: Citizen, instruction_id: str) -> Response:
    found, missing = await _payments(request, user)
    payment = _find(found, instruction_id)
    if payment is None:
        return Response(status_code=503 if missing else 404)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Line"), _("Explanation"), _("Amount (pence)")])
    for line in payment.statement.lines:
        writer.writerow([line.label, line.explanation, line.amount_pence])
    writer.writerow([_("Paid to you"), long_date(payment.due_date), payment.amount_pence])
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{_filename(payment)}.csv"'},
    )


@router.get("/{instruction_id}/statement.pdf")
async def statement_pdf(request: Request, user: Citizen, instruction_id: str) -> Response:
    found, missing = await _payments(request, user)
    payment = _find(found, instruction_id)
    if payment is None:
        return Response(status_code=503 if missing else 404)
    html = request.app.state.templates.env.get_template(
        "citizen/payments/statement_pdf.html"
    ).render(
        payment=payment,
        payments=found,
        rows=statement_rows(payment),
        period=_period(payment),
        lang=getattr(request.state, "lang", "en"),
        printed=long_date(date.today()),
    )
    pdf = await run_in_threadpool(_render_pdf, html)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{_filename(payment)}.pdf"'},
    )


def _render_pdf(html: str) -> bytes:
    """Tagged PDF (PDF/UA-1): headings, the table's header cells, the language and the title
    are in its structure, so screen readers read it as they read the page."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


def _filename(payment: ScheduledPayment) -> str:
    return f"care-benefit-statement-{payment.period_start.isoformat()}"
