"""Serving an ASGI app with uvicorn inside the caller's event loop (tests, local stand-ins)."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import uvicorn


@contextlib.asynccontextmanager
async def serving(
    app: Any, port: int, host: str = "127.0.0.1", lifespan: str = "off"
) -> AsyncIterator[str]:
    """Serve `app` until the block ends; yields its URL."""
    server = uvicorn.Server(
        uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan=lifespan)
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        await task
