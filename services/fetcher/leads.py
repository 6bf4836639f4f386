"""A poll result as records: one lead per new entry, keyed by article id, and the feed's state.

Polls and WebSub deliveries both end here, so an entry leads to the same
record whichever way it came, and the claim stage decides once per article.
"""

from __future__ import annotations

from datetime import datetime

import msgspec

from schemas import FeedState, FeedSubscription, Message, topic_for
from schemas.feeds import ArticleLead
from services.fetcher.downloads import RECORD_HEADROOM_BYTES
from services.fetcher.poll import PollResult, article_key


def leads_for(
    result: PollResult, feed: FeedSubscription, now: datetime
) -> tuple[list[Message], FeedState]:
    """The leads of a poll's new entries, and the state that records them.

    An entry whose lead would be over ``fetcher.leads``' record limit is not
    written; its id is listed in the state's `too_large_entry_ids` instead.
    """
    limit = topic_for(ArticleLead).max_message_bytes - RECORD_HEADROOM_BYTES
    leads: list[Message] = []
    too_large: list[str] = []
    for entry in result.entries:
        lead = ArticleLead(
            article_id=article_key(entry, feed.feed_id),
            feed_id=feed.feed_id,
            feed_url=feed.url,
            entry=entry,
            found_at=now,
        )
        if len(msgspec.json.encode(lead)) > limit:
            too_large.append(entry.entry_id)
        else:
            leads.append(lead)
    recorded = [entry.entry_id for entry in result.entries]
    return leads, result.state_after(recorded, too_large)
