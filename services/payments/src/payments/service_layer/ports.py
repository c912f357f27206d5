"""What the use cases need from the outside world (adapters implement these; tests fake them)."""

from collections.abc import Awaitable, Callable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import date
from typing import Protocol, Self
from uuid import UUID

from payments.domain.award import Award
from payments.domain.bank_details import BankDetailsChange, CoolingOff, CurrentBankDetails
from payments.domain.bank_responses import AppliedResponses, BankResponse, SentPayment
from payments.domain.batch import DuePayment, OpenOverpayment, PaymentBatch
from payments.domain.contributions import OpenContribution
from payments.domain.instructions import PaymentInstruction, RemittanceLine
from payments.domain.ledger import Posted
from payments.domain.managed import ManagedServices
from payments.domain.provider_payments import ProviderBatch, ProviderPayment
from payments.domain.providers import ProviderPayees
from payments.domain.receipts import OpenInvoice, Receipt, ReceivedCredits
from payments.domain.records import (
    BankFileSummary,
    LedgerPosting,
    PaymentRun,
    PaymentsOfPerson,
    ProviderPaymentSummary,
    Reconciliation,
    RemittanceAdvice,
    UcClaim,
)
from payments.domain.uc_means import UcAssessedMeans


class AwardRepository(Protocol):
    async def knows_decision(self, decision_id: str) -> bool: ...

    async def exists(self, person_id: str) -> bool: ...

    async def for_person(self, person_id: str) -> Award | None:
        """The person's award, locked until the unit of work ends, with all it needs to settle:
        its decisions, the periods paid, UC-assessed means, the overpayment outstanding."""

    async def read_ahead(self, people: Iterable[str]) -> None:
        """Read these people's awards in one go: until `write_behind`, `for_person` hands them
        out from memory and `save` may keep their writes waiting (each sees the earlier ones)."""

    async def write_behind(self) -> None:
        """Write what waits; later reads go to the database again."""

    async def save(self, award: Award) -> None:
        """Stores the award and its `changes`; its events are published on commit."""

    async def due_to_extend(self, until: date, after: str, limit: int) -> list[Award]:
        """Up to ``limit`` awards after award id ``after`` whose schedule ends before ``until``,
        locked (skipping those another worker holds), each with the overpayment left to plan."""

    async def save_extended(self, awards: Sequence[Award]) -> None:
        """Stores the periods each award's `extend` planned, in one go."""

    async def payments_of(self, person_id: str) -> PaymentsOfPerson | None: ...


class UcClaimRepository(Protocol):
    async def get(self, person_id: str) -> UcClaim | None: ...

    async def save(self, person_id: str, claim: UcClaim) -> None: ...

    async def add_period(self, person_id: str, uc_claim_id: str, means: UcAssessedMeans) -> None:
        """What UC assessed for one period (a later assessment of the same period replaces it)."""

    async def periods(self, person_id: str, uc_claim_id: str) -> list[UcAssessedMeans]:
        """What UC assessed for each period of the claim, oldest first."""


class ManagedServicesRepository(Protocol):
    async def for_update(self, person_id: str) -> ManagedServices | None: ...

    async def save(self, person_id: str, arrangement: ManagedServices, event_id: str) -> None: ...


class BankAccountRepository(Protocol):
    async def current(self, person_id: str) -> CurrentBankDetails | None:
        """The details payments pays into now (opened), locked until the unit of work ends."""

    async def save(self, change: BankDetailsChange) -> None:
        """Keeps the change in the history and makes its details current; its events are
        published on commit."""

    async def save_verified(self, current: CurrentBankDetails) -> None: ...

    async def cooling_off(self, today: date, limit: int) -> list[CoolingOff]:
        """New details not verified whose cooling-off lasts beyond today, ending soonest first."""

    async def history(self, person_id: str) -> list[BankDetailsChange]:
        """Every change of the person's details, newest first."""

    async def release_held(self, person_id: str) -> list[UUID]:
        """Payments held for want of bank details (or waiting for new ones' cooling-off) go
        back to the schedule; their ids."""

    async def hold_for_cooling_off(self, person_id: str) -> None:
        """Payments held for want of bank details now wait for the new ones' cooling-off."""

    async def release_cooled_off(self, run_date: date) -> int:
        """Payments whose new details' cooling-off is over by `run_date` (or that were
        verified) go back to the schedule; how many."""


