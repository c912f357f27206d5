"""Claims, decisions and reconsiderations per local authority area (the area comparison)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class AreaDecisions:
    area_code: str
    claims: int
    claims_decided: int
    claim_to_decision_median_seconds: int | None
    claim_to_decision_p90_seconds: int | None
    decisions_in_force: int
    awarded: int
    average_award_weekly_pence: int | None
    reconsiderations: int
    reconsiderations_decided: int
    reconsiderations_changed: int
