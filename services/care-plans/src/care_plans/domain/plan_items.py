"""An assessor's changes to what a plan buys: add or change an item (a service from the national
catalogue, its weekly quantity and provider), remove one, or record another way a need is met
(an unpaid carer, a community service, equipment: no cost to the scheme, but the plan says how),
or remove what was recorded.

Each returns the PlanVersion to hand to Plan.revise, so the change is a new draft to propose and
agree again, and the budget check is the plan's as ever (a version over budget says so and
cannot be agreed without a top-up). Rules:
- a service must be in the catalogue edition in force on the day, contracted in the plan's area,
  and help with at least one of the plan's outcomes;
- the weekly quantity is a whole number of units, from 1 to a week's worth of the unit;
- a provider the scheme pays must hold a contract for the service there on the day, and the item
  costs that contract's rate; an item the person arranges is costed at the rate of the provider
  they named, or the cheapest;
- every outcome of the plan stays met, by a service or another way;
- the other items are costed again at the edition in force, as a redraft would be, and the
  person's choices about services no longer in the plan (or now with another provider) go.
"""

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from care_plans.domain.catalogue import PERSON, SCHEME, Catalogue, CatalogueEdition, Contract
from care_plans.domain.errors import (
    CarePlanError,
    InvalidOtherSupport,
    InvalidQuantity,
    NeedLeftUnmet,
    NotInPlan,
    ServiceNotContracted,
)
from care_plans.domain.outcomes import OUTCOMES
from care_plans.domain.plan import Plan
from care_plans.domain.plan_version import (
    OTHER_SUPPORT_KINDS,
    OtherSupport,
    PlanItem,
    PlanVersion,
)

WEEKS_WORTH = {"hour": 168, "day": 7, "night": 7, "week": 1}
MAX_DESCRIPTION = 500


def with_item(
    plan: Plan,
    catalogue: Catalogue,
    on: date,
    *,
    service_code: str,
    units_per_week: object,
    provider_id: str | None,
) -> PlanVersion:
    """The plan with `service_code` added, or changed if it is in the plan already."""
    current, edition = plan.current, catalogue.in_force_on(on)
    service = edition.service(service_code)
    units = _units(units_per_week, service.unit)
    existing = _item_of(current, service_code)
    outcomes = existing.outcomes if existing else _served(current, service.outcomes)
    if not outcomes:
        raise CarePlanError(
            "service_code", f"{service.description} does not help with any need in this plan"
        )
    arranged_by = existing.arranged_by if existing else SCHEME
    contract = contract_for(edition, current.area_code, service_code, provider_id, arranged_by, on)
    item = PlanItem(
        service_code=service_code,
        description=service.description,
        unit=service.unit,
        outcomes=outcomes,
        units_per_week=units,
        unit_rate_pence=contract.unit_rate_pence,
        provider_id=None if provider_id is None and arranged_by == PERSON else contract.provider_id,
        arranged_by=arranged_by,
    )
    items = [item if i.service_code == service_code else i for i in current.items]
    if existing is None:
        items.append(item)
    return _version(current, edition, on, tuple(items), current.other_support, keep=item)


def without_item(plan: Plan, catalogue: Catalogue, on: date, *, service_code: str) -> PlanVersion:
    current = plan.current
    if _item_of(current, service_code) is None:
        raise NotInPlan("service_code", f"{service_code!r} is not one of this plan's services")
    items = tuple(i for i in current.items if i.service_code != service_code)
    return _version(current, catalogue.in_force_on(on), on, items, current.other_support)


def with_other_support(
    plan: Plan, catalogue: Catalogue, on: date, *, outcome: str, kind: str, description: str
) -> PlanVersion:
    """The plan with `outcome` met another way (replacing what was recorded for it before). The
    services bought stop counting towards it; one left helping with no need is removed."""
    current = plan.current
    if outcome not in current.outcomes:
        raise InvalidOtherSupport("outcome", f"{outcome!r} is not one of this plan's needs")
    if kind not in OTHER_SUPPORT_KINDS:
        raise InvalidOtherSupport("kind", f"must be one of {', '.join(OTHER_SUPPORT_KINDS)}")
    text = (description or "").strip()
    if not text:
        raise InvalidOtherSupport("description", "say who or what meets the need, and how")
    if len(text) > MAX_DESCRIPTION:
        raise InvalidOtherSupport("description", f"must be {MAX_DESCRIPTION} characters or fewer")
    support = OtherSupport(outcome, kind, text)
    others = tuple(s for s in current.other_support if s.outcome != outcome) + (support,)
    items = without_outcomes(current.items, {outcome})
    edition = catalogue.in_force_on(on)
    return _version(current, edition, on, items, tuple(sorted(others, key=lambda s: s.outcome)))


