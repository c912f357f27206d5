"""The bank files port: pain.001 files for a run's batches, the bank's responses read, and each
run's files written to the bank's upload folder when one is configured."""

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from payments.adapters.bankfile.pain001 import DebtorAccount, build_pain001
from payments.adapters.bankfile.responses import parse_bank_response
from payments.domain.bank_responses import BankResponse
from payments.domain.instructions import PaymentInstruction


class Iso20022Files:
    def __init__(self, debtor: DebtorAccount, export_dir: Path | None = None) -> None:
        self.debtor, self.export_dir = debtor, export_dir

    def pain001(self, file_id: str, instructions: Sequence[PaymentInstruction]) -> bytes:
        return build_pain001(file_id, instructions, self.debtor, datetime.now(UTC))

    def read_response(self, body: bytes) -> list[BankResponse]:
        return parse_bank_response(body)

    @property
    def exports(self) -> bool:
        return self.export_dir is not None

    async def export(self, files: list[tuple[str, bytes]]) -> None:
        """Rewriting a file writes the same bytes, so exporting a run again is harmless."""
        for file_id, content in files:
            await asyncio.to_thread(_write, self.export_dir / f"{file_id}.xml", content)


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".part")
    temporary.write_bytes(content)
    temporary.replace(path)
