"""National operations' read and act API on a service's dead letters (every kit-built service):
browse them, order a replay of one or many, discard with a reason, read what a replay became.

The service does not publish a replay itself: its principal may not write the topics it reads.
`POST /ops/dead-letters/replays` records the operator's order (audited) and answers where each
record is on the dead-letter topic with the replay's id; the portal, as the `operations`
principal, reads the record there and publishes it again (servicekit.replay says how). The
consumers note what it became (servicekit.deliveries), read at `GET /ops/replays/{batch}`.
"""

import uuid
from collections.abc import Callable, Sequence
from typing import Annotated, Any

import asyncpg
from contracts.api.operations import (
    DeadLetterActionView,
    DeadLettersView,
    DeadLetterView,
    DiscardedView,
    DuplicatesView,
    FlowSeriesView,
    FlowsView,
    JourneyConsumedView,
    JourneyEventView,
    JourneyView,
    ReplayOrderView,
    ReplayOutcomesView,
    ReplayOutcomeView,
    ReplayRequestedView,
    StuckCasesView,
    StuckCaseView,
    StuckListView,
)
from contracts.topics import dead_letter
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field

from servicekit import stuck
from servicekit.auth import Principal, authenticated
from servicekit.deliveries import duplicates_summary, replay_outcomes
from servicekit.outbox import pending_summary

Operator = Annotated[str, Field(min_length=1, max_length=200)]
Caller = Annotated[Principal, Depends(authenticated)]
"""The operator: checked once per request by the router's policy, so this costs nothing more."""
Ids = Annotated[list[int], Field(max_length=1000)]
State = Query("open", pattern="^(open|resolved|all)$")
_STATES = {"open": "resolution IS NULL", "resolved": "resolution IS NOT NULL", "all": "true"}
_COLUMNS = (
    'id, consumer, topic, partition, "offset", event_id, event_type, error_class, reason,'
    " attempts, dead_lettered_at, published_at, dlq_partition, dlq_offset, replay_of,"
    " resolution, resolved_at, resolved_by, resolution_reason"
)


class Selection(BaseModel):
    """Dead letters by id, or every open one matching all the filters given."""

    ids: Ids | None = None
    topic: str | None = None
    error_class: str | None = None
    event_type: str | None = None


class ReplayOrder(Selection):
    operator: Operator
    """Who orders it: the subject of the caller's token, never the request body."""


class DiscardRequest(BaseModel):
    ids: Annotated[list[int], Field(min_length=1, max_length=1000)]
    reason: Annotated[str, Field(min_length=3, max_length=500)]


class DiscardOrder(DiscardRequest):
    operator: Operator


def ops_router(
    runtime_of: Callable[[Request], Any],
    dependencies: list[Any],
    stuck_lists: Sequence[stuck.StuckList] = (),
) -> APIRouter:
    """`dependencies`: the access policy every route here declares (national operations);
    `stuck_lists`: the service's (servicekit.stuck)."""
    router = APIRouter(tags=["operations"], dependencies=dependencies)

    @router.get("/ops/flows", response_model=FlowsView)
    async def flows(request: Request) -> FlowsView:
        return await flows_of(runtime_of(request))

    @router.get("/ops/journey", response_model=JourneyView)
    async def journey(
        request: Request,
        person: str | None = Query(None, max_length=100),
        correlation: str | None = Query(None, max_length=200),
        event: list[str] = Query([], max_length=1000),
    ) -> JourneyView:
        """The events produced about `person` or in the flow `correlation`, and when this
        service's consumers applied (or dead-lettered) them and the `event` ids given."""
        if not (person or correlation):
            raise HTTPException(422, "name a person or a correlation id")
        runtime = runtime_of(request)
        return await journey_of(runtime.pool, runtime.name, person, correlation, event)

    @router.get("/ops/stuck", response_model=StuckCasesView)
    async def stuck_cases(request: Request) -> StuckCasesView:
        """Each list given its threshold as `?<name>=<number of its unit>` (0 to 100000)."""
        runtime, lists = runtime_of(request), []
        for declared in stuck_lists:
            given = request.query_params.get(declared.name, "")
            if not given.isdigit() or int(given) > 100_000:
                continue
            count, cases = await stuck.run(runtime.pool, declared, int(given))
            lists.append(
                StuckListView(
                    name=declared.name, title=declared.title, threshold=int(given),
                    unit=declared.unit, more=count > len(cases),
                    cases=[StuckCaseView(**c) for c in cases],
                )
            )  # fmt: skip
        return StuckCasesView(service=runtime.name, lists=lists)

    @router.get("/ops/dead-letters", response_model=DeadLettersView)
    async def dead_letters(
        request: Request,
        state: str = State,
        topic: str | None = None,
        error_class: str | None = None,
        event_type: str | None = None,
        limit: int = Query(100, ge=1, le=1000),
    ) -> DeadLettersView:
        runtime = runtime_of(request)
        where, args = _filters(_STATES[state], topic, error_class, event_type)
        rows = await runtime.pool.fetch(
            f"SELECT {_COLUMNS} FROM dead_letters WHERE {where}"  # noqa: S608 (fixed fragments)
            f" ORDER BY id DESC LIMIT ${len(args) + 1}",
            *args, limit,
        )  # fmt: skip
        open_count = await runtime.pool.fetchval(
            "SELECT count(*) FROM dead_letters WHERE resolution IS NULL"
        )
        return DeadLettersView(
            consumer=runtime.name, open=open_count, dead_letters=[_view(r) for r in rows]
        )

    @router.get("/ops/dead-letters/{dead_letter_id}", response_model=DeadLetterView)
    async def one(request: Request, dead_letter_id: int) -> DeadLetterView:
        pool = runtime_of(request).pool
        query = f"SELECT {_COLUMNS} FROM dead_letters WHERE id = $1"  # noqa: S608
        row = await pool.fetchrow(query, dead_letter_id)
        if row is None:
            raise HTTPException(404, "no such dead letter")
        actions = await pool.fetch(
            "SELECT action, operator, replay_id, reason, at FROM dead_letter_actions"
            " WHERE dead_letter_id = $1 ORDER BY id",
            dead_letter_id,
        )
        return _view(row, [DeadLetterActionView(**dict(a)) for a in actions])

    @router.post("/ops/dead-letters/replays", response_model=ReplayRequestedView)
    async def replay(request: Request, selection: Selection, who: Caller) -> ReplayRequestedView:
        order = ReplayOrder(**selection.model_dump(), operator=who.subject)
        return await order_replay(runtime_of(request).pool, order)

    @router.post("/ops/dead-letters/discard", response_model=DiscardedView)
    async def discard(request: Request, asked: DiscardRequest, who: Caller) -> DiscardedView:
        order = DiscardOrder(**asked.model_dump(), operator=who.subject)
        return await discard_dead_letters(runtime_of(request).pool, order)

    @router.get("/ops/replays/{batch}", response_model=ReplayOutcomesView)
    async def outcomes(request: Request, batch: str) -> ReplayOutcomesView:
        rows = await replay_outcomes(runtime_of(request).pool, batch)
        return ReplayOutcomesView(batch=batch, outcomes=[ReplayOutcomeView(**r) for r in rows])

    return router


