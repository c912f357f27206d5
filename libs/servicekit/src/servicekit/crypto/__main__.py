"""`python -m servicekit.crypto generate-key` prints a new base64 256-bit key (for
`<SERVICE>_ENCRYPTION_KEYS` or `<SERVICE>_LOOKUP_KEY`).

`python -m servicekit.crypto rotate --env-prefix PAYMENTS_ --table bank_accounts --column
payee_name --column sort_code --column account_number` re-wraps every value of those columns
under the current key, seals plaintext, and fills missing lookup hashes (`--column
nino:nino_hash`: the column of the lookup hashes after the colon). Name all of a table's sealed
columns: each row is changed in one statement. Keys come from the environment, as the service
reads them (`PAYMENTS_ENCRYPTION_KEYS`, `PAYMENTS_ENCRYPTION_KEY_ID`, `PAYMENTS_LOOKUP_KEY`),
never from the command line; the database from `--database-url` or `<prefix>DATABASE_URL`.
Safe while the service runs; run it again if it is interrupted or reports values left.
"""

import argparse
import asyncio
import os
import sys

import asyncpg
from pydantic import ValidationError
from pydantic_settings import SettingsConfigDict

from servicekit.crypto.keys import generate_key
from servicekit.crypto.rotation import bring_up_to_date, remaining
from servicekit.crypto.sealing import SealedColumn
from servicekit.crypto.settings import EncryptionSettings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m servicekit.crypto")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("generate-key", help="print a new base64 256-bit key")
    rotate = commands.add_parser("rotate", help="bring a column's values to the current key")
    rotate.add_argument("--env-prefix", default="", help="e.g. PAYMENTS_ (the service's)")
    rotate.add_argument("--database-url", help="default: <prefix>DATABASE_URL")
    rotate.add_argument("--table", required=True)
    rotate.add_argument(
        "--column",
        action="append",
        required=True,
        metavar="COLUMN[:LOOKUP]",
        help="a sealed column (and its column of lookup hashes); repeat for each",
    )
    rotate.add_argument("--key", help="the row key column (default: the primary key)")
    rotate.add_argument("--batch-size", type=int, default=500)
    return parser


def _settings(prefix: str) -> EncryptionSettings:
    config = SettingsConfigDict(env_prefix=prefix, env_ignore_empty=True, extra="ignore")
    keys = type("Keys", (EncryptionSettings,), {"model_config": config})
    return keys()


async def _primary_key(conn: asyncpg.Connection, table: str) -> str:
    columns = await conn.fetch(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
        " AND a.attnum = ANY(i.indkey) WHERE i.indrelid = $1::regclass AND i.indisprimary",
        '"' + table.replace('"', '""') + '"',
    )
    if len(columns) != 1:
        raise SystemExit(f"{table} has no one-column primary key: name the row key with --key")
    return columns[0]["attname"]


async def _rotate(args: argparse.Namespace) -> int:
    try:
        sealer = _settings(args.env_prefix).sealer()
    except ValidationError as error:
        print(error.errors()[0]["msg"], file=sys.stderr)
        return 2
    url = args.database_url or os.environ.get(f"{args.env_prefix}DATABASE_URL")
    if not url:
        print(f"give --database-url or set {args.env_prefix}DATABASE_URL", file=sys.stderr)
        return 2
    conn = await asyncpg.connect(url)
    try:
        key = args.key or await _primary_key(conn, args.table)
        columns = [
            SealedColumn(args.table, name, key, lookup or None)
            for name, _, lookup in (spec.partition(":") for spec in args.column)
        ]
        progress = await bring_up_to_date(conn, columns, sealer, args.batch_size)
        left = await remaining(conn, columns, sealer)
    finally:
        await conn.close()
    print(
        f"{args.table}: {progress.rewrapped} values re-wrapped under key "
        f"{sealer.encryptor.current}, {progress.sealed} plaintext sealed, {progress.hashed} "
        f"lookup hashes filled, {progress.changed_meanwhile} rows changed meanwhile; "
        f"{left} rows left"
    )
    return 0 if left == 0 else 1


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "generate-key":
        print(generate_key())
        return 0
    return asyncio.run(_rotate(args))


if __name__ == "__main__":
    sys.exit(main())
