"""Background jobs: the review sweep, every `review_interval_seconds`.

The kit starts each job once and supervises it; the job body is one plain use case call.
"""

import asyncio
import logging

from servicekit.service import Runtime
from servicekit.supervision import healthy

from care_plans.entrypoints.dependencies import Dependencies
from care_plans.service_layer.commands import RaiseReviewNotices
from care_plans.service_layer.reviews import raise_review_notices

log = logging.getLogger(__name__)


async def review_sweeps(runtime: Runtime) -> None:
    deps: Dependencies = runtime.deps
    while True:
        raised = await raise_review_notices(RaiseReviewNotices(deps.today()), deps.uow)
        if raised:
            log.info("review sweep raised %d notices", len(raised))
        healthy()
        await asyncio.sleep(runtime.settings.review_interval_seconds)
