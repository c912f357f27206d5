"""Managed care in a payment run's batch, in memory: the providers' shares come first out of
the award, the person receives the rest, and a shortfall is the person's contribution."""

import functools
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from payments.adapters.invoice_terms import load_invoice_terms
from payments.adapters.outbound import to_contract_events
from payments.adapters.provider_payees import FileProviderPayees
from payments.domain.batch import NO_BANK_ACCOUNT, OpenOverpayment, plan_batch
from payments.domain.calculation import StatementLine
from payments.domain.contributions import OpenContribution
from payments.domain.events import ContributionCollected
from payments.domain.instructions import provider_instruction_id
from payments.domain.ledger import (
    AWARD_EXPENSE,
    BANK_CLEARING,
    account_balances,
    contribution_receivable,
    invoiced_receivable,
    person_payable,
    provider_payable,
)
from payments.domain.managed import ManagedServices, ProviderLine, allocate, split_award
from payments.domain.providers import NO_PAYEES

from .test_run_batch import RUN
from .test_run_batch import row as any_row

HOME, DAY = "PRV-0001", "PRV-0002"


def row(**changes):
    award = changes.get("entitlement_pence", 47_840)
    return any_row(lines=(StatementLine("Daily living", award, "x"),), **changes)


def plan(*lines: tuple[str, int], budget: int = 11_040) -> ManagedServices:
    providers = tuple(ProviderLine("SVC", p, "care", 1, w, w) for p, w in lines)
    managed = min(sum(w for _, w in lines), budget)
    return ManagedServices("plan-1", 2, budget, managed, budget - managed, 0, providers)


plan_in_memory = functools.partial(plan_batch, terms=load_invoice_terms())


@pytest.fixture(scope="module")
def payees():
    import asyncio

    return asyncio.run(FileProviderPayees().load())


def planned(due, payees, overpayments=()):
    batch = plan_in_memory(due, RUN, [OpenOverpayment(*o) for o in overpayments], payees)
    batch.events = list(to_contract_events(batch))
    return batch


def types(batch) -> list[str]:
    return [e.type.rsplit(".", 2)[-2] for e in batch.events]


def test_providers_are_paid_their_share_and_the_person_the_rest(payees):
    batch = planned([row(managed=plan((HOME, 3_000), (DAY, 4_000)))], payees)
    (update,) = batch.updates
    assert (update.status, update.amount_pence, update.provider_pence) == (
        "instructed",
        17_507,
        30_333,
    )
    assert [(x.provider_id, x.amount_pence) for x in batch.provider_lines] == [
        (HOME, 13_000),
        (DAY, 17_333),
    ]
    assert {x.provider_instruction_id for x in batch.provider_lines} == {
        provider_instruction_id(RUN.run_id, HOME),
        provider_instruction_id(RUN.run_id, DAY),
    }
    balances = account_balances([j.entry for j in batch.journals])
    assert balances == {
        AWARD_EXPENSE: 47_840,
        person_payable("p1"): 0,
        provider_payable(HOME): -13_000,
        provider_payable(DAY): -17_333,
        BANK_CLEARING: -17_507,
    }
    assert [j.kind for j in batch.journals] == [
        "period_accrued",
        "managed_care_due",
        "payment_issued",
    ]
    statement = next(e for e in batch.events if e.type.endswith("statement_issued.v1")).data
    assert [(x.label, x.amount_pence) for x in statement.lines[-2:]] == [
        ("Paid to Cityline Home Care Ltd", -13_000),
        ("Paid to Westcountry Care Partnership CIC", -17_333),
    ]
    assert statement.net_pence == 17_507 == sum(x.amount_pence for x in statement.lines)


