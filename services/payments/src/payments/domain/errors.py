"""What payments refuses, and why. Each error names the field at fault (`field`) and says what is
wrong in plain English (`message`); entrypoints/errors.py maps them to HTTP statuses and to dead
letters, nothing else does."""


class PaymentsError(Exception):
    field: str | None = None

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field if field is not None else type(self).field


# A request names something we do not have.
class NoAward(PaymentsError):
    field = "person_id"

    def __init__(self) -> None:
        super().__init__("no award for this person")


class NoUcClaim(PaymentsError):
    field = "person_id"

    def __init__(self) -> None:
        super().__init__("the benefits system has told us of no Universal Credit claim")


class NoSuchRun(PaymentsError):
    field = "run_id"

    def __init__(self) -> None:
        super().__init__("no such payment run")


class NoSuchBankFile(PaymentsError):
    field = "file_id"

    def __init__(self) -> None:
        super().__init__("no such bank file in this run")


class NoSuchProviderPayment(PaymentsError):
    field = "provider_id"

    def __init__(self) -> None:
        super().__init__("this run made no payment to this provider")


# A payment run cannot start now.
class RunInProgress(PaymentsError):
    field = "run_date"

    def __init__(self) -> None:
        super().__init__("another payment run is in progress; try again later")


class UnfinishedRun(PaymentsError):
    field = "run_date"


class ProviderPayeesUnavailable(PaymentsError):
    """The providers' bank details cannot be read (missing, malformed or edited): no run is
    started until they can. The operator's data, not the request: the API answers 503."""

    field = "provider_payees"


# A bank file we cannot use.
class BankFileInvalid(PaymentsError, ValueError):
    """A bank file does not conform to its ISO 20022 schema (or is not well-formed XML, or is not
    the CSV we accept)."""

    field = "file"


class NotOurBankFile(PaymentsError):
    field = "OrgnlMsgId"

    def __init__(self, file_id: str) -> None:
        super().__init__(f"{file_id} is not a file we sent")


class UnknownInstructions(PaymentsError):
    """A bank response names payments we never sent: every one of them is reported."""

    def __init__(self, instruction_ids: list[str]) -> None:
        self.errors = [
            ("instruction_id", f"{i} is not a payment we sent to the bank") for i in instruction_ids
        ]
        super().__init__(self.errors[0][1], "instruction_id")


class ReceiptConflict(PaymentsError):
    """A bank transaction recorded before with other details: a bank's id names one credit."""

    field = "bank_transaction_id"

    def __init__(self, transaction_id: str) -> None:
        super().__init__(
            f"bank transaction {transaction_id} was recorded before with another reference,"
            " amount or date; nothing was recorded"
        )


# An event that can never be applied (dead-lettered with the message as the reason).
class InvalidDecision(PaymentsError):
    pass


class UcClaimRefused(PaymentsError):
    pass


class InvalidArrangement(PaymentsError):
    pass


class RunTooFarAhead(PaymentsError):
    """No paying future periods early: a run may be dated at most a few days ahead."""

    field = "run_date"


# Four eyes: a run's bank files go to the bank only once a second payments officer approves.
class RunNotFinished(PaymentsError):
    field = "run_id"

    def __init__(self) -> None:
        super().__init__("the payment run has not finished: resume it before approving it")


class OwnRun(PaymentsError):
    field = "authorization"

    def __init__(self) -> None:
        super().__init__(
            "the officer who started a payment run may not approve it: a second payments"
            " officer must (four eyes)"
        )


class AlreadyApproved(PaymentsError):
    field = "run_id"


class NotReleased(PaymentsError):
    field = "run_id"

    def __init__(self, run_id: str) -> None:
        super().__init__(
            f"payment run {run_id}'s bank files are not released: a second payments officer"
            f" must approve it first (POST /payment-runs/{run_id}/approval)"
        )
