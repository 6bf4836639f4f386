"""Tagging and correlation over a list of articles, as the offline command runs them.

Articles are handled in the order given; reports are grouped by their
correlation key into one `EventBook` each, exactly as the streaming service
partitions them, so the offline result is the service's result.
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
    """Tags and correlates `articles` in order.

    The result is the final view: `events` are the launches as they stand at
    the end (events merged into another are left out), and every report carries
    the id of the event that holds it at the end. `alerts` are every alert
    raised on the way, merges' `update` alerts included.
    """
    books: dict[str, EventBook] = {}
    enriched: list[EnrichedArticle] = []
    alerts: list[LaunchAlert] = []
    keys: dict[str, str] = {}
    for article in articles:
        moment = now or datetime.now(UTC)
        tagged = tag_article(article, gazetteer=gazetteer, now=moment)
        if tagged.launch is not None and tagged.is_launch_report:
            keys[tagged.article_id] = correlation_key(tagged)
            alerts += (
                books.setdefault(keys[tagged.article_id], EventBook(policy))
                .add(tagged, moment)
                .alerts
            )
        enriched.append(tagged)
    order: dict[str, LaunchEvent] = {}
    for index, tagged in enumerate(enriched):
        key = keys.get(tagged.article_id)
        event = books[key].event_for(tagged) if key else None
        if event is not None and tagged.launch is not None:
            order.setdefault(event.event_id, event)
            launch = msgspec.structs.replace(tagged.launch, event_id=event.event_id)
            enriched[index] = msgspec.structs.replace(tagged, launch=launch)
    return Enrichment(enriched, list(order.values()), alerts)


def enrich_stream(
    articles: Iterable[Article], *, policy: AlertPolicy | None = None
) -> tuple[list[EnrichedArticle], list[LaunchEvent]]:
    """(tagged articles, final events), events in the order they were first reported."""
    result = enrich_all(articles, policy=policy)
    return result.enriched, result.events
