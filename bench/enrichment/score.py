"""Score `launchwatch enrich` output against the labelled enrichment corpus.

    launchwatch enrich bench/enrichment/articles.jsonl \
        --out ENRICHED.jsonl --events EVENTS.jsonl
    python bench/enrichment/score.py --enriched ENRICHED.jsonl --events EVENTS.jsonl \
        [--labels bench/enrichment/labels.json] \
        [--articles bench/enrichment/articles.jsonl] [--json]

Figures (see README.md for the definitions):

- launch recognition: precision, recall and F1 of `is_launch_report`, and for every
  rejection modality of the labelled non-reports, how many were wrongly accepted;
- per-fact accuracy over correctly recognised reports: country, launch_date (exact and
  within one day), missile_type, range_class, count, outcome; officials and reported_by
  as set precision and recall with case-insensitive, alias-tolerant name matching;
- event grouping: pairwise precision, recall and F1 over pairs of reports that share an
  event, the number of predicted against labelled events, how many labelled events were
  covered by exactly one predicted event, and the facts of those predicted events.

The exit status is 0 whatever the figures are; malformed input (unreadable files, lines
that are not JSON objects, missing or mistyped required fields) is reported on stderr with
exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import combinations
from pathlib import Path
from typing import Any

from fact_fields import (
    MISSILE_TYPES,
    MODALITIES,
    NAME_FACTS,
    OUTCOMES,
    RANGE_CLASSES,
    SCALAR_FACTS,
    check_value,
    f1,
    fact_accuracy,
    prf,
    ratio,
)
from name_matching import match_sets, names_match, names_of
from score_render import render

__all__ = [
    "MISSILE_TYPES",
    "MODALITIES",
    "NAME_FACTS",
    "OUTCOMES",
    "RANGE_CLASSES",
    "SCALAR_FACTS",
    "f1",
    "main",
    "names_match",
    "parse_enriched",
    "parse_events",
    "parse_labels",
    "ratio",
    "score",
]

HERE = Path(__file__).resolve().parent
DEFAULT_LABELS = HERE / "labels.json"
DEFAULT_ARTICLES = HERE / "articles.jsonl"

LABEL_REQUIRED = ("country", "launch_date")
"""Facts every labelled launch states, although the schema lets a report leave them out."""

Json = dict[str, Any]


LABELLED_AS_NOT_A_LAUNCH: frozenset[str] = frozenset({"reaction", "ground-test", "civil-space"})
"""Reasons the product gives that the written sets' labels predate.

