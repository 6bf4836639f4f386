"""One poll of one feed, and one article download: the fetcher's work, free of Kafka.

`poll_feed` is a function of (subscription, state, the network, now): it
returns the feed's next state and the entries not seen before, and never
raises for anything a server does. The caller stores the state and emits the
entries; because the new state carries the entry ids, a caller that writes
both atomically (a Kafka transaction) emits each entry once.

State rules, in one place:

- Success (2xx, or 304): failures reset, `last_success_at` set, the interval
  adapts (see `schedule`). A body identical to the last one (same SHA-256) is
  not parsed again: that is how servers that send no validators, or validators
  that never change, are polled cheaply. When a server repeats the same ETag or
  Last-Modified while the body changes, its validators are dropped from the
  state, so a lying validator cannot hide new entries behind a 304.
- Entries are new when their identity is not among the remembered ids: the
  last `SEEN_LIMIT` of them (never fewer than the feed lists, so a long feed
  does not re-emit its tail), within ``fetch_seen_max_bytes``. A feed that
  lists more ids than fit is read from its newest entries down to what fits;
  the rest are neither new nor remembered. An id whose scheme alone differs
  (http or https) is the same entry, so a feed that moves to https and
  resolves relative ids against its new URL does not re-emit anything.
- At most ``fetch_poll_max_entries`` new entries are taken from one poll, the
  newest first; the others are left for the next poll, which comes at the
  floor interval. Until a poll has recorded every new entry, its state keeps
  no body hash and no validators, so the next poll reads the feed again and
  finds what is left (`PollResult.state_after`).
- A permanent redirect (301/308) moves the stored URL at once when it only
  upgrades http to https; otherwise only after the same target has held for
  ``feed_redirect_grace_s``, because sites misconfigure redirects and a wrong
  move loses the feed. The pending move is kept in `redirect_target` /
  `redirect_since`.
- Failure: `consecutive_failures` grows, the next poll backs off
  exponentially (Retry-After is a lower bound), never giving up. 404/410 mark
  the feed `gone` once they have lasted ``feed_gone_grace_s``; it is still
  polled, rarely, in case it returns.
- A body that is not a usable feed is status `parse` (`refused` for
  constructs refused for safety); its hash and validators are not stored, so
  the next poll reads and judges it again. A usable feed's parse warning is
  kept in `error` while the body is unchanged, until a poll parses it clean.
- A subscription's own `poll_interval_s` is never below the floor.
"""

from __future__ import annotations

import hashlib
import random
import weakref
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from urllib.parse import urlsplit

import msgspec

from schemas.articles import FeedEntry, RawArticle
from schemas.feeds import FeedState, FeedSubscription
from schemas.ids import article_id, canonical_url, stable_id
from schemas.vocabulary import FeedStatus
from services.fetcher import schedule
from services.fetcher.entries import SEEN_LIMIT as SEEN_LIMIT
from services.fetcher.entries import bounded, select_new
from services.fetcher.feeds import FeedParseError, FeedRefused, ParsedFeed, parse_feed
from services.fetcher.http import Fetcher, FetchResult
from services.fetcher.robots import RobotsCache

TOO_LARGE_LIMIT = 50
"""Entries too large for `news.raw` remembered in the state, newest last."""
ERROR_CHARS = 1000
"""A state's `error` is cut to this length: the state has a size limit of its own."""

FeedParser = Callable[[bytes, Mapping[str, str], str], Awaitable[ParsedFeed]]
"""Body, response headers and URL to a ParsedFeed; the service runs it in a worker process."""


async def parse_here(body: bytes, headers: Mapping[str, str], url: str) -> ParsedFeed:
    """Parse in this process: for tools and tests; the service parses in a worker."""
    return parse_feed(body, headers=headers, url=url)


