"""draft_plan(): from a decision's unmet outcomes, a costed first draft of the person's plan.

For each outcome not achieved, the catalogue lists services to try in order, each with a default
weekly quantity; the first service contracted in the person's area on the day is used. Outcomes
met by the same service add their quantities into one item. The provider is the person's
preferred one if they named it (it must hold a contract there), else the cheapest contracted
one (ties by provider id). Services the person arranges themselves are costed at the same rate.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from care_plans.domain.catalogue import PERSON, SCHEME, Catalogue, CatalogueEdition, Contract
from care_plans.domain.errors import (
    CarePlanError,
    ChoiceNotInPlan,
    ServiceNotContracted,
    UnknownOutcome,
)
from care_plans.domain.money import require_pence
from care_plans.domain.outcomes import OUTCOME_CODES
from care_plans.domain.plan import Plan
from care_plans.domain.plan_version import PlanItem, PlanStatus, PlanVersion


@dataclass(frozen=True)
class DraftRequest:
    person_id: str
    decision_id: str
    decision_version: int
    area_code: str  # ONS local authority code
    outcomes_not_achieved: Iterable[str]  # Care Act outcome codes a-j
    weekly_budget_pence: int
    preferred_providers: Mapping[str, str] = field(default_factory=dict)  # service -> provider
    direct_payment_services: frozenset[str] = frozenset()  # services the person arranges
    plan_id: str | None = None  # default: "<person_id>:<decision_id>"


def draft_plan(request: DraftRequest, catalogue: Catalogue, on: date) -> Plan:
    budget = require_pence(request.weekly_budget_pence, "weekly_budget_pence")
    if isinstance(request.decision_version, bool) or not isinstance(request.decision_version, int):
        raise CarePlanError("decision_version", "must be an integer")
    edition = catalogue.in_force_on(on)
    edition.area(request.area_code)
    check_choices(request.preferred_providers, request.direct_payment_services, edition)
    outcomes = _outcomes(request.outcomes_not_achieved)
    units, served = _services_for(outcomes, request.area_code, edition, on)
    check_choices_in_plan(request.preferred_providers, request.direct_payment_services, units)
    items = tuple(
        _item(request, edition, code, units[code], tuple(served[code]), on) for code in units
    )
    first = PlanVersion(
        number=1,
        status=PlanStatus.DRAFT,
        created_on=on,
        catalogue_id=edition.id,
        decision_id=request.decision_id,
        decision_version=request.decision_version,
        area_code=request.area_code,
        outcomes=outcomes,
        weekly_budget_pence=budget,
        items=items,
        preferred_providers=tuple(sorted(request.preferred_providers.items())),
        direct_payment_services=tuple(sorted(request.direct_payment_services)),
    )
    plan_id = request.plan_id or f"{request.person_id}:{request.decision_id}"
    return Plan.drafted(plan_id, request.person_id, first, edition.review_policy)


def _outcomes(codes: Iterable[str]) -> tuple[str, ...]:
    if isinstance(codes, str):
        raise CarePlanError("outcomes_not_achieved", "must be a list of codes, not one string")
    listed = list(codes)
    for i, code in enumerate(listed):
        if code not in OUTCOME_CODES:
            raise UnknownOutcome(f"outcomes_not_achieved[{i}]", f"{code!r} is not one of a-j")
    if not listed:
        raise CarePlanError("outcomes_not_achieved", "needs at least one outcome")
    return tuple(sorted(set(listed)))


def _services_for(
    outcomes: tuple[str, ...], area_code: str, edition: CatalogueEdition, on: date
) -> tuple[dict[str, int], dict[str, list[str]]]:
    units: dict[str, int] = {}
    served: dict[str, list[str]] = {}
    for outcome in outcomes:
        options = edition.options_for(outcome, "outcomes_not_achieved")
        chosen = next(
            (o for o in options if edition.contracts_in_force(area_code, o.service_code, on)),
            None,
        )
        if chosen is None:
            tried = ", ".join(o.service_code for o in options)
            raise ServiceNotContracted(
                "outcomes_not_achieved",
                f"no service for outcome {outcome!r} ({tried}) is contracted in "
                f"{edition.area(area_code).name} on {on.isoformat()}",
            )
        units[chosen.service_code] = units.get(chosen.service_code, 0) + chosen.units_per_week
        served.setdefault(chosen.service_code, []).append(outcome)
    return units, served


def _item(
    request: DraftRequest,
    edition: CatalogueEdition,
    code: str,
    units: int,
    outcomes: tuple[str, ...],
    on: date,
) -> PlanItem:
    service = edition.service(code)
    contract = _contract(request, edition, code, on)
    by_person = code in request.direct_payment_services
    named = code in request.preferred_providers
    return PlanItem(
        service_code=code,
        description=service.description,
        unit=service.unit,
        outcomes=outcomes,
        units_per_week=units,
        unit_rate_pence=contract.unit_rate_pence,
        provider_id=None if by_person and not named else contract.provider_id,
        arranged_by=PERSON if by_person else SCHEME,
    )


def _contract(request: DraftRequest, edition: CatalogueEdition, code: str, on: date) -> Contract:
    contracts = edition.contracts_in_force(request.area_code, code, on)
    preferred = request.preferred_providers.get(code)
    if preferred is None:
        return contracts[0]
    found = next((c for c in contracts if c.provider_id == preferred), None)
    if found is None:
        raise ServiceNotContracted(
            f"preferred_providers[{code}]",
            f"{edition.provider(preferred).name} is not contracted for {code} in "
            f"{edition.area(request.area_code).name} on {on.isoformat()}",
        )
    return found


def check_choices(
    preferred: Mapping[str, str], direct: Iterable[str], edition: CatalogueEdition
) -> None:
    """Every service and provider the person chose is in the edition (UnknownService/Provider)."""
    for code, provider_id in preferred.items():
        edition.service(code, f"preferred_providers[{code}]")
        edition.provider(provider_id, f"preferred_providers[{code}]")
    for code in sorted(direct):
        edition.service(code, "direct_payment_services")


def check_choices_in_plan(
    preferred: Mapping[str, str], direct: Iterable[str], services: Iterable[str]
) -> None:
    """Every choice is about one of the plan's `services` (ChoiceNotInPlan naming the choice)."""
    included = set(services)
    chosen = [(f"preferred_providers[{c}]", c) for c in preferred]
    chosen += [("direct_payment_services", c) for c in sorted(direct)]
    for where, code in chosen:
        if code not in included:
            raise ChoiceNotInPlan(where, f"{code} is not part of this plan's services")
