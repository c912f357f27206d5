"""Request bodies of the care-plans API: shapes and formats (rules are the domain's)."""

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from care_plans.domain.errors import InvalidMoney
from care_plans.domain.money import require_pence


def _whole_pence(value: object) -> int:
    try:
        return require_pence(value, "pence")
    except InvalidMoney as exc:
        raise ValueError(exc.message) from None


WholePence = Annotated[int, BeforeValidator(_whole_pence)]
Id = Annotated[str, Field(min_length=1, max_length=64)]
Version = Annotated[int, Field(strict=True, ge=1, description="The plan version the caller saw")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ProposeRequest(Strict):
    seen_version: Version


class ReviewRequest(Strict):
    seen_version: Version


class AgreeRequest(Strict):
    """Who agrees is the token's holder: the person, or an assessor on their behalf."""

    seen_version: Version
    reason: str | None = Field(
        None, max_length=2000, description="Required when an assessor agrees for the person"
    )


class ChangesRequest(Strict):
    seen_version: Version
    reason: str = Field(min_length=1, max_length=2000, description="What the person wants changed")


class TopUpRequest(Strict):
    """The assessor approving it is the token's subject."""

    seen_version: Version
    reason: str = Field(min_length=1, max_length=2000)
    pence: WholePence = Field(description="The weekly shortfall approved, in whole pence")


class ChoicesRequest(Strict):
    seen_version: Version
    preferred_providers: dict[str, Id] = Field(
        default_factory=dict, description="service code -> provider id"
    )
    direct_payment_services: list[str] = Field(
        default_factory=list, description="Service codes the person arranges with a direct payment"
    )


class ItemRequest(Strict):
    """Adds the service to the plan, or changes it if the plan has it already."""

    seen_version: Version
    units_per_week: int = Field(strict=True, description="Units a week (hours, days, nights)")
    provider_id: Id | None = Field(
        None, description="Who delivers it; may be left out only when the person arranges it"
    )


class RemoveItemRequest(Strict):
    seen_version: Version


class OtherSupportRequest(Strict):
    seen_version: Version
    kind: Literal["unpaid_carer", "community_service", "equipment"]
    description: str = Field(
        min_length=1, max_length=500, description="Who or what meets the need, and how"
    )
