"""Figures of a benchmark run: latency per alert and article, percentiles, stage rates.

Every figure comes from the moments articles appeared in their feeds and the record
timestamps read back from the topics; a redelivered record counts once, at its first.
"""

from __future__ import annotations

import math
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))  # sibling benchmarks, by their file names

from pipeline_rig import Run  # noqa: E402

from schemas import AlertKind  # noqa: E402


def slug_of(url: str) -> str:
    return PurePosixPath(urlsplit(url).path).stem


def first_by_slug(moments: Iterable[tuple[float, str]]) -> dict[str, float]:
    """The earliest moment for each article (a redelivery may repeat a record)."""
    first: dict[str, float] = {}
    for moment, url in moments:
        slug = slug_of(url)
        first[slug] = min(first.get(slug, moment), moment)
    return first


def seconds(moment: datetime) -> float:
    return moment.timestamp()


def percentiles(values: Sequence[float]) -> tuple[str, str, str, str]:
    if not values:
        return ("0", "-", "-", "-")
    ordered = sorted(values)

    def at(q: float) -> str:
        rank = max(0, math.ceil(q * len(ordered)) - 1)  # nearest rank
        return f"{ordered[rank]:.2f}"

    return (str(len(ordered)), at(0.50), at(0.95), at(0.99))


@dataclass
class Latency:
    alert_total: list[float] = field(default_factory=list)
    alert_wait: list[float] = field(default_factory=list)
    alert_processing: list[float] = field(default_factory=list)
    article_enriched: list[float] = field(default_factory=list)
    article_wait: list[float] = field(default_factory=list)
    article_processing: list[float] = field(default_factory=list)
    hops: dict[str, list[float]] = field(default_factory=dict)
    missing_alerts: int = 0


def latency(run: Run) -> Latency:
    figures = Latency()
    story_of = {s.article.slug: s for s in run.stories}
    first_seen: dict[tuple[str, object], float] = {}
    for story in run.stories:
        if story.launch is not None and story.article.slug in run.appeared:
            moment = run.appeared[story.article.slug]
            first_seen[story.launch] = min(first_seen.get(story.launch, moment), moment)
    fetched = first_by_slug((seconds(raw.fetched_at), raw.url) for _, raw in run.raw)
    alerted = set()
    for timestamp_ms, alert in sorted(run.alerts, key=lambda pair: pair[0]):
        if alert.kind is not AlertKind.NEW or not alert.article_urls:
            continue
        report = story_of.get(slug_of(alert.article_urls[0]))
        if report is None or report.launch is None or report.launch in alerted:
            continue
        alerted.add(report.launch)
        when = timestamp_ms / 1000
        polled = fetched[report.article.slug]
        figures.alert_total.append(when - first_seen[report.launch])
        figures.alert_wait.append(polled - first_seen[report.launch])
        figures.alert_processing.append(when - polled)
    figures.missing_alerts = len(first_seen) - len(alerted)
    done = first_by_slug((ms / 1000, enriched.url) for ms, enriched in run.enriched)
    for slug, appeared in run.appeared.items():
        if slug in done:
            figures.article_enriched.append(done[slug] - appeared)
            figures.article_wait.append(fetched[slug] - appeared)
            figures.article_processing.append(done[slug] - fetched[slug])
    # Where the processing goes: record timestamps of each article on each topic.
    raw = first_by_slug((ms / 1000, m.url) for ms, m in run.raw)
    parsed = first_by_slug((ms / 1000, m.url) for ms, m in run.articles)
    alert_of: dict[str, float] = {}
    for timestamp_ms, alert in run.alerts:
        if alert.kind is AlertKind.NEW and alert.article_urls:
            slug = slug_of(alert.article_urls[0])
            alert_of[slug] = min(alert_of.get(slug, timestamp_ms / 1000), timestamp_ms / 1000)
    hops: dict[str, list[float]] = defaultdict(list)
    for slug in run.appeared:
        if slug not in done or slug not in raw or slug not in parsed:
            continue
        is_report = story_of[slug].launch is not None
        hops["fetcher: poll starts -> news.raw (downloads, transaction)"].append(
            raw[slug] - fetched[slug]
        )
        hops["parser: news.raw -> news.articles"].append(parsed[slug] - raw[slug])
        kind = "launch report, tag + correlate" if is_report else "other story, tag"
        hops[f"enricher: news.articles -> news.enriched ({kind})"].append(done[slug] - parsed[slug])
        if slug in alert_of:
            hops["enricher: news.articles -> new alert (tag + correlate)"].append(
                alert_of[slug] - parsed[slug]
            )
    figures.hops = dict(hops)
    return figures


def distinct_ms(records: Sequence[tuple[int, str]]) -> list[int]:
    first = first_by_slug((ms / 1000, url) for ms, url in records)
    return sorted(round(moment * 1000) for moment in first.values())


def stage_rate(timestamps_ms: Sequence[int]) -> tuple[float, float]:
    """Steady records/s (between the 5th and 95th percentile record) and the whole span, s.

    The first and last few records are left out: the first wait for the feeds'
    polls to come round, the last for a straggling batch.
    """
    if len(timestamps_ms) < 2:
        return (0.0, 0.0)
    ordered = sorted(timestamps_ms)
    low, high = int(0.05 * (len(ordered) - 1)), int(0.95 * (len(ordered) - 1))
    steady = (ordered[high] - ordered[low]) / 1000
    rate = (high - low) / steady if steady else math.inf
    return (rate, (ordered[-1] - ordered[0]) / 1000)
