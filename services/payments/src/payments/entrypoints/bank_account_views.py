"""A person's bank details as the read models show them: the account masked, never whole."""

from uuid import UUID

from contracts.api import payments as api

from payments.domain.bank_details import BankDetailsChange, CurrentBankDetails


def bank_account_set(change: BankDetailsChange, released: list[UUID]) -> api.BankAccountSet:
    return api.BankAccountSet(
        person_id=change.person_id,
        released=[str(i) for i in released],
        change_id=change.change_id,
        payments_held_until=change.current.cooling_off_until if change.holds_payments else None,
    )


def bank_account(
    current: CurrentBankDetails, history: list[BankDetailsChange], staff_names: bool
) -> api.BankAccountView:
    """`staff_names` False (a person reads): who on the staff made a change is left out, their
    role shown (as for who looked at the person's record)."""
    return api.BankAccountView(
        person_id=current.person_id,
        payee_name=current.details.payee_name,
        account=current.details.masked_account,
        payments_held_until=current.cooling_off_until,
        verified_by=current.verified_by if staff_names else None,
        verified_at=current.verified_at,
        changes=[_change(c, staff_names) for c in history],
    )


def _change(change: BankDetailsChange, staff_names: bool) -> api.BankDetailsChange:
    by = change.actor.subject if staff_names or not change.actor.staff else None
    return api.BankDetailsChange(
        change_id=change.change_id,
        changed_on=change.changed_on,
        changed_by=by,
        role=change.actor.role,
        reason=change.reason,
        account=change.details.masked_account,
        payments_held_until=change.current.cooling_off_until,
    )


def bank_account_verified(
    current: CurrentBankDetails, released: list[UUID]
) -> api.BankAccountVerified:
    return api.BankAccountVerified(
        person_id=current.person_id,
        verified_by=current.verified_by,
        verified_at=current.verified_at,
        released=[str(i) for i in released],
    )
