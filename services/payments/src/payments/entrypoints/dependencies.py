"""What routes and event handlers are given: built once in main.py, from fakes in unit tests."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import Depends
from servicekit.service import deps_of

from payments.domain.planning import PlanningData
from payments.service_layer.payment_run import PaymentRuns
from payments.service_layer.ports import BankFiles, MakeUnitOfWork


@dataclass(frozen=True)
class Dependencies:
    uow: MakeUnitOfWork
    today: Callable[[], date]
    planning: PlanningData
    bank_files: BankFiles
    payment_runs: PaymentRuns
    cooling_off_days: int = 14
    """PAYMENTS_BANK_DETAILS_COOLING_OFF_DAYS"""


Deps = Annotated[Dependencies, Depends(deps_of)]
