"""What assessment keeps encrypted at rest (servicekit.crypto), each value bound to its row.

The NINO: people are found by it (a new case, the portal's sign-in match), so a keyed hash of it
sits beside it (`nino_hash`, unique); it is kept sealed rather than only hashed because people
and assessors are shown it, and because a new lookup key needs the NINOs to hash again.
"""

from servicekit.crypto import SealedColumn

NINO = SealedColumn("people", "nino", key="person_id", lookup="nino_hash")
SEALED = (NINO,)
