"""A WebSub subscription's life, as pure functions of its record, what was found and the time.

Only the replica that owns a feed changes its `WebSubSubscription`, in the
same transaction as the feed's state, so these rules run in one place per feed:

- **Ask** the hub when the feed names a hub and the fetcher has none for it,
  or the hub, topic or callback changed (a new subscription, with a new
  secret); when 80 % of the granted lease has passed (a renewal, same secret,
  so deliveries signed under it stay valid); or when an earlier request was
  refused or never verified, after a back-off that doubles from 5 minutes to
  a day (a denial waits a day).
- **Verified** (the hub's GET, forwarded by whichever replica it reached):
  ``live``, with the lease the hub granted; the request count resets.
- **Denied**: ``denied``, with the hub's reason.
- A feed that no longer names a hub, or that was removed from ``feeds``,
  **ends** its subscription: it is not renewed, deliveries are answered 410
  Gone, and a live one is unsubscribed (``hub.mode=unsubscribe``).
- While a subscription is **live** (verified and its lease not over), the feed
  is polled at ``LAUNCHWATCH_WEBSUB_POLL_INTERVAL_S`` at the most often:
  polling stays the safety net for deliveries that never came.
"""

from __future__ import annotations

import random
import secrets
from datetime import datetime, timedelta

import msgspec

from schemas.feeds import FeedState, WebSubEvent, WebSubSubscription
from schemas.vocabulary import FeedStatus
from services.fetcher import schedule
from services.fetcher.settings import FetcherSettings
from services.fetcher.websub.discovery import Discovered

RENEW_AT = 0.8
"""Fraction of the granted lease after which it is renewed."""
RETRY_S = 300.0
RETRY_MAX_S = 86400.0
DENIED_RETRY_S = 86400.0
ERROR_CHARS = 500


def callback_for(base: str, feed_id: str) -> str:
    """The callback URL of one feed: the setting's URL with the feed id as its last segment."""
    return f"{base.rstrip('/')}/{feed_id}"


def backoff_s(attempts: int) -> float:
    return min(RETRY_S * 2.0 ** min(max(attempts - 1, 0), 20), RETRY_MAX_S)


def is_live(sub: WebSubSubscription | None, now: datetime) -> bool:
    """Verified, and its lease not over: the hub delivers to us."""
    return (
        sub is not None
        and sub.status == "live"
        and sub.expires_at is not None
        and sub.expires_at > now
    )


def due_at(sub: WebSubSubscription) -> datetime | None:
    """When the hub must next be asked (a renewal, or a retry); None once the feed left it."""
    if sub.status == "ended":
        return None
    retry = sub.requested_at + timedelta(seconds=backoff_s(sub.attempts))
    if sub.status == "denied":
        return sub.requested_at + timedelta(seconds=DENIED_RETRY_S)
    if sub.status == "live" and sub.verified_at is not None and sub.lease_s is not None:
        renew = sub.verified_at + timedelta(seconds=sub.lease_s * RENEW_AT)
        return max(renew, retry) if sub.attempts else renew
    return retry


def request_for(
    sub: WebSubSubscription | None,
    found: Discovered,
    *,
    feed_id: str,
    callback: str,
    now: datetime,
) -> WebSubSubscription | None:
    """The subscription to write and then ask the hub for, when it is time; else None."""
    asked = (found.hub, found.topic, callback)
    moved = sub is not None and (sub.hub, sub.topic, sub.callback) != asked
    if sub is None or moved or sub.status == "ended":
        return WebSubSubscription(
            feed_id=feed_id,
            hub=found.hub,
            topic=found.topic,
            callback=callback,
            secret=secrets.token_hex(32),
            status="requested",
            requested_at=now,
            attempts=1,
            applied_offset=sub.applied_offset if sub is not None else -1,
            updated_at=now,
        )
    due = due_at(sub)
    if due is None or now < due:
        return None
    status = "live" if is_live(sub, now) else "requested"
    return msgspec.structs.replace(
        sub, status=status, requested_at=now, attempts=sub.attempts + 1, updated_at=now
    )


NO_HUB = "the feed no longer names a WebSub hub"
REMOVED = "the feed was removed"


def ended(sub: WebSubSubscription, now: datetime, reason: str = NO_HUB) -> WebSubSubscription:
    """The subscription given up: never renewed, deliveries refused, a live one unsubscribed."""
    return msgspec.structs.replace(sub, status="ended", error=reason, updated_at=now)


def refused(sub: WebSubSubscription, reason: str, now: datetime) -> WebSubSubscription:
    """The hub did not accept the request (an error status, or no answer)."""
    status = "live" if is_live(sub, now) else "failed"
    return msgspec.structs.replace(sub, status=status, error=reason[:ERROR_CHARS], updated_at=now)


def applied(
    sub: WebSubSubscription, event: WebSubEvent, offset: int, now: datetime, lease_s: int
) -> WebSubSubscription:
    """`sub` once `event` (at `offset` of ``fetcher.pushes``) is applied."""
    done = msgspec.structs.replace(sub, applied_offset=offset, updated_at=now)
    if event.topic != sub.topic:
        return done  # about a topic given up since: only its place is recorded
    if event.kind == "content":
        return msgspec.structs.replace(done, last_push_at=event.received_at)
    if event.kind == "denied":
        reason = event.reason or "denied by the hub"
        return msgspec.structs.replace(done, status="denied", error=reason[:ERROR_CHARS])
    granted = event.lease_s or lease_s
    return msgspec.structs.replace(
        done,
        status="live",
        lease_s=granted,
        verified_at=event.received_at,
        expires_at=event.received_at + timedelta(seconds=granted),
        attempts=0,
        error=None,
    )


def slower(
    state: FeedState,
    sub: WebSubSubscription | None,
    settings: FetcherSettings,
    now: datetime,
    rng: random.Random,
) -> FeedState:
    """A successful poll's state, its next poll pushed out while the subscription is live."""
    if state.status is not FeedStatus.OK or not is_live(sub, now):
        return state
    interval = max(state.interval_s, settings.websub_poll_interval_s)
    later = schedule.next_poll_at(now, interval, rng=rng)
    if state.next_poll_at is not None and state.next_poll_at >= later:
        return state
    return msgspec.structs.replace(state, next_poll_at=later)
