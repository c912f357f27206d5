"""Who may call what: each route's policy (servicekit.auth), named once here.

Staff roles come from the provider's `roles` claim; a person's own token (the portal's token
exchange) carries the `person_id` their identity is linked to and reaches only that record.
"""

from typing import Annotated

from fastapi import Depends
from servicekit.auth import ASSESSOR, REVIEWER, Principal, require

CASE_READERS = (ASSESSOR, REVIEWER)
"""Staff who read a person's case. The portal asks for a purpose when it is not theirs and
sends it (X-Access-Purpose, audited); this service does not yet refuse a read without one."""

Reader = Annotated[Principal, Depends(require("assessment:read", roles=CASE_READERS, person=True))]
Assessor = Annotated[Principal, Depends(require("assessment:write", roles=[ASSESSOR]))]
Decider = Annotated[Principal, Depends(require("assessment:decide", roles=[ASSESSOR]))]
Reviewer = Annotated[Principal, Depends(require("assessment:decide", roles=[REVIEWER]))]
Requester = Annotated[
    Principal, Depends(require("assessment:write", roles=[ASSESSOR], person=True))
]
"""A reconsideration is asked for (a change reported) by the person, or recorded for them by an
assessor. "The person" includes someone acting for them: their token names the person and the
authority (`Principal.authority_id`)."""
Matcher = Annotated[
    Principal, Depends(require("assessment:verify", roles=[ASSESSOR], services=True))
]
"""Matching an identity to a record: the portal's own token (a first sign-in) or an assessor."""
Calculator = Annotated[Principal, Depends(require("assessment:read"))]
"""The policy calculator records nothing and reads no one's record: any caller of this API."""
CaseReader = Annotated[Principal, Depends(require("assessment:read", roles=CASE_READERS))]
CaseWorker = Annotated[Principal, Depends(require("assessment:write", roles=CASE_READERS))]
"""The assessors' workspace (caseload, assignment, the assessment in progress): staff with the
assessor or reviewer role; the acting staff member is the token's subject."""
