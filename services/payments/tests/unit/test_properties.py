import calendar
from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from payments.domain import ledger
from payments.domain.awards import AwardVersion, WeeklyComponent
from payments.domain.calculation import RecoveryPolicy, calculate_period, monthly_from_weekly
from payments.domain.periods import AssessmentPeriod, assessment_periods, period_containing

pence = st.integers(min_value=0, max_value=10_000_000)
first_days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
JANUARY = AssessmentPeriod(date(2025, 1, 1), date(2025, 1, 31))


@given(weekly=pence)
def test_monthly_amount_is_weekly_times_52_over_12_rounded_half_up(weekly):
    exact = Fraction(weekly * 52, 12)
    monthly = monthly_from_weekly(weekly)
    assert abs(monthly - exact) <= Fraction(1, 2)
    assert monthly - exact != Fraction(-1, 2)  # a half rounds up, never down


@given(
    weekly=st.lists(st.integers(min_value=0, max_value=200_000), max_size=4),
    reduction=st.integers(min_value=0, max_value=1_000_000),
    outstanding=pence,
    cap_basis_points=st.integers(min_value=0, max_value=10_000),
)
def test_recovery_never_exceeds_the_cap_and_never_leaves_less_than_a_penny(
    weekly, reduction, outstanding, cap_basis_points
):
    components = tuple(WeeklyComponent(f"c{i}", w) for i, w in enumerate(weekly))
    award = AwardVersion(1, date(2025, 1, 1), components, "test", reduction)
    policy = RecoveryPolicy(cap_basis_points=cap_basis_points)
    statement = calculate_period(JANUARY, [award], outstanding, policy)
    assert (
        0 <= statement.recovery_pence <= min(outstanding, policy.cap_pence(statement.gross_pence))
    )
    assert statement.recovery_pence * 10_000 <= statement.gross_pence * cap_basis_points
    assert statement.net_pence == statement.net_monthly_pence - statement.recovery_pence >= 0
    if statement.net_monthly_pence >= 1:
        assert statement.net_pence >= 1
    assert sum(line.amount_pence for line in statement.lines) == statement.net_pence
    assert all(isinstance(line.amount_pence, int) for line in statement.lines)


EVENTS = [
    ledger.period_award_accrued,
    ledger.arrears_accrued,
    ledger.payment_issued,
    ledger.payment_returned,
    ledger.overpayment_raised,
    ledger.overpayment_recovered,
]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(EVENTS),
            st.sampled_from(["p1", "p2"]),
            st.integers(min_value=1, max_value=10_000_000),
        ),
        max_size=30,
    )
)
def test_journals_always_balance(events):
    entries = [make(f"e{n}", person, amount) for n, (make, person, amount) in enumerate(events)]
    assert all(e.total_debits_pence == e.total_credits_pence for e in entries)
    assert sum(ledger.account_balances(entries).values()) == 0


@given(
    debits=st.lists(st.integers(1, 10_000), min_size=1),
    credits=st.lists(st.integers(1, 10_000), min_size=1),
)
def test_an_entry_exists_only_if_it_balances(debits, credits):
    postings = [ledger.Posting("dr", debit_pence=d) for d in debits] + [
        ledger.Posting("cr", credit_pence=c) for c in credits
    ]
    if sum(debits) == sum(credits):
        assert ledger.JournalEntry("e", postings).total_debits_pence == sum(debits)
    else:
        with pytest.raises(ledger.UnbalancedEntry):
            ledger.JournalEntry("e", postings)


def expected_start_day(first_day: date, year: int, month: int) -> int:
    last = calendar.monthrange(year, month)[1]
    if first_day.day == 31:
        return last
    if first_day.day in (29, 30) and month == 2:
        return 28 if calendar.isleap(year) else 27
    return first_day.day


@given(first_day=first_days, offset_days=st.integers(min_value=0, max_value=800))
def test_periods_are_contiguous_monthly_and_start_where_reg_21_says(first_day, offset_days):
    periods = assessment_periods(first_day, until=first_day + timedelta(days=800))
    assert periods[0].start == first_day
    for before, after in zip(periods, periods[1:], strict=False):
        assert after.start == before.end + timedelta(days=1)
        assert after.start.day == expected_start_day(first_day, after.start.year, after.start.month)
        assert 28 <= before.days <= 31
    day = first_day + timedelta(days=offset_days)
    assert period_containing(first_day, day).contains(day)
