"""The assessors' workspace: caseload, the person's record, recording assessments,
reconsiderations, changes of circumstances, care-plan work and the policy calculator."""

from fastapi import APIRouter

from portal.assessor import (
    assessment,
    calculator,
    care_plan,
    caseload,
    plan_check,
    plan_items,
    plan_support,
    record,
    starting,
)

router = APIRouter()
router.include_router(caseload.router)
router.include_router(calculator.router)
router.include_router(record.router)
router.include_router(plan_check.router)  # before care_plan's POST /{action}
router.include_router(plan_items.router)
router.include_router(plan_support.router)
router.include_router(care_plan.router)
router.include_router(starting.router)  # before assessment's /assessment/{slug}
router.include_router(assessment.router)
