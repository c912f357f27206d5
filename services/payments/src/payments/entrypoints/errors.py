"""The one place payments' domain errors become HTTP statuses or dead letters."""

from payments.domain import bank_details, errors

HTTP_STATUS: dict[type[Exception], int] = {
    errors.NoAward: 404,
    errors.NoUcClaim: 404,
    errors.NoSuchRun: 404,
    errors.NoSuchBankFile: 404,
    errors.NoSuchProviderPayment: 404,
    errors.RunInProgress: 409,
    errors.UnfinishedRun: 409,
    errors.ProviderPayeesUnavailable: 503,
    errors.BankFileInvalid: 422,
    errors.NotOurBankFile: 422,
    errors.UnknownInstructions: 422,
    errors.RunTooFarAhead: 422,
    errors.RunNotFinished: 409,
    errors.OwnRun: 403,
    errors.ReceiptConflict: 409,
    errors.AlreadyApproved: 409,
    errors.NotReleased: 409,
    bank_details.ReasonRequired: 422,
    bank_details.NoBankDetails: 404,
    bank_details.OwnChange: 403,
}
UNPROCESSABLE: tuple[type[Exception], ...] = (errors.PaymentsError,)
"""A domain error means the event can never be applied: it is dead-lettered with the reason."""
