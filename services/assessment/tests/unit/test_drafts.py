"""Assessments in progress on fakes: saved part by part and checked as each part is saved,
means pre-filled from Universal Credit changed only with a reason, and submitted whole for a new
claim, a change of circumstances or a reconsideration (by a different reviewer)."""

import copy
from datetime import date

import pytest
from assessment.domain import (
    CaseChanged,
    InvalidAssessment,
    NotAllowedNow,
    NotPermitted,
    RequestRefused,
)
from assessment.domain.draft import UcFigures, weekly_equivalent
from assessment.service_layer import cases, drafts, reconsideration
from assessment.service_layer.commands import (
    DiscardDraft,
    OpenCase,
    RequestReconsideration,
    SaveDraftSection,
    StartDraft,
    SubmitDraft,
)

from .fakes import FakeAssessmentUnitOfWork
from .scenarios import ELIGIBLE_FACTS, RULEBOOK, decided_case

TODAY = date(2025, 6, 2)
UC = UcFigures("UC-1", date(2025, 5, 6), date(2025, 6, 5), 120_000, 43_300, 21_650)


@pytest.fixture
async def open_case():
    uow = FakeAssessmentUnitOfWork()
    case = await cases.open_case(
        OpenCase("JT123456C", "Ada Lovelace", date(1955, 12, 10), "E09000033"), uow, TODAY
    )
    return uow, case.case_id


async def save(uow, case_id, section, value, note="", **extra):
    version = uow.cases.cases[case_id].version
    command = SaveDraftSection(case_id, section, value, note, version, **extra)
    return await drafts.save_draft_section(command, uow, RULEBOOK, TODAY)


async def fill(uow, case_id, facts=ELIGIBLE_FACTS, skip=(), **means_extra):
    for number, given in facts["descriptors"].items():
        if number not in skip:
            await save(uow, case_id, number, given)
    await save(uow, case_id, "care_act", facts["care_act"])
    await save(uow, case_id, "carer", None, "no unpaid carer")
    return await save(uow, case_id, "means", facts["means"], **means_extra)


async def start(uow, case_id, purpose="new_claim", by="as-1", **extra):
    version = uow.cases.cases[case_id].version
    return await drafts.start_draft(
        StartDraft(case_id, purpose, by, seen_version=version, **extra), uow, TODAY
    )


async def submit(uow, case_id, by="as-1", may_review=False):
    version = uow.cases.cases[case_id].version
    return await drafts.submit_draft(
        SubmitDraft(case_id, by, version, may_review), uow, RULEBOOK, TODAY
    )


async def test_a_new_claim_is_saved_part_by_part_then_decided_and_the_draft_is_gone(open_case):
    uow, case_id = open_case
    await start(uow, case_id)
    half = await save(uow, case_id, "1", "1d", "Home visit: needs prompting")
    assert half.draft.answered == ("1",) and "care_act" in half.draft.missing()
    case = await fill(uow, case_id, skip=("1",))
    assert case.draft.missing() == [] and case.draft.notes["1"] == "Home visit: needs prompting"
    _, decision = await submit(uow, case_id)
    stored = uow.cases.cases[case_id]
    assert stored.draft is None and stored.status == "decided"
    assert decision.kind == "new_claim" and decision.decided_by == "as-1"
    [assessed] = stored.assessments
    assert assessed.facts == ELIGIBLE_FACTS and assessed.section_notes["carer"] == "no unpaid carer"
    assert uow.published_types() == ["assessment_submitted", "decision_made"]


async def test_each_part_is_checked_as_it_is_saved_naming_the_field(open_case):
    uow, case_id = open_case
    await start(uow, case_id)
    before = uow.cases.cases[case_id]
    with pytest.raises(InvalidAssessment) as wrong:
        await save(uow, case_id, "4", "5b")
    assert wrong.value.field == "descriptors.4" and "belongs to activity 5" in wrong.value.message
    days = {"period_days": 28, "applies": [{"descriptor": "4c", "days": 10}]}
    with pytest.raises(InvalidAssessment) as short:
        await save(uow, case_id, "4", days)
    assert (
        short.value.field == "descriptors.4.applies"
        and "cover 10 of the 28 days" in short.value.message
    )
    with pytest.raises(InvalidAssessment) as money:
        await save(uow, case_id, "means", {**ELIGIBLE_FACTS["means"], "capital_pence": 10.5})
    assert money.value.field == "means.capital_pence"
    after = uow.cases.cases[case_id]
    assert (after.version, after.draft) == (before.version, before.draft)  # nothing written


async def test_the_majority_of_days_choice_is_worked_out_as_the_activity_is_saved(open_case):
    uow, case_id = open_case
    await start(uow, case_id)
    days = {
        "period_days": 28,
        "applies": [
            {"descriptor": "4a", "days": 13},
            {"descriptor": "4c", "days": 15, "reliability": {"safely": True}},
        ],
    }
    case = await save(uow, case_id, "4", days)
    assert case.draft.facts["descriptors"]["4"] == days


async def test_means_from_universal_credit_change_only_with_a_reason(open_case):
    uow, case_id = open_case
    await start(uow, case_id)
    prefilled = UC.prefilled()
    assert prefilled == {
        "capital_pence": 120_000,
        "weekly_income_pence.earnings": weekly_equivalent(43_300),
        "weekly_income_pence.other": weekly_equivalent(21_650),
    }
    assert weekly_equivalent(43_300) == 9992  # 433.00 x 12 / 52 = 99.923…
    means = {
        "capital_pence": 120_000,
        "weekly_income_pence": {"earnings": 9992, "other": 4996},
        "age": 70,
    }
    case = await save(uow, case_id, "means", means, uc_figures=UC.to_dict())
    assert case.draft.uc_figures == UC and case.draft.means_changes == {}
    changed = {**means, "capital_pence": 100_000}
    with pytest.raises(InvalidAssessment) as unexplained:
        await save(uow, case_id, "means", changed, uc_figures=UC.to_dict())
    assert unexplained.value.field == "means_changes.capital_pence"
    reason = {"capital_pence": "Spent £200 on a wheelchair since the period", "other": "x"}
    case = await save(uow, case_id, "means", changed, uc_figures=UC.to_dict(), means_changes=reason)
    assert case.draft.means_changes == {"capital_pence": reason["capital_pence"]}


