"""Figures of the enricher on labelled real news, from what it made of each article.

The figures are the ones that decide whether an analyst gets one correct alert per
launch: detection, the reason given for each rejected distractor, the facts of the
reports it recognised, and grouping. Grouping is counted the way an analyst feels it:
a launch whose reports landed in two or more events (each of which raised its own `new`
alert), an event that swallowed two launches, and an event made only of stories that
report no launch (a false alert).

`figures` returns aggregates only, safe to print for a blind set; `errors` returns the
per-article detail a rule writer needs, and is only ever shown for the development set.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from fact_fields import fact_accuracy, normalise, prf, ratio
from realnews_corpus import LABELLED_FACTS

Json = dict[str, Any]

DISTRACTOR_WINDOW = 20
"""False events are quoted per this many distractor stories, as the targets are."""


@dataclass(frozen=True)
class Prediction:
    """What the enricher made of one article."""

    is_report: bool
    rejected_as: str | None = None
    facts: Json = field(default_factory=dict)
    event_id: str | None = None
    """The event that holds the report at the end of the run."""
    assigned: tuple[str, ...] = ()
    """Every event the report was placed in, the final one included."""


@dataclass(frozen=True)
class Item:
    """One labelled article and the enricher's output for it."""

    id: str
    title: str
    truth: Json
    """Labels as plain values: `is_launch_report`, `event_key`, facts, `rejected_as`."""
    predicted: Prediction


@dataclass(frozen=True)
class Alert:
    kind: str
    event_id: str


def _is_report(item: Item) -> bool:
    return bool(item.truth.get("is_launch_report"))


def _reports_by_launch(items: Sequence[Item]) -> dict[str, list[Item]]:
    launches: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        key = item.truth.get("event_key")
        if _is_report(item) and isinstance(key, str):
            launches[key].append(item)
    return dict(launches)


def _members(items: Sequence[Item]) -> dict[str, list[Item]]:
    """Articles of each predicted event, by final event id."""
    events: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        if item.predicted.is_report and item.predicted.event_id is not None:
            events[item.predicted.event_id].append(item)
    return dict(events)


def _events_of(reports: Sequence[Item]) -> set[str]:
    return {r.predicted.event_id for r in reports if r.predicted.event_id is not None}


def _new_alerts(reports: Sequence[Item], alerts: Sequence[Alert]) -> int:
    """`new` alerts raised for any event the launch's reports were ever placed in."""
    ids = {event_id for r in reports for event_id in r.predicted.assigned}
    ids |= _events_of(reports)
    return sum(1 for alert in alerts if alert.kind == "new" and alert.event_id in ids)


def _fact_pairs(items: Sequence[Item]) -> list[tuple[Json, Json]]:
    """(predicted, labelled) facts of the correctly recognised reports."""
    return [(i.predicted.facts, i.truth) for i in items if _is_report(i) and i.predicted.is_report]


def wrong_facts(
    item: Item, facts: Sequence[str] = LABELLED_FACTS
) -> list[tuple[str, object, object]]:
    """(fact, expected, got) for each labelled fact the report got wrong."""
    out: list[tuple[str, object, object]] = []
    for name in facts:
        want = normalise(name, item.truth.get(name))
        got = normalise(name, item.predicted.facts.get(name))
        if want != got:
            out.append((name, want, got))
    return out


