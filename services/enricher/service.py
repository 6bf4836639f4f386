"""The enricher as a stream service: tagging, correlation and alert delivery.

Three stages, each its own consumer group:

* ``tag`` (news.articles → news.enriched or launch.reports) is stateless: it
  tags every article; an article that is not a launch report is finished
  (`EnrichedArticle` on news.enriched), a launch report is re-keyed by its
  launching country (`LaunchReport` on launch.reports), so that all reports of
  one launch meet in one partition.
* ``correlate`` (launch.reports → news.enriched, launch.events, alerts.launch,
  alerts.deliveries) keeps one `EventBook` per country. It runs in Kafka
  transactions: the report's EnrichedArticle (now carrying its event id), the
  event's new revision, any alert and the deliveries that alert owes are
  written together with the input offset, or not at all; so are the final
  revisions of events the report showed to be the same launch as its own
  (``merged_into`` set), with the survivor's `update` alert. Its state is the
  compacted launch.events topic: whenever it is given partitions (or its
  outputs were refused) it rebuilds its books from there, so a restart, a
  rebalance or a redelivery never raises a second `new` alert.
* ``deliver`` (a source over alerts.deliveries) sends each alert to the
  configured receivers, retrying a slow or dead receiver without holding up
  anything upstream (see `services.enricher.delivery`).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

import msgspec

from schemas import AlertDelivery, Article, EnrichedArticle, LaunchEvent, LaunchReport, Message
from services.enricher import metrics
from services.enricher.correlation import AlertPolicy, EventBook, correlation_key, facts_key
from services.enricher.delivery import DeliverySettings, deliveries_for, open_delivery
from services.enricher.gazetteer import Gazetteer, default_gazetteer
from services.enricher.tagging import tag_article
from services.runtime.records import TopicPartition
from services.runtime.settings import setting
from services.runtime.spec import ServiceSpec, SourceSpec, Stage, StageContext, StageSpec

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EnricherSettings(DeliverySettings):
    alert_updates: bool = setting(
        True, "raise `update` alerts when a launch's type, count or outcome changes"
    )


def tag(gazetteer: Gazetteer, article: Article) -> list[Message]:
    """One article: finished when it reports no launch, else on its way to correlation."""
    tagged = tag_article(article, gazetteer=gazetteer, now=datetime.now(UTC))
    if tagged.is_launch_report and tagged.launch is not None:
        return [LaunchReport(country_key=correlation_key(tagged), report=tagged)]
    return [tagged]


class Correlator:
    """The launch events of every country this member correlates, one book each."""

    def __init__(self, context: StageContext, settings: EnricherSettings) -> None:
        self._context = context
        self._settings = settings
        self._policy = AlertPolicy(updates=settings.alert_updates)
        self._books: dict[str, EventBook] = {}

    async def reload(self, partitions: frozenset[TopicPartition]) -> None:
        """Rebuild every book from launch.events, read up to its end.

        All books are rebuilt, not only those of `partitions`: a book of a
        country this member no longer owns is never used again, and one it owns
        is exactly as committed (the stage completes partitions one at a time).
        """
        table = await self._context.latest(LaunchEvent)
        by_key: dict[str, list[LaunchEvent]] = {}
        for event in table.values():
            by_key.setdefault(facts_key(event), []).append(event)
        self._books = {
            key: EventBook.from_events(events, self._policy) for key, events in by_key.items()
        }
        log.info("correlation state: %d events of %d keys", len(table), len(by_key))

    def correlate(self, message: LaunchReport) -> list[Message]:
        """One report: its event's new revision, alerts, deliveries, and the tagged article."""
        now = datetime.now(UTC)
        # The key is derived again rather than read from the message: a report
        # keyed by an older tagger meets the book its event is rebuilt into.
        book = self._books.setdefault(correlation_key(message.report), EventBook(self._policy))
        outcome = book.add(message.report, now)
        outputs: list[Message] = [_with_event_id(message.report, book)]
        if outcome.event is not None:
            outputs.append(outcome.event)
            if outcome.event.revision == 1:
                metrics.LAUNCH_EVENTS.inc()
        outputs.extend(outcome.merged)
        for alert in outcome.alerts:
            metrics.ALERTS_RAISED.labels(str(alert.kind)).inc()
            outputs.append(alert)
            outputs.extend(deliveries_for(alert, self._settings, alert.raised_at))
        return outputs


def _with_event_id(report: EnrichedArticle, book: EventBook) -> EnrichedArticle:
    event = book.event_for(report)
    if event is None or report.launch is None:
        return report
    launch = msgspec.structs.replace(report.launch, event_id=event.event_id)
    return msgspec.structs.replace(report, launch=launch)


@asynccontextmanager
async def open_tagger(
    settings: EnricherSettings, context: StageContext
) -> AsyncIterator[Stage[Article]]:
    gazetteer = default_gazetteer()  # loaded and checked once, before the first article

    def handle(article: Article) -> list[Message]:
        return tag(gazetteer, article)

    yield Stage(handle)


@asynccontextmanager
async def open_correlator(
    settings: EnricherSettings, context: StageContext
) -> AsyncIterator[Stage[LaunchReport]]:
    correlator = Correlator(context, settings)
    yield Stage(correlator.correlate, on_assigned=correlator.reload)


ENRICHER = ServiceSpec(
    name="enricher",
    stages=(
        StageSpec(name="tag", consumes=Article, open=open_tagger),
        StageSpec(name="correlate", consumes=LaunchReport, open=open_correlator, exactly_once=True),
        SourceSpec(name="deliver", table=AlertDelivery, open=open_delivery),
    ),
    http_port=8083,
    settings_type=EnricherSettings,
)