_robots_caches: weakref.WeakKeyDictionary[Fetcher, RobotsCache] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class PollResult:
    state: FeedState
    """The feed's next state once every one of `entries` is recorded (`state_after`)."""
    entries: tuple[FeedEntry, ...]
    """Entries not seen before, oldest first as far as the feed's order tells, capped."""
    fetch: FetchResult
    feed_title: str | None = None
    problem: str | None = None
    """A problem of a feed that was still usable (malformed XML that feedparser recovered)."""
    deferred: int = 0
    """New entries left for the next poll by the cap on entries per poll."""
    prior: FeedState | None = None
    """The state the poll started from."""
    seen_max_bytes: int = 128 * 1024
    floor_s: float = 60.0
    parsed: bool = False
    """Whether a document was parsed (a changed body), so `hubs` and `self_url` are current."""
    hubs: tuple[str, ...] = ()
    """WebSub hubs the document announces (the response's ``Link`` header is in `fetch`)."""
    self_url: str | None = None

    def state_after(self, recorded: Iterable[str], too_large: Iterable[str] = ()) -> FeedState:
        """The state to write with the entries `recorded` so far (ids), in order.

        When they are all of `entries` and nothing was deferred, it is `state`.
        Otherwise the poll is partial: the state remembers what was recorded,
        keeps no body hash and no validators, and is due again at the floor, so
        the next poll (or the next owner, after a crash) takes the rest.
        """
        done = list(dict.fromkeys(recorded))
        large = tuple(too_large)
        state = self.state
        if large:
            kept = (*state.too_large_entry_ids, *large)[-TOO_LARGE_LIMIT:]
            state = msgspec.structs.replace(state, too_large_entry_ids=kept)
        if self.prior is None or (not self.deferred and set(done) >= self._entry_ids()):
            return state
        due = (self.fetch_time or state.updated_at) + timedelta(seconds=self.floor_s)
        return msgspec.structs.replace(
            state,
            seen_entry_ids=bounded([*self.prior.seen_entry_ids, *done], self.seen_max_bytes),
            etag=None,
            last_modified=None,
            body_sha256=None,
            next_poll_at=due,
        )

    @property
    def fetch_time(self) -> datetime | None:
        return self.state.last_polled_at

    def _entry_ids(self) -> set[str]:
        return {entry.entry_id for entry in self.entries}


def initial_state(
    subscription: FeedSubscription, now: datetime, interval_s: float | None = None
) -> FeedState:
    """The state of a feed never polled: due at once, at its subscribed URL.

    Its interval starts at `interval_s` (the fetcher passes its floor): a new
    feed is polled eagerly and slows down as it proves quiet, rather than
    waiting minutes for its second poll.
    """
    state = FeedState(
        feed_id=subscription.feed_id,
        url=subscription.url,
        next_poll_at=now,
        updated_at=now,
    )
    return state if interval_s is None else msgspec.structs.replace(state, interval_s=interval_s)


def schedule_settings(client: Fetcher) -> schedule.ScheduleSettings:
    s = client.settings
    return schedule.ScheduleSettings(
        min_s=s.poll_min_s, max_s=s.poll_max_s, failure_max_s=s.poll_failure_max_s
    )


def upgrades_scheme_only(old: str, new: str) -> bool:
    """True when `new` is `old` moved from http to https and nothing else."""
    try:
        before, after = canonical_url(old), canonical_url(new)
    except ValueError:
        return False
    return before.startswith("http://") and after == "https://" + before[len("http://") :]


def _short(text: str | None) -> str | None:
    return text if text is None or len(text) <= ERROR_CHARS else text[: ERROR_CHARS - 1] + "…"


def _failure(
    state: FeedState,
    result: FetchResult,
    *,
    status: FeedStatus,
    error: str | None,
    client: Fetcher,
    now: datetime,
    rng: random.Random,
) -> PollResult:
    failures = state.consecutive_failures + 1
    gone_since = None
    if result.http_status in (404, 410):
        gone_since = state.gone_since or now
        if (now - gone_since).total_seconds() >= client.settings.feed_gone_grace_s:
            status = FeedStatus.GONE
    delay = schedule.failure_delay(
        failures,
        settings=schedule_settings(client),
        rng=rng,
        retry_after_s=result.retry_after_s,
    )
    new_state = msgspec.structs.replace(
        state,
        status=status,
        http_status=result.http_status if result.http_status is not None else state.http_status,
        error=_short(error),
        consecutive_failures=failures,
        last_polled_at=now,
        next_poll_at=now + timedelta(seconds=delay),
        gone_since=gone_since,
        updated_at=now,
    )
    return PollResult(state=new_state, entries=(), fetch=result)


