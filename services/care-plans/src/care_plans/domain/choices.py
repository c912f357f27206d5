"""Redrafting a plan's services: around the person's choices (providers they prefer, services
they arrange themselves with a direct payment), or for a superseding decision's outcomes/area.

Both return a PlanVersion to hand to Plan.revise / Plan.rebudget; only its services, choices and
the facts they came from are used. Drafting rules are draft_plan's, so a redraft costs and
checks services exactly as a first draft does.
"""

from collections.abc import Iterable, Mapping
from datetime import date

from care_plans.domain.catalogue import Catalogue, CatalogueEdition, Contract, Provider, Service
from care_plans.domain.drafting import DraftRequest, draft_plan
from care_plans.domain.plan import Plan
from care_plans.domain.plan_version import PlanVersion


def with_choices(
    plan: Plan,
    catalogue: Catalogue,
    on: date,
    *,
    preferred_providers: Mapping[str, str],
    direct_payment_services: Iterable[str],
) -> PlanVersion:
    """The plan's services with these choices (they replace earlier ones). Raises, naming the
    field, for an unknown service or provider, one not contracted in the area on the day, or a
    choice about a service the plan does not include."""
    current = plan.current
    return _redraft(
        plan,
        catalogue,
        on,
        current.area_code,
        current.outcomes,
        dict(preferred_providers),
        frozenset(direct_payment_services),
    )


def for_decision(
    plan: Plan, catalogue: Catalogue, on: date, *, area_code: str, outcomes: Iterable[str]
) -> PlanVersion | None:
    """Services for a superseding decision's area and outcomes; None when neither changed.
    The person's earlier choices are kept where they still apply and dropped where they do not
    (a service no longer in the plan, a provider not contracted there): the decision is not
    theirs to correct."""
    current, outcomes = plan.current, tuple(sorted(set(outcomes)))
    if area_code == current.area_code and outcomes == current.outcomes:
        return None
    plain = _redraft(plan, catalogue, on, area_code, outcomes, {}, frozenset())
    services = {item.service_code for item in plain.items}
    edition = catalogue.in_force_on(on)
    preferred = {
        service: provider
        for service, provider in current.preferred_providers
        if service in services
        and provider in {c.provider_id for c in edition.contracts_in_force(area_code, service, on)}
    }
    direct = frozenset(s for s in current.direct_payment_services if s in services)
    if not preferred and not direct:
        return plain
    return _redraft(plan, catalogue, on, area_code, outcomes, preferred, direct)


def _redraft(
    plan: Plan,
    catalogue: Catalogue,
    on: date,
    area_code: str,
    outcomes: Iterable[str],
    preferred: dict[str, str],
    direct: frozenset[str],
) -> PlanVersion:
    current = plan.current
    request = DraftRequest(
        person_id=plan.person_id,
        decision_id=current.decision_id,
        decision_version=current.decision_version,
        area_code=area_code,
        outcomes_not_achieved=list(outcomes),
        weekly_budget_pence=current.weekly_budget_pence,
        preferred_providers=preferred,
        direct_payment_services=direct,
        plan_id=plan.plan_id,
    )
    return draft_plan(request, catalogue, on).current


def providers_to_choose(
    plan: Plan, edition: CatalogueEdition, on: date
) -> list[tuple[Service, list[tuple[Provider, Contract]]]]:
    """For each service in the current version, the providers contracted for it in the plan's
    area on the day, cheapest first: what the person may choose between."""
    area = plan.current.area_code
    return [
        (
            edition.service(item.service_code),
            [
                (edition.provider(c.provider_id), c)
                for c in edition.contracts_in_force(area, item.service_code, on)
            ],
        )
        for item in plan.current.items
    ]
