"""Constructed events for every message a person hears about (some not yet emitted)."""

import uuid
from datetime import UTC, date, datetime

import pytest
from contracts.assessment import v1 as assessment
from contracts.care_plans import v1 as care_plans
from contracts.payments import v1 as payments


def _id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


class Make:
    """`Make(person_id).payment_issued()` -> a valid event about that person."""

    def __init__(self, person_id: str | None = None) -> None:
        self.person_id = person_id or _id("person")
        self.case_id = _id("case")

    def another(self) -> "Make":
        return Make()

    def _event(self, cls, data, **envelope):
        return cls(subject=self.person_id, data=data, correlationid=_id("flow"), **envelope)

    def submitted(self, first_name: str = "Amina") -> assessment.AssessmentSubmittedV1:
        return self._event(
            assessment.AssessmentSubmittedV1,
            assessment.AssessmentSubmitted(
                case_id=self.case_id,
                assessment_id=_id("asmt"),
                assessor_id="as-1",
                area_code="E09000033",
                first_name=first_name,
            ),
            source=assessment.SOURCE,
        )

    def decision(
        self,
        *,
        eligible: bool = True,
        decision_id: str | None = None,
        kind: str | None = "new_claim",
        supersedes: str | None = None,
        weekly: int = 27_250,
        time: datetime | None = None,
    ) -> assessment.DecisionMadeV1:
        award = assessment.Award(
            gross_weekly_pence=weekly + 4_000 if eligible else 0,
            weekly_contribution_pence=4_000 if eligible else 0,
            net_weekly_pence=weekly if eligible else 0,
            net_monthly_pence=weekly * 52 // 12 if eligible else 0,
        )
        data = dict(
            case_id=self.case_id,
            decision_id=decision_id or _id("dec"),
            decision_version=1,
            supersedes_decision_id=supersedes,
            rule_set_id="GB-CARE-2025-26",
            area_code="E09000033",
            eligible=eligible,
            care_act_eligible=eligible,
            outcomes_not_achieved=["a", "b"] if eligible else [],
            components=[],
            means=assessment.MeansResult(
                capital_pence=500_000,
                tariff_income_weekly_pence=0,
                financially_eligible=True,
                weekly_contribution_pence=4_000,
            ),
            award=award,
            effective_date=date(2026, 4, 13),
            review_date=date(2027, 4, 13),
            reconsideration_deadline=date(2026, 5, 7),
            explanation=[
                assessment.ExplanationLine(
                    rule="decision.eligible",
                    citation="Care Act 2014 s.13",
                    text="You need help with washing, dressing and meals every day.",
                )
            ],
        )
        if "kind" in assessment.DecisionMade.model_fields:
            data["kind"] = kind
        extra = {"time": time} if time else {}
        return self._event(
            assessment.DecisionMadeV1,
            assessment.DecisionMade(**data),
            source=assessment.SOURCE,
            **extra,
        )

    def reconsideration_decided(self, original: str, new: str, outcome: str = "changed"):
        return self._event(
            assessment.ReconsiderationDecidedV1,
            assessment.ReconsiderationDecided(
                case_id=self.case_id,
                original_decision_id=original,
                new_decision_id=new,
                outcome=outcome,
                reviewer_id="as-2",
            ),
            source=assessment.SOURCE,
        )

    def schedule_created(self) -> payments.PaymentScheduleCreatedV1:
        upcoming = [
            payments.ScheduledPayment(
                period_start=date(2026, 4, 13),
                period_end=date(2026, 5, 12),
                due_date=date(2026, 5, 15),
                amount_pence=118_083,
            )
        ]
        return self._event(
            payments.PaymentScheduleCreatedV1,
            payments.PaymentScheduleCreated(
                schedule_id=_id("sch"),
                award_id=_id("awd"),
                decision_id=_id("dec"),
                decision_version=1,
                monthly_pence=118_083,
                first_period_start=date(2026, 4, 13),
                aligned_to_universal_credit=False,
                upcoming=upcoming,
            ),
            source=payments.SOURCE,
        )

    def payment_issued(self) -> payments.PaymentIssuedV1:
        return self._event(
            payments.PaymentIssuedV1,
            payments.PaymentIssued(
                instruction_id=_id("ins"),
                run_id=_id("run"),
                amount_pence=118_083,
                paid_on=date(2026, 5, 15),
            ),
            source=payments.SOURCE,
        )

    def bank_details_changed(self, by: str = "staff") -> payments.BankDetailsChangedV1:
        return self._event(
            payments.BankDetailsChangedV1,
            payments.BankDetailsChanged(
                change_id=_id("chg"),
                changed_on=date(2026, 5, 12),
                changed_by=by,
                payments_held_until=date(2026, 5, 26),
            ),
            source=payments.SOURCE,
        )

    def payment_failed(self, code: str = "AC04", action: str = "held") -> payments.PaymentFailedV1:
        return self._event(
            payments.PaymentFailedV1,
            payments.PaymentFailed(
                instruction_id=_id("ins"),
                status="returned",
                reason_code=code,
                reason="account closed",
                amount_pence=118_083,
                action=action,
            ),
            source=payments.SOURCE,
        )

    def statement(self) -> payments.StatementIssuedV1:
        return self._event(
            payments.StatementIssuedV1,
            payments.StatementIssued(
                statement_id=_id("stm"),
                period_start=date(2026, 4, 1),
                period_end=date(2026, 4, 30),
                lines=[],
                net_pence=118_083,
            ),
            source=payments.SOURCE,
        )

    def overpayment(self) -> payments.OverpaymentRaisedV1:
        return self._event(
            payments.OverpaymentRaisedV1,
            payments.OverpaymentRaised(
                overpayment_id=_id("ovp"),
                amount_pence=123_456,
                reason="Your savings went over the limit in March 2026.",
                recovery_per_period_pence=2_500,
            ),
            source=payments.SOURCE,
        )

    def contribution(self) -> payments.ContributionRaisedV1:
        return self._event(
            payments.ContributionRaisedV1,
            payments.ContributionRaised(
                contribution_id=_id("cn"),
                instruction_id=_id("ins"),
                period_start=date(2026, 4, 1),
                period_end=date(2026, 4, 30),
                amount_pence=12_827,
                award_pence=13_173,
                managed_care_pence=26_000,
                reason="Your award for the period was less than your care cost. We paid your"
                " providers in full.",
            ),
            source=payments.SOURCE,
        )

    def contribution_invoiced(self) -> payments.ContributionInvoicedV1:
        return self._event(
            payments.ContributionInvoicedV1,
            payments.ContributionInvoiced(
                contribution_id=_id("cn"),
                invoice_reference="CB4Q8RT2KX9MZA17",
                period_start=date(2026, 4, 1),
                period_end=date(2026, 4, 30),
                amount_pence=12_827,
                issued_on=date(2026, 5, 12),
                due_on=date(2026, 6, 9),
            ),
            source=payments.SOURCE,
        )

    def plan_drafted(self, decision_kind: str | None = None) -> care_plans.PlanDraftedV1:
        return self._event(
            care_plans.PlanDraftedV1,
            care_plans.PlanDrafted(
                plan_id=_id("plan"),
                version=1,
                decision_id=_id("dec"),
                area_code="E09000033",
                outcomes=["a"],
                weekly_budget_pence=31_250,
                weekly_cost_pence=31_250,
                shortfall_pence=0,
                items=[],
                decision_kind=decision_kind,
            ),
            source=care_plans.SOURCE,
        )

    def plan_agreed(self) -> care_plans.PlanAgreedV1:
        return self._event(
            care_plans.PlanAgreedV1,
            care_plans.PlanAgreed(
                plan_id=_id("plan"),
                version=1,
                agreed_by="person",
                agreed_by_id=self.person_id,
                first_review_due=date(2026, 8, 20),
            ),
            source=care_plans.SOURCE,
            time=datetime(2026, 5, 20, 23, 30, tzinfo=UTC),
        )

    def review_due(self) -> care_plans.ReviewDueV1:
        return self._event(
            care_plans.ReviewDueV1,
            care_plans.ReviewDue(plan_id=_id("plan"), due_on=date(2026, 8, 20)),
            source=care_plans.SOURCE,
        )


Make.TEMPLATE_OF = {  # factory name -> the template its event calls for
    "schedule_created": "payment-schedule-created",
    "payment_issued": "payment-issued",
    "payment_failed": "payment-failed",
    "bank_details_changed": "bank-details-changed",
    "statement": "statement-ready",
    "overpayment": "overpayment-raised",
    "contribution": "contribution-raised",
    "contribution_invoiced": "contribution-invoiced",
    "plan_drafted": "care-plan-ready",
    "plan_agreed": "plan-agreed",
    "review_due": "review-due",
}


@pytest.fixture
def make() -> Make:
    return Make()
