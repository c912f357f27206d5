"""The parts of an assessment as pages: each reads its form into the part's facts (the
calculator's case format), shows the saved answers again, and says which input a service error
about one of its fields belongs on.

Every label, descriptor, outcome and limb comes from the rule set the assessment is checked
against (GET /rule-sets/{id}); the portal holds none of them."""

from dataclasses import dataclass, field
from typing import Any

from contracts.api.assessment import ActivityView, DraftView, RuleSetView
from starlette.datastructures import FormData

from portal.assessor.forms import Problems, date_from, pence, whole_number

YES_NO = {"yes": True, "no": False}
ACHIEVED = "achieved"


@dataclass
class Parsed:
    """What a page sends: the part's value, its evidence note, and for the means page the UC
    figures' change reasons; for the change page its date."""

    value: Any = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)
    """Service field (or its start) -> the input it belongs on."""
    fallback: str = "notes"


def _yes_no(form: FormData, name: str, problems: Problems, question: str) -> bool | None:
    answer = str(form.get(name, ""))
    if answer not in YES_NO:
        problems.add(name, f"Select whether {question}")
        return None
    return YES_NO[answer]


def _flag_text(value: Any) -> str:
    return {True: "yes", False: "no"}.get(value, "")


# --- an activity: the descriptors that apply on how many days, and reliably or not ----------


def activity_values(activity: ActivityView, draft: DraftView) -> dict[str, Any]:
    given = draft.facts.get("descriptors", {}).get(activity.number)
    values: dict[str, Any] = {"notes": draft.notes.get(activity.number, "")}
    if isinstance(given, str):
        return values | {"period_days": "1", f"days-{given}": "1"}
    if isinstance(given, dict):
        values["period_days"] = str(given.get("period_days", ""))
        for entry in given.get("applies", []):
            code = entry["descriptor"]
            values[f"days-{code}"] = str(entry["days"])
            values[f"unreliable-{code}"] = [
                c for c, holds in entry.get("reliability", {}).items() if not holds
            ]
    return values


def parse_activity(activity: ActivityView, form: FormData, problems: Problems) -> Parsed:
    codes = [d.code for d in activity.descriptors]
    period = whole_number(str(form.get("period_days", "")), problems, "period_days", "The period")
    applies = []
    for code in codes:
        days = whole_number(str(form.get(f"days-{code}", "")), problems, f"days-{code}", "Days")
        unreliable = [str(c) for c in form.getlist(f"unreliable-{code}")]
        if days is not None:
            entry: dict[str, Any] = {"descriptor": code, "days": days}
            if unreliable:
                entry["reliability"] = dict.fromkeys(unreliable, False)
            applies.append(entry)
    if not applies and not problems:
        problems.add(f"days-{codes[0]}", "Enter the days for at least one descriptor that applies")
    if applies and period is None and "period_days" not in problems.errors:
        problems.add("period_days", "Enter the number of days in the period")
    sent = [e["descriptor"] for e in applies]
    prefix = f"descriptors.{activity.number}"
    fields = {f"{prefix}.period_days": "period_days", prefix: f"days-{codes[0]}"}
    fields[f"{prefix}.applies"] = f"days-{codes[0]}"  # the days do not cover the period
    fields |= {f"{prefix}.applies.{i}": f"days-{code}" for i, code in enumerate(sent)}
    value: Any = {"period_days": period, "applies": applies}
    if (
        period == 1
        and len(applies) == 1
        and applies[0]["days"] == 1
        and "reliability" not in applies[0]
    ):
        value = applies[0]["descriptor"]  # one descriptor on its own: the one that applies
    note = str(form.get("notes", ""))
    return Parsed(value, note, fields=fields, fallback=f"days-{codes[0]}")


# --- the Care Act outcomes (the adult) and the carer's assessment ---------------------------


def care_act_values(draft: DraftView) -> dict[str, Any]:
    given = draft.facts.get("care_act") or {}
    values = {
        "impairment_or_illness": _flag_text(given.get("impairment_or_illness")),
        "significant_wellbeing_impact": _flag_text(given.get("significant_wellbeing_impact")),
        "notes": draft.notes.get("care_act", ""),
    }
    if given:
        for code, limb in given.get("outcomes", {}).items():
            values[f"outcome-{code}"] = limb or ACHIEVED
    return values


def _outcomes(test: Any, form: FormData, problems: Problems) -> dict[str, str | None]:
    limbs = {limb.code for limb in test.limbs}
    outcomes: dict[str, str | None] = {}
    for outcome in test.outcomes:
        answer = str(form.get(f"outcome-{outcome.code}", ""))
        if answer != ACHIEVED and answer not in limbs:
            problems.add(f"outcome-{outcome.code}", f"Select whether they achieve {outcome.text}")
        else:
            outcomes[outcome.code] = None if answer == ACHIEVED else answer
    return outcomes