async def poll_feed(
    subscription: FeedSubscription,
    state: FeedState,
    *,
    client: Fetcher,
    now: datetime,
    rng: random.Random | None = None,
    parse: FeedParser = parse_here,
) -> PollResult:
    """Poll one feed once; see the module docstring for how the state moves."""
    rng = rng or random.Random()
    settings = client.settings
    result = await client.fetch(
        state.url,
        etag=state.etag,
        last_modified=state.last_modified,
        max_bytes=client.settings.fetch_feed_max_bytes,
    )
    if not result.ok:
        return _failure(
            state, result, status=result.status, error=result.error, client=client, now=now, rng=rng
        )

    parsed: ParsedFeed | None = None
    body_sha256 = state.body_sha256
    etag = result.headers.get("etag") or state.etag
    last_modified = result.headers.get("last-modified") or state.last_modified
    if result.body is not None:
        digest = hashlib.sha256(result.body).hexdigest()
        if digest != state.body_sha256:
            try:
                parsed = await parse(result.body, dict(result.headers), result.final_url)
            except FeedParseError as error:
                refused = isinstance(error, FeedRefused)
                return _failure(
                    state,
                    result,
                    status=FeedStatus.REFUSED if refused else FeedStatus.PARSE,
                    error=str(error),
                    client=client,
                    now=now,
                    rng=rng,
                )
            if state.body_sha256 is not None:
                # Same validator, different body: the validator tells us nothing.
                if state.etag is not None and result.headers.get("etag") == state.etag:
                    etag = None
                if (
                    state.last_modified is not None
                    and result.headers.get("last-modified") == state.last_modified
                ):
                    last_modified = None
        body_sha256 = digest

    new_entries: list[FeedEntry] = []
    deferred = 0
    seen = state.seen_entry_ids
    if parsed is not None:
        new_entries, deferred, seen = select_new(parsed.entries, state, settings)

    # Where the feed lives now.
    url, redirect_target, redirect_since = state.url, None, None
    target = result.permanent_target()
    if target is not None and target != state.url:
        if upgrades_scheme_only(state.url, target):
            url = target
        elif state.redirect_target == target and state.redirect_since is not None:
            held = (now - state.redirect_since).total_seconds()
            if held >= client.settings.feed_redirect_grace_s:
                url = target
            else:
                redirect_target, redirect_since = target, state.redirect_since
        else:
            redirect_target, redirect_since = target, now

    # When to come back.
    sched = schedule_settings(client)
    floor = schedule.server_floor_s(
        result.headers, ttl_s=parsed.ttl_s if parsed is not None else None, now=now
    )
    if parsed is None and state.interval_s > sched.max_s:
        # Only a server's floor (or an override) lifts the interval above the ceiling:
        # without a fresh parse it still holds.
        floor = max(floor or 0.0, state.interval_s)
    if result.retry_after_s is not None:
        floor = max(floor or 0.0, result.retry_after_s)
    override = subscription.poll_interval_s
    interval = schedule.success_interval(
        state.interval_s,
        len(new_entries),
        settings=sched,
        override_s=max(override, sched.min_s) if override is not None else None,
        server_floor=floor,
    )
    if parsed is not None:
        warning = parsed.problem
    else:  # unchanged body: its warning stands until a poll parses it clean
        warning = state.error if state.status is FeedStatus.OK else None

    new_state = msgspec.structs.replace(
        state,
        url=url,
        status=FeedStatus.OK,
        http_status=result.http_status,
        error=_short(warning),
        etag=etag,
        last_modified=last_modified,
        body_sha256=body_sha256,
        interval_s=interval,
        next_poll_at=schedule.next_poll_at(now, interval, rng=rng, floor_s=floor),
        consecutive_failures=0,
        last_polled_at=now,
        last_success_at=now,
        last_new_entry_at=now if new_entries else state.last_new_entry_at,
        seen_entry_ids=seen,
        redirect_target=redirect_target,
        redirect_since=redirect_since,
        gone_since=None,
        updated_at=now,
    )
    return PollResult(
        state=new_state,
        entries=tuple(new_entries),
        fetch=result,
        feed_title=parsed.title if parsed is not None else None,
        problem=parsed.problem if parsed is not None else None,
        deferred=deferred,
        prior=state,
        seen_max_bytes=settings.fetch_seen_max_bytes,
        floor_s=max(sched.min_s, floor or 0.0),
        parsed=parsed is not None,
        hubs=parsed.hubs if parsed is not None else (),
        self_url=parsed.self_url if parsed is not None else None,
    )


