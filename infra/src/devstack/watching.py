"""Watching a platform from outside, cheaply enough to poll: SQL on each service's database as the
superuser over a small pool, and consumer-group lag over one kept admin client; both reconnect
by themselves when their server has gone and come back."""

import asyncio
import contextlib
import time
from typing import Any

import asyncpg
from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient
from servicekit.faults import is_infrastructure


class Databases:
    def __init__(self, urls: dict[str, str]) -> None:
        self._urls, self._pools = urls, {}

    async def fetch(self, name: str, sql: str, *args: Any, patience: float = 90.0) -> list[Any]:
        """`sql` on `name`'s database, tried again while the server is unreachable."""
        deadline = time.monotonic() + patience
        while True:
            try:
                if name not in self._pools:
                    self._pools[name] = await asyncpg.create_pool(
                        self._urls[name], min_size=0, max_size=2, timeout=10
                    )
                return await self._pools[name].fetch(sql, *args)
            except Exception as exc:
                if not is_infrastructure(exc) or time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.5)

    async def close(self) -> None:
        for pool in self._pools.values():
            with contextlib.suppress(Exception):
                await asyncio.wait_for(pool.close(), 10)
        self._pools.clear()


class GroupLag:
    """Lag per `topic[partition]` of a consumer group: the end offset less the committed one."""

    def __init__(self, kafka: dict[str, Any]) -> None:
        self._kafka = kafka
        self._admin: AIOKafkaAdminClient | None = None
        self._consumer: AIOKafkaConsumer | None = None

    async def of(self, group: str, patience: float = 90.0) -> dict[str, int]:
        deadline = time.monotonic() + patience
        while True:
            try:
                return await self._lag(group)
            except Exception:
                await self.close()
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(1)

    async def _lag(self, group: str) -> dict[str, int]:
        if self._admin is None or self._consumer is None:
            self._admin = AIOKafkaAdminClient(**self._kafka, request_timeout_ms=10_000)
            self._consumer = AIOKafkaConsumer(**self._kafka, enable_auto_commit=False)
            await self._admin.start()
            await self._consumer.start()
        committed = await self._admin.list_consumer_group_offsets(group)
        ends = await self._consumer.end_offsets(list(committed)) if committed else {}
        return {
            f"{tp.topic}[{tp.partition}]": max(0, ends[tp] - max(meta.offset, 0))
            for tp, meta in committed.items()
        }

    async def close(self) -> None:
        for client in (self._consumer, self._admin):
            if client is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(
                        client.stop() if isinstance(client, AIOKafkaConsumer) else client.close(),
                        10,
                    )
        self._admin = self._consumer = None
