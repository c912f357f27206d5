"""Nothing lost, nothing twice: the platform's invariants, checked by SQL once it is quiet.

(a) every decision published (its DecisionMade row in the outbox, marked, and on the topic), and
    every acknowledged submission decided; (b) exactly one award per eligible decision, none
    for the others; (c) exactly one care plan per eligible decision; (d) exactly one message per
    (event, template, channel) for every event that tells the person something (the portal
    inbox plus each channel they chose), each final, and one SMTP or Notify send each, none
    besides; (e) the ledger balanced (every journal, and the service's own reconciliation), no
    instruction paid twice, every instruction in one bank file; (f) dead letters: exactly the
    poison injected, once per consumer, with a reason, and nothing else.

`check()` returns the figures it saw and every violation, named.
"""

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition
from contracts.assessment import v1 as assessment
from contracts.care_plans import v1 as care_plans
from contracts.payments import v1 as payments
from contracts.topics import ASSESSMENT_EVENTS, Topic, dead_letter

from devstack.fault_platform import CONSUMERS, FaultPlatform
from devstack.kafka_acls import CONSUMES

TELLING = tuple(
    e.event_type()
    for e in (
        assessment.DecisionMadeV1,
        payments.PaymentScheduleCreatedV1,
        payments.PaymentIssuedV1,
        payments.PaymentFailedV1,
        payments.StatementIssuedV1,
        payments.OverpaymentRaisedV1,
        payments.BankDetailsChangedV1,
        care_plans.PlanDraftedV1,
        care_plans.PlanAgreedV1,
        care_plans.ReviewDueV1,
    )
)
"""Events the person hears about: each calls for a message on every channel of theirs."""
DECISION = assessment.DecisionMadeV1.event_type()
MESSAGE_ID_DOMAIN = "carebenefit.service.gov.uk"
CONSUMERS_OF = {
    ASSESSMENT_EVENTS.name: tuple(c for c in CONSUMERS if ASSESSMENT_EVENTS.name in CONSUMES[c])
}


@dataclass(frozen=True)
class Poison:
    topic: str
    partition: int
    offset: int
    kind: str


@dataclass
class Report:
    figures: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def problem(self, text: str, examples: Iterable[Any] = ()) -> None:
        shown = list(examples)[:5]
        self.problems.append(f"{text}{': ' + ', '.join(map(str, shown)) if shown else ''}")

    def line(self) -> str:
        return ", ".join(f"{k} {v:,}" for k, v in self.figures.items())

    def assert_ok(self) -> None:
        if self.problems:
            raise AssertionError("invariants broken:\n  " + "\n  ".join(self.problems))


async def check(
    platform: FaultPlatform,
    channels: Mapping[str, tuple[str, ...]],
    acknowledged: Mapping[str, str],
    poison: Iterable[Poison] = (),
) -> Report:
    """`channels`: person id -> the channels they chose (as the traffic set them);
    `acknowledged`: decision id -> person id, every submission the platform acknowledged."""
    report = Report()
    decisions = await platform.fetch(
        "assessment", "SELECT decision_id, person_id, eligible FROM decisions"
    )
    eligible = {r["decision_id"] for r in decisions if r["eligible"]}
    report.figures |= {"decisions": len(decisions), "eligible": len(eligible)}
    await _published(platform, report, decisions, acknowledged)
    await _awards(platform, report, decisions, eligible)
    await _plans(platform, report, eligible)
    await _messages(platform, report, channels)
    await _ledger(platform, report)
    await _dead_letters(platform, report, list(poison))
    return report


async def _published(platform, report, decisions, acknowledged) -> None:
    rows = await platform.fetch(
        "assessment",
        "SELECT id, payload->'data'->>'decision_id' AS decision_id, published_at FROM outbox"
        " WHERE type = $1",
        DECISION,
    )
    events = Counter(r["decision_id"] for r in rows)
    unmarked = [r["decision_id"] for r in rows if r["published_at"] is None]
    on_topic = {event_id(r.value) for r in await read_all(platform, ASSESSMENT_EVENTS)}
    known = {r["decision_id"] for r in decisions}
    report.figures["decisions published"] = sum(1 for r in rows if str(r["id"]) in on_topic)
    if missing := [d for d in known if events[d] != 1]:
        report.problem(f"{len(missing)} decisions without exactly one DecisionMade", missing)
    if unmarked:
        report.problem(f"{len(unmarked)} DecisionMade rows never published", unmarked)
    if absent := [r["decision_id"] for r in rows if str(r["id"]) not in on_topic]:
        report.problem(f"{len(absent)} DecisionMade events not on {ASSESSMENT_EVENTS.name}", absent)
    report.figures["acknowledged"] = len(acknowledged)
    if lost := [d for d in acknowledged if d not in known]:
        report.problem(f"{len(lost)} acknowledged submissions lost", lost)


