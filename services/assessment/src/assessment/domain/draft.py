"""An assessment in progress: the facts recorded page by page (a task list), kept on the case so
an assessor can stop and come back, and decided only when submitted whole.

Each section is checked on its own as it is saved, by the same rules as a whole assessment:
an activity ("1".."12"), the Care Act outcomes (`care_act`), the carer's assessment (`carer`:
one, or none), the means (`means`) and, for a change of circumstances, its date (`change`).

Means taken from the person's Universal Credit claim are marked as such: the weekly amounts the
UC figures give are worked out here, and a means figure that differs from them needs a reason.
"""

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from wording import pounds

from assessment.domain import workflow as wf
from assessment.domain.case_input import facts_from_mapping
from assessment.domain.errors import FieldError, InvalidAssessment
from assessment.domain.functional import ActivityScore, score_activity
from assessment.domain.money import monthly_equivalent
from assessment.domain.rules import RuleSet
from assessment.domain.validation import validate_facts

ACTIVITIES = tuple(str(n) for n in range(1, 13))
CARE_ACT, CARER, MEANS = "care_act", "carer", "means"
CHANGE, REASONS = "change", "reasons"
SECTIONS = (*ACTIVITIES, CARE_ACT, CARER, MEANS)
"""Every assessment has these; a change of circumstances also has CHANGE (its date), and a
reconsideration REASONS (the reviewer's reasons for the outcome, kept as the section's note)."""

_PLACEHOLDER: dict[str, Any] = {  # neutral answers for the sections a check is not about
    "descriptors": {n: f"{n}a" for n in ACTIVITIES},
    "care_act": {
        "impairment_or_illness": True,
        "outcomes": {},
        "significant_wellbeing_impact": True,
    },
    "means": {"capital_pence": 0, "weekly_income_pence": {}, "age": 40},
}
UC_FIGURES = {
    "capital_pence": "capital",
    "weekly_income_pence.earnings": "weekly earnings",
    "weekly_income_pence.other": "other weekly income",
}
"""The means figures a Universal Credit claim gives (capital, earned and unearned income)."""


@dataclass(frozen=True)
class UcFigures:
    """What the benefits system assessed for one UC assessment period (monthly amounts)."""

    uc_claim_id: str
    period_start: date
    period_end: date
    capital_pence: int
    earned_income_monthly_pence: int
    unearned_income_monthly_pence: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "uc_claim_id": self.uc_claim_id,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "capital_pence": self.capital_pence,
            "earned_income_monthly_pence": self.earned_income_monthly_pence,
            "unearned_income_monthly_pence": self.unearned_income_monthly_pence,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "UcFigures":
        return cls(
            data["uc_claim_id"],
            date.fromisoformat(data["period_start"]),
            date.fromisoformat(data["period_end"]),
            data["capital_pence"],
            data["earned_income_monthly_pence"],
            data["unearned_income_monthly_pence"],
        )

    def prefilled(self) -> dict[str, int]:
        """The means figures they give: capital as it is; monthly income as a weekly amount
        (x 12 / 52, half a penny up), earnings as earnings and unearned income as other."""
        return {
            "capital_pence": self.capital_pence,
            "weekly_income_pence.earnings": weekly_equivalent(self.earned_income_monthly_pence),
            "weekly_income_pence.other": weekly_equivalent(self.unearned_income_monthly_pence),
        }


def weekly_equivalent(monthly_pence: int) -> int:
    return monthly_equivalent(monthly_pence, weeks_per_year=12, months_per_year=52)


