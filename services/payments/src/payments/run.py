"""Run payments from the command line (cron, operators, fault tests):

    PAYMENTS_DATABASE_URL=postgresql://… uv run python -m payments.run --run-date 2025-06-16

Same code path as POST /payment-runs; running it again resumes an unfinished run or, once
finished, does nothing. Events go to the outbox; the service's relay publishes them.
"""

import argparse
import asyncio
import dataclasses
import json
import sys
from datetime import date

from servicekit import db

from payments.calendar_loader import load_calendar
from payments.config import PaymentsSettings
from payments.main import MIGRATIONS, run_options
from payments.service_layer.payment_run import run_payments


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m payments.run", description=__doc__)
    parser.add_argument("--run-date", type=date.fromisoformat, default=date.today())
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--pause-after-batch", type=float, default=0.0, metavar="SECONDS",
                        help="sleep after each committed batch (throttling the database)")
    return parser.parse_args(argv)


async def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    settings = PaymentsSettings()
    options = run_options(settings, load_calendar())
    if args.batch_size:
        options = dataclasses.replace(options, batch_size=args.batch_size)
    if args.pause_after_batch:
        async def pause(_: int) -> None:
            await asyncio.sleep(args.pause_after_batch)

        options = dataclasses.replace(options, after_batch=pause)
    pool = await db.create_pool(settings.database_url, 1, 3)
    try:
        await db.migrate(pool, MIGRATIONS, settings.migration_database_url)
        run = await run_payments(pool, args.run_date, options)
    finally:
        await pool.close()
    print(json.dumps(dataclasses.asdict(run), default=str, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