MINUTES = 60


def _series(rows: list[asyncpg.Record], *keys: str) -> list[dict[str, Any]]:
    """Rows of (keys..., ago, n) as one 60-minute series per key, oldest minute first."""
    series: dict[tuple, list[int]] = {}
    for row in rows:
        counts = series.setdefault(tuple(row[k] for k in keys), [0] * MINUTES)
        if 0 <= row["ago"] < MINUTES:
            counts[MINUTES - 1 - row["ago"]] += row["n"]
    return [dict(zip(keys, key, strict=True), per_minute=c) for key, c in sorted(series.items())]


async def flows_of(runtime: Any) -> FlowsView:
    pool = runtime.pool
    ago = "floor(extract(epoch FROM now() - {0}) / 60)::int AS ago"
    published = await pool.fetch(
        f"SELECT topic, {ago.format('published_at')}, count(*) AS n FROM outbox"  # noqa: S608
        " WHERE published_at > now() - interval '60 minutes' GROUP BY 1, 2"
    )
    consumed = await pool.fetch(
        f"SELECT consumer, source, {ago.format('processed_at')}, count(*) AS n FROM inbox"  # noqa: S608
        " WHERE processed_at > now() - interval '60 minutes' GROUP BY 1, 2, 3"
    )
    outbox = await pending_summary(pool)
    open_letters = await pool.fetch(
        "SELECT consumer, count(*) AS n FROM dead_letters WHERE resolution IS NULL"
        " GROUP BY consumer"
    )
    return FlowsView(
        service=runtime.name,
        published=[FlowSeriesView(**s) for s in _series(published, "topic")],
        consumed=[FlowSeriesView(**s) for s in _series(consumed, "consumer", "source")],
        duplicates=[DuplicatesView(**d) for d in await duplicates_summary(pool)],
        dead_letters_open={r["consumer"]: r["n"] for r in open_letters},
        relay_leader=runtime.relay is not None and runtime.relay.is_leader,
        outbox_pending=outbox["pending"],
        outbox_oldest_pending_seconds=outbox["oldest_pending_seconds"],
    )


async def journey_of(
    pool: asyncpg.Pool,
    service: str,
    person: str | None,
    correlation: str | None,
    events: list[str],
) -> JourneyView:
    produced = await pool.fetch(
        "SELECT id::text AS event_id, type, topic, key AS subject,"
        " payload ->> 'correlationid' AS correlationid, payload ->> 'causationid' AS causationid,"
        " coalesce(headers ->> 'traceparent', payload ->> 'traceparent') AS traceparent,"
        " created_at, published_at FROM outbox"
        " WHERE key = $1"
        " OR payload ->> 'correlationid' = $2 ORDER BY position LIMIT 1000",
        person, correlation,
    )  # fmt: skip
    ids = [*events, *(r["event_id"] for r in produced)]
    applied = await pool.fetch(
        "SELECT consumer, event_id, processed_at AS at FROM inbox"
        " WHERE event_id = ANY($1::text[]) ORDER BY processed_at",
        ids,
    )
    failed = await pool.fetch(
        "SELECT consumer, event_id, dead_lettered_at AS at, id FROM dead_letters"
        " WHERE event_id = ANY($1::text[]) ORDER BY id",
        ids,
    )
    consumed = [JourneyConsumedView(**r, outcome="applied") for r in applied] + [
        JourneyConsumedView(
            consumer=r["consumer"], event_id=r["event_id"], at=r["at"],
            outcome="dead_lettered", dead_letter_id=r["id"],
        )
        for r in failed
    ]  # fmt: skip
    return JourneyView(
        service=service, produced=[JourneyEventView(**r) for r in produced], consumed=consumed
    )