async def test_a_page_sent_on_an_older_version_is_refused(open_case):
    uow, case_id = open_case
    await start(uow, case_id)
    stale = uow.cases.cases[case_id].version
    await save(uow, case_id, "1", "1d")
    with pytest.raises(CaseChanged):
        await drafts.save_draft_section(
            SaveDraftSection(case_id, "1", "1f", "", stale), uow, RULEBOOK, TODAY
        )
    assert uow.cases.cases[case_id].draft.facts["descriptors"]["1"] == "1d"


async def test_an_unfinished_draft_is_not_submitted_and_a_second_purpose_waits(open_case):
    uow, case_id = open_case
    await start(uow, case_id)
    await save(uow, case_id, "1", "1d")
    with pytest.raises(InvalidAssessment) as unfinished:
        await submit(uow, case_id)
    assert [f for f, _ in unfinished.value.errors][:2] == ["2", "3"]
    with pytest.raises(NotAllowedNow):
        await start(uow, case_id, "change_of_circumstances")
    again = await start(uow, case_id, by="as-2")  # resumed, not restarted
    assert again.draft.author == "as-1" and again.draft.answered == ("1",)
    version = uow.cases.cases[case_id].version
    await drafts.discard_draft(DiscardDraft(case_id, version), uow)
    assert uow.cases.cases[case_id].draft is None


async def test_a_change_of_circumstances_starts_from_the_decision_and_needs_its_date():
    uow = FakeAssessmentUnitOfWork()
    decided = await decided_case(uow, date(2025, 4, 10))
    case = await start(uow, decided.case_id, "change_of_circumstances", by="as-2")
    assert case.draft.missing() == ["change"] and case.draft.facts == ELIGIBLE_FACTS
    with pytest.raises(RequestRefused) as early:
        await save(uow, decided.case_id, "change", None, effective_date=date(2025, 4, 1))
    assert early.value.field == "effective_date"
    await save(uow, decided.case_id, "1", "1f")
    await save(uow, decided.case_id, "change", None, effective_date=date(2025, 5, 1))
    _, decision = await submit(uow, decided.case_id, by="as-2")
    assert (decision.kind, decision.effective_date, decision.version) == (
        "change_of_circumstances",
        date(2025, 5, 1),
        2,
    )


async def reconsideration_asked():
    uow = FakeAssessmentUnitOfWork()
    decided = await decided_case(uow, date(2025, 5, 20), assessor="as-1")
    await reconsideration.request_reconsideration(
        RequestReconsideration(decided.decision_id, TODAY, "I cannot cook", "the person"),
        uow,
        TODAY,
    )
    [asked] = uow.cases.cases[decided.case_id].reconsiderations
    return uow, decided, asked


async def test_only_a_different_reviewer_decides_a_reconsideration():
    uow, decided, asked = await reconsideration_asked()
    case_id, rid = decided.case_id, asked.reconsideration_id
    with pytest.raises(NotPermitted):
        await start(uow, case_id, "reconsideration", by="as-2", reconsideration_id=rid)
    with pytest.raises(RequestRefused) as own:
        await start(
            uow, case_id, "reconsideration", by="as-1", reconsideration_id=rid, may_review=True
        )
    assert own.value.field == "reviewer_id"
    case = await start(
        uow, case_id, "reconsideration", by="rv-2", reconsideration_id=rid, may_review=True
    )
    assert case.draft.missing() == ["reasons"]
    with pytest.raises(InvalidAssessment) as no_reasons:
        await save(uow, case_id, "reasons", None, "  ")
    assert no_reasons.value.field == "note"
    await save(uow, case_id, "reasons", None, "The GP letter supports the assessment")
    with pytest.raises(NotPermitted):
        await submit(uow, case_id, by="rv-2")
    decided_now, decision = await submit(uow, case_id, by="rv-2", may_review=True)
    assert (decided_now.outcome, decided_now.reviewer_id) == ("unchanged", "rv-2")
    assert decided_now.reasons == "The GP letter supports the assessment"
    assert (decision.kind, decision.supersedes) == ("reconsideration", decided.decision_id)
    assert len(uow.cases.cases[case_id].assessments) == 1  # facts not revised: none added


async def test_a_revised_reconsideration_records_the_revised_facts():
    uow, decided, asked = await reconsideration_asked()
    case_id = decided.case_id
    await start(
        uow,
        case_id,
        "reconsideration",
        by="rv-2",
        reconsideration_id=asked.reconsideration_id,
        may_review=True,
    )
    await save(uow, case_id, "12", "12f", "Cannot walk more than 1 metre: physio report")
    await save(uow, case_id, "reasons", None, "New physiotherapy evidence")
    decided_now, decision = await submit(uow, case_id, by="rv-2", may_review=True)
    revised = copy.deepcopy(ELIGIBLE_FACTS)
    revised["descriptors"]["12"] = "12f"
    assert decided_now.outcome == "changed"
    assert uow.cases.cases[case_id].assessments[-1].facts == revised
    assert decision.body["components"]["mobility"]["points"] == 16
