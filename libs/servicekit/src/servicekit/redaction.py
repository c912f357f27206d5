"""Nothing personal in logs or traces.

`redact(text)` replaces NINOs, bank account numbers and sort codes (and IBANs), email addresses
and phone numbers with a placeholder, and so too the key values and failing rows PostgreSQL
echoes in its error details (`Key (nino)=(…) already exists`, `Failing row contains (…)`),
whatever they hold. `install_log_redaction()` applies it to every log record the process makes,
when it is made (its message and arguments, its exception and stack text), whichever logger
and handler it goes to (uvicorn's and FastStream's included); `RedactingSpanExporter` applies it
to every span's name, attributes, events and status before they leave the process.

Person ids (`P…`) are pseudonymous and stay: they are how a trace is followed. A bare six-digit
number is only taken for a sort code beside an account number or after "sort code" (process
ids, counts and microseconds are six digits too); any eight-digit number is taken for an
account number.
"""

import functools
import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any

from opentelemetry.sdk.trace import Event, ReadableSpan
from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult
from opentelemetry.trace import Status

_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    # PostgreSQL's DETAIL lines echo the values of a key or a whole row.
    (
        re.compile(r"(Key \([^)]*\)=\().*?(\) (?:already exists|is not present|conflicts))"),
        r"\1[redacted]\2",
    ),
    (re.compile(r"(Failing row contains \().*(\))"), r"\1[redacted]\2"),
    (re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"), "[email]"),
    (re.compile(r"\b[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b", re.IGNORECASE), "[NINO]"),
    (re.compile(r"\b[A-Z]{2}\d{2}[A-Z0-9]{11,30}\b"), "[IBAN]"),
    (re.compile(r"\b\d{2}-\d{2}-\d{2}\b"), "[sort code]"),
    (re.compile(r"(sort[ _-]?code\W{0,3})\d{6}\b", re.IGNORECASE), r"\1[sort code]"),
    (re.compile(r"\b\d{6}([ ,/;:-]+\d{8}\b)"), r"[sort code]\1"),
    (re.compile(r"(?<![\w+])(?:\+44[ -]?(?:\(0\)[ -]?)?|0)\d(?:[ -]?\d){8,9}(?![\w-])"), "[phone]"),
    (re.compile(r"(?<![\w+])\+\d{1,3}(?:[ -]?\d){7,12}(?![\w-])"), "[phone]"),
    (re.compile(r"\b\d{8}\b"), "[bank account]"),
)


_ANY_RULE = re.compile(
    "|".join(
        f"(?i:{p.pattern})" if p.flags & re.IGNORECASE else f"(?:{p.pattern})" for p, _ in _RULES
    )
)
"""Matches where any rule would: one scan finds most text (span attributes, ids) clean, and
only text that holds something runs through the rules in turn. No rule refers back to a
group, so the alternation matches exactly where one of the rules does."""


def redact(text: str) -> str:
    if _ANY_RULE.search(text) is None:
        return text
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


def _redact_value(value: Any) -> Any:
    """Text is redacted; numbers, booleans and None are left as they are (format specs such as
    %d need them); anything else is turned into redacted text."""
    if value is None or isinstance(value, bool | int | float):
        return value
    return redact(value if isinstance(value, str) else str(value))


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """Redacts the record in place: its message, arguments, exception and stack text (again
    is harmless: no placeholder is redacted)."""
    if isinstance(record.msg, str):
        record.msg = redact(record.msg)
    else:
        record.msg = _redact_value(record.msg)
    if isinstance(record.args, Mapping):
        record.args = {k: _redact_value(v) for k, v in record.args.items()}
    elif isinstance(record.args, tuple):
        record.args = tuple(_redact_value(a) for a in record.args)
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    return record


class RedactingFilter(logging.Filter):
    """For handlers: redacts each record that reaches them (records made elsewhere, e.g. by
    `logging.makeLogRecord`, bypass the record factory)."""

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


LOGGERS = ("", "uvicorn", "uvicorn.error", "uvicorn.access", "faststream", "faststream.access")


def install_log_redaction(loggers: Sequence[str] = LOGGERS) -> None:
    """Every record redacted as it is made, and a RedactingFilter on the handlers of `loggers`
    (the root's, uvicorn's, FastStream's). Idempotent; call it at start-up."""
    factory = logging.getLogRecordFactory()
    if not getattr(factory, "redacting", False):

        def redacting_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            return redact_record(factory(*args, **kwargs))

        redacting_factory.redacting = True  # type: ignore[attr-defined]
        logging.setLogRecordFactory(redacting_factory)
    for name in loggers:
        for handler in logging.getLogger(name).handlers:
            if not any(isinstance(f, RedactingFilter) for f in handler.filters):
                handler.addFilter(RedactingFilter())


REPEATING = frozenset(
    {
        "messaging.system",
        "messaging.operation",
        "messaging.destination.name",
        "messaging.destination.partition.id",
        "messaging.consumer.group.name",
        "cloudevents.event_type",
        "http.method",
        "http.request.method",
        "http.route",
        "http.scheme",
        "http.flavor",
        "url.scheme",
        "net.host.name",
        "server.address",
    }
)
"""Attributes whose values repeat from span to span, redacted once each (`_redact_short`); the
rest (message ids, keys, URLs, targets) are mostly unique and would only fill its cache."""


def _attributes(attributes: Mapping[str, Any] | None) -> dict[str, Any]:
    return {key: _attribute(value, key in REPEATING) for key, value in (attributes or {}).items()}


@functools.lru_cache(maxsize=4096)
def _redact_short(text: str) -> str:
    return redact(text)


def _attribute(value: Any, repeating: bool = False) -> Any:
    if isinstance(value, str):
        return _redact_short(value) if repeating and len(value) <= 200 else redact(value)
    if isinstance(value, bytes):
        return redact(value.decode("utf-8", "replace"))
    if isinstance(value, Sequence):
        return tuple(_attribute(v) for v in value)
    return value


def redacted_span(span: ReadableSpan) -> ReadableSpan:
    status = span.status
    if status.description:
        status = Status(status.status_code, redact(status.description))
    return ReadableSpan(
        name=redact(span.name),
        context=span.context,
        parent=span.parent,
        resource=span.resource,
        attributes=_attributes(span.attributes),
        events=[Event(e.name, _attributes(e.attributes), e.timestamp) for e in span.events],
        links=span.links,
        kind=span.kind,
        status=status,
        start_time=span.start_time,
        end_time=span.end_time,
        instrumentation_scope=span.instrumentation_scope,
    )


class RedactingSpanExporter(SpanExporter):
    """Wraps an exporter: spans leave the process only redacted (exception events hold the
    exception's text, URLs their query strings, Kafka spans the message key)."""

    def __init__(self, inner: SpanExporter) -> None:
        self._inner = inner

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return self._inner.export([redacted_span(span) for span in spans])

    def shutdown(self) -> None:
        self._inner.shutdown()

    def force_flush(self, timeout_millis: int = 30_000) -> bool:
        return self._inner.force_flush(timeout_millis)