def _filters(
    state: str, topic: str | None, error_class: str | None, event_type: str | None
) -> tuple[str, list[Any]]:
    clauses, args = [state], []
    given = (("topic", topic), ("error_class", error_class), ("event_type", event_type))
    for column, value in given:
        if value:
            args.append(value)
            clauses.append(f"{column} = ${len(args)}")
    return " AND ".join(clauses), args


def _view(row: asyncpg.Record, actions: list[DeadLetterActionView] | None = None) -> DeadLetterView:
    data = dict(row)
    return DeadLetterView(
        **data, dlq_topic=dead_letter(data["consumer"]).name, actions=actions or []
    )


async def _selected(conn: asyncpg.Connection, selection: Selection) -> list[asyncpg.Record]:
    if selection.ids is not None:
        return await conn.fetch(
            f"SELECT {_COLUMNS} FROM dead_letters WHERE id = ANY($1::bigint[]) ORDER BY id",  # noqa: S608
            selection.ids,
        )
    where, args = _filters(
        _STATES["open"], selection.topic, selection.error_class, selection.event_type
    )
    return await conn.fetch(
        f"SELECT {_COLUMNS} FROM dead_letters WHERE {where} ORDER BY id LIMIT 1000",  # noqa: S608
        *args,
    )


async def order_replay(pool: asyncpg.Pool, order: ReplayOrder) -> ReplayRequestedView:
    """One replay id per dead letter (`<batch>.<id>`), audited; discarded ones and those whose
    record's place on the topic is unknown are refused, with the reason."""
    batch = "rp-" + uuid.uuid4().hex[:16]
    async with pool.acquire() as conn, conn.transaction():
        rows = await _selected(conn, order)
        refused = _missing(order.ids, rows)
        orders = []
        for row in rows:
            if row["resolution"] == "discarded":
                refused[row["id"]] = "discarded"
            elif row["dlq_offset"] is None:
                refused[row["id"]] = "its record's place on the dead-letter topic is not known"
            else:
                orders.append(_order(batch, row))
        await conn.executemany(
            "INSERT INTO dead_letter_actions (dead_letter_id, action, operator, replay_id)"
            " VALUES ($1, 'replay', $2, $3)",
            [(o.dead_letter_id, order.operator, o.replay_id) for o in orders],
        )
    return ReplayRequestedView(batch=batch, orders=orders, refused=refused)


def _order(batch: str, row: asyncpg.Record) -> ReplayOrderView:
    return ReplayOrderView(
        dead_letter_id=row["id"],
        consumer=row["consumer"],
        replay_id=f"{batch}.{row['id']}",
        dlq_topic=dead_letter(row["consumer"]).name,
        dlq_partition=row["dlq_partition"],
        dlq_offset=row["dlq_offset"],
        topic=row["topic"],
        partition=row["partition"],
        prior_attempts=row["attempts"],
    )


def _missing(ids: list[int] | None, rows: list[asyncpg.Record]) -> dict[int, str]:
    found = {r["id"] for r in rows}
    return {i: "no such dead letter" for i in ids or () if i not in found}


async def discard_dead_letters(pool: asyncpg.Pool, order: DiscardOrder) -> DiscardedView:
    """The open ones among `order.ids` are discarded with the reason, each audited."""
    async with pool.acquire() as conn, conn.transaction():
        rows = await conn.fetch(
            f"SELECT {_COLUMNS} FROM dead_letters WHERE id = ANY($1::bigint[]) FOR UPDATE",  # noqa: S608
            order.ids,
        )
        refused = _missing(order.ids, rows)
        refused |= {r["id"]: f"already {r['resolution']}" for r in rows if r["resolution"]}
        ids = [r["id"] for r in rows if r["resolution"] is None]
        await conn.execute(
            "UPDATE dead_letters SET resolution = 'discarded', resolved_at = now(),"
            " resolved_by = $2, resolution_reason = $3 WHERE id = ANY($1::bigint[])",
            ids, order.operator, order.reason,
        )  # fmt: skip
        await conn.executemany(
            "INSERT INTO dead_letter_actions (dead_letter_id, action, operator, reason)"
            " VALUES ($1, 'discard', $2, $3)",
            [(i, order.operator, order.reason) for i in ids],
        )
    return DiscardedView(discarded=sorted(ids), refused=refused)