def figures(
    items: Sequence[Item], alerts: Sequence[Alert], facts: Sequence[str] = LABELLED_FACTS
) -> Json:
    """Aggregate figures only: counts and ratios, never an id.

    `facts` are the facts the labels state: the real-news corpus has no `outcome`, the
    written sets have it.
    """
    reports = [i for i in items if _is_report(i)]
    distractors = [i for i in items if not _is_report(i)]
    tp = sum(1 for i in reports if i.predicted.is_report)
    fp = sum(1 for i in distractors if i.predicted.is_report)
    detection = prf(tp, tp + fp, len(reports))
    detection.update({"fp": fp, "fn": len(reports) - tp, "reports": len(reports)})
    detection["distractors"] = len(distractors)

    rejected = [i for i in distractors if not i.predicted.is_report]
    agreeing = sum(1 for i in rejected if i.predicted.rejected_as == i.truth.get("rejected_as"))
    by_label: dict[str, Json] = {}
    for item in distractors:
        label = str(item.truth.get("rejected_as"))
        row = by_label.setdefault(label, {"articles": 0, "accepted": 0, "agreeing": 0})
        row["articles"] += 1
        row["accepted"] += item.predicted.is_report
        row["agreeing"] += (not item.predicted.is_report) and item.predicted.rejected_as == label

    launches = _reports_by_launch(items)
    split = {key: rs for key, rs in launches.items() if len(_events_of(rs)) >= 2}
    new_per_launch = {key: _new_alerts(rs, alerts) for key, rs in launches.items()}
    members = _members(items)
    merging = [
        event_id
        for event_id, its in members.items()
        if len({i.truth.get("event_key") for i in its if _is_report(i)}) >= 2
    ]
    false_events = [e for e, its in members.items() if not any(_is_report(i) for i in its)]
    false_rate = ratio(len(false_events) * DISTRACTOR_WINDOW, len(distractors))
    return {
        "items": len(items),
        "detection": detection,
        "rejected_as": {
            "correctly_rejected": len(rejected),
            "agreeing": agreeing,
            "agreement": ratio(agreeing, len(rejected)),
            "by_label": dict(sorted(by_label.items())),
        },
        "facts": fact_accuracy(_fact_pairs(items), facts),
        "grouping": {
            "labelled_launches": len(launches),
            "events_for_launches": len(_events_of(reports)),
            "split_launches": len(split),
            "new_alerts_of_split_launches": sum(new_per_launch[key] for key in split),
            "launches_with_several_new_alerts": sum(1 for n in new_per_launch.values() if n >= 2),
            "merging_events": len(merging),
            "false_events": len(false_events),
            "false_events_per_20_distractors": false_rate,
        },
    }


@dataclass(frozen=True)
class ErrorLine:
    """One failure, told so that a rule writer can find the article and see the gap."""

    kind: str
    id: str
    title: str
    expected: str
    got: str


def _got(p: Prediction) -> str:
    if not p.is_report:
        return f"rejected as {p.rejected_as or '-'}"
    facts = " ".join(f"{n}={normalise(n, p.facts.get(n))}" for n in LABELLED_FACTS)
    return f"report {facts} event={p.event_id}"


def _expected(truth: Json) -> str:
    if not truth.get("is_launch_report"):
        return f"distractor ({truth.get('rejected_as')})"
    facts = " ".join(f"{n}={normalise(n, truth.get(n))}" for n in LABELLED_FACTS)
    return f"report {truth.get('event_key')} {facts}"


def errors(items: Sequence[Item], alerts: Sequence[Alert]) -> list[ErrorLine]:
    """Every wrong item, then every split launch, merging event and false event."""
    out: list[ErrorLine] = []
    for item in items:
        truth, pred = item.truth, item.predicted
        if _is_report(item) != pred.is_report:
            kind = "missed report" if _is_report(item) else "false report"
            out.append(ErrorLine(kind, item.id, item.title, _expected(truth), _got(pred)))
        elif not pred.is_report and pred.rejected_as != truth.get("rejected_as"):
            out.append(
                ErrorLine(
                    "rejected_as",
                    item.id,
                    item.title,
                    str(truth.get("rejected_as")),
                    str(pred.rejected_as),
                )
            )
        elif pred.is_report:
            for name, want, got in wrong_facts(item):
                out.append(ErrorLine(name, item.id, item.title, str(want), str(got)))
    for key, reports in sorted(_reports_by_launch(items).items()):
        events = _events_of(reports)
        if len(events) >= 2:
            placed = ", ".join(f"{r.id}->{r.predicted.event_id}" for r in reports)
            got = f"{len(events)} events, {_new_alerts(reports, alerts)} new alerts: {placed}"
            out.append(ErrorLine("split launch", key, "", "one event", got))
    for event_id, members in sorted(_members(items).items()):
        keys = sorted({str(i.truth.get("event_key")) for i in members if _is_report(i)})
        ids = ", ".join(i.id for i in members)
        if len(keys) >= 2:
            out.append(ErrorLine("merging event", event_id, "", "one launch", f"{keys}: {ids}"))
        elif not keys:
            out.append(ErrorLine("false event", event_id, "", "no event", ids))
    return out
