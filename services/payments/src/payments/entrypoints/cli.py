"""Run payments from the command line (cron, operators, fault tests):

    PAYMENTS_DATABASE_URL=postgresql://… python -m payments run-payments --run-date 2025-06-16

The same use case as POST /payment-runs; running it again resumes an unfinished run or, once
finished, does nothing. Events go to the outbox; the service's relay publishes them.
"""

import argparse
import asyncio
import dataclasses
from datetime import date

from payments.entrypoints import views
from payments.entrypoints.dependencies import Dependencies
from payments.service_layer.commands import StartPaymentRun
from payments.service_layer.payment_run import run_payments


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m payments",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run-payments", help="pay everything due on or before a date")
    run.add_argument("--run-date", type=date.fromisoformat, default=date.today())
    run.add_argument("--batch-size", type=int, default=None)
    run.add_argument(
        "--pause-after-batch",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="sleep after each committed batch (throttling the database)",
    )
    return parser.parse_args(argv)


async def run_payments_command(args: argparse.Namespace, deps: Dependencies) -> int:
    runs = deps.payment_runs
    if args.batch_size:
        runs = dataclasses.replace(runs, batch_size=args.batch_size)
    if args.pause_after_batch:

        async def pause(_: int) -> None:
            await asyncio.sleep(args.pause_after_batch)

        runs = dataclasses.replace(runs, after_batch=pause)
    run = await run_payments(StartPaymentRun(args.run_date), runs)
    print(views.payment_run(run, run.outcome).model_dump_json(indent=2))
    return 0
