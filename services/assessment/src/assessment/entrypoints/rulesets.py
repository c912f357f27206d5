"""The rule sets an assessor records against and a policy team compares (texts, points and codes
from the dated rule-set files), and a calculator case saved as a golden case. Nothing here
records anything."""

from contracts.api.assessment import GoldenCase, RuleSets, RuleSetView
from fastapi import APIRouter, Depends
from servicekit.auth import Principal, require

from assessment.entrypoints import views
from assessment.entrypoints.cli import published
from assessment.entrypoints.dependencies import Deps
from assessment.entrypoints.duplicate_keys import refuse_repeated_keys
from assessment.entrypoints.facts import dump_facts
from assessment.entrypoints.schemas import GoldenCaseRequest
from assessment.service_layer import queries

router = APIRouter()
Reader = Depends(require("assessment:read"))


@router.get("/rule-sets")
async def rule_sets(deps: Deps, who: Principal = Reader) -> RuleSets:
    ordered = sorted(deps.rulebook.rule_sets, key=lambda r: r.effective_from)
    return RuleSets(rule_sets=[views.rule_set_summary(r) for r in ordered])


@router.get("/rule-sets/{rule_set_id}")
async def rule_set(rule_set_id: str, deps: Deps, who: Principal = Reader) -> RuleSetView:
    return views.rule_set(queries.rule_set(rule_set_id, deps.rulebook))


@router.post("/calculator/golden", dependencies=[Depends(refuse_repeated_keys)])
async def golden_case(body: GoldenCaseRequest, deps: Deps, who: Principal = Reader) -> GoldenCase:
    """The case worked out on the date, as `python -m assessment --on <date>` prints it."""
    on, facts = body.on or deps.today(), dump_facts(body.case)
    decision = queries.calculate(facts, on, deps.rulebook)
    return views.golden_case(facts, on, published(decision))