Those sets were labelled when the vocabulary had four reasons, and filed
reactions (sanctions), engine ground tests and commercial space flights under
`not-a-launch`; the finer reason the product now gives agrees with that label.
"""


def same_reason(given: str | None, labelled: str) -> bool:
    """Whether the product's rejection reason agrees with a written set's label."""
    if given == labelled:
        return True
    return labelled == "not-a-launch" and given in LABELLED_AS_NOT_A_LAUNCH


class InputError(Exception):
    """Input that cannot be scored: unreadable, not JSON, or missing required fields."""


# --------------------------------------------------------------------------- input


@dataclass(frozen=True)
class GoldArticle:
    url: str
    is_report: bool
    event_key: str | None
    rejected_as: str | None
    facts: Json
    """Resolved facts of a report: the event's, with the article's own overrides."""
    officials: tuple[str, ...]
    reported_by: tuple[str, ...]


@dataclass(frozen=True)
class GoldEvent:
    key: str
    facts: Json
    officials: tuple[str, ...]
    reported_by: tuple[str, ...]


@dataclass(frozen=True)
class Gold:
    articles: dict[str, GoldArticle]
    events: dict[str, GoldEvent]


@dataclass(frozen=True)
class PredArticle:
    url: str
    is_report: bool
    rejected_as: str | None
    launch: Json | None


@dataclass(frozen=True)
class PredEvent:
    event_id: str
    urls: tuple[str, ...]
    facts: Json


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8: {exc}") from exc


def load_jsonl(path: Path) -> list[Json]:
    """Objects of a JSON-lines file; blank lines are skipped."""
    rows: list[Json] = []
    for lineno, line in enumerate(_read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{lineno}: not JSON: {exc.msg}") from exc
        if not isinstance(value, dict):
            raise InputError(f"{path}:{lineno}: expected a JSON object")
        rows.append(value)
    return rows


def _str_list(value: object, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{where}: expected a list of strings")
    return tuple(value)


def _required(row: Json, key: str, kind: type | tuple[type, ...], where: str) -> Any:
    if key not in row:
        raise InputError(f"{where}: missing field {key!r}")
    value = row[key]
    if not isinstance(value, kind) or (kind is str and value == ""):
        raise InputError(f"{where}: field {key!r} has the wrong type")
    return value


def parse_labels(doc: object, source: str = "labels") -> Gold:
    """Validate the labels document and resolve every report's facts."""
    if not isinstance(doc, dict):
        raise InputError(f"{source}: expected a JSON object")
    raw_events = doc.get("events")
    raw_articles = doc.get("articles")
    if not isinstance(raw_events, list) or not isinstance(raw_articles, list):
        raise InputError(f"{source}: expected lists 'articles' and 'events'")
    events: dict[str, GoldEvent] = {}
    for i, row in enumerate(raw_events):
        where = f"{source}: events[{i}]"
        if not isinstance(row, dict):
            raise InputError(f"{where}: expected an object")
        key = _required(row, "event_key", str, where)
        if key in events:
            raise InputError(f"{where}: duplicate event_key {key!r}")
        facts = {name: row.get(name) for name in SCALAR_FACTS}
        _check_facts(facts, where)
        events[key] = GoldEvent(
            key=key,
            facts=facts,
            officials=_str_list(row.get("officials"), f"{where}.officials"),
            reported_by=_str_list(row.get("reported_by"), f"{where}.reported_by"),
        )
    articles: dict[str, GoldArticle] = {}
    for i, row in enumerate(raw_articles):
        where = f"{source}: articles[{i}]"
        if not isinstance(row, dict):
            raise InputError(f"{where}: expected an object")
        url = _required(row, "url", str, where)
        if url in articles:
            raise InputError(f"{where}: duplicate url {url!r}")
        is_report = _required(row, "is_launch_report", bool, where)
        event_key = row.get("event_key")
        rejected_as = row.get("rejected_as")
        resolved: Json = {}
        if is_report:
            if not isinstance(event_key, str) or event_key not in events:
                raise InputError(f"{where}: report without a known event_key")
            overrides = row.get("article_facts") or {}
            if not isinstance(overrides, dict) or not set(overrides) <= set(SCALAR_FACTS):
                raise InputError(f"{where}: article_facts must map fact names to values")
            resolved = {**events[event_key].facts, **overrides}
            _check_facts(resolved, where)
        elif rejected_as not in MODALITIES:
            raise InputError(f"{where}: a non-report needs rejected_as in {MODALITIES}")
        articles[url] = GoldArticle(
            url=url,
            is_report=is_report,
            event_key=event_key if is_report else None,
            rejected_as=None if is_report else rejected_as,
            facts=resolved,
            officials=_str_list(row.get("officials"), f"{where}.officials"),
            reported_by=_str_list(row.get("reported_by"), f"{where}.reported_by"),
        )
    return Gold(articles=articles, events=events)


def _check_facts(facts: Json, where: str) -> None:
    for name in SCALAR_FACTS:
        problem = check_value(name, facts.get(name), required=name in LABEL_REQUIRED)
        if problem is not None:
            raise InputError(f"{where}: {problem}")


def load_labels(path: Path) -> Gold:
    try:
        doc = json.loads(_read_text(path))
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not JSON: {exc.msg} (line {exc.lineno})") from exc
    return parse_labels(doc, str(path))


def parse_enriched(rows: Iterable[Json], source: str = "enriched") -> dict[str, PredArticle]:
    out: dict[str, PredArticle] = {}
    for i, row in enumerate(rows, start=1):
        where = f"{source}: line {i}"
        url = _required(row, "url", str, where)
        if url in out:
            raise InputError(f"{where}: duplicate url {url!r}")
        is_report = _required(row, "is_launch_report", bool, where)
        launch = row.get("launch")
        if launch is not None and not isinstance(launch, dict):
            raise InputError(f"{where}: 'launch' must be an object or null")
        rejected = row.get("rejected_as")
        out[url] = PredArticle(
            url=url,
            is_report=is_report,
            rejected_as=rejected if isinstance(rejected, str) else None,
            launch=launch,
        )
    return out


