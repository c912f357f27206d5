"""The person's payments page shows what they still owe: an overpayment, and a contribution to
the care their providers were paid for when their award fell short (payments' read model)."""

import pytest

from .conftest import CITIZEN_ONE, FakeServices


class Owing(FakeServices):
    def __init__(self, **owed) -> None:
        super().__init__()
        self.owed = owed

    async def get(self, service: str, path: str, *args, **kwargs):
        found = await super().get(service, path, *args, **kwargs)
        if path.endswith("/payments") and found is not None:
            return {**found, **self.owed}
        return found


@pytest.mark.parametrize("contribution", [12_827, 0])
async def test_the_payments_page_shows_a_contribution_outstanding(
    start_portal, contribution
) -> None:
    async with start_portal(Owing(contribution_outstanding_pence=contribution)) as portal:
        await portal.sign_in(CITIZEN_ONE)
        page = await portal.http.get("/payments")
    assert page.status_code == 200
    shown = "Contribution outstanding" in page.text
    assert shown == bool(contribution)
    if contribution:
        assert "You owe £128.27 towards the care your providers gave you" in page.text


BILL = {
    "invoice_reference": "CB4Q8RT2KX9MZA17",
    "contribution_id": "CN1",
    "period_start": "2025-05-10",
    "period_end": "2025-06-09",
    "amount_pence": 12_827,
    "paid_pence": 5_000,
    "outstanding_pence": 7_827,
    "issued_on": "2025-06-16",
    "due_on": "2025-07-14",
}


async def test_the_payments_page_shows_each_bill_and_what_is_left_to_pay(start_portal) -> None:
    paid = {**BILL, "invoice_reference": "CB0000000000001X", "paid_pence": 12_827,
            "outstanding_pence": 0}  # fmt: skip
    owing = Owing(
        contribution_outstanding_pence=7_827,
        contribution_invoices=[BILL, paid],
        contribution_credit_pence=250,
    )
    async with start_portal(owing) as portal:
        await portal.sign_in(CITIZEN_ONE)
        page = await portal.http.get("/payments")
    assert page.status_code == 200
    bills = page.text.split('id="bills"', 1)[1].split("</table>", 1)[0]
    for shown in ("CB4Q8RT2KX9MZA17", "£128.27", "14 July 2025", "£50.00", "£78.27"):
        assert shown in bills
    assert "CB0000000000001X" not in page.text  # paid in full: no longer a bill to pay
    assert "use the bill&#39;s reference" in page.text or "use the bill's reference" in page.text
    assert "You have paid £2.50 more than your bills asked for" in page.text


async def test_no_bills_no_table(start_portal) -> None:
    async with start_portal(Owing(contribution_outstanding_pence=0)) as portal:
        await portal.sign_in(CITIZEN_ONE)
        page = await portal.http.get("/payments")
    assert page.status_code == 200 and 'id="bills"' not in page.text
