"""The ten eligibility outcomes for adults needing care: Care and Support (Eligibility
Criteria) Regulations 2015 (SI 2015/313), reg 2(2)(a)-(j). Fixed by law, so held in code."""

OUTCOMES: dict[str, str] = {
    "a": "managing and maintaining nutrition",
    "b": "maintaining personal hygiene",
    "c": "managing toilet needs",
    "d": "being appropriately clothed",
    "e": "being able to make use of the adult's home safely",
    "f": "maintaining a habitable home environment",
    "g": "developing and maintaining family or other personal relationships",
    "h": "accessing and engaging in work, training, education or volunteering",
    "i": "making use of necessary facilities or services in the local community including "
    "public transport, and recreational facilities or services",
    "j": "carrying out any caring responsibilities the adult has for a child",
}

OUTCOME_CODES = frozenset(OUTCOMES)
