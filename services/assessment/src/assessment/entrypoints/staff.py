"""Who may use the assessors' workspace routes (servicekit.auth): staff with the assessor or
reviewer role, from the token; the acting staff member is the token's subject."""

from typing import Annotated

from fastapi import Depends
from servicekit.auth import Principal, require

ASSESSOR, REVIEWER = "assessor", "reviewer"
CASEWORK = (ASSESSOR, REVIEWER)

CaseReader = Annotated[Principal, Depends(require("assessment:read", roles=CASEWORK))]
CaseWorker = Annotated[Principal, Depends(require("assessment:write", roles=CASEWORK))]
