from datetime import date

import pytest
from notifications.adapters.templates import load_templates
from notifications.domain.templates import Template
from wording import long_date as format_date
from wording import pounds as format_pence


@pytest.fixture(scope="session")
def templates() -> dict[str, Template]:
    return load_templates()


@pytest.fixture(scope="session")
def sample_personalisation() -> dict[str, str]:
    """One complete set of values: every field any shipped template declares."""
    return {
        "first_name": "Amina",
        "case_reference": "CB-204-881",
        "decision_date": format_date(date(2026, 4, 7)),
        "reasons_summary": (
            "You need help to wash, dress and prepare meals every day. "
            "Your savings are below the limit."
        ),
        "assessed_weekly_amount": format_pence(31_250),
        "weekly_contribution": format_pence(4_000),
        "weekly_amount": format_pence(27_250),
        "monthly_amount": format_pence(118_083),
        "award_start_date": format_date(date(2026, 4, 13)),
        "review_date": format_date(date(2027, 4, 13)),
        "reconsideration_deadline": format_date(date(2026, 5, 7)),
        "original_decision_date": format_date(date(2026, 4, 7)),
        "decision_changed": "yes",
        "decision_unchanged": "no",
        "appeal_deadline": format_date(date(2026, 7, 1)),
        "first_payment_date": format_date(date(2026, 5, 1)),
        "aligned_to_universal_credit": "no",
        "amount": format_pence(118_083),
        "paid_date": format_date(date(2026, 5, 1)),
        "failure_reason": "the account has been closed",
        "will_retry": "no",
        "payment_held": "yes",
        "changed_date": format_date(date(2026, 5, 12)),
        "changed_by_staff": "yes",
        "payments_note": "Your next payment will go to the new account.",
        "period_start_date": format_date(date(2026, 4, 1)),
        "period_end_date": format_date(date(2026, 4, 30)),
        "net_amount": format_pence(118_083),
        "overpayment_amount": format_pence(123_456),
        "overpayment_reason": "Your savings went over the limit in March 2026.",
        "recovery_amount": format_pence(2_500),
        "contribution_amount": format_pence(12_827),
        "contribution_reason": "Your award was less than the care your providers gave you.",
        "invoice_reference": "CB4Q8RT2KX9MZA17",
        "invoice_amount": format_pence(12_827),
        "due_date": format_date(date(2026, 5, 28)),
        "weekly_budget": format_pence(31_250),
        "over_budget": "yes",
        "agreed_date": format_date(date(2026, 5, 20)),
        "first_review_date": format_date(date(2026, 8, 20)),
    }
