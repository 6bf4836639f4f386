"""The fetcher's settings, read like every other service's (flag, then environment, then default).

Field ``fetch_allow_networks`` is the variable ``LAUNCHWATCH_FETCH_ALLOW_NETWORKS``
and so on: the names are part of the contract that compose files, Kubernetes
manifests and the acceptance checks rely on.
"""

from __future__ import annotations

import dataclasses

from services.runtime.settings import setting

DEFAULT_USER_AGENT = "launchwatch/0.1 (+https://github.com/launchwatch/launchwatch)"
"""Honest: names the software and where its operators can be reached."""


@dataclasses.dataclass(frozen=True)
class FetcherSettings:
    """What the fetcher's network core can be told."""

    fetch_allow_networks: str = setting(
        "",
        "comma-separated CIDRs the fetcher may reach although they are loopback or private",
    )
    fetch_user_agent: str = setting(
        DEFAULT_USER_AGENT, "User-Agent of every request; keep a contact URL in it"
    )
    fetch_connect_timeout_s: float = setting(10.0, "TCP and TLS connect timeout")
    fetch_read_timeout_s: float = setting(20.0, "longest wait for the next bytes of a response")
    fetch_total_timeout_s: float = setting(
        60.0, "longest time for a whole download, redirects included"
    )
    fetch_max_redirects: int = setting(5, "redirect hops followed before giving up")
    fetch_feed_max_bytes: int = setting(
        5 * 1024 * 1024, "cap on a decoded feed body; larger feeds are refused"
    )
    fetch_page_max_bytes: int = setting(
        5 * 1024 * 1024, "cap on a decoded article page; larger pages are refused"
    )
    fetch_retry_after_max_s: float = setting(
        6 * 3600.0, "longest Retry-After honoured; a server asking for more gets this"
    )
    fetch_concurrency: int = setting(64, "requests in flight in one process")
    fetch_host_concurrency: int = setting(
        2, "requests in flight per host; a host is its registrable domain (public-suffix aware)"
    )
    fetch_host_interval_s: float = setting(
        1.0,
        "minimum spacing between request starts to one host (registrable domain; 0 = none)",
    )
    fetch_address_concurrency: int = setting(
        8, "requests in flight per resolved IP address, whatever the names that lead there"
    )
    fetch_trust_proxy: bool = setting(
        False,
        "send requests through the proxy of HTTP_PROXY/HTTPS_PROXY/ALL_PROXY; otherwise a "
        "request that such a variable would route through a proxy is refused (status blocked)",
    )
    fetch_poll_max_entries: int = setting(
        100, "new entries taken from one poll; the rest are taken by the next poll, soon after"
    )
    fetch_download_concurrency: int = setting(
        16, "article pages downloaded (and so held in memory) at once in one process"
    )
    fetch_feed_page_concurrency: int = setting(4, "article pages of one feed downloaded at once")
    fetch_seen_max_bytes: int = setting(
        128 * 1024, "size of the entry ids a feed's state remembers (oldest forgotten first)"
    )
    feed_parse_timeout_s: float = setting(
        20.0, "time limit for parsing one feed body in its worker process"
    )
    feed_parse_memory_mb: int = setting(
        512, "address-space limit of the feed-parsing worker process"
    )
    fetch_robots: bool = setting(True, "honour robots.txt for article pages")
    fetch_robots_ttl_s: float = setting(3600.0, "how long a host's robots.txt is trusted")
    poll_min_s: float = setting(60.0, "floor of a feed's poll interval")
    poll_max_s: float = setting(3600.0, "ceiling of a feed's poll interval")
    poll_failure_max_s: float = setting(
        6 * 3600.0, "ceiling of the back-off after failures (feeds are never given up)"
    )
    feed_redirect_grace_s: float = setting(
        7 * 86400.0, "how long a permanent redirect must hold before the feed URL moves"
    )
    feed_gone_grace_s: float = setting(
        7 * 86400.0, "how long a feed must answer 404/410 before it is marked gone"
    )
    websub_callback_url: str = setting(
        "",
        "public URL of the fetcher's WebSub callback, served on its HTTP port under this URL's "
        "path (the feed id is appended); empty: no push, polling only",
    )
    websub_lease_s: int = setting(
        10 * 86400, "lease asked of WebSub hubs; renewed when 80 % of the granted lease has passed"
    )
    websub_poll_interval_s: float = setting(
        1800.0,
        "poll interval of a feed while its WebSub subscription is live (polling stays the "
        "safety net); never below the feed's own interval",
    )
