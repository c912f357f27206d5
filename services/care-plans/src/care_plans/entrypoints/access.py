"""Who may call what: each route's policy (servicekit.auth), named once here. Staff roles come
from the provider's `roles` claim; a person's own token reaches only their own plan."""

from typing import Annotated

from fastapi import Depends
from servicekit.auth import ASSESSOR, OPERATIONS, REVIEWER, Principal, require

PLAN_READERS = (ASSESSOR, REVIEWER)
"""Staff who read a person's plan (who is assigned to which case is not recorded yet)."""
PLAN_CHANGERS = (ASSESSOR,)

Reader = Annotated[Principal, Depends(require("care-plans:read", roles=PLAN_READERS, person=True))]
Assessor = Annotated[Principal, Depends(require("care-plans:write", roles=[ASSESSOR]))]
PersonOrAssessor = Annotated[
    Principal, Depends(require("care-plans:write", roles=PLAN_CHANGERS, person=True))
]
"""Agreeing a plan and choosing providers: the person, or an assessor on their behalf."""
Sweeper = Annotated[
    Principal, Depends(require("care-plans:write", roles=[OPERATIONS], services=True))
]
"""The review sweep: national operations, or the sweep job with the service's own client."""
OperatorReads = Annotated[Principal, Depends(require("care-plans:read", roles=[OPERATIONS]))]
