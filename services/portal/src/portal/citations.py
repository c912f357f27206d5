"""Rule citations in plain English: "SI 2015/313 reg 2(2)(a)" -> "The Care and Support
(Eligibility Criteria) Regulations 2015, regulation 2(2)(a)". Instruments not listed are shown
as cited."""

import re

INSTRUMENTS = {
    "SI 2013/377": "The Social Security (Personal Independence Payment) Regulations 2013",
    "SI 2014/2672": "The Care and Support (Charging and Assessment of Resources) Regulations 2014",
    "SI 2015/313": "The Care and Support (Eligibility Criteria) Regulations 2015",
    "SI 2013/381": (
        "The Universal Credit, PIP, JSA and ESA (Decisions and Appeals) Regulations 2013"
    ),
}
WORDS = (
    (re.compile(r"\breg\b"), "regulation"),
    (re.compile(r"\bregs\b"), "regulations"),
    (re.compile(r"\bSch\b"), "schedule"),
    (re.compile(r"\bPart\b"), "part"),
    (re.compile(r"\bpara\b"), "paragraph"),
    (re.compile(r"\bart\b"), "article"),
    (re.compile(r"\)-\("), ") to ("),
)
_INSTRUMENT = re.compile(r"^(SI \d{4}/\d+)\s*(.*)$")


def plain_citation(citation: str) -> str:
    return "; ".join(_one(part.strip()) for part in citation.split(";") if part.strip())


def _one(citation: str) -> str:
    match = _INSTRUMENT.match(citation)
    if not match or match.group(1) not in INSTRUMENTS:
        return citation
    where = match.group(2)
    for pattern, word in WORDS:
        where = pattern.sub(word, where)
    where = re.sub(
        r"(part \d+) (activity)", r"\1, \2", re.sub(r"(schedule \d+) (part)", r"\1, \2", where)
    )
    return INSTRUMENTS[match.group(1)] + (f", {where}" if where else "")
