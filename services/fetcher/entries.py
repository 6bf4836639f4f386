"""Which entries of a feed document are new, and which ids the feed's state remembers.

One rule for every way a feed document arrives, a poll or a WebSub push, so a
push and a later poll never take one entry twice: an entry is new when its
identity (`feeds.entry_identity`) is not among the remembered ids, an id whose
scheme alone differs (http or https) counting as the same. The remembered ids
are the last `SEEN_LIMIT` (never fewer than the document lists) within
``fetch_seen_max_bytes``; a document listing more ids than fit is read from its
newest entries down to what fits. At most ``fetch_poll_max_entries`` new
entries are taken at once, the newest first.
"""

from __future__ import annotations

from schemas.articles import FeedEntry
from schemas.feeds import FeedState
from services.fetcher.settings import FetcherSettings

SEEN_LIMIT = 500
"""Entry ids remembered per feed (at least as many as the feed lists, within the byte bound)."""


def select_new(
    entries: tuple[FeedEntry, ...], state: FeedState, settings: FetcherSettings
) -> tuple[list[FeedEntry], int, tuple[str, ...]]:
    """The new entries (oldest first, capped), how many were left over, and the ids to remember."""
    known = set(state.seen_entry_ids)
    readable = _readable(entries, settings.fetch_seen_max_bytes)
    oldest_first = list(reversed(readable))
    new_entries = [
        entry
        for entry in oldest_first
        if entry.entry_id not in known and _other_scheme(entry.entry_id) not in known
    ]
    cap = max(settings.fetch_poll_max_entries, 1)
    deferred = max(len(new_entries) - cap, 0)
    new_entries = new_entries[deferred:]  # the newest first: a launch is news now
    seen = _remembered(
        state.seen_entry_ids,
        [entry.entry_id for entry in oldest_first],
        settings.fetch_seen_max_bytes,
    )
    return new_entries, deferred, seen


def _id_bytes(entry_id: str) -> int:
    return len(entry_id.encode()) + 3  # quotes and a comma in the JSON state


def bounded(ids: list[str], max_bytes: int, limit: int = SEEN_LIMIT) -> tuple[str, ...]:
    """The newest ids (last), unique, at most `limit` of them and within `max_bytes`."""
    kept: list[str] = []
    size = 0
    unique = list(reversed(dict.fromkeys(reversed(ids))))  # last occurrence wins
    for entry_id in reversed(unique):
        size += _id_bytes(entry_id)
        if size > max_bytes or len(kept) >= limit:
            break
        kept.append(entry_id)
    return tuple(reversed(kept))


def _remembered(old: tuple[str, ...], current: list[str], max_bytes: int) -> tuple[str, ...]:
    listed = set(current)
    kept = [entry_id for entry_id in old if entry_id not in listed] + current
    return bounded(kept, max_bytes, max(SEEN_LIMIT, len(current)))


def _readable(entries: tuple[FeedEntry, ...], max_bytes: int) -> list[FeedEntry]:
    """The entries (newest first, in document order) whose ids fit the seen-state bound."""
    size = 0
    for index, entry in enumerate(entries):
        size += _id_bytes(entry.entry_id)
        if size > max_bytes:
            return list(entries[:index])
    return list(entries)


def _other_scheme(entry_id: str) -> str | None:
    if entry_id.startswith("http://"):
        return "https://" + entry_id[len("http://") :]
    if entry_id.startswith("https://"):
        return "http://" + entry_id[len("https://") :]
    return None
