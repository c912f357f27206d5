"""Plays the national benefits system's side: publishes UC claim events to Kafka.

    uv run python -m devstack.benefits_simulator open-claim --person P1 --claim UC1 \\
        --first-period 2025-03-03
    uv run python -m devstack.benefits_simulator assess-period --person P1 --claim UC1 \\
        --start 2025-05-03 --earned 78400 --unearned 10000 --capital 0
    uv run python -m devstack.benefits_simulator close-claim --person P1 --claim UC1 \\
        --closed-on 2025-09-02

Amounts are integer pence. It connects as the `benefits-system` principal, from the environment:
BENEFITS_SYSTEM_KAFKA_USERNAME / _PASSWORD, KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM,
KAFKA_SSL_CAFILE (`eval "$(python -m devstack env benefits-system)"` sets them for `make up`'s
stack); --bootstrap defaults to $KAFKA_BOOTSTRAP_SERVERS (or the devstack's 127.0.0.1:19092);
--topic to benefits.uc-claims. Events are keyed by person, as the real system's would be, so
one person's claim events stay in order.
"""

import argparse
import asyncio
import sys
from collections.abc import Mapping
from datetime import date
from typing import Any

from aiokafka import AIOKafkaProducer
from contracts.benefits import v1
from contracts.envelope import headers_for
from contracts.topics import BENEFITS_UC_CLAIMS
from payments.domain.periods import period_containing
from pydantic_settings import SettingsConfigDict
from servicekit.kafka_security import KafkaClientSettings


def claim_opened(person: str, claim: str, first_period: date) -> v1.UcClaimOpenedV1:
    return v1.UcClaimOpenedV1(
        source=v1.SOURCE,
        subject=person,
        data=v1.UcClaimOpened(
            uc_claim_id=claim,
            assessment_period_start_day=first_period.day,
            first_assessment_period_start=first_period,
        ),
    )


def period_assessed(
    person: str,
    claim: str,
    start: date,
    end: date,
    earned: int = 0,
    unearned: int = 0,
    capital: int = 0,
) -> v1.UcPeriodAssessedV1:
    return v1.UcPeriodAssessedV1(
        source=v1.SOURCE,
        subject=person,
        data=v1.UcPeriodAssessed(
            uc_claim_id=claim,
            period_start=start,
            period_end=end,
            capital_pence=capital,
            unearned_income_pence=unearned,
            earned_income_pence=earned,
        ),
    )


def claim_closed(person: str, claim: str, closed_on: date) -> v1.UcClaimClosedV1:
    return v1.UcClaimClosedV1(
        source=v1.SOURCE,
        subject=person,
        data=v1.UcClaimClosed(uc_claim_id=claim, closed_on=closed_on),
    )


class SimulatorSettings(KafkaClientSettings):
    model_config = SettingsConfigDict(
        env_prefix="BENEFITS_SYSTEM_", env_ignore_empty=True, extra="ignore"
    )


async def publish(
    events: list[Any], kafka: Mapping[str, Any], topic: str = BENEFITS_UC_CLAIMS.name
) -> None:
    """`kafka`: aiokafka client arguments, `bootstrap_servers` included."""
    producer = AIOKafkaProducer(**kafka, enable_idempotence=True)
    await producer.start()
    try:
        for event in events:
            headers = [(k, v.encode()) for k, v in headers_for(event).items()]
            await producer.send_and_wait(
                topic, event.to_json_bytes(), key=event.subject.encode(), headers=headers
            )
    finally:
        await producer.stop()


def events_from(args: argparse.Namespace) -> list[Any]:
    if args.command == "open-claim":
        return [claim_opened(args.person, args.claim, args.first_period)]
    if args.command == "close-claim":
        return [claim_closed(args.person, args.claim, args.closed_on)]
    end = args.end
    if end is None:  # the UC period that starts on --start, given the claim's first period
        first = args.first_period or args.start
        end = period_containing(first, args.start).end
    return [
        period_assessed(
            args.person, args.claim, args.start, end, args.earned, args.unearned, args.capital
        )
    ]


def parse_args(argv: list[str] | None, settings: SimulatorSettings) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m devstack.benefits_simulator",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--bootstrap", default=settings.kafka_bootstrap_servers)
    parser.add_argument("--topic", default=BENEFITS_UC_CLAIMS.name)
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("open-claim", "assess-period", "close-claim"):
        command = commands.add_parser(name)
        command.add_argument("--person", required=True)
        command.add_argument("--claim", required=True)
    day = date.fromisoformat
    commands.choices["open-claim"].add_argument("--first-period", type=day, required=True)
    commands.choices["close-claim"].add_argument("--closed-on", type=day, required=True)
    assess = commands.choices["assess-period"]
    assess.add_argument("--start", type=day, required=True)
    assess.add_argument("--end", type=day)
    assess.add_argument("--first-period", type=day, help="the claim's first period (for --end)")
    for money in ("--earned", "--unearned", "--capital"):
        assess.add_argument(money, type=int, default=0, help="pence")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    settings = SimulatorSettings()
    args = parse_args(argv, settings)
    events = events_from(args)
    kafka = {**settings.kafka_client_options(), "bootstrap_servers": args.bootstrap}
    asyncio.run(publish(events, kafka, args.topic))
    for event in events:
        print(f"published {event.type} for {event.subject} to {args.topic}: {event.id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