def test_an_award_below_the_managed_care_raises_the_persons_contribution(payees):
    due = row(
        entitlement_pence=13_173, amount_pence=13_173, managed=plan((HOME, 6_000))
    )  # £260.00 of care
    batch = planned([due], payees)
    (update,) = batch.updates
    assert (update.status, update.provider_pence, update.contribution_pence) == (
        "nil",
        13_173,
        12_827,
    )
    assert batch.instructions == [] and batch.nil == 1
    (line,) = batch.provider_lines
    assert (line.amount_pence, line.from_award_pence, line.contribution_pence) == (
        26_000,
        13_173,
        12_827,
    )
    (owed,) = batch.contributions
    assert owed.amount_pence == 12_827
    balances = account_balances([j.entry for j in batch.journals])
    # billed at once: the receivable moves to its invoiced sub-account
    assert balances[contribution_receivable("p1")] == 0
    assert balances[invoiced_receivable("p1")] == 12_827
    assert balances[provider_payable(HOME)] == -26_000
    assert types(batch) == ["contribution_raised", "contribution_invoiced", "statement_issued"]
    (invoice,) = batch.invoices
    assert (invoice.amount_pence, invoice.issued_on) == (12_827, RUN.run_date)
    assert (invoice.due_on - invoice.issued_on).days == 28
    invoiced = next(e for e in batch.events if e.type.endswith("contribution_invoiced.v1"))
    assert invoiced.data.invoice_reference == invoice.invoice_reference
    statement = batch.events[-1].data
    assert statement.net_pence == 0 == sum(x.amount_pence for x in statement.lines)
    assert statement.lines[-1].label == "Your contribution"


def test_recovery_comes_only_out_of_the_persons_own_share(payees):
    due = row(amount_pence=42_840, recovery_pence=5_000, managed=plan((HOME, 10_000)))
    batch = planned([due], payees, [("OP1", "p1", 9_000)])
    (update,) = batch.updates
    # £478.40 - £433.33 to the provider leaves £45.07: at most £45.06 is recovered
    assert (update.provider_pence, update.recovery_pence, update.amount_pence) == (
        43_333,
        4_506,
        1,
    )
    assert batch.recovered == {"OP1": 4_506}


def test_with_no_bank_account_the_providers_are_paid_and_the_persons_share_held(payees):
    batch = planned([row(payee_name=None, managed=plan((HOME, 2_000)))], payees)
    (update,) = batch.updates
    assert (update.status, update.hold_reason, update.amount_pence) == (
        "held",
        NO_BANK_ACCOUNT,
        47_840 - 8_667,
    )
    assert update.accrued_entitlement_pence == 47_840  # accrued: the provider's part is owed
    assert [x.amount_pence for x in batch.provider_lines] == [8_667]
    released = planned([row(accrued_entitlement_pence=47_840, amount_pence=39_173)], payees)
    assert released.provider_lines == [] and released.instructions[0].amount_pence == 39_173


def test_a_contribution_owed_is_collected_within_the_cap_shared_with_recovery(payees):
    due = row(amount_pence=42_840, recovery_pence=5_000, managed=plan((HOME, 6_000)))
    owed = [OpenContribution("CN1", "p1", 1_000), OpenContribution("CN2", "p1", 9_000)]
    batch = plan_in_memory([due], RUN, [OpenOverpayment("OP1", "p1", 9_000)], payees, owed)
    (update,) = batch.updates
    # 15% of £478.40 is £71.76: £50 of it recovers the overpayment, £21.76 goes to contributions
    assert (update.recovery_pence, update.collected_pence) == (5_000, 2_176)
    assert batch.collected == {"CN1": 1_000, "CN2": 1_176}  # the oldest first
    assert update.amount_pence == 47_840 - 26_000 - 5_000 - 2_176
    assert [j.kind for j in batch.journals] == [
        "period_accrued",
        "managed_care_due",
        "overpayment_recovered",
        "contribution_collected",
        "payment_issued",
    ]
    balances = account_balances([j.entry for j in batch.journals])
    assert balances[contribution_receivable("p1")] == -2_176
    assert balances[person_payable("p1")] == 0
    statement = to_contract_events(batch)
    line = next(e for e in statement if e.type.endswith("statement_issued.v1")).data.lines[-1]
    assert (line.label, line.amount_pence) == ("Contribution collected", -2_176)
    assert "You still owe £78.24" in line.explanation


def test_a_contribution_never_takes_the_persons_last_penny(payees):
    due = row(entitlement_pence=26_010, amount_pence=26_010, managed=plan((HOME, 6_000)))
    batch = plan_in_memory([due], RUN, [], payees, [OpenContribution("CN1", "p1", 500)])
    (update,) = batch.updates
    assert (update.collected_pence, update.amount_pence) == (9, 1)


def test_an_ended_plan_or_a_retry_pays_no_provider(payees):
    ended = ManagedServices("plan-1", 3, 0, 0, 0, 0, ())
    assert planned([row(managed=ended)], payees).provider_lines == []
    retry = row(attempts=1, accrued_entitlement_pence=47_840, managed=plan((HOME, 2_000)))
    assert planned([retry], payees).provider_lines == []


