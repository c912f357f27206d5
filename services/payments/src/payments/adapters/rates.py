"""Reads UC's dated means rates (payments/rates/uc-means.yaml) into the domain's table."""

import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictInt

from payments.adapters.data_files import iso_date, packaged_text, parse
from payments.domain.uc_means import UcMeansRules, UcMeansTable

UC_MEANS = "uc-means.yaml"
Pence = Annotated[StrictInt, Field(ge=0)]


class _Rates(BaseModel):
    model_config = ConfigDict(extra="forbid")
    periods_from: Annotated[datetime.date, BeforeValidator(iso_date)]
    status: Literal["in_force", "proposed"] = "in_force"
    work_allowance_lower_pence: Pence
    work_allowance_higher_pence: Pence
    taper_basis_points: Annotated[StrictInt, Field(ge=0, le=10_000)]
    capital_lower_pence: Pence
    capital_upper_pence: Pence
    tariff_step_pence: Annotated[StrictInt, Field(gt=0)]
    tariff_per_step_pence: Pence
    source: str = Field(min_length=10)


class _RatesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    legislation: str = Field(min_length=10)
    rates: list[_Rates] = Field(min_length=1)

    def to_domain(self) -> UcMeansTable:
        return UcMeansTable(
            tuple(
                UcMeansRules(**r.model_dump(exclude={"status"}), proposed=r.status == "proposed")
                for r in self.rates
            )
        )


def load_uc_means(file_name: str = UC_MEANS) -> UcMeansTable:
    return parse_uc_means(packaged_text("payments.rates", file_name))


def parse_uc_means(yaml_text: str) -> UcMeansTable:
    return parse(_RatesFile, yaml_text, "UC means rates file", _RatesFile.to_domain)
