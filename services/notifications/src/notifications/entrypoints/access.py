"""Who may call what: each route's policy (servicekit.auth), named once here. Staff roles come
from the provider's `roles` claim; a person's own token reaches only their own messages and
preferences."""

from typing import Annotated

from fastapi import Depends
from servicekit.auth import ASSESSOR, OPERATIONS, REVIEWER, Principal, open_access, require

Reader = Annotated[
    Principal, Depends(require("notifications:read", roles=[ASSESSOR, REVIEWER], person=True))
]
PreferenceSetter = Annotated[
    Principal, Depends(require("notifications:write", roles=[ASSESSOR], person=True))
]
"""The person, or an assessor setting them up with the person (as the demo loader does)."""
ReadMarker = Annotated[Principal, Depends(require("notifications:write", person=True))]
"""Only the person (or someone acting for them) opening a message makes it read: staff reading
it does not."""
Operator = Annotated[Principal, Depends(require("notifications:read", roles=[OPERATIONS]))]
NOTIFY = Depends(open_access("GOV.UK Notify's callback: checked against its own bearer token"))
SCRAPE = Depends(open_access("Prometheus scrape: aggregate counts, no personal data"))
