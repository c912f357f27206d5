"""The one place payments' domain errors become HTTP statuses or dead letters."""

from payments.domain import errors

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
}
UNPROCESSABLE: tuple[type[Exception], ...] = (errors.PaymentsError,)
"""A domain error means the event can never be applied: it is dead-lettered with the reason."""
