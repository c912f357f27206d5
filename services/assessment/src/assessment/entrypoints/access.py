"""Who may call what: each route's policy (servicekit.auth), named once here.

Staff roles come from the provider's `roles` claim; a person's own token (the portal's token
exchange) carries the `person_id` their identity is linked to and reaches only that record.
"""

from collections.abc import Iterable
from typing import Annotated

from fastapi import Depends
from servicekit.auth import ASSESSOR, OPERATIONS, REVIEWER, Principal, ensure_may_act_for, require

CASE_READERS = (ASSESSOR, REVIEWER)
"""Staff who read a person's case. A case assigned to someone else needs a purpose
(`ensure_reader_of`); the portal asks for one whenever the case is not the user's own."""

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
Operations = Annotated[Principal, Depends(require("assessment:read", roles=[OPERATIONS]))]
"""National operations: figures over every case (the area comparison), no one's record."""
CaseReader = Annotated[Principal, Depends(require("assessment:read", roles=CASE_READERS))]
CaseWorker = Annotated[Principal, Depends(require("assessment:write", roles=CASE_READERS))]
"""The assessors' workspace (caseload, assignment, the assessment in progress): staff with the
assessor or reviewer role; the acting staff member is the token's subject."""


def ensure_reader_of(who: Principal, person_id: str, assignees: Iterable[str | None]) -> None:
    """`who` may read the person's record: their own, or staff's. A case assigned to another
    member of staff is theirs, so reading it also needs a purpose (`X-Access-Purpose`, kept on
    the audit trail: 403 without one); unassigned cases are the team's shared queue."""
    taken = {a for a in assignees if a}
    assigned = None if not taken or who.subject in taken else False
    ensure_may_act_for(who, person_id, *CASE_READERS, assigned=assigned)
