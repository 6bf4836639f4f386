"""Failed polls are logged: one line with the feed, the reason and the next attempt, per feed
at most once per interval."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from schemas import FeedState
from schemas.ids import stable_id
from schemas.vocabulary import FeedStatus
from services.fetcher.poll_log import PollLog, failure_line

NOW = datetime(2025, 10, 28, 22, 0, tzinfo=UTC)
LATER = datetime(2025, 10, 28, 22, 10, tzinfo=UTC)


def state(url: str = "https://example.org/rss.xml", **fields: object) -> FeedState:
    values: dict[str, object] = {
        "status": FeedStatus.TIMEOUT,
        "error": "read timed out after 20 s",
        "consecutive_failures": 3,
        "next_poll_at": LATER,
        **fields,
    }
    return FeedState(feed_id=stable_id(url), url=url, updated_at=NOW, **values)  # type: ignore[arg-type]


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_line_names_the_feed_the_reason_and_the_next_attempt() -> None:
    assert failure_line(state()) == (
        "feed https://example.org/rss.xml: poll failed (timeout: read timed out after 20 s), "
        "3rd failure in a row; next attempt at 2025-10-28T22:10:00Z"
    )
    http = state(status=FeedStatus.HTTP, http_status=503, error=None, consecutive_failures=1)
    assert failure_line(http) == (
        "feed https://example.org/rss.xml: poll failed (HTTP 503); "
        "next attempt at 2025-10-28T22:10:00Z"
    )
    gone = state(status=FeedStatus.GONE, error="HTTP 410", next_poll_at=None)
    assert failure_line(gone).endswith("; not retried")


def test_failures_are_logged_once_per_interval_per_feed(caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock()
    polls = PollLog(every_s=600, clock=clock)
    with caplog.at_level(logging.INFO, logger="services.fetcher.polls"):
        polls.record(state())
        polls.record(state("https://other.example/feed"))  # another feed has its own turn
        for _ in range(4):
            clock.now += 60
            polls.record(state())
        clock.now += 600
        polls.record(state())

    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 3
    assert lines[0].startswith("feed https://example.org/rss.xml: poll failed")
    assert lines[1].startswith("feed https://other.example/feed: poll failed")
    assert "(4 not logged since the last line)" in lines[2]
    record = caplog.records[0]
    assert record.levelno == logging.WARNING
    assert record.__dict__["feed_url"] == "https://example.org/rss.xml"
    assert record.__dict__["status"] == "timeout"
    assert record.__dict__["next_poll_at"] == "2025-10-28T22:10:00Z"


def test_a_recovery_is_logged_once_and_the_next_failure_at_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    polls = PollLog(every_s=600, clock=clock)
    with caplog.at_level(logging.INFO, logger="services.fetcher.polls"):
        polls.record(state(status=FeedStatus.OK))  # never failed: nothing to say
        polls.record(state())
        polls.record(state(status=FeedStatus.OK))
        polls.record(state(status=FeedStatus.OK))
        clock.now += 1
        polls.record(state())  # a new failure after a success is not held back

    lines = [record.getMessage() for record in caplog.records]
    assert [line.split(": ", 1)[1][:11] for line in lines] == [
        "poll failed",
        "polled agai",
        "poll failed",
    ]


def test_a_forgotten_feed_starts_afresh(caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock()
    polls = PollLog(every_s=600, clock=clock)
    with caplog.at_level(logging.INFO, logger="services.fetcher.polls"):
        polls.record(state())
        polls.forget(stable_id("https://example.org/rss.xml"))
        polls.record(state())
    assert len(caplog.records) == 2
