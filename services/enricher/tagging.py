"""Tagging one article: entities, launch-report verdict, facts and passing mentions.

The handler for `news.articles` -> `news.enriched` calls `tag_article` on every
article; it reads only the article and the bundled gazetteers, so the same
article always gets the same tags.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from datetime import UTC, datetime

from schemas import Article, EnrichedArticle, Entity, Modality, Span
from services.enricher.dates import DateResolver
from services.enricher.facts import extract_facts, extract_mentions
from services.enricher.furniture import lay_out
from services.enricher.gazetteer import Actor, Found, Gazetteer, Site, Weapon, default_gazetteer
from services.enricher.recognition import Reading, read_sentence, recognise
from services.enricher.sentences import Sentence


def tag_article(
    article: Article, *, gazetteer: Gazetteer | None = None, now: datetime | None = None
) -> EnrichedArticle:
    """Everything the enricher says about one article (no event id yet: see EventBook)."""
    gazetteer = gazetteer or default_gazetteer()
    text = article.text
    founds, operators = gazetteer.scan(text)
    layout = lay_out(text, article.published_at)
    readings = _readings(article, layout.body, founds, operators, gazetteer)
    published = DateResolver(article.published_at, None).publication_day()
    recognition = recognise(readings, published, frame=layout.frame)
    facts = extract_facts(recognition, gazetteer, article.published_at)
    if facts is not None and facts.country is None:
        # A launch with no launching state or group is a hobby, sports or
        # figurative "rocket", not a report the product alerts on.
        facts = None
        recognition.rejected_as = Modality.NOT_A_LAUNCH
    if facts is not None:
        timezone = (facts.location.timezone if facts.location else None) or gazetteer.timezone_of(
            facts.country
        )
    else:
        timezone = gazetteer.timezone_of(_main_country(founds))
    return EnrichedArticle(
        article_id=article.article_id,
        url=article.url,
        title=article.title,
        published_at=article.published_at,
        entities=tuple(_entity(found) for found in founds),
        is_launch_report=facts is not None,
        rejected_as=recognition.rejected_as if facts is None else None,
        launch=facts,
        mentions_other_launches=extract_mentions(recognition, article.published_at, timezone),
        enriched_at=now or datetime.now(UTC),
    )


def _readings(
    article: Article,
    body: list[Sentence],
    founds: list[Found],
    operators: list[int],
    gazetteer: Gazetteer,
) -> list[Reading]:
    # Modality only needs dates to within days, so UTC does here; facts re-read
    # dates in the launch site's zone.
    resolver = DateResolver(article.published_at, None)
    readings: list[Reading] = []
    title = (article.title or "").strip()
    if title and title not in article.text:
        headline = Sentence(-1, 0, title)
        named, operators_named = gazetteer.scan(title)
        readings.append(
            read_sentence(
                headline, False, named, resolver, gazetteer, commercial=bool(operators_named)
            )
        )
    founds = sorted(founds, key=lambda found: found.start)
    starts = [found.start for found in founds]
    for sentence in body:
        inside = founds[bisect_left(starts, sentence.start) : bisect_left(starts, sentence.end)]
        commercial = bisect_left(operators, sentence.start) < bisect_left(operators, sentence.end)
        readings.append(
            read_sentence(sentence, True, inside, resolver, gazetteer, commercial=commercial)
        )
    return readings


def _main_country(founds: list[Found]) -> str | None:
    tally = Counter(f.entry.country for f in founds if isinstance(f.entry, Actor))
    return tally.most_common(1)[0][0] if tally else None


def _entity(found: Found) -> Entity:
    entry = found.entry
    country = getattr(entry, "country", None)
    confidence = 1.0
    if isinstance(entry, Weapon) and entry.descriptive:
        confidence = 0.9
    if isinstance(entry, Site) and (found.local_only or entry.needs_cue):
        confidence = 0.6
    return Entity(
        kind=found.kind,
        span=Span(start=found.start, end=found.end, text=found.text),
        canonical=entry.name,
        country=country,
        confidence=confidence,
    )