async def _awards(platform, report, decisions, eligible) -> None:
    rows = await platform.fetch("payments", "SELECT decision_id, award_id FROM award_versions")
    per_decision = Counter(r["decision_id"] for r in rows)
    report.figures["awards"] = await platform.fetchval("payments", "SELECT count(*) FROM awards")
    if wrong := [d for d in eligible if per_decision[d] != 1]:
        report.problem(f"{len(wrong)} eligible decisions without exactly one award", wrong)
    ineligible = {r["decision_id"] for r in decisions} - eligible
    if extra := [d for d in ineligible if per_decision[d]]:
        report.problem(f"{len(extra)} ineligible decisions with an award", extra)


async def _plans(platform, report, eligible) -> None:
    rows = await platform.fetch(
        "care-plans", "SELECT DISTINCT decision_id, plan_id FROM plan_versions"
    )
    per_decision = Counter(r["decision_id"] for r in rows)
    people = await platform.fetch(
        "care-plans", "SELECT person_id FROM plans GROUP BY person_id HAVING count(*) > 1"
    )
    report.figures["plans"] = await platform.fetchval("care-plans", "SELECT count(*) FROM plans")
    if wrong := [d for d in eligible if per_decision[d] != 1]:
        report.problem(f"{len(wrong)} eligible decisions without exactly one plan", wrong)
    if people:
        report.problem(f"{len(people)} people with more than one plan", people)


async def _telling_events(platform) -> list[tuple[str, str]]:
    """(event id, person id) of every event, from the producers' outboxes, that tells someone."""
    found = []
    for producer in ("assessment", "payments", "care-plans"):
        found += await platform.fetch(
            producer,
            "SELECT id::text, key FROM outbox WHERE type = ANY($1)"
            " AND NOT (type = $2 AND payload->'data'->>'kind' = 'reconsideration')",
            list(TELLING),
            DECISION,
        )
    return [(r["id"], r["key"]) for r in found]


async def _messages(platform, report, channels) -> None:
    rows = await platform.fetch(
        "notifications",
        "SELECT business_event_id, template_id, channel, status, notification_id::text AS id,"
        " person_id, reason FROM messages",
    )
    chosen = dict(channels)
    for r in await platform.fetch("notifications", "SELECT person_id, channels FROM recipients"):
        chosen.setdefault(r["person_id"], tuple(r["channels"]))
    by_event: dict[str, Counter[str]] = {}
    for r in rows:
        by_event.setdefault(r["business_event_id"], Counter())[r["channel"]] += 1
    events = await _telling_events(platform)
    wrong = []
    for event_id, person in events:
        wanted = Counter({"inbox": 1, **dict.fromkeys(chosen.get(person, ()), 1)})
        if by_event.get(event_id, Counter()) != wanted:
            wrong.append((event_id, dict(by_event.get(event_id, {})), dict(wanted)))
    report.figures |= {"telling events": len(events), "messages": len(rows)}
    if wrong:
        report.problem(f"{len(wrong)} events without exactly one message per channel", wrong)
    unknown = [r["id"] for r in rows if _unknown_outcome(r)]
    if unfinished := [
        f"{r['id']} ({r['channel']}, {r['status']}: {r['reason'] or 'no reason'})"
        for r in rows
        if r["status"] != "delivered" and r["id"] not in unknown
    ]:
        report.problem(f"{len(unfinished)} messages not delivered", unfinished)
    report.figures["emails of unknown outcome"] = len(unknown)
    _sends(platform, report, rows)


def _unknown_outcome(row: Any) -> bool:
    """An email handed to the SMTP server by a sender that died (or timed out) before the reply:
    final, and never sent again (the sends check proves it arrived once)."""
    return (
        row["channel"] == "email"
        and row["status"] == "permanent_failure"
        and (row["reason"] or "").startswith("outcome unknown")
    )


