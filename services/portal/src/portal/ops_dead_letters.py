"""National operations act on dead letters: browse every service's, read one with its record
(headers and the pretty-printed payload, read from the dead-letter topic), replay one or many
to the original topic with the same event id, discard with a reason, and see each replay's
outcome. The services record and audit each order (servicekit.ops_api); the portal, as the
`operations` Kafka principal, reads and publishes the records (servicekit.replay)."""

import json
from typing import Annotated, Any

from contracts.api.operations import (
    DeadLettersView,
    DeadLetterView,
    DiscardedView,
    ReplayOutcomesView,
    ReplayRequestedView,
)
from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response
from servicekit.replay import DeadLetterTopics, StoredRecord

from portal.access import staff_with
from portal.clients import ServiceUnavailable
from portal.ops_services import SERVICES, each_service
from portal.security import check_csrf
from portal.sessions import SignedIn
from portal.web import render

router = APIRouter()
Operator = Annotated[SignedIn, Depends(staff_with("operations"))]
STATES = {"open": "Open", "resolved": "Replayed or discarded", "all": "All"}


class BadOrder(Exception):
    """What the operator asked for cannot be done as asked (answered 400, naming why)."""


def _topics(request: Request) -> DeadLetterTopics:
    return DeadLetterTopics(request.app.state.settings.kafka_client_options())


@router.get("/ops/dead-letters", response_model=None)
async def dead_letters(
    request: Request,
    user: Operator,
    state: str = Query("open", pattern="^(open|resolved|all)$"),
    service: str = "",
    topic: str = "",
    error_class: str = "",
) -> Response:
    filters = {k: v for k, v in (("topic", topic), ("error_class", error_class)) if v}
    clients = request.app.state.clients

    async def read(name: str, token: str) -> DeadLettersView | None:
        if service and name != service:
            return None
        path = "/ops/dead-letters"
        return await clients.read(name, path, DeadLettersView, token=token, state=state, **filters)

    views, down = await each_service(request, user, read)
    rows = [(name, d) for name, view in views.items() if view for d in view.dead_letters]
    rows.sort(key=lambda row: row[1].dead_lettered_at, reverse=True)
    return render(
        request,
        "ops_dead_letters.html",
        title="Dead letters",
        rows=rows,
        open_counts={name: view.open for name, view in views.items() if view},
        down=down,
        state=state,
        states=STATES,
        service=service,
        services=SERVICES,
        topic=topic,
        error_class=error_class,
    )


@router.get("/ops/dead-letters/{service}/{dead_letter_id}", response_model=None)
async def dead_letter(
    request: Request, user: Operator, service: str, dead_letter_id: int
) -> Response:
    if service not in SERVICES:
        return render(
            request, "error.html", 404, title="Page not found", message="No such service."
        )
    token = await request.app.state.service_tokens.for_user(user, service)
    try:
        letter = await request.app.state.clients.read(
            service, f"/ops/dead-letters/{dead_letter_id}", DeadLetterView, token=token
        )
    except ServiceUnavailable:
        return render(
            request, "ops_dead_letter.html", title="Dead letter", service=service, letter=None,
            down=True, dead_letter_id=dead_letter_id,
        )  # fmt: skip
    if letter is None:
        return render(
            request, "error.html", 404, title="Page not found", message="No such dead letter."
        )
    record, record_error = await _record(request, letter)
    return render(
        request,
        "ops_dead_letter.html",
        title=f"Dead letter {dead_letter_id}",
        service=service,
        letter=letter,
        record=record,
        payload=_pretty(record.value) if record else None,
        record_error=record_error,
        down=False,
        dead_letter_id=dead_letter_id,
    )


async def _record(request: Request, letter: DeadLetterView) -> tuple[StoredRecord | None, str]:
    if letter.dlq_offset is None or letter.dlq_partition is None:
        return None, "Its place on the dead-letter topic was not recorded (dead-lettered earlier)."
    try:
        record = await _topics(request).read(
            letter.dlq_topic, letter.dlq_partition, letter.dlq_offset
        )
    except Exception as exc:  # the page still renders when Kafka is down
        return None, f"Could not read {letter.dlq_topic}: Kafka unreachable ({type(exc).__name__})."
    if record is None:
        return None, f"{letter.dlq_topic} no longer holds this record (retention)."
    return record, ""


def _pretty(value: bytes) -> str:
    try:
        return json.dumps(json.loads(value), indent=2, ensure_ascii=False, sort_keys=True)
    except ValueError:
        return value.decode("utf-8", "replace")