class PaymentRunRepository(Protocol):
    async def unfinished(self) -> PaymentRun | None: ...

    async def completed(self, run_date: date) -> PaymentRun | None:
        """The latest completed run for that date."""

    async def anything_due(self, run_date: date) -> bool: ...

    async def create(self, run_date: date, started_by: str) -> PaymentRun: ...

    async def approve(self, run_id: str, approved_by: str) -> bool:
        """Records the approval unless the run has one already; whether it did."""

    async def claim_due(self, run_date: date, limit: int) -> list[DuePayment]:
        """Up to ``limit`` payments due, locked (skipping those another worker holds)."""

    async def open_overpayments(self, people: list[str]) -> list[OpenOverpayment]:
        """Oldest first, locked."""

    async def open_contributions(self, people: list[str]) -> list[OpenContribution]:
        """The contributions these people still owe, oldest first, locked."""

    async def post_batch(self, batch: PaymentBatch) -> None:
        """Its journals, recoveries and events (to the outbox, in this unit of work)."""

    async def number_batch(self, batch: PaymentBatch) -> int:
        """Adds the batch to its run's totals and gives its number. Locks the run until the
        unit of work ends, so do it last."""

    async def save_batch(self, batch: PaymentBatch, bank_file: bytes | None) -> None:
        """The payments' new states and the batch's pain.001 file."""

    async def provider_payments_due(self, run_id: str) -> list[ProviderPayment]:
        """The run's new provider payments (one per provider with remittance lines in it), and
        earlier ones to retry or still held, locked, each with how many remittance lines it
        has (not the lines: remittance_lines loads them file by file)."""

    async def remittance_lines(self, ids: list[UUID]) -> dict[UUID, tuple[RemittanceLine, ...]]:
        """These provider payments' remittance lines."""

    async def number_provider_batch(self, batch: ProviderBatch) -> int:
        """Adds the provider payments to the run's totals and gives the file its number."""

    async def save_provider_batch(self, batch: ProviderBatch, bank_file: bytes | None) -> None:
        """The provider payments, their journals and their pain.001 file."""

    async def complete(self, run_id: str) -> PaymentRun: ...

    async def get(self, run_id: str) -> PaymentRun | None:
        """With its files."""

    async def files(self, run_id: str) -> list[BankFileSummary]: ...

    async def provider_payments(self, run_id: str) -> list[ProviderPaymentSummary]:
        """Made in the run, or sent again in it."""

    async def remittance(self, run_id: str, provider_id: str) -> RemittanceAdvice | None:
        """The run's payment to the provider, with its lines."""

    async def file_contents(self, run_id: str) -> list[tuple[str, bytes]]: ...

    async def bank_file(self, run_id: str, file_id: str) -> bytes | None: ...


class BankResponseRepository(Protocol):
    async def summary(self, sha256: str) -> dict[str, object] | None:
        """What applying the file with this hash did, if it has been applied."""

    async def in_file(self, file_id: str) -> list[UUID] | None:
        """The payments of one of our pain.001 files still at the bank; None if we never sent
        that file."""

    async def sent(self, instruction_ids: list[UUID]) -> dict[UUID, SentPayment]:
        """Locked until the unit of work ends."""

    async def save(self, applied: AppliedResponses) -> None: ...


class Ledger(Protocol):
    async def post(self, journals: list[Posted]) -> None: ...

    async def postings(self, person_id: str) -> list[LedgerPosting]: ...

    async def reconcile(self) -> Reconciliation:
        """All checks on one snapshot; call it first in its unit of work."""


class IncomingPaymentRepository(Protocol):
    """Money received against contribution invoices (adapters/invoice_store.py)."""

    async def recorded(self, transaction_ids: list[str]) -> dict[str, Receipt]:
        """Those recorded before; each id locked until the unit of work ends."""

    async def invoices(self, references: list[str]) -> dict[str, OpenInvoice]:
        """The bills these references name, locked."""

    async def save(self, done: ReceivedCredits, recorded_by: str) -> None:
        """Records the new credits, their journals and what they paid off; events on commit."""

    async def one(self, transaction_id: str) -> Receipt | None:
        """The credit recorded with this bank transaction id, if any."""

    async def unmatched(self, limit: int = 500) -> list[Receipt]: ...


class PaymentsUnitOfWork(Protocol):
    awards: AwardRepository
    uc_claims: UcClaimRepository
    managed_services: ManagedServicesRepository
    bank_accounts: BankAccountRepository
    runs: PaymentRunRepository
    bank_responses: BankResponseRepository
    incoming_payments: IncomingPaymentRepository
    ledger: Ledger

    async def __aenter__(self) -> Self: ...

    async def __aexit__(self, *exc: object) -> None: ...

    async def commit(self) -> None: ...


class ProviderPayeeStore(Protocol):
    """Providers' bank details (recorded sealed; adapters/provider_payee_store.py)."""

    async def load(self) -> ProviderPayees: ...


MakeUnitOfWork = Callable[[], PaymentsUnitOfWork]
RunLock = Callable[[], AbstractAsyncContextManager[None]]
"""Held for a whole payment run; entering it raises RunInProgress while another run holds it."""
AfterBatch = Callable[[int], Awaitable[None]]


class BankFiles(Protocol):
    """ISO 20022 files: pain.001 out, pain.002 (or CSV) in."""

    def pain001(self, file_id: str, instructions: Sequence[PaymentInstruction]) -> bytes: ...

    def read_response(self, body: bytes) -> list[BankResponse]:
        """Raises BankFileInvalid, or WholeFileRejected naming the file the bank refused."""

    @property
    def exports(self) -> bool:
        """Whether each run's files are also written out (to the bank's upload folder)."""

    async def export(self, files: list[tuple[str, bytes]]) -> None: ...
