"""Redaction: personal data out of log records (message, arguments, exception text, on any
logger) and out of exported spans; pseudonymous ids and ordinary numbers left alone."""

import io
import logging
from types import SimpleNamespace

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from servicekit.deadletter import DeadLetter
from servicekit.redaction import (
    RedactingFilter,
    RedactingSpanExporter,
    _redact_short,
    install_log_redaction,
    redact,
)

PERSONAL = {
    "JT123456C": "[NINO]",
    "jt 12 34 56 c": "[NINO]",
    "ada.lovelace+care@example.org.uk": "[email]",
    "07700 900123": "[phone]",
    "+44 7700 900123": "[phone]",
    "020 7946 0958": "[phone]",
    "12345678": "[bank account]",
    "40-47-84": "[sort code]",
    "GB33BUKB20201555555555": "[IBAN]",
}


@pytest.mark.parametrize("value, placeholder", PERSONAL.items())
def test_each_kind_of_personal_data_is_replaced(value, placeholder):
    assert redact(f"for {value}, then") == f"for {placeholder}, then"


def test_sort_codes_beside_an_account_number_or_named_as_such():
    assert redact("404784 12345678") == "[sort code] [bank account]"
    assert redact("sort_code=404784") == "sort_code=[sort code]"
    assert redact("Sort code: 404784") == "Sort code: [sort code]"


def test_postgres_details_lose_the_values_they_echo():
    detail = (
        'duplicate key value violates unique constraint "people_nino_key"\n'
        "DETAIL:  Key (nino)=(QQ 12 34 56 A, x) already exists."
    )
    assert redact(detail).endswith("DETAIL:  Key (nino)=([redacted]) already exists.")
    row = "DETAIL:  Failing row contains (P1, Ada (née Byron), null, 1815-12-10)."
    assert redact(row) == "DETAIL:  Failing row contains ([redacted])."


@pytest.mark.parametrize(
    "text",
    [
        "person P3f9a12bc0de45f1 case C0a1b2c3d4e5f6a7",
        "event 0b6f1c2e-4a5d-4e8f-9a0b-1c2d3e4f5a6b on assessment.events",
        "2025-06-16T10:00:00.123456+00:00",
        "Started server process [123456]",
        "paid 47,840 pence in 12 batches of 2000; port 52213",
    ],
)
def test_ids_dates_and_ordinary_numbers_are_left(text):
    assert redact(text) == text


@pytest.fixture
def output():
    install_log_redaction()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(message)s"))
    loggers = [logging.getLogger(n) for n in ("test.redaction", "uvicorn.error", "faststream")]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    yield stream
    for logger in loggers:
        logger.removeHandler(handler)


class Recipient:
    def __repr__(self) -> str:
        return "Recipient(email='ada@example.org', phone='07700900123')"


@pytest.mark.parametrize("name", ["test.redaction", "uvicorn.error", "faststream"])
def test_every_part_of_a_log_record_is_redacted(output, name):
    log = logging.getLogger(name)
    log.info("person JT123456C wrote from %s", "ada@example.org")
    log.info("sending %r", Recipient())
    log.info("%(who)s paid into %(account)s", {"who": "P1", "account": "12345678"})
    log.info("f-string with 07700 900123 and %d", 42)
    try:
        raise ValueError("no account 12345678 for JT123456C")
    except ValueError:
        log.exception("failed for %s", "JT123456C")
    text = output.getvalue()
    for value in ("JT123456C", "ada@example.org", "07700900123", "07700 900123", "12345678"):
        assert value not in text
    assert "ValueError: no account [bank account] for [NINO]" in text
    assert "P1 paid into [bank account]" in text and "and 42" in text


def test_a_record_made_outside_the_factory_is_redacted_by_the_handler_filter():
    record = logging.makeLogRecord({"msg": "NINO %s", "args": ("JT123456C",)})
    RedactingFilter().filter(record)
    assert record.getMessage() == "NINO [NINO]"


def test_exported_spans_are_redacted():
    memory = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(RedactingSpanExporter(memory)))
    tracer = provider.get_tracer("test")
    with pytest.raises(RuntimeError), tracer.start_as_current_span("GET /people") as span:
        span.set_attribute("http.url", "http://p/people?email=ada@example.org&n=JT123456C")
        span.set_attribute("messaging.kafka.message.key", b"P3f9a12bc0de45f1")
        span.set_attribute("tags", ["07700900123", "fine"])
        raise RuntimeError("Key (nino)=(JT123456C) already exists")
    (exported,) = memory.get_finished_spans()
    assert exported.attributes["http.url"] == "http://p/people?email=[email]&n=[NINO]"
    assert exported.attributes["messaging.kafka.message.key"] == "P3f9a12bc0de45f1"
    assert exported.attributes["tags"] == ("[phone]", "fine")
    (event,) = exported.events
    assert "JT123456C" not in str(dict(event.attributes))
    assert "JT123456C" not in (exported.status.description or "")
    assert exported.context.trace_id == span.get_span_context().trace_id


def test_a_dead_letters_reason_holds_no_personal_data():
    record = SimpleNamespace(topic="t", partition=0, offset=1, key=b"P1", value=b"{}", headers=[])
    error = ValueError("1 validation error: email 'ada@example.org' for JT123456C is not allowed")
    letter = DeadLetter.of(record, error, attempts=1)
    assert letter.reason == "1 validation error: email '[email]' for [NINO] is not allowed"


def test_only_attributes_that_repeat_are_cached_as_redacted():
    """Message ids and keys differ in every span: caching them would only fill the cache."""
    memory = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(RedactingSpanExporter(memory)))
    tracer = provider.get_tracer("test")
    _redact_short.cache_clear()
    for n in range(50):
        with tracer.start_as_current_span("payments.events process") as span:
            span.set_attribute("messaging.destination.name", "payments.events")
            span.set_attribute("messaging.message.id", f"e-{n}")
            span.set_attribute("messaging.kafka.message.key", f"P{n} ada@example.org")
    assert _redact_short.cache_info().currsize == 1
    assert (
        memory.get_finished_spans()[-1].attributes["messaging.kafka.message.key"] == "P49 [email]"
    )
