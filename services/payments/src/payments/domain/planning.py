"""The dated data planning an award's payments needs, read once from payments' data files."""

from dataclasses import dataclass

from payments.domain.invoices import InvoiceTerms
from payments.domain.uc_means import UcMeansTable
from payments.domain.working_days import WorkingDayCalendar


@dataclass(frozen=True)
class PlanningData:
    calendar: WorkingDayCalendar
    """Working days, for due dates (C&P Regs reg 47)."""
    uc_means: UcMeansTable
    """UC's means rates, for the periods of an award aligned to a UC claim."""
    invoice_terms: InvoiceTerms | None = None
    """When a contribution's bill is due (payments/rates/contribution-invoices.yaml)."""
