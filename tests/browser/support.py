"""A browser journey: navigate, fill, submit, and run axe-core on every page reached."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaProducer
from contracts.envelope import headers_for
from devstack.signin import DEMO_PASSWORD
from playwright.async_api import Page

AXE = (
    Path(__file__).resolve().parents[2]
    / "services"
    / "portal"
    / "node_modules"
    / "axe-core"
    / "axe.min.js"
)
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"serious", "critical"}


_FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return "";
  const label = e.labels && e.labels.length ? e.labels[0].innerText : "";
  return [e.innerText, e.value, e.getAttribute("aria-label"), label].filter(Boolean).join(" ");
}"""


class AccessibilityViolations(AssertionError):
    pass


@dataclass
class Journey:
    page: Page
    base_url: str
    visited: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("framenavigated", self._navigated)

    def _navigated(self, frame: Any) -> None:
        if frame == self.page.main_frame:
            self.visited.append(frame.url)

    async def goto(self, path: str) -> Page:
        await self.page.goto(self.base_url + path)
        await self.check()
        return self.page

    async def click(self, name: str, *, role: str = "button", exact: bool = True) -> Page:
        """Clicks a button or link by its accessible name, then checks the page it leads to."""
        async with self.page.expect_navigation():
            await self.page.get_by_role(role, name=name, exact=exact).click()
        await self.check()
        return self.page

    async def fill(self, label: str, value: str = "", *, exact: bool = True) -> None:
        """Fills the field labelled `label` (exact=False: a label that also holds a caption)."""
        await self.page.get_by_label(label, exact=exact).fill(value)

    async def fill_date(self, iso: str) -> None:
        """Fills a GOV.UK date input (Day, Month, Year) with a date like 2025-06-02."""
        year, month, day = iso.split("-")
        await self.fill("Day", str(int(day)))
        await self.fill("Month", str(int(month)))
        await self.fill("Year", year)

    async def sign_in(self, username: str, password: str = DEMO_PASSWORD) -> Page:
        """From the start page through the provider's form to the person's home."""
        await self.goto("/")
        await self.click("Sign in", role="button")
        await self.fill("Email address", username)
        await self.fill("Password", password)
        return await self.click("Continue")

    async def tab_to(self, name: str, limit: int = 80) -> str:
        """Presses Tab until the focused element's text, value or label contains `name`."""
        for _ in range(limit):
            await self.page.keyboard.press("Tab")
            focused = await self.page.evaluate(_FOCUSED)
            if name in focused:
                return focused
        raise AssertionError(f"Tab never reached {name!r} on {self.page.url}")

    async def enter(self) -> Page:
        """Presses Enter on the focused control and checks the page it leads to."""
        async with self.page.expect_navigation():
            await self.page.keyboard.press("Enter")
        await self.check()
        return self.page

    async def heading(self) -> str:
        return await self.page.locator("h1").first.inner_text()

    async def check(self) -> list[dict[str, Any]]:
        """axe-core on the page as it is now; raises on serious or critical violations."""
        await self.page.wait_for_load_state("load")
        return await self.run_axe(self.page)

    async def run_axe(self, tab: Page) -> list[dict[str, Any]]:
        """axe-core in `tab` (the journey's page, or a copy of it), counted as a check of the
        journey's page; raises on serious or critical violations."""
        result = await tab.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
            WCAG_22_AA,
        )
        self.checked.append(self.page.url)
        blocking = [v for v in result["violations"] if v["impact"] in BLOCKING]
        if blocking:
            raise AccessibilityViolations(describe_violations(self.page.url, blocking))
        return result["violations"]

    def assert_every_page_checked(self) -> None:
        unchecked = [url for url in self.visited if url not in self.checked]
        assert not unchecked, f"pages visited but never checked with axe: {unchecked}"

    async def title(self) -> str:
        return await self.page.title()

    async def text(self, selector: str = "main") -> str:
        return await self.page.locator(selector).inner_text()


def describe_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe-core found {len(violations)} serious/critical violation(s) on {url}:"]
    for v in violations:
        targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} at {targets}")
    return "\n".join(lines)


async def publish_as(infra: Any, principal: str, topic: str, event: Any) -> None:
    """`event` on `topic` as a service publishes it (its own Kafka principal and headers): for
    a state the journey needs that no page makes, such as a care plan's split."""
    producer = AIOKafkaProducer(**infra.kafka_options(principal), enable_idempotence=True)
    await producer.start()
    try:
        headers = [(k, v.encode()) for k, v in headers_for(event).items()]
        await producer.send_and_wait(
            topic, event.to_json_bytes(), key=event.subject.encode(), headers=headers
        )
    finally:
        await producer.stop()
