"""The yearly uprating from the command line (the Kubernetes CronJob, operators, tests):

    ASSESSMENT_DATABASE_URL=postgresql://… python -m assessment.uprate --rule-set GB-CARE-2026-27

Re-decides every award in payment under the rule set (default: the one in force today) from its
date. Run again, or after a crash, it carries on with what is still to do and uprates nobody
twice. Events go to the outbox; the assessment service's relay publishes them.
"""

import argparse
import asyncio
import dataclasses
import json
from datetime import date
from pathlib import Path

from assessment.domain import NoRuleSetInForce, NotFound
from assessment.service_layer.commands import UprateAwards
from assessment.service_layer.uprating import Uprating, uprate_awards

INVALID = 2


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m assessment.uprate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--rule-set", help="the rule set id to uprate to (default: today's)")
    parser.add_argument("--batch-size", type=int, default=None, help="awards per transaction")
    parser.add_argument(
        "--rule-sets",
        type=Path,
        default=None,
        metavar="DIR",
        help="the rule set files (default: the service's own); to rehearse with proposed rates",
    )
    parser.add_argument(
        "--pause-after-batch",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="sleep after each committed batch (throttling the database)",
    )
    args = parser.parse_args(argv)
    if args.batch_size is not None and args.batch_size < 1:
        parser.error("--batch-size must be at least 1")
    return args


async def uprate_command(args: argparse.Namespace, job: Uprating, today: date) -> int:
    if args.batch_size:
        job = dataclasses.replace(job, batch_size=args.batch_size)
    if args.pause_after_batch:

        async def pause(_: int) -> None:
            await asyncio.sleep(args.pause_after_batch)

        job = dataclasses.replace(job, after_batch=pause)
    try:
        report = await uprate_awards(UprateAwards(args.rule_set), job, today)
    except (NotFound, NoRuleSetInForce) as error:
        print(json.dumps({"errors": [{"field": error.field, "message": error.message}]}))
        return INVALID
    print(json.dumps(dataclasses.asdict(report), default=str, indent=2))
    return 0