def without_other_support(
    plan: Plan, catalogue: Catalogue, on: date, *, outcome: str
) -> PlanVersion:
    """The plan with what was recorded for `outcome` removed: refused while nothing else meets
    that need (add a service for it first)."""
    current = plan.current
    others = tuple(s for s in current.other_support if s.outcome != outcome)
    if len(others) == len(current.other_support):
        raise NotInPlan("outcome", f"no other support is recorded for need {outcome!r}")
    return _version(current, catalogue.in_force_on(on), on, current.items, others)


def without_outcomes(items: Iterable[PlanItem], met: set[str]) -> tuple[PlanItem, ...]:
    """Items no longer counted towards the `met` outcomes; one left with none is dropped."""
    kept = (replace(i, outcomes=tuple(o for o in i.outcomes if o not in met)) for i in items)
    return tuple(i for i in kept if i.outcomes)


def contract_for(
    edition: CatalogueEdition,
    area_code: str,
    service_code: str,
    provider_id: str | None,
    arranged_by: str,
    on: date,
    field: str = "provider_id",
) -> Contract:
    """The contract an item is costed at: the named provider's, or (only for an item the person
    arranges) the cheapest."""
    service = edition.service(service_code)
    contracts = edition.contracts_in_force(area_code, service_code, on)
    where = f"{edition.area(area_code).name} on {on.isoformat()}"
    if not contracts:
        raise ServiceNotContracted(
            "service_code", f"{service.description} has no contract in {where}"
        )
    if provider_id is None:
        if arranged_by == SCHEME:
            raise CarePlanError(field, "choose the provider who delivers this service")
        return contracts[0]
    provider = edition.provider(provider_id, field)
    found = next((c for c in contracts if c.provider_id == provider_id), None)
    if found is None:
        raise ServiceNotContracted(
            field, f"{provider.name} has no contract for {service.description} in {where}"
        )
    return found


def recosted(item: PlanItem, edition: CatalogueEdition, area_code: str, on: date) -> PlanItem:
    """The item at its provider's rate in the edition in force (the cheapest's, if that provider
    has no contract there any more, or the item names none)."""
    contracts = edition.contracts_in_force(area_code, item.service_code, on)
    if not contracts:
        raise ServiceNotContracted(
            f"items[{item.service_code}]",
            f"{item.description} has no contract in {edition.area(area_code).name} on {on}",
        )
    found = next((c for c in contracts if c.provider_id == item.provider_id), contracts[0])
    provider = found.provider_id if item.provider_id is not None else None
    return replace(item, unit_rate_pence=found.unit_rate_pence, provider_id=provider)


def _version(
    current: PlanVersion,
    edition: CatalogueEdition,
    on: date,
    items: tuple[PlanItem, ...],
    others: tuple[OtherSupport, ...],
    keep: PlanItem | None = None,
) -> PlanVersion:
    _check_needs_met(current.outcomes, items, others)
    area = current.area_code
    items = tuple(i if i is keep else recosted(i, edition, area, on) for i in items)
    providers = {i.service_code: i.provider_id for i in items}
    return replace(
        current,
        catalogue_id=edition.id,
        items=items,
        other_support=others,
        preferred_providers=tuple(
            (s, p) for s, p in current.preferred_providers if providers.get(s) == p
        ),
        direct_payment_services=tuple(s for s in current.direct_payment_services if s in providers),
    )


def _check_needs_met(
    outcomes: Iterable[str], items: Iterable[PlanItem], others: Iterable[OtherSupport]
) -> None:
    met = {o for i in items for o in i.outcomes} | {s.outcome for s in others}
    unmet = [o for o in outcomes if o not in met]
    if unmet:
        needs = "; ".join(f"{o} ({OUTCOMES[o]})" for o in unmet)
        raise NeedLeftUnmet(
            "service_code",
            f"this would leave a need met neither by a service nor another way: {needs}. "
            "Keep or add a service for it, or record another way it is met",
        )


def _units(value: object, unit: str) -> int:
    most = WEEKS_WORTH.get(unit, 168)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidQuantity("units_per_week", f"must be a whole number of {unit}s")
    if not 1 <= value <= most:
        raise InvalidQuantity("units_per_week", f"must be from 1 to {most} {unit}s a week")
    return value


def _item_of(version: PlanVersion, service_code: str) -> PlanItem | None:
    return next((i for i in version.items if i.service_code == service_code), None)


def _served(version: PlanVersion, service_outcomes: Iterable[str]) -> tuple[str, ...]:
    helps = set(service_outcomes)
    return tuple(o for o in version.outcomes if o in helps)
