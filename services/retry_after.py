"""The HTTP ``Retry-After`` header, read once for every client launchwatch has.

News sites (the fetcher) and alert receivers (the enricher's delivery) both
answer 429 or 503 with it, in either form RFC 9110 allows: delta-seconds
(``120``) or an HTTP date (``Wed, 29 Oct 2025 12:00:00 GMT``). How long to
honour it is each caller's policy; reading it is the same everywhere.
"""

from __future__ import annotations

import email.utils
from datetime import UTC, datetime


def retry_after_s(value: str | None, now: datetime) -> float | None:
    """Seconds from `now` the header asks for; None when absent or unreadable.

    A date in the past means zero.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if text.isdigit():
        return float(int(text))
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - now).total_seconds(), 0.0)
