"""A person's payments, their ledger and their bank account (the portal reads the payments)."""

from typing import Annotated

from contracts.api.payments import (
    BankAccountSet,
    BankAccountVerified,
    BankAccountView,
    BankDetailsCoolingOff,
    BankDetailsWaiting,
    PersonLedger,
    PersonPayments,
    UcClaimView,
)
from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from servicekit.auth import PAYMENTS_OFFICER, Principal

from payments.domain.bank_details import Actor, BankDetails
from payments.entrypoints import bank_account_views, views
from payments.entrypoints.access import (
    BankDetailsChanger,
    BankDetailsVerifier,
    CaseReader,
    Overseer,
    Reader,
)
from payments.entrypoints.dependencies import Deps
from payments.service_layer import bank_accounts, queries
from payments.service_layer.commands import SetBankAccount, VerifyBankAccount

router = APIRouter()
PersonId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$")]


class BankAccount(BaseModel):
    model_config = ConfigDict(extra="forbid")
    payee_name: str = Field(min_length=1, max_length=70, pattern=r"\S")
    sort_code: str = Field(pattern=r"^[0-9]{6}$", description="6 digits, no dashes")
    account_number: str = Field(pattern=r"^[0-9]{8}$")
    reason: str | None = Field(
        None,
        max_length=500,
        description="Why the details change: required of staff (the person need not say)",
    )


def actor(who: Principal) -> Actor:
    return Actor(who.subject, who.role_in([PAYMENTS_OFFICER]), who.kind == "staff")


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
    person_id: PersonId, account: BankAccount, deps: Deps, who: BankDetailsChanger
) -> BankAccountSet:
    """New bank details, by the person or by a payments officer with a reason. Every change is
    kept and told to the person. Another account than before: payments to it wait for the
    cooling-off period unless verified; otherwise payments held for want of details (or after a
    bounce) are released."""
    details = BankDetails(account.payee_name.strip(), account.sort_code, account.account_number)
    command = SetBankAccount(person_id, details, actor(who), account.reason)
    change, released = await bank_accounts.set_bank_account(
        command, deps.uow(), deps.today(), deps.cooling_off_days
    )
    return bank_account_views.bank_account_set(change, released)


@router.get("/people/{person_id}/bank-account", response_model=BankAccountView)
async def bank_account_of(person_id: PersonId, deps: Deps, who: Reader) -> BankAccountView:
    """The details in use (the account masked) and every change: who, in what role, why, when."""
    current, history = await bank_accounts.bank_account_of(person_id, deps.uow())
    return bank_account_views.bank_account(current, history, staff_names=who.kind == "staff")


@router.post("/people/{person_id}/bank-account/verification", response_model=BankAccountVerified)
async def verify_bank_account(
    person_id: PersonId, deps: Deps, who: BankDetailsVerifier
) -> BankAccountVerified:
    """A payments officer (not the one who changed them) confirmed the new details with the
    person on the contact details held before the change: payments need not wait."""
    command = VerifyBankAccount(person_id, actor(who))
    verified, released = await bank_accounts.verify_bank_account(command, deps.uow())
    return bank_account_views.bank_account_verified(verified, released)


@router.get("/ops/bank-details/cooling-off", response_model=BankDetailsCoolingOff)
async def bank_details_cooling_off(deps: Deps, who: Overseer) -> BankDetailsCoolingOff:
    """New bank details whose payments wait for the cooling-off, ending soonest first (no
    account details: the person's record has them, masked)."""
    waiting = await bank_accounts.cooling_off(deps.today(), deps.uow())
    return BankDetailsCoolingOff(
        people=[
            BankDetailsWaiting(
                person_id=w.person_id,
                changed_on=w.changed_on,
                changed_by=w.changed_by,
                role=w.role,
                payments_held_until=w.until,
            )  # fmt: skip
            for w in waiting
        ]
    )
