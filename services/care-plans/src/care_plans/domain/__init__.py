"""Care-plans domain: provider catalogue, plan drafting, versions and agreement, the managed /
direct-payment split, reviews and area provision. Standard library only; no I/O."""

from care_plans.domain.catalogue import (
    PERSON,
    SCHEME,
    Area,
    Catalogue,
    CatalogueEdition,
    Contract,
    OutcomeDefault,
    OutcomeOption,
    Provider,
    ReviewPolicy,
    Service,
)
from care_plans.domain.catalogue_checks import check_edition
from care_plans.domain.drafting import DraftRequest, draft_plan
from care_plans.domain.errors import (
    CarePlanError,
    ChoiceNotInPlan,
    FieldError,
    InvalidCatalogue,
    InvalidMoney,
    InvalidTransition,
    NoCatalogueInForce,
    NotAgreed,
    OverBudget,
    ReasonRequired,
    ServiceNotContracted,
    StaleDecision,
    UnknownArea,
    UnknownOutcome,
    UnknownProvider,
    UnknownService,
    VersionConflict,
)
from care_plans.domain.outcomes import OUTCOME_CODES, OUTCOMES
from care_plans.domain.plan import Plan, managed_split
from care_plans.domain.plan_version import Agreement, PlanItem, PlanStatus, PlanVersion, TopUp
from care_plans.domain.provision import AreaProvision, provision_by_area
from care_plans.domain.reviews import next_review_on, overdue, reviews_due
from care_plans.domain.split import ManagedSplit, split_version

__all__ = [
    "OUTCOMES", "OUTCOME_CODES", "PERSON", "SCHEME",
    "Agreement", "Area", "AreaProvision", "Catalogue", "CatalogueEdition", "CarePlanError",
    "ChoiceNotInPlan", "Contract", "DraftRequest", "FieldError", "InvalidCatalogue",
    "InvalidMoney", "InvalidTransition", "ManagedSplit", "NoCatalogueInForce", "NotAgreed",
    "OutcomeDefault", "OutcomeOption", "OverBudget", "Plan", "PlanItem", "PlanStatus",
    "PlanVersion", "Provider", "ReasonRequired", "ReviewPolicy", "Service",
    "ServiceNotContracted", "StaleDecision", "TopUp", "UnknownArea", "UnknownOutcome",
    "UnknownProvider", "UnknownService", "VersionConflict",
    "check_edition", "draft_plan", "managed_split", "next_review_on", "overdue",
    "provision_by_area", "reviews_due", "split_version",
]  # fmt: skip
