"""Redrafting a plan's services: around the person's choices (providers they prefer, services
they arrange themselves with a direct payment), or for a superseding decision's outcomes/area.

Both return a PlanVersion to hand to Plan.revise / Plan.rebudget; only its services, choices and
the facts they came from are used. Drafting rules are draft_plan's, so a redraft costs and
checks services exactly as a first draft does.
"""

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date

from care_plans.domain.catalogue import (
    PERSON,
    SCHEME,
    Catalogue,
    CatalogueEdition,
    Contract,
    Provider,
    Service,
)
from care_plans.domain.drafting import (
    DraftRequest,
    check_choices,
    check_choices_in_plan,
    draft_plan,
)
from care_plans.domain.plan import Plan
from care_plans.domain.plan_items import contract_for, recosted, without_outcomes
from care_plans.domain.plan_version import PlanItem, PlanVersion


def with_choices(
    plan: Plan,
    catalogue: Catalogue,
    on: date,
    *,
    preferred_providers: Mapping[str, str],
    direct_payment_services: Iterable[str],
) -> PlanVersion:
    """The plan's services with these choices (they replace earlier ones), each item otherwise
    as it is (an assessor may have changed what the draft bought), costed at the edition in
    force. A service whose preference is dropped goes back to the cheapest provider. Raises,
    naming the field, for an unknown service or provider, one not contracted in the area on the
    day, or a choice about a service the plan does not include."""
    current, edition = plan.current, catalogue.in_force_on(on)
    preferred, direct = dict(preferred_providers), frozenset(direct_payment_services)
    check_choices(preferred, direct, edition)
    check_choices_in_plan(preferred, direct, (i.service_code for i in current.items))
    before = dict(current.preferred_providers)
    items = tuple(
        _chosen(item, edition, current.area_code, on, preferred, direct, before)
        for item in current.items
    )
    return replace(
        current,
        catalogue_id=edition.id,
        items=items,
        preferred_providers=tuple(sorted(preferred.items())),
        direct_payment_services=tuple(sorted(direct)),
    )


def _chosen(
    item: PlanItem,
    edition: CatalogueEdition,
    area: str,
    on: date,
    preferred: Mapping[str, str],
    direct: frozenset[str],
    before: Mapping[str, str],
) -> PlanItem:
    code, by_person = item.service_code, item.service_code in direct
    if code in preferred:
        field = f"preferred_providers[{code}]"
        contract = contract_for(edition, area, code, preferred[code], PERSON, on, field)
        provider: str | None = contract.provider_id
    elif item.provider_id is None or before.get(code) == item.provider_id:
        contract = contract_for(edition, area, code, None, PERSON, on)  # the cheapest
        provider = None if by_person else contract.provider_id
    else:  # a provider the assessor chose stays
        kept = recosted(item, edition, area, on)
        provider = None if by_person else kept.provider_id
        return replace(
            item,
            unit_rate_pence=kept.unit_rate_pence,
            provider_id=provider,
            arranged_by=PERSON if by_person else SCHEME,
        )
    return replace(
        item,
        unit_rate_pence=contract.unit_rate_pence,
        provider_id=provider,
        arranged_by=PERSON if by_person else SCHEME,
    )


def for_decision(
    plan: Plan, catalogue: Catalogue, on: date, *, area_code: str, outcomes: Iterable[str]
) -> PlanVersion | None:
    """Services for a superseding decision's area and outcomes; None when neither changed.
    The person's earlier choices are kept where they still apply and dropped where they do not
    (a service no longer in the plan, a provider not contracted there): the decision is not
    theirs to correct. Other ways needs are met stay for the needs still unmet, and the
    services drafted for those needs are left out."""
    current, outcomes = plan.current, tuple(sorted(set(outcomes)))
    if area_code == current.area_code and outcomes == current.outcomes:
        return None
    redrafted = _for_decision(plan, catalogue, on, area_code, outcomes)
    others = tuple(s for s in current.other_support if s.outcome in outcomes)
    items = without_outcomes(redrafted.items, {s.outcome for s in others})
    return replace(redrafted, items=items, other_support=others)


def _for_decision(
    plan: Plan, catalogue: Catalogue, on: date, area_code: str, outcomes: tuple[str, ...]
) -> PlanVersion:
    current = plan.current
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


def services_to_choose(
    plan: Plan, edition: CatalogueEdition, on: date
) -> list[tuple[Service, list[tuple[Provider, Contract]]]]:
    """Every service in the catalogue contracted in the plan's area on the day that helps with
    one of its needs, with its providers cheapest first: what an assessor may add or change."""
    current = plan.current
    needs = set(current.outcomes)
    found = []
    for service in edition.services:
        contracts = edition.contracts_in_force(current.area_code, service.code, on)
        if contracts and needs & set(service.outcomes):
            found.append((service, [(edition.provider(c.provider_id), c) for c in contracts]))
    return found
