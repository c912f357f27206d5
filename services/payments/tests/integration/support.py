"""The payments service in-process on real PostgreSQL (and the real broker's client)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from asgi_lifespan import LifespanManager
from devstack.tokens import OTHER_PAYMENTS_OFFICER, PAYMENTS_OFFICER, Tokens, bearer
from httpx import ASGITransport, AsyncClient
from payments.config import PaymentsSettings
from payments.entrypoints.dependencies import Dependencies
from payments.entrypoints.errors import UNPROCESSABLE
from payments.entrypoints.events import HANDLERS
from payments.main import create_app
from servicekit.consumer import Delivery, EventConsumer
from servicekit.service import Runtime

TODAY = date(2025, 5, 12)


class Clock:
    def __init__(self, today: date) -> None:
        self.today = today

    def __call__(self) -> date:
        return self.today


@dataclass
class Service:
    http: AsyncClient
    runtime: Runtime
    clock: Clock
    files: Path
    tokens: Tokens

    @property
    def pool(self) -> Any:
        return self.runtime.pool

    @property
    def deps(self) -> Dependencies:
        return self.runtime.deps

    async def deliver(self, *events: Any) -> None:
        """Applies events as the consumer does (inbox + handler + outbox in one transaction)."""
        consumer = self._consumer()
        for event in events:
            await consumer.apply(event)

    async def deliver_together(self, *events: Any) -> None:
        """Applies events as one batch from the broker: one unit of work for all of them."""
        await self._consumer().apply_batch([Delivery(event) for event in events])

    def _consumer(self) -> EventConsumer:
        return EventConsumer(
            "payments",
            HANDLERS,
            self.runtime.uow,
            None,
            max_attempts=1,
            backoff_ms=0,
            deps=lambda: self.deps,
            unprocessable=UNPROCESSABLE,
        )

    async def bank_account(self, person: str, account: str = "12345678") -> dict:
        """Given by a payments officer (with the reason staff must give)."""
        response = await self.http.put(
            f"/people/{person}/bank-account",
            json={
                "payee_name": f"Person {person}",
                "sort_code": "404784",
                "account_number": account,
                "reason": "the person gave them on the phone",
            },
        )
        assert response.status_code == 200, response.text
        return response.json()

    async def second_officer(self) -> dict[str, str]:
        """The bearer header of a payments officer other than the one `http` acts as."""
        return bearer(await self.tokens.staff(OTHER_PAYMENTS_OFFICER, "payments"))

    async def approve(self, run_id: str) -> dict:
        """A second payments officer releases the run's bank files (four eyes)."""
        response = await self.http.post(
            f"/payment-runs/{run_id}/approval", headers=await self.second_officer()
        )
        assert response.status_code == 200, response.text
        return response.json()

    async def run(self, run_date: date, expect: int | None = None) -> dict:
        response = await self.http.post("/payment-runs", json={"run_date": run_date.isoformat()})
        assert expect is None or response.status_code == expect, response.text
        return response.json()

    async def bank_file(self, run: dict, file_id: str) -> bytes:
        """Released by a second payments officer first (four eyes), then downloaded."""
        await self.approve(run["run_id"])
        response = await self.http.get(f"/payment-runs/{run['run_id']}/files/{file_id}")
        assert response.status_code == 200, response.text
        return response.content

    async def reconcile(self) -> dict:
        report = (await self.http.get("/ops/reconciliation")).json()
        assert report["balanced"], [c for c in report["checks"] if not c["ok"]]
        return report

    async def statuses(self) -> dict[str, str]:
        rows = await self.pool.fetch(
            "SELECT person_id, kind, status FROM scheduled_payments"
            " WHERE due_date <= $1 ORDER BY person_id",
            self.clock(),
        )
        return {f"{r['person_id']}/{r['kind']}": r["status"] for r in rows}

    async def outbox_types(self) -> list[str]:
        rows = await self.pool.fetch("SELECT type FROM outbox ORDER BY position")
        return [r["type"].rsplit(".", 2)[-2] for r in rows]


@asynccontextmanager
async def running_service(
    infra: Any,
    database_url: str,
    files: Path,
    tokens: Tokens,
    batch_size: int = 3,
    keys: dict[str, Any] | None = None,
) -> AsyncIterator[Service]:
    """Requests carry a payments officer's token from the session's provider. `keys`:
    EncryptionSettings fields (default: the session's keys for payments)."""
    clock = Clock(TODAY)
    settings = PaymentsSettings(
        database_url=database_url,
        environment="test",
        **infra.oidc.service_settings("payments"),
        **infra.kafka_settings(),
        **(keys or infra.encryption_settings("payments")),
        relay_enabled=False,
        consumer_enabled=False,
        run_batch_size=batch_size,
        bank_file_dir=files,
    )
    app = create_app(settings, clock=clock)
    headers = bearer(await tokens.staff(PAYMENTS_OFFICER, "payments"))
    async with LifespanManager(app, startup_timeout=60) as manager:
        async with AsyncClient(
            transport=ASGITransport(manager.app), base_url="http://p", headers=headers
        ) as http:
            yield Service(http, app.app.app.state.runtime, clock, files, tokens)