def _sends(platform, report, rows) -> None:
    mailed = platform.mailbox.count_by_id()
    notified = Counter(n["reference"] for n in platform.notify.sent)
    emails = [r["id"] for r in rows if r["channel"] == "email"]
    others = [r["id"] for r in rows if r["channel"] in ("sms", "letter")]
    report.figures |= {
        "SMTP sends": sum(mailed.values()),
        "Notify sends": len(platform.notify.sent),
    }
    if bad := [i for i in emails if mailed[f"<{i}@{MESSAGE_ID_DOMAIN}>"] != 1]:
        report.problem(f"{len(bad)} emails not sent exactly once", bad)
    if bad := [i for i in others if notified[i] != 1]:
        report.problem(f"{len(bad)} texts and letters not sent to Notify exactly once", bad)
    if sum(mailed.values()) != len(emails) or len(platform.notify.sent) != len(others):
        report.problem("sends that no message accounts for")


async def _ledger(platform, report) -> None:
    unbalanced = await platform.fetch(
        "payments",
        "SELECT journal_id FROM ledger_postings GROUP BY journal_id"
        " HAVING sum(debit_pence) <> sum(credit_pence)",
    )
    twice = await platform.fetch(
        "payments",
        "SELECT instruction_id FROM ledger_postings WHERE kind = 'payment_issued' AND line = 1"
        " GROUP BY instruction_id HAVING count(*) > 1",
    )
    paid = await platform.fetchval(
        "payments",
        "SELECT count(DISTINCT instruction_id) FROM ledger_postings WHERE kind = 'payment_issued'",
    )
    in_files = await platform.fetchval(
        "payments", "SELECT coalesce(sum(transactions), 0) FROM bank_files"
    )
    report.figures |= {
        "journals": await platform.fetchval(
            "payments", "SELECT count(DISTINCT journal_id) FROM ledger_postings"
        ),
        "payments issued": paid,
    }
    async with httpx.AsyncClient(timeout=30) as http:
        reconciliation = platform.url("payments") + "/ops/reconciliation"
        headers = await platform.tokens.headers_for("payments", "/ops/reconciliation")
        verdict = (await http.get(reconciliation, headers=headers)).json()
    if unbalanced or not verdict["balanced"]:
        report.problem("the ledger does not balance", unbalanced or [verdict])
    if failed := [c["check"] for c in verdict["checks"] if not c["ok"]]:
        report.problem("reconciliation checks failed", failed)
    if twice:
        report.problem(f"{len(twice)} instructions paid twice", twice)
    if in_files != paid:
        report.problem(f"bank files hold {in_files} transactions for {paid} payments issued")


async def _dead_letters(platform, report, poison: list[Poison]) -> None:
    wanted = {
        (consumer, p.topic, p.partition, p.offset)
        for p in poison
        for consumer in CONSUMERS_OF[p.topic]
    }
    found, problems = set(), []
    for consumer in CONSUMERS:
        rows = await platform.fetch(
            consumer,
            'SELECT topic, partition, "offset", reason, published_at FROM dead_letters',
        )
        for r in rows:
            found.add((consumer, r["topic"], r["partition"], r["offset"]))
            if not r["reason"] or r["published_at"] is None:
                problems.append((consumer, r["offset"], r["reason"]))
        on_topic = await read_all(platform, dead_letter(consumer))
        report.figures[f"{consumer} dead letters"] = len(rows)
        if len(on_topic) < len(rows):
            report.problem(f"{consumer}: {len(rows)} dead letters, {len(on_topic)} on its topic")
    report.figures["poison injected"] = len(poison)
    if good := found - wanted:
        report.problem(f"{len(good)} good events dead-lettered", sorted(good))
    if missed := wanted - found:
        report.problem(f"{len(missed)} poison messages not dead-lettered", sorted(missed))
    if problems:
        report.problem("dead letters without a reason or not on their topic", problems)


async def read_all(platform: FaultPlatform, topic: Topic) -> list[Any]:
    """Every record of `topic`, from offset 0 to its end now."""
    consumer = AIOKafkaConsumer(
        **platform.infra.kafka_options(),
        enable_auto_commit=False,
        group_id=None,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        parts = [TopicPartition(topic.name, p) for p in range(topic.partitions)]
        consumer.assign(parts)
        ends = await consumer.end_offsets(parts)
        records: list[Any] = []
        while [tp for tp in parts if await consumer.position(tp) < ends[tp]]:
            for batch in (await consumer.getmany(timeout_ms=500)).values():
                records.extend(batch)
        return records
    finally:
        await consumer.stop()


def event_id(value: bytes | None) -> str | None:
    """The id of the event in a record's bytes (None: not an event at all)."""
    try:
        event = json.loads(value or b"")
    except ValueError:
        return None
    return event.get("id") if isinstance(event, dict) else None
