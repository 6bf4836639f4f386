"""`launchwatch run web` on the real broker, driven in Debian's headless Chromium by Playwright.

Seed launches, reports and alerts are written to the topics before the service
starts (it rebuilds from them); one more launch is written while the page is
open and must appear without a reload. Screenshots go to
``build/test-artifacts/web/`` (git-ignored), for a person to look at.
"""

from __future__ import annotations

import asyncio
import shutil
import time
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import feedparser
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from schemas import EnrichedArticle, LaunchAlert, LaunchEvent, Message, MissileType, Place
from services.runtime import KafkaTransport
from tests.conftest import TEST_KAFKA_OPTIONS
from tests.integration.processes import ROOT, kafka_environment, running
from tests.kafka_broker import free_port
from tests.streams import Stream
from tests.unit.web.samples import alert, event, event_id, report

pytestmark = pytest.mark.kafka

ARTIFACTS = ROOT / "build" / "test-artifacts" / "web"
MUSUDAN = Place(name="Musudan-ri", latitude=40.85, longitude=129.67)
SEEDS: list[Message] = [
    event(1),
    event(2, location=MUSUDAN, launch_date=date(2025, 8, 23)),
    event(3, country="IR", missile_type=MissileType.CRUISE, location=None),
    report(1, "news.example", 2, "two ballistic missiles"),
    report(1, "wire.example", 3, "three missiles"),
    alert(1),
    alert(2),
    alert(3),
]


def write(bootstrap: str, prefix: str, messages: list[Message], *, create: bool = False) -> None:
    async def go() -> None:
        transport = KafkaTransport(bootstrap, TEST_KAFKA_OPTIONS)
        stream = Stream(transport, prefix=prefix)
        try:
            if create:
                await stream.create(LaunchEvent, LaunchAlert, EnrichedArticle, partitions=2)
            await stream.write(messages)
        finally:
            await transport.close()

    # In a thread of its own: Playwright's sync API keeps an event loop in this one.
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, go()).result()


def wait_ready(base: str, timeout_s: float = 90.0) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"{base} not ready within {timeout_s}s")
        time.sleep(0.25)


@pytest.fixture(scope="module")
def served(kafka_bootstrap: str) -> Iterator[tuple[str, str]]:
    """The web service on seeded topics: (base URL, topic prefix)."""
    prefix = f"w{uuid.uuid4().hex[:10]}."
    write(kafka_bootstrap, prefix, SEEDS, create=True)
    port = free_port()
    environment = kafka_environment(kafka_bootstrap, prefix, "unused", http_port=str(port))
    with running(["run", "web"], environment) as process:
        base = f"http://127.0.0.1:{port}"
        wait_ready(base)
        yield base, prefix
        assert process.poll() is None, "the web service died"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed (make tools)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def shot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def test_seed_launches_are_on_the_map_at_their_sites(served: tuple[str, str], page: Page) -> None:
    base, _ = served
    page.goto(base + "/")
    expect(
        page.get_by_role("heading", name="Missile and rocket launches in the news")
    ).to_be_visible()
    for number in (1, 2, 3):
        expect(page.locator(f"#event-{event_id(number)}")).to_be_visible()
    musudan = page.locator(f"#marker-{event_id(2)} circle.dot")
    assert musudan.get_attribute("cx") == f"{129.67 + 180:.2f}"
    assert musudan.get_attribute("cy") == f"{90 - 40.85:.2f}"
    assert page.locator(f"#marker-{event_id(3)} circle.doubt").count() == 1
    shot(page, "index")


def test_the_filters_narrow_the_list(served: tuple[str, str], page: Page) -> None:
    base, _ = served
    page.goto(base + "/")
    page.get_by_label("Country").select_option("IR")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**country=IR**")
    expect(page.locator("#events > li")).to_have_count(1)
    expect(page.locator(f"#event-{event_id(3)}")).to_be_visible()
    page.get_by_label("Country").select_option("")
    page.get_by_label("Type").select_option("ballistic")
    page.get_by_label("To").fill("2025-09-01")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#events > li")).to_have_count(1)
    expect(page.locator(f"#event-{event_id(2)}")).to_be_visible()


def test_a_launch_raised_while_the_page_is_open_appears_without_a_reload(
    served: tuple[str, str], page: Page, kafka_bootstrap: str
) -> None:
    base, prefix = served
    page.goto(base + "/")
    expect(page.locator("#events > li")).to_have_count(3)
    page.evaluate("window.stillThisPage = true")
    page.wait_for_timeout(500)  # the stream is open
    fresh = event(4, country="KP", location=Place(name="Sunan", latitude=39.2, longitude=125.67))
    write(kafka_bootstrap, prefix, [fresh, alert(4)])
    expect(page.locator(f"#event-{event_id(4)}")).to_be_visible(timeout=30_000)
    expect(page.locator(f"#marker-{event_id(4)}")).to_have_count(1)
    expect(page.locator("#live-status")).to_contain_text("New launch")
    assert page.evaluate("window.stillThisPage") is True
    shot(page, "live")


def test_the_event_page_lists_its_sources_and_claims(served: tuple[str, str], page: Page) -> None:
    base, _ = served
    page.goto(base + "/")
    page.locator(f"#event-{event_id(1)} a").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("North Korea")
    count_row = page.locator("#fact-count")
    expect(count_row).to_contain_text("sources disagree")
    expect(count_row).to_contain_text("news.example")
    expect(count_row).to_contain_text("three missiles")
    expect(page.get_by_role("link", name="Report 1 from wire.example")).to_be_visible()
    shot(page, "event")


def test_without_javascript_the_page_is_a_plain_list(
    served: tuple[str, str], browser: Browser
) -> None:
    base, _ = served
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base + "/")
        expect(page.locator("#events > li").first).to_be_visible()
        page.keyboard.press("Tab")
        expect(page.locator(".skip")).to_be_focused()
    finally:
        context.close()


def test_the_atom_feed_reads_back_with_its_alerts(served: tuple[str, str]) -> None:
    base, _ = served
    with urllib.request.urlopen(f"{base}/alerts.atom", timeout=5) as answer:
        feed = feedparser.parse(answer.read())
    assert not feed.bozo
    ids = {entry.id for entry in feed.entries}
    assert {f"urn:launchwatch:alert:{alert(n).alert_id}" for n in (1, 2, 3)} <= ids
    links = {entry.link for entry in feed.entries}
    assert f"{base}/events/{event_id(1)}" in links
