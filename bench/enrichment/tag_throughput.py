"""Tagging throughput of the enricher on one core.

    python bench/enrichment/tag_throughput.py [--rounds 7] [--corpus PATH] [--json]

Tags a fixed corpus again and again with the product's `tag_article` (recognition and
fact extraction, the enricher's per-article cost; correlation is a dictionary lookup
beside it) in one process pinned to one CPU, and reports the median round as
milliseconds per article and articles per second. The corpus is every written set's
articles, plus the real-news development texts when the shared corpus is at hand, so
that real page furniture and long texts are part of the cost. The product's target is
450 articles/s per core or more: five times the parser, so that the enricher is never
the bottleneck. The first round is a warm-up (gazetteer load, caches) and is not counted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from realnews_corpus import CorpusError, corpus_path, load_material, select, to_article

from schemas import Article
from services.cli.enrich_command import BadLine, read_articles
from services.enricher.gazetteer import default_gazetteer
from services.enricher.tagging import tag_article

HERE = Path(__file__).resolve().parent
WRITTEN = ("articles.jsonl", "holdout/articles.jsonl", "blind/articles.jsonl")
WRITTEN_MORE = ("blind2/articles.jsonl",)
TARGET_PER_CORE = 450.0


@dataclass(frozen=True)
class Throughput:
    articles: int
    realnews_articles: int
    rounds: int
    ms_per_article: float
    """Median round."""
    articles_per_s: float
    target_per_core: float = TARGET_PER_CORE


def corpus(realnews: Path | None) -> tuple[list[Article], int]:
    """The articles to tag, and how many of them are real news."""
    now = datetime.now(UTC)
    articles: list[Article] = []
    for name in (*WRITTEN, *WRITTEN_MORE):
        path = HERE / name
        if path.is_file():
            articles += [a for _, a in read_articles(path, now) if not isinstance(a, BadLine)]
    real: list[Article] = []
    try:
        material = load_material(corpus_path(realnews))
    except CorpusError:
        material = None
    if material is not None:
        real = [to_article(r, now) for r in select(material, "dev") if r.text is not None]
    return articles + real, len(real)


def pin_to_one_core() -> None:
    """Run on one CPU, so that the figure is per core whatever the machine."""
    if hasattr(os, "sched_setaffinity") and hasattr(os, "sched_getaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def measure(articles: Sequence[Article], rounds: int, realnews: int = 0) -> Throughput:
    """Median of `rounds` timed rounds over `articles`, after one warm-up round."""
    if not articles or rounds < 1:
        raise ValueError("need articles and at least one round")
    gazetteer = default_gazetteer()
    now = datetime.now(UTC)
    for article in articles:
        tag_article(article, gazetteer=gazetteer, now=now)
    per_round: list[float] = []
    for _ in range(rounds):
        start = time.perf_counter()
        for article in articles:
            tag_article(article, gazetteer=gazetteer, now=now)
        per_round.append(time.perf_counter() - start)
    seconds = statistics.median(per_round)
    return Throughput(
        articles=len(articles),
        realnews_articles=realnews,
        rounds=rounds,
        ms_per_article=seconds * 1000 / len(articles),
        articles_per_s=len(articles) / seconds,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--corpus", type=Path, help="corpus.jsonl of the real-news corpus")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    pin_to_one_core()
    articles, real = corpus(args.corpus)
    result = measure(articles, args.rounds, real)
    if args.json:
        print(json.dumps(asdict(result), sort_keys=True))
        return 0
    verdict = "meets" if result.articles_per_s >= TARGET_PER_CORE else "misses"
    print(
        f"tagging on one core: {result.articles_per_s:.0f} articles/s, "
        f"{result.ms_per_article:.2f} ms/article (median of {result.rounds} rounds over "
        f"{result.articles} articles, {result.realnews_articles} of them real news); "
        f"{verdict} the target of {TARGET_PER_CORE:.0f} articles/s per core"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