def parse_events(rows: Iterable[Json], source: str = "events") -> list[PredEvent]:
    out: list[PredEvent] = []
    seen: set[str] = set()
    for i, row in enumerate(rows, start=1):
        where = f"{source}: line {i}"
        event_id = _required(row, "event_id", str, where)
        if event_id in seen:
            raise InputError(f"{where}: duplicate event_id {event_id!r}")
        seen.add(event_id)
        urls = _str_list(_required(row, "article_urls", list, where), f"{where}.article_urls")
        out.append(PredEvent(event_id=event_id, urls=urls, facts=row))
    return out


# --------------------------------------------------------------------------- scoring


def _pairs(groups: dict[str, str]) -> set[frozenset[str]]:
    """Unordered pairs of urls that share a group id."""
    by_group: dict[str, list[str]] = {}
    for url, group in groups.items():
        by_group.setdefault(group, []).append(url)
    return {frozenset(p) for urls in by_group.values() for p in combinations(sorted(urls), 2)}


def _pairwise(gold: dict[str, str], pred: dict[str, str]) -> Json:
    g, p = _pairs(gold), _pairs(pred)
    return prf(len(g & p), len(p), len(g))


def _name_table(pairs: list[tuple[list[str], Sequence[str]]]) -> Json:
    tp = sum(match_sets(pred, gold) for pred, gold in pairs)
    return prf(tp, sum(len(pred) for pred, _ in pairs), sum(len(gold) for _, gold in pairs))


