"""Reads the terms of a contribution's bill (payments/rates/contribution-invoices.yaml)."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from payments.adapters.data_files import packaged_text, parse
from payments.domain.invoices import InvoiceTerms

CONTRIBUTION_INVOICES = "contribution-invoices.yaml"


class _TermsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    days_to_pay: Annotated[StrictInt, Field(ge=14, le=90)]
    source: str = Field(min_length=10)

    def to_domain(self) -> InvoiceTerms:
        return InvoiceTerms(self.days_to_pay, self.source)


def load_invoice_terms(file_name: str = CONTRIBUTION_INVOICES) -> InvoiceTerms:
    text = packaged_text("payments.rates", file_name)
    return parse(_TermsFile, text, "contribution invoice terms", _TermsFile.to_domain)
