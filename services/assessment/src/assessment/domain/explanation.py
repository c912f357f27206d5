"""A line of the explanation a person sees: which rule, its citation, what it meant for them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ExplanationLine:
    rule: str
    citation: str
    text: str

    def render(self) -> str:
        return f"{self.text} — {self.citation}"


def plural(count: int, singular: str, many: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (many or singular + 's')}"


def citations(*parts: str) -> str:
    """Joins citations, dropping repeats."""
    return "; ".join(dict.fromkeys(parts))


def listed(words: list[str], conjunction: str = "and") -> str:
    """['a'] -> 'a'; ['a', 'b', 'c'] -> 'a, b and c'."""
    if len(words) == 1:
        return words[0]
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"
