"""The assessment facts in a request (docs/calculator.md "Input"): their shape and formats.

What the facts mean against the rule set in force (descriptor codes, income types, rates, ages,
the days of a period) is checked by the domain, which words the same problems the same way.
Routes pass `dump_facts(...)`: the facts as given, without defaults filled in.
"""

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, WrapSerializer, WrapValidator
from pydantic_core import PydanticCustomError

from assessment.domain.validation_values import pence_problem, whole_number_problem


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _pence(value: Any) -> int:
    if problem := pence_problem(value):
        raise PydanticCustomError("pence", problem)
    return value


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise PydanticCustomError("flag", "must be true or false")
    return value


def _count(value: Any) -> int:
    if problem := whole_number_problem(value):
        raise PydanticCustomError("count", problem)
    return value


def _days(value: Any) -> int:
    if problem := whole_number_problem(value, minimum=1):
        raise PydanticCustomError("days", problem)
    return value


Pence = Annotated[int, PlainValidator(_pence), Field(description="Integer pence, never a float")]
Flag = Annotated[bool, PlainValidator(_flag)]
Count = Annotated[int, PlainValidator(_count)]
Days = Annotated[int, PlainValidator(_days)]


class DescriptorDaysBody(_Strict):
    descriptor: str = Field(description='A descriptor code, "1a" to "12f"')
    days: Days = Field(description="The days of the period on which it applies")
    reliability: dict[str, Flag] = Field(
        default_factory=dict,
        description="SI 2013/377 reg 4(2A): safely, acceptable_standard, repeatedly, "
        "reasonable_time -> whether it holds; a criterion left out holds",
    )


class ActivityDaysBody(_Strict):
    """The descriptors that apply to an activity and on how many days (SI 2013/377 reg 7)."""

    period_days: Days = Field(description="The days the counts are out of")
    applies: list[DescriptorDaysBody] = Field(min_length=1)


def _code_or_days(value: Any, handler: Any) -> Any:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return handler(value)
    raise PydanticCustomError(
        "descriptor",
        'give one descriptor code, or {"period_days": ..., "applies": [{"descriptor": ..., '
        '"days": ...}]} (SI 2013/377 reg 7)',
    )


def _dump_code_or_days(value: Any, handler: Any) -> Any:
    return value if isinstance(value, str) else handler(value)


def _schema_code_or_days(schema: dict[str, Any]) -> None:
    days = dict(schema)
    schema.clear()
    schema["anyOf"] = [{"type": "string", "description": "the descriptor that applies"}, days]


ActivityDescriptors = Annotated[
    ActivityDaysBody,
    WrapValidator(_code_or_days),
    WrapSerializer(_dump_code_or_days),
    Field(json_schema_extra=_schema_code_or_days),
]


class CareActBody(_Strict):
    impairment_or_illness: Flag
    outcomes: dict[str, str | None] = Field(description='Outcome "a".."j" -> limb, or null')
    significant_wellbeing_impact: Flag


class CarerBody(_Strict):
    necessary_care: Flag
    health_deteriorating: Flag
    outcomes: dict[str, str | None] = Field(description='Outcome "i".."viii" -> limb, or null')
    significant_wellbeing_impact: Flag


class PartnerBody(_Strict):
    age: Count | None = None
    date_of_birth: date | None = None


class MeansBody(_Strict):
    capital_pence: Pence
    weekly_income_pence: dict[str, Pence]
    age: Count | None = None
    date_of_birth: date | None = None
    housing_costs_pence: Pence = 0
    disability_related_expenditure_pence: Pence = 0
    benefit_rates: dict[str, str] = Field(
        default_factory=dict,
        description="Income type -> the rate it is paid at, where the amount does not say "
        '(e.g. {"attendance_allowance": "higher"})',
    )
    night_care_arranged: Flag = Field(False, description="Night care is arranged at home")
    entitled_to_carers_allowance: Flag = Field(
        False, description="Entitled to Carer's Allowance, paid or not (the carer premium)"
    )
    dependent_children: Count = 0
    partner: PartnerBody | None = Field(None, description="Given: a member of a couple")
    care_setting: Literal["own_home", "care_home"] = "own_home"
    days_in_care_home: Count | None = Field(
        None, description="Days in a care home the scheme pays for (care_home only)"
    )


class AssessmentFactsBody(_Strict):
    descriptors: dict[str, ActivityDescriptors] = Field(
        description='Activity "1".."12" -> a descriptor code, or the descriptors that apply '
        "with their days"
    )
    care_act: CareActBody
    means: MeansBody
    carer: CarerBody | None = None


def dump_facts(facts: AssessmentFactsBody) -> dict[str, Any]:
    """The facts as given (what is recorded), dates as YYYY-MM-DD."""
    return facts.model_dump(mode="json", exclude_unset=True)
