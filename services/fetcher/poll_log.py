"""One log line per failed poll, so that a failing feed shows in the logs, not only in metrics.

An operator reading the fetcher's log wants to see which feed fails, why, and
when it is tried again, without a flood: a feed that fails every minute for a
day would otherwise write 1,440 lines. So a feed's failures are logged at most
once per `every_s` (default 10 minutes), the line counting the failures not
logged since the last one, and the first failure after a success is always
logged. A feed that recovers after logged failures gets one line saying so.

The line is a WARNING with the facts also as JSON fields (`feed_url`, `status`,
`error`, `consecutive_failures`, `next_poll_at`):

    feed https://example.org/rss.xml: poll failed (timeout: read timed out after 20 s),
    3rd failure in a row; next attempt at 2025-10-28T22:10:00Z
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from schemas import FeedState
from schemas.vocabulary import FeedStatus

log = logging.getLogger("services.fetcher.polls")

EVERY_S = 600.0
"""Shortest time between two lines about the failures of one feed."""

_SUCCESS = frozenset({FeedStatus.OK, FeedStatus.NEW})


class PollLog:
    """Logs failed polls, rate-limited per feed."""

    def __init__(
        self,
        every_s: float = EVERY_S,
        clock: Callable[[], float] = time.monotonic,
        logger: logging.Logger = log,
    ) -> None:
        self._every_s = every_s
        self._clock = clock
        self._log = logger
        self._last: dict[str, float] = {}
        """Feeds failing now: when their last line was written."""
        self._unlogged: dict[str, int] = {}
        """Failures of each failing feed since its last line."""

    def record(self, state: FeedState) -> None:
        """Takes the state a poll left: a line if it failed and the feed's turn has come."""
        feed = state.feed_id
        if state.status in _SUCCESS:
            if feed in self._last:
                del self._last[feed]
                self._unlogged.pop(feed, None)
                self._log.info("feed %s: polled again successfully", state.url)
            return
        now = self._clock()
        last = self._last.get(feed)
        if last is not None and now - last < self._every_s:
            self._unlogged[feed] = self._unlogged.get(feed, 0) + 1
            return
        self._last[feed] = now
        unlogged = self._unlogged.pop(feed, 0)
        self._log.warning(
            "%s",
            failure_line(state, unlogged),
            extra={
                "feed_url": state.url,
                "status": state.status.value,
                "error": state.error,
                "consecutive_failures": state.consecutive_failures,
                "next_poll_at": _when(state.next_poll_at),
            },
        )

    def forget(self, feed_id: str) -> None:
        """Drops a feed this replica no longer polls (unsubscribed, or moved elsewhere)."""
        self._last.pop(feed_id, None)
        self._unlogged.pop(feed_id, None)


def failure_line(state: FeedState, unlogged: int = 0) -> str:
    """The feed, the reason and the next attempt, in one line."""
    reason = state.status.value
    if state.status is FeedStatus.HTTP and state.http_status is not None:
        reason = f"HTTP {state.http_status}"
    if state.error:
        reason = f"{reason}: {state.error}"
    line = f"feed {state.url}: poll failed ({reason})"
    if state.consecutive_failures > 1:
        line += f", {_ordinal(state.consecutive_failures)} failure in a row"
    if unlogged:
        line += f" ({unlogged} not logged since the last line)"
    next_attempt = _when(state.next_poll_at)
    return line + (f"; next attempt at {next_attempt}" if next_attempt else "; not retried")


def _when(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


POLLS = PollLog()
"""The fetcher's poll log: `poll_log.POLLS.record(state)` after every poll."""
