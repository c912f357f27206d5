"""The payments officers' pages in-process, with payments replaced by a recording fake (the
real journeys are tests/browser/test_ops_payment_runs.py and the bill journey in
test_payment_journeys.py): who may open them, CSRF on every form, bad input refused before
payments is asked, and payments' refusals in words."""

import re

import pytest
from portal.clients import Answer

from .conftest import ASSESSOR, CITIZEN_ONE, OPS, FakeServices

pytestmark = pytest.mark.integration
OFFICER = "oliver.brown@carebenefit.example"
PAGES = [
    "/payment-runs", "/payment-runs/run-1", "/payment-runs/run-1/files/F-1", "/money-received",
    "/money-received/TX-1", "/bank-details-checks", "/bank-details-checks/P-ONE",
]  # fmt: skip
RUN = {
    "run_id": "run-1", "run_date": "2026-11-16", "status": "completed", "batches": 1,
    "instructed": 2, "held": 0, "nil": 0, "total_pence": 38920, "outcome": None,
    "files": ["F-1"], "provider_total_pence": 0, "provider_payments": [],
    "bank_files": [{"file_id": "F-1", "batch_no": 1, "transactions": 2, "total_pence": 38920}],
    "started_by": "urn:carebenefit:staff:oliver-brown", "released": False,
}  # fmt: skip
OFFICERS_READS = (
    "/payment-runs", "/incoming-payments", "/ops/incoming-payments", "/people/P-ONE/bank",
    "/ops/bank-details",
)  # fmt: skip
BANK = {"person_id": "P-ONE", "payee_name": "Ada One", "account": "****9911",
        "payments_held_until": "2026-12-09", "verified_by": None, "verified_at": None,
        "changes": [{"change_id": "c1", "changed_on": "2026-12-01", "changed_by": "urn:x:staff",
                     "role": "payments_officer", "reason": "by phone", "account": "****9911",
                     "payments_held_until": "2026-12-09"}]}  # fmt: skip
CONFLICT = {"errors": [{"field": "bank_transaction_id", "message": "recorded before otherwise"}]}
OWN_RUN = {"errors": [{"field": "authorization", "message": "a second officer must approve"}]}


class Payments(FakeServices):
    async def get(self, service: str, path: str, token=None, headers=None, **params):
        self.calls.append((service, path, token))
        reads = {"/payment-runs": {"runs": [RUN]}, "/payment-runs/run-1": RUN,
                 "/ops/incoming-payments/unmatched": {"payments": []},
                 "/ops/bank-details/cooling-off": {"people": []},
                 "/people/P-ONE/bank-account": BANK}  # fmt: skip
        return reads.get(path)

    async def send(self, method, service, path, body=None, token=None, headers=None) -> Answer:
        self.sent.append((service, path, body))
        if path.endswith(("/approval", "/verification")):
            return Answer(403, OWN_RUN, {})
        return Answer(409, CONFLICT, {}) if path == "/incoming-payments" else Answer(404, None, {})

    async def download(self, service: str, path: str, token: str):
        self.calls.append((service, path, token))
        return None


def csrf(page: str) -> dict[str, str]:
    return dict(re.findall(r'name="(csrf_token|submission)" value="([^"]+)"', page))


async def test_only_payments_officers_open_the_payment_run_pages(start_portal) -> None:
    for user in (None, OPS, ASSESSOR, CITIZEN_ONE):
        async with start_portal(Payments()) as portal:
            if user:
                await portal.sign_in(
                    user, start="/sign-in" if "@example" in user else "/staff/sign-in"
                )
            for path in PAGES:
                status = (await portal.http.get(path)).status_code
                assert status == (403 if user else 303) or (not user and status in (302, 307))
            asked = [c for c in portal.services.calls if c[1].startswith(OFFICERS_READS)]
            assert asked == []  # payments never asked (the console's samplers aside)


async def test_a_run_date_is_checked_before_payments_is_asked(start_portal) -> None:
    async with start_portal(Payments()) as portal:
        await portal.sign_in(OFFICER, start="/staff/sign-in")
        listed = await portal.http.get("/payment-runs")
        assert listed.status_code == 200 and "16 November 2026" in listed.text
        sent = {**csrf(listed.text), "run_date-day": "31", "run_date-month": "2",
                "run_date-year": "2027"}  # fmt: skip
        refused = await portal.http.post("/payment-runs", data=sent)
        assert refused.status_code == 422
        assert "The run date must be a real date" in refused.text
        assert portal.services.sent == []
        no_csrf = await portal.http.post("/payment-runs", data={"run_date-day": "1"})
        assert no_csrf.status_code == 403 and portal.services.sent == []


