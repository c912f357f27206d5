"""What routes are given: built once in main.py (tests build it with fakes)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import Depends
from servicekit.service import deps_of

from assessment.domain import RuleBook
from assessment.service_layer.ports import AssessmentUnitOfWork


@dataclass(frozen=True)
class Dependencies:
    uow: Callable[[], AssessmentUnitOfWork]
    today: Callable[[], date]
    rulebook: RuleBook


Deps = Annotated[Dependencies, Depends(deps_of)]
