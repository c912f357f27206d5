"""Loading the vendored ISO 20022 schemas and parsing untrusted XML safely."""

from functools import cache
from importlib import resources
from typing import BinaryIO

from lxml import etree

from payments.domain.errors import BankFileInvalid

PAIN_001 = "pain.001.001.03"
PAIN_002 = "pain.002.001.03"


def namespace(message: str) -> str:
    return f"urn:iso:std:iso:20022:tech:xsd:{message}"


def safe_parser() -> etree.XMLParser:
    # Bank responses come from outside: no entity expansion, no DTDs, no network look-ups.
    return etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)


def parse_untrusted(data: bytes, message: str) -> etree._ElementTree:
    try:
        root = etree.fromstring(data, parser=safe_parser())
    except etree.XMLSyntaxError as error:
        raise BankFileInvalid(f"{message} file is not well-formed XML: {error}") from error
    tree = root.getroottree()
    if tree.docinfo.doctype:
        raise BankFileInvalid(f"{message} file must not contain a DOCTYPE declaration")
    return tree


def validate(tree: etree._ElementTree, message: str) -> None:
    try:
        _schema(message).assertValid(tree)
    except etree.DocumentInvalid as invalid:
        problems = "; ".join(
            f"line {e.line}: {e.message.replace('{' + namespace(message) + '}', '')}"
            for e in invalid.error_log
        )
        raise BankFileInvalid(
            f"{message} file does not match the ISO 20022 schema: {problems}"
        ) from invalid


def validate_stream(source: BinaryIO, message: str, repeated: tuple[str, ...] = ()) -> None:
    """Validates a file as it is read (lxml's iterparse with the schema; the validation is
    libxml2's, over every element), keeping no tree of it: each ``repeated`` element (e.g. a
    transfer, a remittance entry) is dropped once parsed, with the siblings before it. For
    files we wrote; read bank responses with parse_untrusted."""
    tags = [f"{{{namespace(message)}}}{t}" for t in repeated] or None
    try:
        for _, element in etree.iterparse(
            source,
            events=("end",),
            tag=tags,
            schema=_schema(message),
            resolve_entities=False,
            load_dtd=False,
            no_network=True,
        ):
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
    except etree.XMLSyntaxError as invalid:
        # the exception's own message: its error_log can carry earlier parses' errors too
        problem = str(invalid).replace("{" + namespace(message) + "}", "")
        problem = problem.removesuffix(" (<string>, line 0)")
        raise BankFileInvalid(
            f"{message} file does not match the ISO 20022 schema: {problem}"
        ) from invalid


@cache
def _schema(message: str) -> etree.XMLSchema:
    xsd = resources.files("payments.adapters.bankfile").joinpath(f"xsd/{message}.xsd").read_bytes()
    return etree.XMLSchema(etree.fromstring(xsd, parser=safe_parser()))
