"""`launchwatch enrich ARTICLES.jsonl --out ENRICHED.jsonl --events EVENTS.jsonl`.

The enricher offline: reads Article JSON lines (fields not given take their
defaults; `article_id` derives from `url`), tags and correlates them in the
order given, and writes one line per article and one line per launch event.
For replays, evaluation and looking at what the enricher makes of a corpus.
A bad line is reported with its number and skipped; the exit code is then 1.
"""

from __future__ import annotations

import argparse
import enum
import sys
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import msgspec

from schemas import Article, EnrichedArticle, LaunchEvent, LaunchFactFields, Place
from schemas.ids import article_id, stable_id
from schemas.launches import launch_facts
from services.enricher import enrich_all

OFFLINE_FEED = "offline"


def register(commands: Any) -> None:
    command = commands.add_parser("enrich", help="tag and correlate Article JSON lines offline")
    command.add_argument("articles", type=Path, metavar="ARTICLES.jsonl")
    command.add_argument("--out", type=Path, required=True, metavar="ENRICHED.jsonl")
    command.add_argument("--events", type=Path, required=True, metavar="EVENTS.jsonl")
    command.set_defaults(run=run_enrich)


class BadLine(ValueError):
    """An input line that is not an Article."""


def parse_article(line: str, now: datetime) -> Article:
    """One Article from a JSON line, with defaults for what the line leaves out."""
    try:
        fields = msgspec.json.decode(line)
    except msgspec.DecodeError as error:
        raise BadLine(f"not JSON: {error}") from None
    if not isinstance(fields, dict):
        raise BadLine("not a JSON object")
    url = fields.get("url")
    if not isinstance(url, str) or not url:
        raise BadLine("missing `url`")
    try:
        fields.setdefault("article_id", article_id(url))
    except ValueError as error:
        raise BadLine(str(error)) from None
    fields.setdefault("feed_id", stable_id(OFFLINE_FEED))
    fields.setdefault("parsed_at", now.isoformat())
    try:
        return msgspec.convert(fields, Article, strict=False)
    except msgspec.ValidationError as error:
        raise BadLine(str(error)) from None


def read_articles(path: Path, now: datetime) -> Iterator[tuple[int, Article | BadLine]]:
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                yield number, parse_article(line, now)
            except BadLine as error:
                yield number, error


def launch_summary(facts: LaunchFactFields, event_id: str | None) -> dict[str, object]:
    """The launch object of an output line: every launch fact, as an analyst and a scorer read it.

    Derived from the schema's fact fields, so a fact added there appears here too.
    """
    return {"event_id": event_id} | {
        name: _plain(value) for name, value in launch_facts(facts).items()
    }


def _plain(value: object) -> object:
    """A fact as plain JSON: places by name, vocabularies and dates as text."""
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Place):
        return value.name
    if isinstance(value, enum.Enum | date):
        return str(value)
    return msgspec.to_builtins(value)


def enriched_line(report: EnrichedArticle) -> dict[str, object]:
    launch = report.launch
    return {
        "url": report.url,
        "article_id": report.article_id,
        "title": report.title,
        "is_launch_report": report.is_launch_report,
        "rejected_as": str(report.rejected_as) if report.rejected_as else None,
        "launch": launch_summary(launch, launch.event_id) if launch else None,
        "mentions_other_launches": [
            {
                "launch_date": m.launch_date.isoformat() if m.launch_date else None,
                "missile_type": str(m.missile_type),
                "range_class": str(m.range_class) if m.range_class else None,
            }
            for m in report.mentions_other_launches
        ],
    }


def event_line(event: LaunchEvent) -> dict[str, object]:
    return {
        **launch_summary(event, event.event_id),
        "revision": event.revision,
        "report_count": event.report_count,
        "article_urls": list(event.article_urls),
        "sources": list(event.sources),
    }


def run_enrich(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    now = datetime.now(UTC)
    articles: list[Article] = []
    bad = 0
    try:
        for number, parsed in read_articles(args.articles, now):
            if isinstance(parsed, BadLine):
                print(f"launchwatch enrich: {args.articles}:{number}: {parsed}", file=sys.stderr)
                bad += 1
            else:
                articles.append(parsed)
    except (OSError, UnicodeDecodeError) as error:
        print(f"launchwatch enrich: {args.articles}: {error}", file=sys.stderr)
        return 1
    result = enrich_all(articles)
    encoder = msgspec.json.Encoder()
    try:
        with args.out.open("wb") as out:
            for report in result.enriched:
                out.write(encoder.encode(enriched_line(report)) + b"\n")
        with args.events.open("wb") as out:
            for event in result.events:
                out.write(encoder.encode(event_line(event)) + b"\n")
    except OSError as error:
        print(f"launchwatch enrich: {error}", file=sys.stderr)
        return 1
    return 1 if bad else 0
