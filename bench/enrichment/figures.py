"""The enricher's figures on every labelled set, in one markdown table.

    python bench/enrichment/figures.py [--skip-blind] [--corpus PATH]

Sets, in order: the written sets (`articles.jsonl` with `labels.json` here = main,
`holdout/`, `blind/`, `blind2/`), then the real-news development side and its blind
third. Each set is run on its own through the product's `enrich_all` (written sets in
file order, as `launchwatch enrich` reads them; real news in publication order) and
scored by the same code (`realnews_metrics.figures`), so a column means the same thing
in every row; a fact a set does not label is `n/a`. Only aggregate figures are printed.
`--skip-blind` leaves out the real-news blind third, which is scored once, at the end.
A set whose material is missing is shown as unavailable, with the reason.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fact_fields import SCALAR_FACTS, fmt
from realnews import predictions, score_set
from realnews_corpus import CorpusError, SetName, corpus_path, load_material
from realnews_metrics import Item, figures
from score import GoldArticle, InputError, check_articles, load_labels

from services.cli.enrich_command import BadLine, read_articles
from services.enricher.stream import enrich_all

Json = dict[str, Any]
HERE = Path(__file__).resolve().parent
WRITTEN_SETS: tuple[tuple[str, Path], ...] = (
    ("main", HERE),
    ("holdout", HERE / "holdout"),
    ("blind", HERE / "blind"),
    ("blind2", HERE / "blind2"),
)


@dataclass(frozen=True)
class SetRow:
    """One row of the table: a set's aggregate figures, or why it could not be scored."""

    name: str
    figures: Json | None
    skipped: int = 0
    """Labelled articles left out for lack of text."""
    problem: str | None = None


def _truth(gold: GoldArticle) -> Json:
    return {
        "is_launch_report": gold.is_report,
        "event_key": gold.event_key,
        "rejected_as": gold.rejected_as,
        **gold.facts,
    }


def written_set(name: str, directory: Path) -> SetRow:
    """A written set through the enricher, scored on every fact its labels state."""
    articles_path, labels_path = directory / "articles.jsonl", directory / "labels.json"
    try:
        gold = load_labels(labels_path)
        check_articles(gold, articles_path)
        parsed = [a for _, a in read_articles(articles_path, datetime.now(UTC))]
    except (InputError, OSError) as exc:
        return SetRow(name, None, problem=str(exc))
    bad = [a for a in parsed if isinstance(a, BadLine)]
    articles = [a for a in parsed if not isinstance(a, BadLine)]
    if bad:
        return SetRow(name, None, problem=f"{articles_path}: {len(bad)} lines not Articles")
    predicted, alerts = predictions(enrich_all(articles))
    items = [
        Item(article.url, article.title or "", _truth(gold.articles[article.url]), prediction)
        for article, prediction in zip(articles, predicted, strict=True)
    ]
    return SetRow(name, figures(items, alerts, SCALAR_FACTS))


def realnews_sets(corpus: Path | None, sets: Sequence[SetName]) -> list[SetRow]:
    names = {"dev": "real news dev", "blind": "real news blind third"}
    try:
        material = load_material(corpus_path(corpus))
    except CorpusError as exc:
        return [SetRow(names[which], None, problem=str(exc)) for which in sets]
    rows: list[SetRow] = []
    for which in sets:
        result = score_set(material, which)
        rows.append(SetRow(names[which], result.figures, skipped=result.skipped))
    return rows


# --------------------------------------------------------------------------- the table

COLUMNS = (
    "set",
    "articles",
    "detection P / R / F1",
    "rejected_as agrees",
    "country",
    "launch date (±1 day)",
    "type",
    "range class",
    "count",
    "outcome",
    "events / launches",
    "launches split (their `new` alerts)",
    "launches with 2+ `new` alerts",
    "events merging launches",
    "false events (per 20 distractors)",
)


def _cells(row: SetRow) -> list[str]:
    f = row.figures
    if f is None:
        return [row.name, f"unavailable: {row.problem}", *["—"] * (len(COLUMNS) - 2)]
    det, facts, grp = f["detection"], f["facts"], f["grouping"]

    def fact(name: str) -> str:
        return fmt(facts.get(name), 2)

    articles = str(f["items"]) + (f" (+{row.skipped} without text)" if row.skipped else "")
    return [
        row.name,
        articles,
        " / ".join(fmt(det[k], 2) for k in ("precision", "recall", "f1")),
        fmt(f["rejected_as"]["agreement"], 2),
        fact("country"),
        f"{fact('launch_date')} ({fact('launch_date_within_1d')})",
        fact("missile_type"),
        fact("range_class"),
        fact("count"),
        fact("outcome"),
        f"{grp['events_for_launches']} / {grp['labelled_launches']}",
        f"{grp['split_launches']} ({grp['new_alerts_of_split_launches']})",
        str(grp["launches_with_several_new_alerts"]),
        str(grp["merging_events"]),
        f"{grp['false_events']} ({fmt(grp['false_events_per_20_distractors'], 2)})",
    ]


def markdown_table(rows: Sequence[SetRow]) -> str:
    """One markdown table, one row per set, the same columns for all."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(_cells(row)) + " |" for row in rows]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--skip-blind", action="store_true", help="leave out the blind third")
    parser.add_argument("--corpus", type=Path, help="corpus.jsonl of the real-news corpus")
    args = parser.parse_args(argv)
    rows = [written_set(name, directory) for name, directory in WRITTEN_SETS]
    sets: tuple[SetName, ...] = ("dev",) if args.skip_blind else ("dev", "blind")
    rows += realnews_sets(args.corpus, sets)
    print(markdown_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
