"""Inbound integration events from the national benefits system (Universal Credit), version 1.

Published by the benefits system (or its simulator) on `benefits.uc-claims`.
"""

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from contracts.envelope import Envelope, Payload, Pence, event_type_name

SOURCE = "/external/benefits-system"


def _type(name: str) -> str:
    return event_type_name("benefits", name, 1)


class UcClaimOpened(Payload):
    uc_claim_id: str
    assessment_period_start_day: int = Field(ge=1, le=31)
    first_assessment_period_start: date


class UcClaimClosed(Payload):
    uc_claim_id: str
    closed_on: date


class UcPeriodAssessed(Payload):
    uc_claim_id: str
    period_start: date
    period_end: date
    capital_pence: Pence
    unearned_income_pence: Pence
    earned_income_pence: Pence
    # The household facts UC's work allowance depends on (UC Regs 2013 reg 22); None (or
    # absent, from older producers) means the benefits system did not say.
    housing_costs_element: bool | None = Field(
        None, description="The UC award for this period includes a housing costs element"
    )
    limited_capability_for_work: bool | None = Field(
        None,
        description=(
            "The claimant, or either joint claimant, has limited capability for work (or for"
            " work and work-related activity)"
        ),
    )
    responsible_for_child: bool | None = Field(
        None,
        description=(
            "The claimant, or either joint claimant, is responsible for a child or a qualifying"
            " young person"
        ),
    )


class UcClaimOpenedV1(Envelope[UcClaimOpened]):
    type: Literal["uk.gov.carebenefit.benefits.uc_claim_opened.v1"] = _type("uc_claim_opened")


class UcClaimClosedV1(Envelope[UcClaimClosed]):
    type: Literal["uk.gov.carebenefit.benefits.uc_claim_closed.v1"] = _type("uc_claim_closed")


class UcPeriodAssessedV1(Envelope[UcPeriodAssessed]):
    type: Literal["uk.gov.carebenefit.benefits.uc_period_assessed.v1"] = _type("uc_period_assessed")


EVENTS = (UcClaimOpenedV1, UcClaimClosedV1, UcPeriodAssessedV1)

BenefitsEvent = Annotated[
    UcClaimOpenedV1 | UcClaimClosedV1 | UcPeriodAssessedV1, Field(discriminator="type")
]
