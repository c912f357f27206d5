"""`make up`'s demo data, loaded through the services' APIs by a demo assessor signed in at the
provider, once however often it runs; a demo person then signs in and sees their award."""

import httpx
import pytest
from devstack.demo import DEMO_PEOPLE, load_demo
from devstack.drive import eventually
from devstack.signin import sign_in

pytestmark = pytest.mark.e2e


async def test_the_demo_loads_once_as_an_assessor_and_margaret_sees_her_award(platform) -> None:
    urls = {name: platform.url(name) for name in platform.ports}
    first = await load_demo(urls, platform.tokens)
    assert await load_demo(urls, platform.tokens) == first  # nothing opened twice
    assert [p["nino"] for p in first] == [p.nino for p in DEMO_PEOPLE]
    margaret = first[0]["person_id"]
    cases = await platform.get("assessment", f"/cases?person_id={margaret}")
    assert len(cases["cases"]) == 1
    detail = await platform.get("assessment", f"/cases/{cases['cases'][0]['case_id']}")
    assert {a["assessor_id"] for a in detail["assessments"]} == {"urn:carebenefit:staff:asha-patel"}
    await eventually(lambda: platform.get("payments", f"/people/{margaret}/payments"))
    async with httpx.AsyncClient(timeout=30) as browser:
        page = await sign_in(
            browser, platform.url("portal") + "/sign-in", "margaret.okafor@example.com"
        )
    assert page.url.path == "/account" and "Your Care Benefit" in page.text
