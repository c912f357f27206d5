from datetime import date

import pytest
from contracts.assessment.v1 import AssessmentSubmitted, AssessmentSubmittedV1
from contracts.asyncapi import ASYNCAPI_PATH, render_yaml
from contracts.payments.v1 import PaymentIssued, PaymentIssuedV1
from contracts.registry import (
    EVENT_CLASSES,
    MalformedEvent,
    UnknownEventType,
    parse_event,
    topic_for,
)


def submitted() -> AssessmentSubmittedV1:
    return AssessmentSubmittedV1(
        source="/services/assessment",
        subject="person-1",
        correlationid="corr-1",
        data=AssessmentSubmitted(
            case_id="c1", assessment_id="a1", assessor_id="as1", area_code="E09000033"
        ),
    )


def test_an_event_round_trips_through_the_wire_format() -> None:
    event = submitted()
    assert parse_event(event.to_json_bytes()) == event
    assert topic_for(event) == "assessment.events"


def test_every_type_name_is_versioned_and_past_tense_namespaced() -> None:
    for name in EVENT_CLASSES:
        assert name.startswith("uk.gov.carebenefit.") and name.rsplit(".", 1)[-1] == "v1"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"not json", "not a JSON object"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"id": "x"}', "missing field 'type'"),
        (b'{"type": "uk.gov.carebenefit.assessment.assessment_submitted.v1"}', "field 'source'"),
    ],
)
def test_malformed_bytes_are_refused_with_a_reason(raw: bytes, reason: str) -> None:
    with pytest.raises(MalformedEvent, match=reason):
        parse_event(raw)


def test_an_unknown_type_is_reported_as_such() -> None:
    with pytest.raises(UnknownEventType):
        parse_event(b'{"type": "uk.gov.carebenefit.other.thing_happened.v9"}')


def test_money_as_a_float_is_refused() -> None:
    event = PaymentIssuedV1(
        source="/services/payments",
        subject="p1",
        data=PaymentIssued(instruction_id="i", run_id="r", amount_pence=1000, paid_on=date.today()),
    )
    raw = event.to_json_bytes().replace(b'"amount_pence":1000', b'"amount_pence":1000.5')
    with pytest.raises(MalformedEvent, match="data.amount_pence"):
        parse_event(raw)


def test_unknown_fields_are_ignored_by_a_tolerant_reader() -> None:
    raw = submitted().to_json_bytes().replace(b'"case_id"', b'"added_later":1,"case_id"')
    assert parse_event(raw).data.case_id == "c1"


def test_the_committed_asyncapi_document_matches_the_code() -> None:
    assert ASYNCAPI_PATH.read_text() == render_yaml(), (
        "contracts/asyncapi.yaml is stale: run `uv run python -m contracts.asyncapi` and commit"
    )


def test_reading_an_event_caches_no_values_only_keys() -> None:
    """pydantic-core keeps the last 16,384 short strings it read from JSON, process-wide, unless
    told to cache keys only: every event's unique ids filled it (a service's heap climbed by as
    many blocks after each start). Two reads of one body share their keys, not their values."""
    raw = submitted().to_json_bytes()
    for read in (AssessmentSubmittedV1.model_validate_json, parse_event):
        first, second = read(raw), read(raw)
        assert first == second
        assert first.id is not second.id
        assert first.data.case_id is not second.data.case_id
