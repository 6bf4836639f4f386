"""Tagging and correlation over a list of articles, as the offline command runs them.

Articles are handled in the order given; reports are grouped by launching
country into one `EventBook` each, exactly as the streaming service partitions
them, so the offline result is the service's result.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import msgspec

from schemas import Article, EnrichedArticle, LaunchAlert, LaunchEvent
from services.enricher.correlation import AlertPolicy, EventBook, correlation_key
from services.enricher.gazetteer import Gazetteer
from services.enricher.tagging import tag_article


class Enrichment(msgspec.Struct, frozen=True):
    """The tagged articles (with event ids), the final events and every alert raised."""

    enriched: list[EnrichedArticle]
    events: list[LaunchEvent]
    alerts: list[LaunchAlert]


def enrich_all(
    articles: Iterable[Article],
    *,
    policy: AlertPolicy | None = None,
    gazetteer: Gazetteer | None = None,
    now: datetime | None = None,
) -> Enrichment:
    """Tags and correlates `articles` in order."""
    books: dict[str, EventBook] = {}
    enriched: list[EnrichedArticle] = []
    alerts: list[LaunchAlert] = []
    order: list[str] = []
    for article in articles:
        moment = now or datetime.now(UTC)
        tagged = tag_article(article, gazetteer=gazetteer, now=moment)
        if tagged.launch is not None:
            key = correlation_key(tagged)
            book = books.setdefault(key, EventBook(policy))
            outcome = book.add(tagged, moment)
            alerts += outcome.alerts
            event = outcome.event or book.event_for(tagged)
            if event is not None:
                if event.event_id not in order:
                    order.append(event.event_id)
                launch = msgspec.structs.replace(tagged.launch, event_id=event.event_id)
                tagged = msgspec.structs.replace(tagged, launch=launch)
        enriched.append(tagged)
    latest = {event.event_id: event for book in books.values() for event in book.events}
    return Enrichment(enriched, [latest[event_id] for event_id in order], alerts)


def enrich_stream(
    articles: Iterable[Article], *, policy: AlertPolicy | None = None
) -> tuple[list[EnrichedArticle], list[LaunchEvent]]:
    """(tagged articles, final events), events in the order they were first reported."""
    result = enrich_all(articles, policy=policy)
    return result.enriched, result.events
