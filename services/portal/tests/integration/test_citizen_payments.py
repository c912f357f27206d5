"""The person's payments page shows what they still owe: an overpayment, and a contribution to
the care their providers were paid for when their award fell short (payments' read model)."""

import pytest

from .conftest import CITIZEN_ONE, FakeServices


class Owing(FakeServices):
    def __init__(self, **owed) -> None:
        super().__init__()
        self.owed = owed

    async def get(self, service: str, path: str, *args, **kwargs):
        found = await super().get(service, path, *args, **kwargs)
        if path.endswith("/payments") and found is not None:
            return {**found, **self.owed}
        return found


@pytest.mark.parametrize("contribution", [12_827, 0])
async def test_the_payments_page_shows_a_contribution_outstanding(
    start_portal, contribution
) -> None:
    async with start_portal(Owing(contribution_outstanding_pence=contribution)) as portal:
        await portal.sign_in(CITIZEN_ONE)
        page = await portal.http.get("/payments")
    assert page.status_code == 200
    shown = "Contribution outstanding" in page.text
    assert shown == bool(contribution)
    if contribution:
        assert "You owe £128.27 towards the care your providers gave you" in page.text
