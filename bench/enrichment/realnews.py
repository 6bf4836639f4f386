"""Score the enricher on labelled real news: the product's own code, as the service runs it.

    python bench/enrichment/realnews.py [--set dev] [--errors] [--json] [--corpus PATH]

Each labelled article whose text is at hand becomes the `Article` the parser would hand
on (built as `launchwatch enrich` builds it), the articles are fed in publication order
through `enrich_all` (tagging, then correlation per launching country), and the result
is compared with the labels: detection, the reason given for each rejected distractor,
facts of the recognised reports, and grouping (launches split over several events and
the `new` alerts they raised, events merging launches, events made only of distractors).

`--set dev` (the default) scores the development side of the split; `--set blind`
scores the blind third and prints aggregate figures only, never an article. `--errors`
lists every failure of the development set with the article's title. Material and the
blind split are described in `realnews_corpus.py` and README.md. Exit status 2 on
unreadable or malformed material.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec
from fact_fields import fmt as fmt_figure
from realnews_corpus import (
    DEFAULT_BLIND,
    DEFAULT_EXTRA_LABELS,
    DEFAULT_TEXTS,
    CorpusError,
    Material,
    Record,
    SetName,
    corpus_path,
    in_stream_order,
    load_material,
    select,
    to_article,
)
from realnews_metrics import Alert, ErrorLine, Item, Prediction, errors, figures

from schemas import EnrichedArticle
from services.cli.enrich_command import launch_summary
from services.enricher.stream import Enrichment, enrich_all

Json = dict[str, Any]


@dataclass(frozen=True)
class SetResult:
    """The figures of one side of the split, and its failures (development side only)."""

    name: SetName
    figures: Json
    errors: list[ErrorLine]
    skipped: int
    """Labelled records left out because their text is not at hand."""


def enrich(records: Sequence[Record]) -> tuple[list[Record], Enrichment]:
    """The records in stream order, and what the enricher made of them."""
    ordered = in_stream_order(records)
    now = datetime.now(UTC)
    return ordered, enrich_all([to_article(r, now) for r in ordered])


def _prediction(
    report: EnrichedArticle, final: Mapping[str, str], absorbed: Mapping[str, frozenset[str]]
) -> Prediction:
    launch = report.launch
    if not report.is_launch_report or launch is None:
        rejected = str(report.rejected_as) if report.rejected_as else None
        return Prediction(is_report=report.is_launch_report, rejected_as=rejected)
    event_id = final.get(report.article_id, launch.event_id)
    ids = {launch.event_id, event_id} | absorbed.get(event_id or "", frozenset())
    return Prediction(
        is_report=True,
        facts=launch_summary(launch, event_id),
        event_id=event_id,
        assigned=tuple(sorted(e for e in ids if e is not None)),
    )


def absorbed_events(result: Enrichment) -> dict[str, frozenset[str]]:
    """For each event, every event merged into it, directly or through another.

    A merged event's `new` alert was raised before the merge; counting it against the
    survivor's launch is what tells a split that was later repaired from no split.
    The survivor names what it absorbed (`merged_from`), and so do its merge alerts.
    """
    direct: dict[str, set[str]] = {}
    for event in result.events:
        direct.setdefault(event.event_id, set()).update(getattr(event, "merged_from", ()))
    for alert in result.alerts:
        direct.setdefault(alert.event_id, set()).update(getattr(alert, "merged_event_ids", ()))
    closed: dict[str, frozenset[str]] = {}
    for start in direct:
        seen: set[str] = set()
        todo = list(direct[start])
        while todo:
            current = todo.pop()
            if current not in seen and current != start:
                seen.add(current)
                todo += direct.get(current, ())
        closed[start] = frozenset(seen)
    return closed


def predictions(result: Enrichment) -> tuple[list[Prediction], list[Alert]]:
    """What the enricher made of each article, in input order, and the alerts it raised.

    An article's event is the final event listing it, so that reports of two events
    that were later merged count as one; the events it was placed in before (the
    first one, those merged into the final one) are kept too, because each of them
    raised its `new` alert all the same.
    """
    final = {aid: event.event_id for event in result.events for aid in event.article_ids}
    absorbed = absorbed_events(result)
    alerts = [Alert(kind=str(a.kind), event_id=a.event_id) for a in result.alerts]
    return [_prediction(report, final, absorbed) for report in result.enriched], alerts


def items_of(ordered: Sequence[Record], result: Enrichment) -> tuple[list[Item], list[Alert]]:
    """Each record with what the enricher made of it."""
    predicted, alerts = predictions(result)
    items = [
        Item(
            id=record.id,
            title=record.title,
            truth=msgspec.to_builtins(record.truth),
            predicted=prediction,
        )
        for record, prediction in zip(ordered, predicted, strict=True)
    ]
    return items, alerts


def score_set(material: Material, which: SetName) -> SetResult:
    chosen = select(material, which)
    with_text = [r for r in chosen if r.text is not None]
    ordered, result = enrich(with_text)
    items, alerts = items_of(ordered, result)
    shown = errors(items, alerts) if which == "dev" else []
    return SetResult(which, figures(items, alerts), shown, len(chosen) - len(with_text))


# --------------------------------------------------------------------------- output


def fmt(value: object) -> str:
    return fmt_figure(value, 2)


def summary_lines(result: SetResult) -> list[str]:
    """The aggregate figures as text: what `--set blind` may show."""
    f = result.figures
    det, rej, facts, grp = f["detection"], f["rejected_as"], f["facts"], f["grouping"]
    fact_text = "  ".join(f"{name} {fmt(value)}" for name, value in facts.items() if name != "n")
    return [
        f"real news, {result.name} set: {f['items']} items scored, "
        f"{result.skipped} skipped for lack of text",
        f"detection: precision {fmt(det['precision'])} recall {fmt(det['recall'])} "
        f"F1 {fmt(det['f1'])} (TP {det['tp']}, FP {det['fp']}, FN {det['fn']}; "
        f"{det['reports']} reports, {det['distractors']} distractors)",
        f"rejected_as agreement: {fmt(rej['agreement'])} "
        f"({rej['agreeing']} of {rej['correctly_rejected']} correctly rejected distractors)",
        f"facts over {facts['n']} recognised reports: {fact_text}",
        f"grouping: {grp['events_for_launches']} events predicted for "
        f"{grp['labelled_launches']} labelled launches; {grp['split_launches']} launches split "
        f"into 2+ events ({grp['new_alerts_of_split_launches']} new alerts); "
        f"{grp['launches_with_several_new_alerts']} launches with 2+ new alerts; "
        f"{grp['merging_events']} events merging launches; {grp['false_events']} false events "
        f"({fmt(grp['false_events_per_20_distractors'])} per 20 distractors)",
    ]


def error_lines(found: Sequence[ErrorLine]) -> list[str]:
    out = [f"{len(found)} errors:"]
    for e in found:
        title = f"  [{e.title}]" if e.title else ""
        out.append(f"  {e.id} {e.kind}: expected {e.expected}; got {e.got}{title}")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--set", dest="which", choices=("dev", "blind"), default="dev")
    parser.add_argument("--corpus", type=Path, help="corpus.jsonl of the shared corpus")
    parser.add_argument("--blind-list", type=Path, default=DEFAULT_BLIND)
    parser.add_argument("--extra-labels", type=Path, default=DEFAULT_EXTRA_LABELS)
    parser.add_argument("--texts", type=Path, default=DEFAULT_TEXTS, help="cached texts")
    parser.add_argument("--errors", action="store_true", help="list every failure (dev only)")
    parser.add_argument("--json", action="store_true", help="figures as one JSON object")
    args = parser.parse_args(argv)
    if args.errors and args.which == "blind":
        print("realnews.py: error: --errors is for the dev set only", file=sys.stderr)
        return 2
    try:
        material = load_material(
            corpus_path(args.corpus),
            blind=args.blind_list,
            extra_labels=args.extra_labels,
            texts=args.texts,
        )
        result = score_set(material, args.which)
    except CorpusError as exc:
        print(f"realnews.py: error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        doc: Json = {"set": result.name, "skipped": result.skipped, **result.figures}
        if args.errors:
            doc["errors"] = [asdict(e) for e in result.errors]
        print(json.dumps(doc, sort_keys=True))
        return 0
    print("\n".join(summary_lines(result)))
    if args.errors:
        print("\n".join(error_lines(result.errors)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