def _selected(values: list[str]) -> dict[str, list[int]]:
    """`service:id` checkbox values, grouped by service."""
    chosen: dict[str, list[int]] = {}
    for value in values:
        service, _, number = value.partition(":")
        if service not in SERVICES or not number.isdigit():
            raise BadOrder(f"{value!r} does not name a dead letter")
        chosen.setdefault(service, []).append(int(number))
    return chosen


@router.post("/ops/dead-letters/actions", response_model=None, dependencies=[Depends(check_csrf)])
async def act(
    request: Request,
    user: Operator,
    action: Annotated[str, Form(pattern="^(replay|replay_matching|discard)$")],
    selected: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI reads it, never mutated)
    reason: Annotated[str, Form()] = "",
    service: Annotated[str, Form()] = "",
    topic: Annotated[str, Form()] = "",
    error_class: Annotated[str, Form()] = "",
) -> Response:
    try:
        if action == "discard":
            return await _discard(request, user, _selected(selected), reason.strip())
        if action == "replay_matching":
            if service not in SERVICES:
                raise BadOrder("Choose a service to replay every open dead letter matching")
            filters = {k: v for k, v in (("topic", topic), ("error_class", error_class)) if v}
            return await _replay(request, user, {service: filters})
        chosen = _selected(selected)
        if not chosen:
            raise BadOrder("Select at least one dead letter to replay")
        return await _replay(request, user, {s: {"ids": ids} for s, ids in chosen.items()})
    except BadOrder as problem:
        return render(request, "error.html", 400, title="Cannot do that", message=str(problem))


async def _replay(request: Request, user: SignedIn, orders: dict[str, dict]) -> Response:
    clients, tokens = request.app.state.clients, request.app.state.service_tokens
    results: list[dict[str, Any]] = []
    for service, selection in orders.items():
        token = await tokens.for_user(user, service)
        try:
            status, answer = await clients.post(
                service, "/ops/dead-letters/replays", selection, token
            )
        except ServiceUnavailable:
            results.append({"service": service, "error": f"{service} is not answering"})
            continue
        if status != 200:
            results.append({"service": service, "error": f"{service} refused: {answer}"})
            continue
        requested = ReplayRequestedView.model_validate(answer)
        try:
            published = await _topics(request).publish(requested.orders)
        except Exception as exc:
            published = {
                o.dead_letter_id: f"not published: Kafka unreachable ({type(exc).__name__})"
                for o in requested.orders
            }
        results.append({"service": service, "requested": requested, "published": published})
    batches = [r["requested"].batch for r in results if "requested" in r]
    return render(
        request, "ops_replay.html", title="Replay ordered", results=results, batches=batches,
        outcomes=None,
    )  # fmt: skip


async def _discard(
    request: Request, user: SignedIn, chosen: dict[str, list[int]], reason: str
) -> Response:
    if not chosen:
        raise BadOrder("Select at least one dead letter to discard")
    if len(reason) < 3:
        raise BadOrder("Give the reason for discarding (at least 3 characters)")
    clients, tokens = request.app.state.clients, request.app.state.service_tokens
    results = []
    for service, ids in chosen.items():
        body = {"ids": ids, "reason": reason[:500]}
        token = await tokens.for_user(user, service)
        try:
            status, answer = await clients.post(service, "/ops/dead-letters/discard", body, token)
        except ServiceUnavailable:
            results.append({"service": service, "error": f"{service} is not answering"})
            continue
        if status != 200:
            results.append({"service": service, "error": f"{service} refused: {answer}"})
            continue
        results.append({"service": service, "done": DiscardedView.model_validate(answer)})
    return render(request, "ops_discarded.html", title="Discarded", results=results, reason=reason)


@router.get("/ops/replays", response_model=None)
async def replays(
    request: Request, user: Operator, batch: Annotated[list[str], Query()]
) -> Response:
    """What every service's consumers did with the replayed records (each topic's consumers are
    in several services: the others' inboxes absorb what they had applied already)."""
    batches = [b for b in batch if b.startswith("rp-") and len(b) < 40][:20]
    clients = request.app.state.clients

    async def read(service: str, token: str) -> list:
        views = [
            await clients.read(service, f"/ops/replays/{b}", ReplayOutcomesView, token=token)
            for b in batches
        ]
        return [o for v in views if v for o in v.outcomes]

    found, down = await each_service(request, user, read)
    outcomes = sorted(
        ((service, o) for service, rows in found.items() for o in rows), key=lambda r: r[1].at
    )
    return render(
        request, "ops_replay.html", title="Replay outcomes", results=None, batches=batches,
        outcomes=outcomes, down=down,
    )  # fmt: skip
