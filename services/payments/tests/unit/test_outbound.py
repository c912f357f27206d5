from datetime import date

import pytest
from contracts.payments import v1
from payments.adapters.outbound import to_contract_events
from payments.domain.calculation import StatementLine
from payments.domain.events import StatementIssued
from pydantic import ValidationError


class Emitted:
    def __init__(self, *events: object) -> None:
        self.events = list(events)


LINES = (
    StatementLine("Daily living (enhanced)", 49_660, "Assessed: 12 points."),
    StatementLine("Overpayment recovery", -2_000, "Repays part of an overpayment."),
)
STATEMENT = StatementIssued("P1", "s-1", date(2025, 4, 10), date(2025, 5, 9), LINES, 47_660)


def test_a_statement_is_published_with_every_line_as_a_contract_line():
    [event] = to_contract_events(Emitted(STATEMENT))
    assert isinstance(event, v1.StatementIssuedV1)
    assert (event.subject, event.source) == ("P1", v1.SOURCE)
    assert event.data == v1.StatementIssued(
        statement_id="s-1",
        period_start=date(2025, 4, 10),
        period_end=date(2025, 5, 9),
        lines=[
            v1.StatementLine(label=x.label, amount_pence=x.amount_pence, explanation=x.explanation)
            for x in LINES
        ],
        net_pence=47_660,
    )
    assert all(isinstance(line, v1.StatementLine) for line in event.data.lines)


def test_a_line_in_anything_but_whole_pence_is_refused_as_before():
    fractional = StatementLine("Daily living", 496.6, "Assessed.")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="amount_pence"):
        to_contract_events(
            Emitted(StatementIssued("P1", "s-1", date.min, date.min, (fractional,), 1))
        )
