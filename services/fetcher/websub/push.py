"""A pushed feed document read as a poll result: same parser, same entry identity, same state rules.

A delivery is the feed document (or the part of it with the new entries)
that the publisher gave its hub. It goes through exactly what a polled body
goes through: the hostile-XML refusal and the parser in the worker process
(the delivery was capped at ``fetch_feed_max_bytes`` when it arrived), the
entry identity and the remembered ids (`entries.select_new`), the cap on
entries taken at once. The state it leads to records the entries, so the next
poll finds them already seen; the feed's validators, body hash and schedule are
the poll's and stay as they were. A delivery that does not parse changes
nothing: the next poll reads the feed itself.
"""

from __future__ import annotations

import logging
from datetime import datetime

import httpx
import msgspec

from schemas.feeds import FeedState, WebSubEvent
from schemas.vocabulary import FeedStatus
from services.fetcher.entries import select_new
from services.fetcher.feeds import FeedParseError
from services.fetcher.http import FetchResult
from services.fetcher.poll import FeedParser, PollResult
from services.fetcher.settings import FetcherSettings

log = logging.getLogger(__name__)


async def push_result(
    event: WebSubEvent,
    state: FeedState,
    *,
    parse: FeedParser,
    settings: FetcherSettings,
    now: datetime,
) -> PollResult | None:
    """The poll result `event`'s document amounts to; None when it is not a usable feed."""
    body = event.body or b""
    headers = {"content-type": event.content_type or ""} if event.content_type else {}
    try:
        parsed = await parse(body, headers, state.url)
    except FeedParseError as error:
        log.warning("ignoring a WebSub delivery for %s: %s", state.url, error)
        return None
    entries, deferred, seen = select_new(parsed.entries, state, settings)
    next_state = msgspec.structs.replace(
        state,
        seen_entry_ids=seen,
        last_new_entry_at=now if entries else state.last_new_entry_at,
        updated_at=now,
    )
    delivery = FetchResult(
        url=state.url,
        final_url=state.url,
        status=FeedStatus.OK,
        http_status=None,
        headers=httpx.Headers(headers),
        body=body,
    )
    return PollResult(
        state=next_state,
        entries=tuple(entries),
        fetch=delivery,
        feed_title=parsed.title,
        problem=parsed.problem,
        deferred=deferred,
        prior=state,
        seen_max_bytes=settings.fetch_seen_max_bytes,
        floor_s=settings.poll_min_s,
        parsed=True,
        hubs=parsed.hubs,
        self_url=parsed.self_url,
    )
