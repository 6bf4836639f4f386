"""The subscription request (WebSub §5.1): a form POST to the hub, through the guarded client.

The hub's URL comes from a stranger's feed, so the request goes through the
same `Fetcher` as every poll: only public addresses (or the allowed networks),
checked on the connection itself, politeness per site, time limits. The hub
answers 202 Accepted and verifies the intent later by calling the callback.
"""

from __future__ import annotations

from schemas.feeds import WebSubSubscription
from services.fetcher.http import Fetcher

ANSWER_MAX_BYTES = 64 * 1024


async def ask(
    client: Fetcher, sub: WebSubSubscription, *, lease_s: int, mode: str = "subscribe"
) -> str | None:
    """Send the request; None when the hub accepted it, else why not.

    A lease and a secret are asked for only when subscribing (§5.1): an
    unsubscription names the callback and the topic, nothing more.
    """
    form = {"hub.callback": sub.callback, "hub.mode": mode, "hub.topic": sub.topic}
    if mode == "subscribe":
        form |= {"hub.lease_seconds": str(lease_s), "hub.secret": sub.secret}
    result = await client.fetch(sub.hub, form=form, max_bytes=ANSWER_MAX_BYTES, accept="*/*")
    if result.ok and result.http_status is not None and 200 <= result.http_status < 300:
        return None
    reason = result.error or f"HTTP {result.http_status}"
    return f"the hub refused the {mode} request: {reason}"
