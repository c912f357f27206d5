from datetime import date

import pytest
from care_plans.adapters.catalogue import load_catalogue
from care_plans.domain import DraftRequest, draft_plan

ON = date(2025, 6, 2)  # a Monday in the 2025/26 catalogue year
WESTMINSTER, BIRMINGHAM, BRISTOL = "E09000033", "E08000025", "E06000023"
MANCHESTER, OXFORD = "E08000003", "E07000178"
PERSON = "person-1"


@pytest.fixture(scope="session")
def catalogue():
    return load_catalogue()


@pytest.fixture(scope="session")
def edition(catalogue):
    return catalogue.by_id("CB-PROVIDERS-2025-26")


@pytest.fixture
def request_for():
    """A DraftRequest for decision d-1 v1 in Birmingham; override any field."""

    def build(**overrides) -> DraftRequest:
        fields = {
            "person_id": PERSON,
            "decision_id": "d-1",
            "decision_version": 1,
            "area_code": BIRMINGHAM,
            "outcomes_not_achieved": ["a", "b"],
            "weekly_budget_pence": 100_000,
        }
        return DraftRequest(**{**fields, **overrides})

    return build


@pytest.fixture
def draft(catalogue, request_for):
    def run(on: date = ON, **overrides):
        return draft_plan(request_for(**overrides), catalogue, on)

    return run


@pytest.fixture
def agreed(draft):
    """A plan drafted, proposed and agreed by the person on `on` (versions 1, 2, 3)."""

    def run(on: date = ON, **overrides):
        plan = draft(on=on, **overrides)
        plan.propose(1, on=on)
        plan.agree(2, by="person", by_id=PERSON, on=on)
        return plan

    return run