def robots_for(client: Fetcher) -> RobotsCache:
    """The robots.txt cache that goes with `client`, made on first use from its settings."""
    cache = _robots_caches.get(client)
    if cache is None:
        cache = RobotsCache(
            client,
            enabled=client.settings.fetch_robots,
            ttl_s=client.settings.fetch_robots_ttl_s,
        )
        _robots_caches[client] = cache
    return cache


class FeedRef(Protocol):
    """The feed an entry came from, as a RawArticle names it."""

    @property
    def feed_id(self) -> str: ...

    @property
    def url(self) -> str: ...


def article_key(entry: FeedEntry, feed_id: str) -> str:
    """The article id an entry leads to: its canonical link's, else one of the feed's entry."""
    try:
        if entry.link and canonical_url(entry.link):
            return article_id(entry.link)
    except ValueError:
        pass
    return stable_id(f"entry\x00{feed_id}\x00{entry.entry_id}")


async def download_article(
    entry: FeedEntry,
    feed: FeedRef,
    *,
    client: Fetcher,
    now: datetime,
    robots: RobotsCache | None = None,
) -> RawArticle:
    """The entry and its page as a RawArticle; never raises for what the site does.

    The page is downloaded when the entry links to an http(s) page, robots.txt
    allows it and the server answers HTML within the cap. Otherwise `body` is
    None and `page_error` says why (``<kind>: <detail>``, kind one of the feed
    statuses, ``not-html``, ``robots`` or ``no-link``); the entry's own content
    then stands in.
    """
    try:
        url = canonical_url(entry.link) if entry.link else None
    except ValueError:
        url = None

    def article(page_error: str | None = None, result: FetchResult | None = None) -> RawArticle:
        key = article_key(entry, feed.feed_id)
        ok = result is not None and result.ok and result.body is not None
        return RawArticle(
            article_id=key,
            url=url or entry.link or "",
            feed_id=feed.feed_id,
            feed_url=feed.url,
            entry=entry,
            fetched_at=now,
            final_url=result.final_url if result is not None else None,
            http_status=result.http_status if result is not None else None,
            content_type=result.content_type if result is not None else None,
            body=result.body if ok and result is not None else None,
            page_error=page_error,
        )

    if url is None or entry.link is None:
        scheme = urlsplit(entry.link).scheme if entry.link else ""
        reason = f"not an http(s) link ({scheme})" if entry.link else "the entry has no link"
        return article(page_error=f"no-link: {reason}")
    robots = robots or robots_for(client)
    if not await robots.allowed(entry.link):
        return article(page_error="robots: disallowed by robots.txt")
    result = await client.fetch(
        entry.link, html_only=True, max_bytes=client.settings.fetch_page_max_bytes
    )
    if result.ok and result.body is not None:
        return article(result=result)
    error = result.error or result.status.value
    if not error.startswith("not-html"):
        error = f"{result.status.value}: {error}"
    return article(page_error=error, result=result)