def parse_care_act(rules: RuleSetView, form: FormData, problems: Problems) -> Parsed:
    impairment = _yes_no(
        form,
        "impairment_or_illness",
        problems,
        "their needs arise from a physical or mental impairment or illness",
    )
    outcomes = _outcomes(rules.care_act, form, problems)
    wellbeing = _yes_no(
        form,
        "significant_wellbeing_impact",
        problems,
        "not achieving these outcomes has a significant impact on their wellbeing",
    )
    value = {
        "impairment_or_illness": impairment,
        "outcomes": outcomes,
        "significant_wellbeing_impact": wellbeing,
    }
    fields = {"care_act.outcomes": "outcome-a"} | {
        f"care_act.outcomes.{o.code}": f"outcome-{o.code}" for o in rules.care_act.outcomes
    }
    fields |= {
        f"care_act.{n}": n for n in ("impairment_or_illness", "significant_wellbeing_impact")
    }
    return Parsed(
        value, str(form.get("notes", "")), fields=fields, fallback="impairment_or_illness"
    )


CARER_FLAGS = ("necessary_care", "health_deteriorating", "significant_wellbeing_impact")


def carer_values(draft: DraftView) -> dict[str, Any]:
    given = draft.facts.get("carer")
    values: dict[str, Any] = {"notes": draft.notes.get("carer", "")}
    if "carer" not in draft.answered:
        return values
    if not given:
        return values | {"has_carer": "no"}
    values |= {"has_carer": "yes"} | {n: _flag_text(given.get(n)) for n in CARER_FLAGS}
    for code, limb in given.get("outcomes", {}).items():
        values[f"outcome-{code}"] = limb or ACHIEVED
    return values


def parse_carer(rules: RuleSetView, form: FormData, problems: Problems) -> Parsed:
    note = str(form.get("notes", ""))
    has = _yes_no(form, "has_carer", problems, "an unpaid carer was assessed")
    if not has:
        return Parsed(None, note, fallback="has_carer")
    questions = {
        "necessary_care": "the carer provides necessary care",
        "health_deteriorating": "the carer's health is at risk of deteriorating",
        "significant_wellbeing_impact": "there is a significant impact on the carer's wellbeing",
    }
    value: dict[str, Any] = {n: _yes_no(form, n, problems, q) for n, q in questions.items()}
    value["outcomes"] = _outcomes(rules.carer, form, problems)
    fields = {f"carer.{n}": n for n in CARER_FLAGS} | {"carer.outcomes": "outcome-i"}
    fields |= {f"carer.outcomes.{o.code}": f"outcome-{o.code}" for o in rules.carer.outcomes}
    return Parsed(value, note, fields=fields, fallback="has_carer")


# --- the means: capital, weekly income, costs and household; UC figures marked ----------------

MONEY_FIELDS = {
    "capital_pence": "Capital",
    "housing_costs_pence": "Housing costs",
    "disability_related_expenditure_pence": "Disability-related costs",
}
UC_INPUTS = {  # a UC figure -> its input, and the input for the reason it was changed
    "capital_pence": ("capital_pence", "change-capital"),
    "weekly_income_pence.earnings": ("income-earnings", "change-earnings"),
    "weekly_income_pence.other": ("income-other", "change-other"),
}
RATED = ("attendance_allowance", "dla_care", "pip_daily_living")


def _pounds(pence_value: Any) -> str:
    return "" if pence_value is None else f"{pence_value // 100}.{pence_value % 100:02d}"


def _date_parts(prefix: str, text: str | None) -> dict[str, str]:
    if not text:
        return {}
    year, month, day = text.split("-")
    return {
        f"{prefix}-day": str(int(day)),
        f"{prefix}-month": str(int(month)),
        f"{prefix}-year": year,
    }


def means_values(draft: DraftView, date_of_birth: str) -> dict[str, Any]:
    """The saved means; before they are first saved, the UC figures and the date of birth."""
    given = draft.facts.get("means")
    if given is None:
        prefilled = draft.prefilled
        values: dict[str, Any] = _date_parts("dob", date_of_birth) | {"care_setting": "own_home"}
        for figure, (input_name, _) in UC_INPUTS.items():
            if figure in prefilled:
                values[input_name] = _pounds(prefilled[figure])
        return values | {"notes": draft.notes.get("means", "")}
    values = {name: _pounds(given.get(name)) for name in MONEY_FIELDS}
    for kind, amount in given.get("weekly_income_pence", {}).items():
        values[f"income-{kind}"] = _pounds(amount)
    for kind, rate in given.get("benefit_rates", {}).items():
        values[f"rate-{kind}"] = rate
    values |= _date_parts("dob", given.get("date_of_birth"))
    partner = given.get("partner") or {}
    values |= {"has_partner": "yes" if given.get("partner") else "no"}
    values |= _date_parts("partner-dob", partner.get("date_of_birth"))
    values |= {
        "dependent_children": str(given.get("dependent_children", 0)),
        "care_setting": given.get("care_setting", "own_home"),
        "days_in_care_home": str(given.get("days_in_care_home") or ""),
        "flags": [
            f for f in ("night_care_arranged", "entitled_to_carers_allowance") if given.get(f)
        ],
        "notes": draft.notes.get("means", ""),
    }
    for figure, (_, reason_input) in UC_INPUTS.items():
        values[reason_input] = draft.means_changes.get(figure, "")
    return values


