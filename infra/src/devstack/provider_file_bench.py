"""Benchmark (not a test): build and validate a providers' pain.001 of N remittance lines, with
the time and the peak memory of each step.

    uv run python -m devstack.provider_file_bench --lines 1000000 --providers 5000

The lines are shared round-robin between the providers (one credit transfer each, its own
payment information block, one structured remittance entry per line), as a payment run builds
them. `--sink memory` builds the bytes as the service does (payments.adapters.bankfile
build_pain001: written incrementally into memory, then validated as a stream); `--sink sealed`
also seals them as the run stores them (adapters/run_store.py: decoded, sealed whole);
`--sink file` writes to a temporary file and validates it from the disk, so no step holds the
document.
Memory is the process's peak RSS (sampled every 50 ms) above what it was once the lines were
made, beside the lines' own cost.
"""

import argparse
import io
import os
import tempfile
import time
import uuid
from datetime import UTC, date, datetime

import psutil
from payments.adapters.bankfile.pain001 import (
    REPEATED,
    DebtorAccount,
    build_pain001,
    write_pain001,
)
from payments.adapters.bankfile.schemas import PAIN_001, validate_stream
from payments.adapters.sealed import BANK_FILE
from payments.domain.instructions import PaymentInstruction, RemittanceLine
from servicekit.crypto import EncryptionSettings, Keyset

from devstack.payments_bench import PeakRss

DEBTOR = DebtorAccount("Care Benefit Payments", "GB29NWBK60161331926819", "NWBKGB2L")
MiB = 2**20


def instructions(lines: int, providers: int) -> list[PaymentInstruction]:
    owed: dict[int, list[RemittanceLine]] = {p: [] for p in range(providers)}
    for n in range(lines):
        person = f"P{n:09d}"
        owed[n % providers].append(
            RemittanceLine(person, date(2025, 5, 10), date(2025, 6, 9), 26_000 + n % 997)
        )
    return [
        PaymentInstruction(
            uuid.uuid5(uuid.NAMESPACE_URL, f"provider-{p}"),
            f"PRV-{p:04d}",
            sum(x.amount_pence for x in owed[p]),
            date(2025, 6, 16),
            f"Provider {p} Ltd",
            "309634",
            f"{41958327 + p:08d}"[-8:],
            "CARE BENEFIT P0625",
            tuple(owed[p]),
        )
        for p in range(providers)
        if owed[p]
    ]


def bench(lines: int, providers: int, sink: str) -> None:
    process = psutil.Process()
    before = process.memory_info().rss
    made = instructions(lines, providers)
    base = process.memory_info().rss
    print(
        f"{lines:,} lines to {len(made):,} providers; the lines themselves: "
        f"{(base - before) / MiB:,.0f} MiB ({(base - before) / lines:,.0f} B a line)"
    )
    created = datetime(2025, 6, 16, 9, tzinfo=UTC)
    with PeakRss() as rss:
        started = time.perf_counter()
        if sink in ("memory", "sealed"):
            content = build_pain001("RUN-BENCH", made, DEBTOR, created)
            size = len(content)
            built = time.perf_counter() - started
            print(f"build_pain001 (write + stream-validate, bytes in memory): {built:.1f} s")
            if sink == "sealed":
                sealer = EncryptionSettings(**Keyset.generate().settings()).sealer()
                token = sealer.seal(BANK_FILE, "RUN-BENCH", content.decode())
                print(
                    f"sealed as stored: {time.perf_counter() - started - built:.1f} s,"
                    f" {len(token) / MiB:,.0f} MiB"
                )
            del content
        else:
            with tempfile.TemporaryDirectory() as folder:
                path = os.path.join(folder, "providers.xml")
                with open(path, "wb") as out:
                    write_pain001(io.BufferedWriter(out), "RUN-BENCH", made, DEBTOR, created)
                written = time.perf_counter() - started
                size = os.path.getsize(path)
                with open(path, "rb") as file:
                    validate_stream(file, PAIN_001, REPEATED)
                validated = time.perf_counter() - started - written
            print(f"write to a file: {written:.1f} s; validate from the file: {validated:.1f} s")
    print(
        f"file {size / MiB:,.0f} MiB ({size / lines:,.0f} B a line); peak RSS above the lines: "
        f"{(rss.peak - base) / MiB:,.0f} MiB ({(rss.peak - base) / lines:,.0f} B a line); "
        f"peak RSS of the process {rss.peak / MiB:,.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m devstack.provider_file_bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--providers", type=int, default=1_000)
    parser.add_argument("--sink", choices=("memory", "sealed", "file"), default="memory")
    args = parser.parse_args()
    bench(args.lines, args.providers, args.sink)


if __name__ == "__main__":
    main()
