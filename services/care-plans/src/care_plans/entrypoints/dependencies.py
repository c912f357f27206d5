"""What routes, event handlers and jobs are given: built once in main.py (fakes in tests)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import Depends
from servicekit.service import deps_of

from care_plans.domain.catalogue import Catalogue
from care_plans.service_layer.ports import CarePlansUnitOfWork


@dataclass(frozen=True)
class Dependencies:
    uow: Callable[[], CarePlansUnitOfWork]  # a new unit of work each call
    today: Callable[[], date]
    catalogue: Catalogue


Deps = Annotated[Dependencies, Depends(deps_of)]
