"""The misbehaving site and a fetcher allowed to reach it (127.0.0.1 only) with short limits."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio

from services.fetcher.http import Fetcher
from services.fetcher.settings import FetcherSettings
from tests.fetcher_site import FetcherSite

TEST_SETTINGS = FetcherSettings(
    fetch_allow_networks="127.0.0.1/32",
    fetch_connect_timeout_s=2.0,
    fetch_read_timeout_s=1.0,
    fetch_total_timeout_s=20.0,
    fetch_feed_max_bytes=1024 * 1024,
    fetch_page_max_bytes=1024 * 1024,
    fetch_max_redirects=5,
    fetch_retry_after_max_s=3600.0,
)

_PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """The site is local: a proxy from the test machine's environment must not get in between."""
    for name in _PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


@pytest.fixture
def site() -> Iterator[FetcherSite]:
    with FetcherSite() as running:
        yield running


@pytest_asyncio.fixture
async def client() -> AsyncIterator[Fetcher]:
    async with Fetcher(TEST_SETTINGS) as fetcher:
        yield fetcher