@dataclass(frozen=True)
class Draft:
    purpose: str
    """new_claim, change_of_circumstances or reconsideration (what submitting it decides)."""
    author: str
    started_on: date
    facts: dict[str, Any] = field(default_factory=dict)
    """The calculator's case format, filled in as sections are saved."""
    answered: tuple[str, ...] = ()
    notes: dict[str, str] = field(default_factory=dict)
    """Evidence notes by section."""
    uc_figures: UcFigures | None = None
    means_changes: dict[str, str] = field(default_factory=dict)
    """A UC figure (UC_FIGURES) the assessor changed -> why."""
    effective_date: date | None = None
    """A change of circumstances: the date of the change."""
    reconsideration_id: str | None = None

    def sections(self) -> tuple[str, ...]:
        extra = {wf.CHANGE_OF_CIRCUMSTANCES: (CHANGE,), wf.RECONSIDERATION: (REASONS,)}
        return (*SECTIONS, *extra.get(self.purpose, ()))

    def missing(self) -> list[str]:
        return [s for s in self.sections() if s not in self.answered]

    def with_section(self, section: str, value: Any, note: str) -> "Draft":
        facts = dict(self.facts)
        if section in ACTIVITIES:
            facts["descriptors"] = {**facts.get("descriptors", {}), section: value}
        elif section == CARER and value is None:
            facts.pop(CARER, None)
        elif section not in (CHANGE, REASONS):
            facts[section] = value
        notes = {**self.notes, section: note.strip()} if note.strip() else dict(self.notes)
        if not note.strip():
            notes.pop(section, None)
        answered = tuple(s for s in self.sections() if s in {*self.answered, section})
        return replace(self, facts=facts, answered=answered, notes=notes)

    def evidence_notes(self) -> str:
        return "\n".join(f"{section}: {text}" for section, text in self.notes.items())


def check_section(section: str, value: Any, rules: RuleSet, on: date) -> None:
    """InvalidAssessment naming the fields (as under `facts`) if the section is not usable."""
    if section not in (*SECTIONS, CHANGE, REASONS):
        raise InvalidAssessment([FieldError("section", f"there is no section {section!r}")])
    if section in (CHANGE, REASONS) or (section == CARER and value is None):
        return
    case = {key: dict(v) if isinstance(v, dict) else v for key, v in _PLACEHOLDER.items()}
    if section in ACTIVITIES:
        case["descriptors"][section] = value
        prefix = f"descriptors.{section}"
    else:
        case[section] = value
        prefix = section
    errors = _problems(case, rules, on)
    mine = [e for e in errors if e.field == prefix or e.field.startswith(prefix + ".")]
    if mine:
        raise InvalidAssessment(mine)


def _problems(case: dict[str, Any], rules: RuleSet, on: date) -> list[FieldError]:
    try:
        validate_facts(facts_from_mapping(case), rules, on)
    except InvalidAssessment as invalid:
        return invalid.errors
    return []


def check_means_changes(
    means: dict[str, Any], figures: UcFigures | None, changes: dict[str, str]
) -> dict[str, str]:
    """The reasons that stay: one for each UC figure the means differ from; InvalidAssessment
    naming `means_changes.<figure>` for a difference without one."""
    if figures is None:
        return {}
    kept, errors = {}, []
    for name, prefilled in figures.prefilled().items():
        given = _figure(means, name)
        reason = (changes.get(name) or "").strip()
        if given == prefilled:
            continue
        if not reason:
            errors.append(
                FieldError(
                    f"means_changes.{name}",
                    f"the {UC_FIGURES[name]} differs from the Universal Credit figure of"
                    f" {pounds(prefilled)}: say why it changed",
                )
            )
        kept[name] = reason
    if errors:
        raise InvalidAssessment(errors)
    return kept


def _figure(means: dict[str, Any], name: str) -> Any:
    value: Any = means
    for part in name.split("."):
        value = value.get(part, 0) if isinstance(value, dict) else 0
    return value


def activity_results(draft: Draft, rules: RuleSet) -> dict[str, tuple[ActivityScore, list[str]]]:
    """For each activity answered so far: the descriptor that counts (reg 7, reg 4) and why,
    worked out as the decision will be; an answer the rules no longer take is left out."""
    given = draft.facts.get("descriptors", {})
    case = {**_PLACEHOLDER, "descriptors": {**_PLACEHOLDER["descriptors"], **given}}
    try:
        descriptors = facts_from_mapping(case).descriptors
    except InvalidAssessment:
        return {}
    results = {}
    for number in given:
        activity = rules.activity(number)
        try:
            check_section(number, given[number], rules, draft.started_on)
        except InvalidAssessment:
            continue
        if activity is not None:
            score, lines = score_activity(activity, descriptors[number], rules)
            results[number] = (score, [line.text for line in lines])
    return results
