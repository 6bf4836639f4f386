"""Tables of the written-set scorer's figures, for a reader at a terminal (`rich`)."""

from __future__ import annotations

from typing import Any

from fact_fields import NAME_FACTS, SCALAR_FACTS, fmt

Json = dict[str, Any]


def render(result: Json) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    rec = result["recognition"]
    table = Table(title="Launch recognition")
    for column in (
        "articles",
        "reports",
        "negatives",
        "TP",
        "FP",
        "FN",
        "precision",
        "recall",
        "F1",
    ):
        table.add_column(column, justify="right")
    table.add_row(
        *map(
            fmt,
            (
                rec["articles"],
                rec["gold"],
                rec["negatives"],
                rec["tp"],
                rec["predicted"] - rec["tp"],
                rec["gold"] - rec["tp"],
                rec["precision"],
                rec["recall"],
                rec["f1"],
            ),
        )
    )
    console.print(table)
    if rec["missing_from_enriched"] or rec["not_labelled"]:
        console.print(
            f"[yellow]{len(rec['missing_from_enriched'])} labelled articles missing from the "
            f"enriched output (scored as not reports); {len(rec['not_labelled'])} enriched "
            "articles not labelled (ignored)[/yellow]"
        )
    for url in rec["false_negative_urls"]:
        console.print(f"  missed report: {url}")

    table = Table(title="Non-reports by rejection modality")
    for column in ("modality", "articles", "wrongly accepted", "rejected with same modality"):
        table.add_column(column, justify="right" if column != "modality" else "left")
    for modality, row in result["negatives_by_modality"].items():
        table.add_row(
            modality,
            fmt(row["articles"]),
            fmt(row["accepted"]),
            fmt(row["rejected_with_same_modality"]),
        )
    console.print(table)
    for row in result["negatives_by_modality"].values():
        for url in row["accepted_urls"]:
            console.print(f"  accepted non-report: {url}")

    for title, facts in (
        ("Facts per correctly recognised report", result["facts"]),
        ("Facts per labelled event (best-overlapping predicted event)", result["event_facts"]),
    ):
        table = Table(title=f"{title} (n={facts['n']})")
        table.add_column("fact")
        table.add_column("accuracy", justify="right")
        for name in (*SCALAR_FACTS[:2], "launch_date_within_1d", *SCALAR_FACTS[2:]):
            table.add_row(name, fmt(facts[name]))
        console.print(table)
        table = Table(title=f"{title}: names")
        for column in ("fact", "predicted", "labelled", "matched", "precision", "recall", "F1"):
            table.add_column(column, justify="right" if column != "fact" else "left")
        for name in NAME_FACTS:
            row = facts[name]
            table.add_row(
                name,
                *map(
                    fmt,
                    (
                        row["predicted"],
                        row["gold"],
                        row["tp"],
                        row["precision"],
                        row["recall"],
                        row["f1"],
                    ),
                ),
            )
        console.print(table)

    grouping = result["grouping"]
    table = Table(title="Event grouping (pairs of reports in one event)")
    for column in ("scope", "gold pairs", "predicted pairs", "shared", "precision", "recall", "F1"):
        table.add_column(column, justify="right" if column != "scope" else "left")
    for scope, key in (
        ("correctly recognised reports", "pairwise"),
        ("all articles", "pairwise_end_to_end"),
    ):
        row = grouping[key]
        table.add_row(
            scope,
            *map(
                fmt,
                (
                    row["gold"],
                    row["predicted"],
                    row["tp"],
                    row["precision"],
                    row["recall"],
                    row["f1"],
                ),
            ),
        )
    console.print(table)
    table = Table(title="Events")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for label, key in (
        ("labelled events", "labelled_events"),
        ("labelled events with 2+ reports", "labelled_events_with_several_reports"),
        ("predicted events", "predicted_events"),
        ("labelled events with exactly one predicted event", "exactly_one_predicted_event"),
        ("... and that event holds no other labelled event", "exactly_one_and_pure"),
        ("predicted events with no labelled report", "spurious_predicted_events"),
    ):
        table.add_row(label, fmt(grouping[key]))
    table.add_row("labelled events with no predicted event", fmt(len(grouping["missed_events"])))
    table.add_row("labelled events split over 2+ events", fmt(len(grouping["split_events"])))
    console.print(table)
