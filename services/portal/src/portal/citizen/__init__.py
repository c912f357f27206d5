"""Pages for a person and their family: one router module per area, templates in
templates/citizen/<area>/."""

from fastapi import APIRouter

from portal.citizen import (
    appointees,
    award,
    bank_details,
    change,
    home,
    messages,
    payments,
    plan,
    plan_choices,
    preferences,
    reconsider,
    representatives,
)

router = APIRouter()
for area in (
    home,
    award,
    reconsider,
    change,
    bank_details,  # before payments: its /payments/{instruction_id} would take the path
    payments,
    plan,
    plan_choices,
    messages,
    preferences,
    representatives,
    appointees,
):
    router.include_router(area.router)
