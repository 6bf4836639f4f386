"""The fetcher's own metrics, beside the runtime's."""

from __future__ import annotations

from prometheus_client import Counter, Gauge

POLLS = Counter("launchwatch_feed_polls", "Feed polls, by the status they ended with.", ["status"])
NEW_ENTRIES = Counter("launchwatch_feed_new_entries", "New feed entries found.")
DUPLICATES = Counter(
    "launchwatch_articles_deduplicated",
    "Articles not emitted again because another feed already brought them.",
)
FEEDS_OWNED = Gauge("launchwatch_feeds_owned", "Feeds this replica polls.")
FEEDS_STALE = Gauge(
    "launchwatch_feeds_stale", "Owned feeds without a successful poll for longer than expected."
)