async def test_payments_refusing_an_approval_is_said_in_words(start_portal) -> None:
    async with start_portal(Payments()) as portal:
        await portal.sign_in(OFFICER, start="/staff/sign-in")
        run = await portal.http.get("/payment-runs/run-1")
        assert "Approve and release the bank files" in run.text
        assert "(download)" not in run.text  # not released: no file to download
        refused = await portal.http.post("/payment-runs/run-1/approval", data=csrf(run.text))
        assert refused.status_code == 409
        assert "A different payments officer must approve it" in refused.text
        assert portal.services.sent == [("payments", "/payment-runs/run-1/approval", None)]
        no_csrf = await portal.http.post("/payment-runs/run-1/approval", data={})
        assert no_csrf.status_code == 403 and len(portal.services.sent) == 1


async def test_money_received_is_checked_before_payments_is_asked(start_portal) -> None:
    async with start_portal(Payments()) as portal:
        await portal.sign_in(OFFICER, start="/staff/sign-in")
        form = await portal.http.get("/money-received")
        assert "None: every credit recorded matched a bill." in form.text
        typed = {
            "bank_transaction_id": " ",
            "reference": "CB1",
            "amount": "0.00",
            "received_on-day": "1",
            "received_on-month": "1",
            "received_on-year": "2999",
        }
        refused = await portal.http.post("/money-received", data={**csrf(form.text), **typed})
        assert refused.status_code == 422 and portal.services.sent == []
        for wrong in ("Enter the bank&#39;s transaction ID", "Amount must be more than £0",
                      "The date received must be today or in the past"):  # fmt: skip
            assert wrong in refused.text
        typed |= {"bank_transaction_id": "TX-1", "amount": "12.50", "received_on-year": "2026"}
        conflict = await portal.http.post("/money-received", data={**csrf(form.text), **typed})
        assert conflict.status_code == 422 and "Recorded before otherwise" in conflict.text
        [(_, path, body)] = portal.services.sent
        assert path == "/incoming-payments" and body["credits"][0]["amount_pence"] == 1250


async def test_the_officer_who_made_a_bank_change_is_told_another_must_confirm_it(
    start_portal,
) -> None:
    async with start_portal(Payments()) as portal:
        await portal.sign_in(OFFICER, start="/staff/sign-in")
        assert (
            "None: no new bank details are waiting."
            in (await portal.http.get("/bank-details-checks")).text
        )
        page = await portal.http.get("/bank-details-checks/P-ONE")
        assert "Ending 9911" in page.text and "09 December 2026" in page.text
        refused = await portal.http.post("/bank-details-checks/P-ONE", data=csrf(page.text))
        assert refused.status_code == 409
        assert "A different payments officer must confirm it" in refused.text
        assert portal.services.sent == [
            ("payments", "/people/P-ONE/bank-account/verification", None)
        ]
        no_csrf = await portal.http.post("/bank-details-checks/P-ONE", data={})
        assert no_csrf.status_code == 403 and len(portal.services.sent) == 1


ACTIONS = [  # every form a payments officer sends: (path, fields)
    ("/payment-runs", {"run_date-day": "1", "run_date-month": "1", "run_date-year": "2026"}),
    ("/payment-runs/run-1/approval", {}),
    ("/money-received", {"bank_transaction_id": "TX-1", "reference": "CB1", "amount": "1",
                         "received_on-day": "1", "received_on-month": "1",
                         "received_on-year": "2026"}),
    ("/bank-details-checks/P-ONE", {}),
]  # fmt: skip


async def test_every_payments_officer_form_refuses_anyone_else(start_portal) -> None:
    """Signed out, operations, an assessor and a person, each with their own valid CSRF token
    where they have one: refused, and payments is never asked to do anything."""
    for user in (None, OPS, ASSESSOR, CITIZEN_ONE):
        async with start_portal(Payments()) as portal:
            token = {}
            if user:
                start = "/sign-in" if "@example" in user else "/staff/sign-in"
                landed = await portal.sign_in(user, start=start)
                token = dict(re.findall(r'name="(csrf_token)" value="([^"]+)"', landed.text))
                assert token, user  # the sign-out form carries it
            for path, fields in ACTIONS:
                refused = await portal.http.post(path, data={**token, **fields})
                assert refused.status_code in ((403,) if user else (303, 403)), (user, path)
            assert portal.services.sent == []