def test_an_unknown_provider_is_still_owed_under_its_id(payees):
    batch = planned([row(managed=plan(("prov-9", 2_000)))], payees)
    statement = next(e for e in batch.events if e.type.endswith("statement_issued.v1")).data
    assert statement.lines[-1].label == "Paid to provider prov-9"


@pytest.mark.parametrize(
    ("total", "weights", "shares"),
    [
        (30_333, {"a": 3_000, "b": 4_000}, {"a": 13_000, "b": 17_333}),
        (10, {"a": 1, "b": 1, "c": 1}, {"a": 4, "b": 3, "c": 3}),
        (0, {"a": 5}, {"a": 0}),
    ],
)
def test_allocation_is_proportional_in_whole_pence(total, weights, shares):
    assert allocate(total, weights) == shares


providers = st.dictionaries(
    st.sampled_from(["PRV-0001", "PRV-0002", "PRV-0003", "x"]),
    st.integers(min_value=1, max_value=60_000),
    min_size=1,
    max_size=4,
)


@given(
    award=st.integers(min_value=0, max_value=200_000),
    recovery=st.integers(min_value=0, max_value=50_000),
    weekly=providers,
    budget=st.integers(min_value=0, max_value=80_000),
    outstanding=st.integers(min_value=0, max_value=100_000),
    owed=st.lists(st.integers(min_value=1, max_value=30_000), max_size=3),
    billed=st.lists(st.booleans(), min_size=3, max_size=3),
)
def test_provider_and_person_payments_always_add_up_to_the_payable_award(
    award, recovery, weekly, budget, outstanding, owed, billed
):
    arrangement = plan(*weekly.items(), budget=budget)
    recovery = min(recovery, max(0, award - 1))  # as the schedule plans it
    due = row(
        entitlement_pence=award,
        amount_pence=award - recovery,
        recovery_pence=recovery,
        managed=arrangement,
    )
    contributions = [
        OpenContribution(f"CN{n}", "p1", x, f"CB{n}" if billed[n] else None)
        for n, x in enumerate(owed)
    ]
    batch = plan_in_memory(
        [due], RUN, [OpenOverpayment("OP1", "p1", outstanding)], NO_PAYEES, contributions
    )
    (update,) = batch.updates
    to_providers = sum(x.amount_pence for x in batch.provider_lines)
    from_award = sum(x.from_award_pence for x in batch.provider_lines)
    contribution = sum(x.contribution_pence for x in batch.provider_lines)
    managed, _ = arrangement.monthly_split()
    assert to_providers == (managed if weekly and managed else 0)
    taken = update.collected_pence
    # the payable award: to providers, to the person, recovered and collected
    assert from_award + update.amount_pence + update.recovery_pence + taken == award
    assert taken == sum(batch.collected.values()) <= sum(owed)
    assert update.recovery_pence + taken <= max(update.recovery_pence, award * 15 // 100)
    assert update.amount_pence >= 1 or (update.recovery_pence == 0 and taken == 0)
    assert from_award == update.provider_pence and contribution == update.contribution_pence
    assert contribution == max(0, to_providers - award)
    assert update.amount_pence >= 0 and update.recovery_pence <= min(recovery, outstanding)
    balances = account_balances([j.entry for j in batch.journals])
    assert sum(balances.values()) == 0
    assert balances.get(person_payable("p1"), 0) == 0  # all of it paid out or held: nothing lost
    assert -sum(v for k, v in balances.items() if k.startswith("provider:")) == to_providers
    split = split_award(award, recovery, arrangement.for_period(award))
    # collections are paid against the bills they belong to; every penny is told
    collected = [e for e in batch.events if isinstance(e, ContributionCollected)]
    assert sum(e.amount_pence for e in collected) == taken
    billed_taken = sum(e.amount_pence for e in collected if e.invoice_reference)
    raised = contribution if contribution else 0
    assert -balances.get(invoiced_receivable("p1"), 0) == billed_taken - raised
    assert -balances.get(contribution_receivable("p1"), 0) == taken - billed_taken
    assert split.to_providers_pence == from_award  # the page's planned split is the run's
    assert split.to_person_pence + split.recovery_pence == (
        update.amount_pence + update.recovery_pence + taken
    )
    assert update.recovery_pence == min(split.recovery_pence, outstanding)


def test_the_payee_names_come_from_the_dated_data(payees):
    assert payees.name(HOME, date(2025, 6, 9)) == "Cityline Home Care Ltd"
    assert payees.payee(HOME, date(2025, 4, 6)) is None  # before the first entry
