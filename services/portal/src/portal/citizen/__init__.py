"""Pages for a person and their family: one router module per area, templates in
templates/citizen/<area>/."""

from fastapi import APIRouter

from portal.citizen import (
    appointees,
    award,
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
    payments,
    plan,
    plan_choices,
    messages,
    preferences,
    representatives,
    appointees,
):
    router.include_router(area.router)
