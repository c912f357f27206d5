"""Replicating a few template people's rows to many people, as lines of COPY's text format, each
id in them rewritten by a deterministic mapping (devstack.seed_decided says which tables).

An id is found by its shape, in any column (jsonb included):
- person-numbered: one capital letter and nine digits (the person P000000007, the case
  C000000007, assessment A…, decision D…, a plan P000000007:D000000007): the digits become the
  new person's, so the id is exactly what devstack.uprating_bench's seed names it;
- random: a UUID, or 14 to 32 lowercase hex digits after at most two capitals (an award's
  AW…, a traceparent's trace and span ids): replaced by a hash of it and the new person's
  number, of the same shape (a UUID made version 4), so the same old id becomes the same new
  one in every database;
- derived: a version-5 UUID is computed from other values (an instruction id, a notification
  key); each must be recomputed from the new values by a `Derived` rule, or cloning stops.
An id found in two template people's rows belongs to neither (a run's, a constant) and is kept.
Each line is about the one template person whose number it carries or, failing that, whose ids
it shares (an inbox row names only its event); a line about no one or about two stops cloning.
"""

import hashlib
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
TOKEN = re.compile(
    rf"(?<![0-9A-Za-z])(?:{UUID}|[A-Z]\d{{9}}(?![0-9])|[A-Z]{{0,2}}[0-9a-f]{{14,32}})"
    r"(?![0-9A-Za-z])"
)
NUMBERED = re.compile(r"[A-Z]\d{9}")
IS_UUID = re.compile(UUID)
SEALED = "cb1."  # servicekit.crypto's token prefix: sealed to its person, never copyable


class CloneError(RuntimeError):
    """The template's rows cannot be cloned faithfully; the message says which and why."""


@dataclass(frozen=True)
class Derived:
    """An id computed from other columns of its row (`compute(row)`, with the row's ids as they
    are for the person), so a clone's is computed from its own."""

    table: str
    column: str
    compute: Callable[[Mapping[str, Any]], str]
    inputs: tuple[str, ...]
    """The columns `compute` reads."""


def tokens_of(text: str) -> list[str]:
    return TOKEN.findall(text)


def fresh(token: str, number: int) -> str:
    """The random id `token` stands for in person `number`'s rows."""
    digest = hashlib.blake2b(f"{token}|{number}".encode(), digest_size=16).digest()
    if IS_UUID.fullmatch(token):
        return str(uuid.UUID(bytes=digest, version=4))
    prefix = token[: len(token) - len(token.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))]
    return prefix + digest.hex()[: len(token) - len(prefix)]


def substitute(text: str, ids: Mapping[str, str]) -> str:
    return TOKEN.sub(lambda m: ids.get(m.group(), m.group()), text)


def owners(lines: list[str], people: Mapping[str, int]) -> list[int]:
    """The template person (by index) each line is about; `people`: each one's nine digits."""
    found = [set(tokens_of(line)) for line in lines]
    owner = [
        _numbered_owner(line, tokens, people) for line, tokens in zip(lines, found, strict=True)
    ]
    while None in owner:
        holders = _holders(found, owner)
        moved = False
        for i in (i for i, o in enumerate(owner) if o is None):
            candidates = {next(iter(holders[t])) for t in found[i] if len(holders.get(t, ())) == 1}
            if len(candidates) > 1:
                raise CloneError(f"a row about two template people: {lines[i][:300]}")
            if candidates:
                owner[i], moved = candidates.pop(), True
        if not moved:
            stray = next(lines[i] for i, o in enumerate(owner) if o is None)
            raise CloneError(f"a row about no template person: {stray[:300]}")
    return owner  # type: ignore[return-value]


def _numbered_owner(line: str, tokens: set[str], people: Mapping[str, int]) -> int | None:
    if SEALED in line:
        raise CloneError(f"a sealed value (bound to its person) in a cloned row: {line[:300]}")
    numbers = {t[1:] for t in tokens if NUMBERED.fullmatch(t)}
    if unknown := numbers - people.keys():
        raise CloneError(f"person numbers {sorted(unknown)} of no template person in: {line[:300]}")
    if len(numbers) > 1:
        raise CloneError(f"a row about two template people: {line[:300]}")
    return people[numbers.pop()] if numbers else None


