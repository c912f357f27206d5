"""Money and dates in plain English, the GOV.UK way, for every service and the portal.

Domains may import this package (it does no I/O): it is the one place money and dates are worded
and months are added, so a statement, a message and a page never disagree.
"""

from wording.dates import add_months, long_date, short_date
from wording.money import pounds

__all__ = ["add_months", "long_date", "pounds", "short_date"]
