"""A person's payments, their ledger and their bank account (the portal reads the payments)."""

from typing import Annotated

from contracts.api.payments import BankAccountSet, PersonLedger, PersonPayments, UcClaimView
from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from payments.entrypoints import views
from payments.entrypoints.access import BankDetails, CaseReader, Reader
from payments.entrypoints.dependencies import Deps
from payments.service_layer import bank_accounts, queries
from payments.service_layer.commands import SetBankAccount

router = APIRouter()
PersonId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


class BankAccount(BaseModel):
    model_config = ConfigDict(extra="forbid")
    payee_name: str = Field(min_length=1, max_length=70, pattern=r"\S")
    sort_code: str = Field(pattern=r"^[0-9]{6}$", description="6 digits, no dashes")
    account_number: str = Field(pattern=r"^[0-9]{8}$")


@router.get("/people/{person_id}/payments", response_model=PersonPayments)
async def payments_of(person_id: PersonId, deps: Deps, who: CaseReader) -> PersonPayments:
    found = await queries.payments_of(person_id, deps.uow())
    return views.person_payments(found, deps.today())


@router.get("/people/{person_id}/uc-claim", response_model=UcClaimView)
async def uc_claim_of(person_id: PersonId, deps: Deps, who: CaseReader) -> UcClaimView:
    """The Universal Credit claim the benefits system told us of, and what it assessed."""
    claim, periods = await queries.uc_claim_of(person_id, deps.uow())
    return views.uc_claim(person_id, claim, periods)


@router.get("/people/{person_id}/ledger", response_model=PersonLedger)
async def ledger_of(person_id: PersonId, deps: Deps, who: Reader) -> PersonLedger:
    return views.person_ledger(person_id, await queries.ledger_of(person_id, deps.uow()))


@router.put("/people/{person_id}/bank-account", response_model=BankAccountSet)
async def set_bank_account(
    person_id: PersonId, account: BankAccount, deps: Deps, who: BankDetails
) -> BankAccountSet:
    """New bank details; payments held for want of them (or after a bounce) are released."""
    command = SetBankAccount(
        person_id, account.payee_name.strip(), account.sort_code, account.account_number
    )
    released = await bank_accounts.set_bank_account(command, deps.uow())
    return views.bank_account_set(person_id, released)