def _holders(found: list[set[str]], owner: list[int | None]) -> dict[str, set[int]]:
    holders: dict[str, set[int]] = {}
    for tokens, o in zip(found, owner, strict=True):
        if o is not None:
            for t in tokens:
                holders.setdefault(t, set()).add(o)
    return holders


@dataclass
class Person:
    """One template person: their ids by kind, and each of their lines (per table) split into
    literal text (even places) and the ids to rewrite (odd places)."""

    numbered: set[str] = field(default_factory=set)
    random: set[str] = field(default_factory=set)
    derived: list[tuple[str, Derived, dict[str, Any]]] = field(default_factory=list)
    lines: dict[tuple[str, str], list[list[str]]] = field(default_factory=dict)

    def ids_for(self, number: int) -> dict[str, str]:
        """Every id of this person as it is in the rows of person `number`."""
        digits = f"{number:09d}"
        ids = {t: t[0] + digits for t in self.numbered}
        ids.update({t: fresh(t, number) for t in self.random})
        for old, rule, row in self.derived:
            mapped = {k: substitute(v, ids) if isinstance(v, str) else v for k, v in row.items()}
            ids[old] = rule.compute(mapped)
        return ids


def split(line: str, rewritten: set[str]) -> list[str]:
    """`line` as literal text and ids alternately; ids not in `rewritten` stay literal."""
    parts, last = [""], 0
    for m in TOKEN.finditer(line):
        if m.group() in rewritten:
            parts[-1] += line[last : m.start()]
            parts += [m.group(), ""]
            last = m.end()
    parts[-1] += line[last:]
    return parts


def render(parts: list[str], ids: Mapping[str, str]) -> str:
    return "".join(ids[p] if i % 2 else p for i, p in enumerate(parts))


def template_people(
    lines: Mapping[tuple[str, str], list[str]],
    people: Mapping[str, int],
    derived_rows: Iterable[tuple[Derived, dict[str, Any]]],
) -> list[Person]:
    """Each template person's ids and lines, from every cloned table's lines (keyed by database
    and table) and each row holding a derived id."""
    keys = [key for key, rows in lines.items() for _ in rows]
    flat = [line for rows in lines.values() for line in rows]
    owner = owners(flat, people)
    holders = _holders([set(tokens_of(t)) for t in flat], list(owner))
    persons = [Person() for _ in people]
    for old_row in derived_rows:
        _add_derived(persons, holders, *old_row)
    for key, line, o in zip(keys, flat, owner, strict=True):
        _add_line(persons[o], holders, key, line)
    return persons


def _add_derived(
    persons: list[Person], holders: dict[str, set[int]], rule: Derived, row: dict[str, Any]
) -> None:
    old = str(row[rule.column])
    if rule.compute(row) != old:
        raise CloneError(
            f"{rule.table}.{rule.column} {old} is not what the seeding computes from its row:"
            " the service derives it differently now; update devstack.seed_decided"
        )
    held = holders.get(old, set())
    if len(held) != 1:
        raise CloneError(f"{rule.table}.{rule.column} {old} is in {len(held)} people's rows")
    inputs = {k: row[k] for k in rule.inputs}
    persons[next(iter(held))].derived.append((old, rule, inputs))


def _add_line(person: Person, holders: dict[str, set[int]], key, line: str) -> None:
    derived = {old for old, _, _ in person.derived}
    mine = {t for t in tokens_of(line) if len(holders[t]) == 1}
    for token in mine - derived:
        if NUMBERED.fullmatch(token):
            person.numbered.add(token)
        elif IS_UUID.fullmatch(token) and token[14] == "5":
            raise CloneError(
                f"{key[0]}: {key[1]} holds a derived (version 5) UUID {token} that no rule"
                " recomputes: add a Derived rule to devstack.seed_decided"
            )
        else:
            person.random.add(token)
    person.lines.setdefault(key, []).append(split(line, mine))
