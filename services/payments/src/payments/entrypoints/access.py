"""Who may call what: each route's policy (servicekit.auth), named once here. Staff roles come
from the provider's `roles` claim; a person's own token reaches only their own payments,
ledger and bank account."""

from typing import Annotated

from fastapi import Depends
from servicekit.auth import ASSESSOR, OPERATIONS, PAYMENTS_OFFICER, REVIEWER, Principal, require

Reader = Annotated[
    Principal, Depends(require("payments:read", roles=[PAYMENTS_OFFICER], person=True))
]
BankDetailsChanger = Annotated[
    Principal, Depends(require("payments:write", roles=[PAYMENTS_OFFICER], person=True))
]
"""The person themselves, or a payments officer (who must give a reason)."""
BankDetailsVerifier = Annotated[
    Principal, Depends(require("payments:write", roles=[PAYMENTS_OFFICER]))
]
RunStarter = Annotated[Principal, Depends(require("payments:run", roles=[PAYMENTS_OFFICER]))]
RunApprover = Annotated[Principal, Depends(require("payments:run", roles=[PAYMENTS_OFFICER]))]
"""A second payments officer: never the one who started the run (domain/run_approval.py)."""
BankFileReader = Annotated[Principal, Depends(require("payments:run", roles=[PAYMENTS_OFFICER]))]
"""Only with the payments scope; every download is on the audit trail."""
BankResponder = Annotated[Principal, Depends(require("payments:write", roles=[PAYMENTS_OFFICER]))]
"""The bank's responses, uploaded by a payments officer: a bearer token is needed, as for every
state-changing call (no token: 401, nothing applied)."""
MoneyReceiver = Annotated[Principal, Depends(require("payments:write", roles=[PAYMENTS_OFFICER]))]
"""Money received in the collection account, entered by a payments officer from the bank's
statement (as bank responses are)."""
Overseer = Annotated[
    Principal, Depends(require("payments:read", roles=[PAYMENTS_OFFICER, OPERATIONS]))
]
CaseReader = Annotated[
    Principal,
    Depends(require("payments:read", roles=[PAYMENTS_OFFICER, ASSESSOR, REVIEWER], person=True)),
]
"""The person's payments and their UC claim as the benefits system reported it: the person's
record in the assessors' workspace shows both (the claim's capital and income pre-fill the
means); payments officers and the person read them too. Not the ledger or the bank account."""
