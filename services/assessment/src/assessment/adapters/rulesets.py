"""Loads the dated rule-set files (one YAML file per year, in `rulesets/`) into a RuleBook.

A new year is a new file; no code changes. Every problem in a file is reported at once, naming
the file and the field.
"""

from pathlib import Path
from typing import Self

import yaml
from pydantic import ValidationError, ValidationInfo, field_validator, model_validator

from assessment.adapters.ruleset_fields import Day, Note, Section, Text, field_errors, refuse
from assessment.adapters.ruleset_means import AwardSection, MeansTestSection
from assessment.adapters.ruleset_sections import (
    CareActSection,
    FunctionalAssessmentSection,
    ThresholdsSection,
    WeeklyRatesSection,
)
from assessment.adapters.ruleset_tables import BenefitRatesSection, PensionCreditAgeSection
from assessment.domain.errors import FieldError
from assessment.domain.rule_book import RuleBook
from assessment.domain.rules import IN_FORCE, PROPOSED, RuleSet

RULESETS_DIR = Path(__file__).parents[1] / "rulesets"


class InvalidRuleSet(ValueError):
    """A rule-set file is malformed: `errors` names each field (`file.yaml:path`) at fault."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = list(errors)
        super().__init__("invalid rule set: " + "; ".join(f"{f}: {m}" for f, m in self.errors))


class RuleSetFile(Section):
    id: Text
    title: Text
    effective_from: Day
    status: Text
    status_note: Note = None
    """Said after "these rates are proposed" in a proposed rule set's first explanation line."""
    functional_assessment: FunctionalAssessmentSection
    thresholds: dict[str, ThresholdsSection]
    weekly_rates: dict[str, WeeklyRatesSection]
    care_act_eligibility: CareActSection
    means_test: MeansTestSection
    disability_benefit_rates: dict[str, BenefitRatesSection]
    pension_credit_age: PensionCreditAgeSection
    award: AwardSection

    @field_validator("status")
    @classmethod
    def _known_status(cls, status: str) -> str:
        if status not in (IN_FORCE, PROPOSED):
            raise refuse("status", f"must be {IN_FORCE!r} or {PROPOSED!r}")
        return status

    @field_validator("thresholds", "weekly_rates")
    @classmethod
    def _one_per_component(cls, table: dict, info: ValidationInfo) -> dict:
        functional = info.data.get("functional_assessment")
        components = [c.code for c in functional.components] if functional else list(table)
        if set(table) != set(components):
            raise refuse("components", f"must have exactly the components {components}")
        return table

    @model_validator(mode="after")
    def _rates_the_means_test_needs(self) -> Self:
        problems = []
        for code, names in sorted(self.means_test.income_types_with_rates().items()):
            rates = self.disability_benefit_rates.get(code)
            if missing := sorted(names - set(rates.rates if rates else ())):
                problems.append(f"{code}: no rate named {', '.join(missing)}")
        known = {t.code for t in self.means_test.income_types}
        problems += [
            f"{code}: not an income type"
            for code in self.disability_benefit_rates
            if code not in known
        ]
        if problems:
            raise refuse("rates", "disability_benefit_rates: " + "; ".join(problems))
        return self

    def to_domain(self) -> RuleSet:
        functional, care_act = self.functional_assessment, self.care_act_eligibility
        return RuleSet(
            id=self.id,
            title=self.title,
            effective_from=self.effective_from,
            status=self.status,
            status_note=self.status_note,
            components=tuple(c.to_domain() for c in functional.components),
            activities=tuple(a.to_domain() for a in functional.activities),
            thresholds={code: t.to_domain() for code, t in self.thresholds.items()},
            weekly_rates={code: w.to_domain() for code, w in self.weekly_rates.items()},
            descriptor_choice=functional.descriptor_choice.to_domain(),
            reliability=functional.reliability.to_domain(),
            adult_eligibility=care_act.adult.to_domain(),
            carer_eligibility=care_act.carer.to_domain(),
            means_test=self.means_test.to_domain(self.id, self.status, self.status_note),
            benefit_rates={
                code: rates.to_domain(code) for code, rates in self.disability_benefit_rates.items()
            },
            pension_credit_age=self.pension_credit_age.to_domain(),
            award=self.award.to_domain(),
        )

    @classmethod
    def read(cls, file: Path) -> Self:
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            raise InvalidRuleSet([FieldError(file.name, f"is not valid YAML: {error}")]) from None
        try:
            return cls.model_validate(data)
        except ValidationError as invalid:
            raise InvalidRuleSet(field_errors(invalid, f"{file.name}:")) from None


def load_rule_set(file: Path) -> RuleSet:
    return RuleSetFile.read(file).to_domain()


def load_rulebook(path: Path | str | None = None) -> RuleBook:
    """Every *.yaml rule set in `path` (default: the packaged rulesets directory)."""
    directory = Path(path) if path is not None else RULESETS_DIR
    files = sorted(directory.glob("*.yaml"))
    if not files:
        raise InvalidRuleSet([FieldError(str(directory), "contains no *.yaml rule sets")])
    rule_sets = tuple(load_rule_set(file) for file in files)
    _check_unique(rule_sets, files)
    return RuleBook(rule_sets)


def _check_unique(rule_sets: tuple[RuleSet, ...], files: list[Path]) -> None:
    errors = []
    keys = {
        "id": lambda rule_set: rule_set.id,
        "effective_from": lambda rule_set: rule_set.effective_from,
        "means_test.effective_from": lambda rule_set: rule_set.means_test.effective_from,
    }
    for attribute, key in keys.items():
        seen: dict[object, str] = {}
        for rule_set, file in zip(rule_sets, files, strict=True):
            value = key(rule_set)
            if value in seen:
                message = f"{value} is also used by {seen[value]}"
                errors.append(FieldError(f"{file.name}:{attribute}", message))
            seen[value] = file.name
    if errors:
        raise InvalidRuleSet(errors)