def parse_means(rules: RuleSetView, form: FormData, problems: Problems) -> Parsed:
    text = {k: str(v) for k, v in form.items()}
    means: dict[str, Any] = {}
    for name, label in MONEY_FIELDS.items():
        amount = pence(text.get(name, ""), problems, name, label)
        if amount is not None or name == "capital_pence":
            means[name] = amount if amount is not None else 0
    income = {}
    for kind in rules.income_types:
        amount = pence(
            text.get(f"income-{kind.code}", ""), problems, f"income-{kind.code}", kind.title
        )
        if amount:
            income[kind.code] = amount
    means["weekly_income_pence"] = income
    rates = {k: text[f"rate-{k}"] for k in RATED if text.get(f"rate-{k}")}
    if rates:
        means["benefit_rates"] = rates
    born = date_from(
        text.get("dob-day", ""),
        text.get("dob-month", ""),
        text.get("dob-year", ""),
        problems,
        "dob-day",
        "Date of birth",
    )
    if born is None and "dob-day" not in problems.errors:
        problems.add("dob-day", "Enter their date of birth")
    means["date_of_birth"] = born.isoformat() if born else None
    if text.get("has_partner") == "yes":
        partner = date_from(
            text.get("partner-dob-day", ""),
            text.get("partner-dob-month", ""),
            text.get("partner-dob-year", ""),
            problems,
            "partner-dob-day",
            "Their partner's date of birth",
        )
        if partner is None and "partner-dob-day" not in problems.errors:
            problems.add("partner-dob-day", "Enter their partner's date of birth")
        means["partner"] = {"date_of_birth": partner.isoformat() if partner else None}
    children = whole_number(
        text.get("dependent_children", ""), problems, "dependent_children", "Dependent children"
    )
    means["dependent_children"] = children or 0
    flags = {str(f) for f in form.getlist("flags")}
    means["night_care_arranged"] = "night_care_arranged" in flags
    means["entitled_to_carers_allowance"] = "entitled_to_carers_allowance" in flags
    means["care_setting"] = text.get("care_setting") or "own_home"
    if means["care_setting"] == "care_home":
        means["days_in_care_home"] = whole_number(
            text.get("days_in_care_home", ""), problems, "days_in_care_home", "Days in a care home"
        )
    changes = {figure: text.get(reason, "").strip() for figure, (_, reason) in UC_INPUTS.items()}
    fields = {f"means.{name}": name for name in MONEY_FIELDS}
    fields |= {
        f"means.weekly_income_pence.{k.code}": f"income-{k.code}" for k in rules.income_types
    }
    fields |= {f"means.benefit_rates.{k}": f"rate-{k}" for k in RATED}
    fields |= {
        "means.date_of_birth": "dob-day",
        "means.age": "dob-day",
        "means.partner": "partner-dob-day",
    }
    fields |= {
        "means.dependent_children": "dependent_children",
        "means.care_setting": "care_setting",
    }
    fields |= {"means.days_in_care_home": "days_in_care_home"}
    fields |= {f"means_changes.{figure}": reason for figure, (_, reason) in UC_INPUTS.items()}
    extra = {"means_changes": {k: v for k, v in changes.items() if v}}
    return Parsed(means, text.get("notes", ""), extra, fields, fallback="capital_pence")


# --- a change of circumstances: its date; a reconsideration: the reviewer's reasons -----------


def change_values(draft: DraftView) -> dict[str, Any]:
    effective = draft.effective_date.isoformat() if draft.effective_date else None
    return _date_parts("change", effective) | {"notes": draft.notes.get("change", "")}


def parse_change(form: FormData, problems: Problems) -> Parsed:
    text = {k: str(v) for k, v in form.items()}
    on = date_from(
        text.get("change-day", ""),
        text.get("change-month", ""),
        text.get("change-year", ""),
        problems,
        "change-day",
        "The date of the change",
    )
    if on is None and "change-day" not in problems.errors:
        problems.add("change-day", "Enter the date the change happened")
    extra = {"effective_date": on.isoformat() if on else None}
    return Parsed(
        None, text.get("notes", ""), extra, {"effective_date": "change-day"}, "change-day"
    )


def reasons_values(draft: DraftView) -> dict[str, Any]:
    return {"reasons": draft.notes.get("reasons", "")}


def parse_reasons(form: FormData, problems: Problems) -> Parsed:
    reasons = str(form.get("reasons", "")).strip()
    if not reasons:
        problems.add("reasons", "Give the reasons for the outcome of the reconsideration")
    return Parsed(None, reasons, fields={"note": "reasons"}, fallback="reasons")
