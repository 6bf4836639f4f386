"""The enricher: recognises launch reports, extracts their facts, correlates them.

Pure domain code (messages in, messages out); the Kafka wiring calls:

* `tag_article(article) -> EnrichedArticle` for every article;
* `correlation_key(report)` to key launch reports by the launching state's
  theatre (states whose launches reports confuse share one key, so their reports
  meet in one partition: `services/enricher/correlation/keys.py`);
* `EventBook.add(report, now) -> AddOutcome(event, alerts)` per correlation key,
  its state rebuilt on start with `EventBook.from_events(events)`;
* `enrich_stream(articles)` / `enrich_all(articles)` to run both over a list.
"""

from services.enricher.correlation import AddOutcome, AlertPolicy, EventBook, correlation_key
from services.enricher.gazetteer import GazetteerError, load_gazetteer
from services.enricher.stream import Enrichment, enrich_all, enrich_stream
from services.enricher.tagging import tag_article

__all__ = [
    "AddOutcome",
    "AlertPolicy",
    "Enrichment",
    "EventBook",
    "GazetteerError",
    "correlation_key",
    "enrich_all",
    "enrich_stream",
    "load_gazetteer",
    "tag_article",
]