def score(gold: Gold, enriched: dict[str, PredArticle], events: list[PredEvent]) -> Json:
    """All figures as one JSON-ready dictionary."""
    labelled = gold.articles
    missing = sorted(url for url in labelled if url not in enriched)
    extra = sorted(url for url in enriched if url not in labelled)

    def predicted(url: str) -> bool:
        pred = enriched.get(url)
        return pred is not None and pred.is_report

    reports = [a for a in labelled.values() if a.is_report]
    negatives = [a for a in labelled.values() if not a.is_report]
    tp = [a for a in reports if predicted(a.url)]
    fp = [a for a in negatives if predicted(a.url)]
    recognition = prf(len(tp), len(tp) + len(fp), len(reports))
    recognition.update(
        {
            "articles": len(labelled),
            "negatives": len(negatives),
            "false_negative_urls": sorted(a.url for a in reports if not predicted(a.url)),
            "missing_from_enriched": missing,
            "not_labelled": extra,
        }
    )

    by_modality: Json = {}
    for modality in MODALITIES:
        group = [a for a in negatives if a.rejected_as == modality]
        accepted = sorted(a.url for a in group if predicted(a.url))
        rejected = [a for a in group if a.url in enriched and not predicted(a.url)]
        agree = sum(same_reason(enriched[a.url].rejected_as, modality) for a in rejected)
        by_modality[modality] = {
            "articles": len(group),
            "accepted": len(accepted),
            "accepted_urls": accepted,
            "rejected_with_same_modality": ratio(agree, len(rejected)),
        }

    fact_pairs: list[tuple[Json, Json]] = []
    officials: list[tuple[list[str], Sequence[str]]] = []
    sources: list[tuple[list[str], Sequence[str]]] = []
    for article in tp:
        launch = enriched[article.url].launch or {}
        fact_pairs.append((launch, article.facts))
        officials.append((names_of(launch.get("officials")), article.officials))
        sources.append((names_of(launch.get("reported_by")), article.reported_by))
    facts = fact_accuracy(fact_pairs)
    facts["officials"] = _name_table(officials)
    facts["reported_by"] = _name_table(sources)

    # Predicted event of each article: its own event_id, else the event listing it.
    listed: dict[str, str] = {}
    for event in events:
        for url in event.urls:
            listed.setdefault(url, event.event_id)
    pred_event: dict[str, str] = {}
    for url, pred in enriched.items():
        if not pred.is_report:
            continue
        own = (pred.launch or {}).get("event_id")
        event_id = own if isinstance(own, str) and own else listed.get(url)
        if event_id is not None:
            pred_event[url] = event_id
    recognised = {a.url for a in tp}
    gold_event = {a.url: a.event_key for a in reports if a.event_key is not None}
    grouping = _pairwise(
        {u: k for u, k in gold_event.items() if u in recognised},
        {u: e for u, e in pred_event.items() if u in recognised},
    )
    end_to_end = _pairwise(gold_event, {u: e for u, e in pred_event.items() if u in labelled})

    events_by_id = {event.event_id: event for event in events}
    touched: dict[str, dict[str, int]] = {key: {} for key in gold.events}
    for event in events:
        for url in event.urls:
            key = gold_event.get(url)
            if key is not None:
                touched[key][event.event_id] = touched[key].get(event.event_id, 0) + 1
    exactly_one = [key for key, ids in touched.items() if len(ids) == 1]
    pure = [
        key
        for key in exactly_one
        if {gold_event.get(u) for u in events_by_id[next(iter(touched[key]))].urls} <= {key, None}
    ]
    spurious = [e.event_id for e in events if not any(u in gold_event for u in e.urls)]
    event_pairs: list[tuple[Json, Json]] = []
    event_officials: list[tuple[list[str], Sequence[str]]] = []
    event_sources: list[tuple[list[str], Sequence[str]]] = []
    for key, ids in touched.items():
        if not ids:
            continue
        best = events_by_id[max(ids, key=lambda i: ids[i])]
        labelled_event = gold.events[key]
        event_pairs.append((best.facts, labelled_event.facts))
        event_officials.append((names_of(best.facts.get("officials")), labelled_event.officials))
        event_sources.append((names_of(best.facts.get("reported_by")), labelled_event.reported_by))
    event_facts = fact_accuracy(event_pairs)
    event_facts["officials"] = _name_table(event_officials)
    event_facts["reported_by"] = _name_table(event_sources)

    multi = sum(1 for key in gold.events if sum(k == key for k in gold_event.values()) >= 2)
    return {
        "recognition": recognition,
        "negatives_by_modality": by_modality,
        "facts": facts,
        "grouping": {
            "pairwise": grouping,
            "pairwise_end_to_end": end_to_end,
            "labelled_events": len(gold.events),
            "labelled_events_with_several_reports": multi,
            "predicted_events": len(events),
            "exactly_one_predicted_event": len(exactly_one),
            "exactly_one_and_pure": len(pure),
            "missed_events": sorted(key for key, ids in touched.items() if not ids),
            "split_events": sorted(key for key, ids in touched.items() if len(ids) > 1),
            "spurious_predicted_events": len(spurious),
        },
        "event_facts": event_facts,
    }


def check_articles(gold: Gold, path: Path) -> None:
    """The corpus file and the labels must describe the same articles."""
    urls: set[str] = set()
    for i, row in enumerate(load_jsonl(path), start=1):
        url = _required(row, "url", str, f"{path}:{i}")
        published = _required(row, "published_at", str, f"{path}:{i}")
        try:
            datetime.fromisoformat(published.replace("Z", "+00:00"))
        except ValueError as exc:
            raise InputError(f"{path}:{i}: published_at is not RFC 3339") from exc
        urls.add(url)
    if urls != set(gold.articles):
        raise InputError(
            f"{path}: articles and labels disagree "
            f"({len(urls - set(gold.articles))} unlabelled, "
            f"{len(set(gold.articles) - urls)} labelled but absent)"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--enriched", type=Path, required=True, help="ENRICHED.jsonl")
    parser.add_argument("--events", type=Path, required=True, help="EVENTS.jsonl")
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    parser.add_argument("--articles", type=Path, default=DEFAULT_ARTICLES)
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args(argv)
    try:
        gold = load_labels(args.labels)
        check_articles(gold, args.articles)
        enriched = parse_enriched(load_jsonl(args.enriched), str(args.enriched))
        events = parse_events(load_jsonl(args.events), str(args.events))
    except InputError as exc:
        print(f"score.py: error: {exc}", file=sys.stderr)
        return 2
    result = score(gold, enriched, events)
    if args.json:
        print(json.dumps(result, sort_keys=True))
    else:
        render(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
