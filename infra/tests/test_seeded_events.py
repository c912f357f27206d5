"""The events the national benchmark seeds into the assessment outbox are the ones a submit
writes: valid contract events, each person's own ids, a new event id each, in order."""

import json
from datetime import date

from contracts.assessment.v1 import AssessmentSubmittedV1, DecisionMadeV1
from contracts.registry import check_origin, parse_event
from devstack.uprating_bench import outbox_rows, template


def test_each_person_gets_the_submits_two_events_with_their_own_ids():
    case = template(date(2026, 12, 1))
    rows = outbox_rows(case, range(7, 10))
    assert [r[2] for r in rows] == ["P000000007"] * 2 + ["P000000008"] * 2 + ["P000000009"] * 2
    events = [parse_event(r[4].encode()) for r in rows]
    for row, event in zip(rows, events, strict=True):
        check_origin(event, row[1])  # what a consumer checks before it applies one
        assert (str(row[0]), row[3], event.subject) == (event.id, event.type, row[2])
        assert json.loads(row[5])["ce_id"] == event.id
    submitted, decided = events[2], events[3]
    assert isinstance(submitted, AssessmentSubmittedV1) and isinstance(decided, DecisionMadeV1)
    assert submitted.data.case_id == decided.data.case_id == "C000000008"
    assert (submitted.data.assessment_id, decided.data.decision_id) == ("A000000008", "D000000008")
    assert submitted.correlationid == decided.correlationid != events[0].correlationid
    assert len({e.id for e in events}) == 6
    want = case.decisions[0]
    assert (decided.data.rule_set_id, decided.data.award.net_monthly_pence) == (
        want.rule_set_id,
        want.body["award"]["net_monthly_pence"],
    )
