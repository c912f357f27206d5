"""The local Notify stub keeps Notify's promises: the status endpoint's shapes, receipts only
for emails and texts, retried every `callback_retry_s` (Notify: 5 minutes) up to 5 times on a
connection error, a 5xx or a 429, and never on another 4xx. Driven by the notifications
service's own Notify client, over real HTTP."""

import asyncio
import uuid

import httpx
import pytest
from devstack.notify_stub import DEV_API_KEY, DEV_CALLBACK_TOKEN, NotifyStub
from devstack.procs import free_ports
from devstack.serving import serving
from notifications.adapters.notify import NotifyClient, notify_jwt
from notifications.domain.channels import Channel
from notifications.service_layer.ports import Outgoing
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


class Receiver:
    """A callback URL that answers with the codes it is given, then 200."""

    def __init__(self, *codes: int) -> None:
        self.codes, self.received = list(codes), []
        self.app = Starlette(routes=[Route("/cb", self.receive, methods=["POST"])])

    async def receive(self, request: Request) -> JSONResponse:
        self.received.append((request.headers["authorization"], await request.json()))
        return JSONResponse({}, status_code=self.codes.pop(0) if self.codes else 200)


def outgoing(channel: Channel) -> Outgoing:
    personalisation = (
        {"address_line_1": "1 Road", "address_line_2": "Leeds", "address_line_3": "LS1 4AP"}
        if channel is Channel.LETTER
        else {}
    )
    return Outgoing(
        uuid.uuid4(),
        channel,
        "+447700900123",
        "review-due",
        "none",
        None,
        "Hi",
        personalisation,
        attempt=1,
    )


async def allowed() -> bool:
    return True


async def eventually(check, seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if check():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("not reached in time")


@pytest.fixture
async def stub_and_client():
    stub = NotifyStub(delivery_delay_s=0.01, callback_retry_s=0.05)
    async with serving(stub.app, free_ports(1)[0]) as url:
        client = NotifyClient(url, DEV_API_KEY, timeout=2.0)
        yield stub, client, url
        await client.aclose()
        await stub.close()


async def send(stub_and_client, channel: Channel = Channel.SMS) -> str:
    stub, client, _ = stub_and_client
    result = await client.send(outgoing(channel), allowed)
    assert result.accepted, result
    return result.provider_id


@pytest.mark.parametrize(
    ("codes", "outcomes"),
    [
        ((500, 503), [500, 503, 200]),
        ((429,), [429, 200]),
        ((400,), [400]),  # the service refused it: Notify does not retry
        ((500,) * 6, [500] * 6),  # the first try and 5 retries, then it is lost
    ],
)
async def test_receipts_are_retried_as_notify_retries_them(stub_and_client, codes, outcomes):
    stub, _, _ = stub_and_client
    receiver = Receiver(*codes)
    async with serving(receiver.app, free_ports(1)[0]) as url:
        stub.callback_url = f"{url}/cb"
        provider_id = await send(stub_and_client)
        await eventually(lambda: len(stub.callback_attempts) == len(outcomes))
        await asyncio.sleep(0.2)  # no more than that
    assert [o for _, o in stub.callback_attempts] == outcomes
    authorization, body = receiver.received[0]
    assert authorization == f"Bearer {DEV_CALLBACK_TOKEN}"
    assert (body["id"], body["status"], body["notification_type"]) == (
        provider_id,
        "delivered",
        "sms",
    )


async def test_an_unreachable_callback_url_is_tried_six_times(stub_and_client):
    stub, _, _ = stub_and_client
    stub.callback_url = f"http://127.0.0.1:{free_ports(1)[0]}/cb"
    await send(stub_and_client)
    await eventually(lambda: len(stub.callback_attempts) == 6)
    assert {o for _, o in stub.callback_attempts} == {"ConnectError"}


async def test_lost_receipts_are_never_sent_and_letters_get_none(stub_and_client):
    stub, client, _ = stub_and_client
    receiver = Receiver()
    async with serving(receiver.app, free_ports(1)[0]) as url:
        stub.callback_url = f"{url}/cb"
        stub.lose_callbacks(1)
        lost, kept = await send(stub_and_client), await send(stub_and_client)
        letter = await send(stub_and_client, Channel.LETTER)
        await eventually(lambda: len(receiver.received) == 1)
        await asyncio.sleep(0.1)
    assert stub.callbacks_lost == [lost] and receiver.received[0][1]["id"] == kept
    assert await client.status_of(letter) == "received" and len(receiver.received) == 1


async def test_the_status_of_one_message_as_notify_shows_it(stub_and_client):
    stub, client, url = stub_and_client
    stub.final_status = None  # never final
    provider_id = await send(stub_and_client)
    assert await client.status_of(provider_id) == "sending"
    assert await client.status_of(str(uuid.uuid4())) is None  # 404 NoResultFound
    headers = {"Authorization": f"Bearer {notify_jwt(DEV_API_KEY)}"}
    async with httpx.AsyncClient(base_url=url, headers=headers) as http:
        shown = (await http.get(f"/v2/notifications/{provider_id}")).json()
        assert (shown["phone_number"], shown["type"], shown["template"]["version"]) == (
            "+447700900123",
            "sms",
            1,
        )
        assert (await http.get("/v2/notifications/not-a-uuid")).status_code == 400
        refused = await http.get(f"/v2/notifications/{provider_id}", headers={"Authorization": ""})
        assert refused.status_code == 403
