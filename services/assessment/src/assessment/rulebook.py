"""Loads the dated rule-set files (one YAML file per year) into a RuleBook.

A new year is a new file in the rulesets directory; no code changes.
"""

from pathlib import Path

import yaml

from assessment.domain.errors import FieldError, InvalidRuleSet, NoRuleSetInForce
from assessment.domain.rule_book import RuleBook
from assessment.domain.rules import RuleSet
from assessment.domain.rules_from_mapping import rule_set_from_mapping

RULESETS_DIR = Path(__file__).parent / "rulesets"

__all__ = [
    "RULESETS_DIR",
    "InvalidRuleSet",
    "NoRuleSetInForce",
    "RuleBook",
    "load_rule_set",
    "load_rulebook",
]


def load_rulebook(path: Path | str | None = None) -> RuleBook:
    """Every *.yaml rule set in `path` (default: the packaged rulesets directory)."""
    directory = Path(path) if path is not None else RULESETS_DIR
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise InvalidRuleSet([FieldError(str(directory), "contains no *.yaml rule sets")])
    rule_sets = tuple(load_rule_set(file) for file in files)
    _check_unique(rule_sets, files)
    return RuleBook(rule_sets)


def load_rule_set(file: Path) -> RuleSet:
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise InvalidRuleSet([FieldError(file.name, f"is not valid YAML: {error}")]) from error
    try:
        return rule_set_from_mapping(data)
    except InvalidRuleSet as invalid:
        raise InvalidRuleSet(
            [FieldError(f"{file.name}:{e.field}", e.message) for e in invalid.errors]
        ) from None


def _check_unique(rule_sets: tuple[RuleSet, ...], files: list[Path]) -> None:
    errors = []
    for attribute in ("id", "effective_from"):
        seen: dict[object, str] = {}
        for rule_set, file in zip(rule_sets, files, strict=True):
            value = getattr(rule_set, attribute)
            if value in seen:
                errors.append(
                    FieldError(f"{file.name}:{attribute}", f"{value} is also used by {seen[value]}")
                )
            seen[value] = file.name
    if errors:
        raise InvalidRuleSet(errors)
