"""The all-sets figure table and the tagging throughput benchmark, on inputs written here."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "enrichment"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))  # the bench modules import their siblings by name

import figures as all_sets  # noqa: E402
import tag_throughput  # noqa: E402
from fact_fields import SCALAR_FACTS  # noqa: E402
from realnews_metrics import Alert, Item, Prediction, figures  # noqa: E402

from schemas import Article  # noqa: E402
from schemas.ids import article_id, stable_id  # noqa: E402


def _truth(key: str | None) -> dict[str, object]:
    if key is None:
        return {"is_launch_report": False, "event_key": None, "rejected_as": "planned"}
    return {
        "is_launch_report": True,
        "event_key": key,
        "country": "IR",
        "launch_date": "2031-02-02",
        "missile_type": "space-launch",
        "range_class": None,
        "count": 1,
        "outcome": "success",
    }


def _predicted(event: str | None) -> Prediction:
    if event is None:
        return Prediction(False, "planned")
    facts = {**_truth("-"), "outcome": "failure"}
    return Prediction(True, None, facts, event, (event,))


ITEMS = [
    Item("1", "", _truth("ir-a"), _predicted("e1")),
    Item("2", "", _truth("ir-a"), _predicted("e2")),
    Item("3", "", _truth(None), _predicted(None)),
    Item("4", "", _truth(None), _predicted("e3")),
]
ALERTS = [Alert("new", "e1"), Alert("new", "e2"), Alert("new", "e3")]


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def test_one_table_with_the_same_columns_for_every_set() -> None:
    written = all_sets.SetRow("main", figures(ITEMS, ALERTS, SCALAR_FACTS))
    real = all_sets.SetRow("real news dev", figures(ITEMS, ALERTS), skipped=3)
    missing = all_sets.SetRow("real news blind third", None, problem="no corpus")
    lines = all_sets.markdown_table([written, real, missing]).splitlines()
    assert len(lines) == 5
    header = _cells(lines[0])
    assert header == list(all_sets.COLUMNS)
    rows = [dict(zip(header, _cells(line), strict=True)) for line in lines[2:]]
    main, dev, blind = rows
    assert main["articles"] == "4"
    assert dev["articles"] == "4 (+3 without text)"
    assert main["detection P / R / F1"] == "0.67 / 1.00 / 0.80"
    assert main["outcome"] == "0.00"
    assert dev["outcome"] == "n/a"  # the real-news corpus labels no outcome
    assert main["events / launches"] == "2 / 1"
    assert main["launches split (their `new` alerts)"] == "1 (2)"
    assert main["false events (per 20 distractors)"] == "1 (10.00)"
    assert blind["articles"] == "unavailable: no corpus"


def test_figures_command_leaves_out_the_blind_third(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[tuple[str, ...]] = []

    def fake_realnews(corpus: Path | None, sets: tuple[str, ...]) -> list[all_sets.SetRow]:
        asked.append(tuple(sets))
        return []

    def fake_written(name: str, directory: Path) -> all_sets.SetRow:
        return all_sets.SetRow(name, None, problem="not run here")

    monkeypatch.setattr(all_sets, "realnews_sets", fake_realnews)
    monkeypatch.setattr(all_sets, "written_set", fake_written)
    assert all_sets.main(["--skip-blind"]) == 0
    assert all_sets.main([]) == 0
    assert asked == [("dev",), ("dev", "blind")]


def test_written_set_is_scored_with_outcome() -> None:
    row = all_sets.written_set("main", BENCH)
    assert row.problem is None
    assert row.figures is not None
    assert row.figures["items"] >= 70
    assert "outcome" in row.figures["facts"]


def _article(n: int, text: str) -> Article:
    url = f"https://wire.example/{n}"
    return Article(
        article_id=article_id(url),
        url=url,
        feed_id=stable_id("offline"),
        text=text,
        published_at=datetime(2031, 2, 2, 9, tzinfo=UTC),
        parsed_at=datetime(2031, 2, 2, 9, tzinfo=UTC),
    )


def test_throughput_is_a_median_per_article() -> None:
    articles = [
        _article(1, "Iran launched a satellite carrier rocket from Semnan on Thursday."),
        _article(2, "The council met on Friday to discuss the budget."),
    ]
    result = tag_throughput.measure(articles, rounds=3)
    assert result.articles == 2
    assert result.rounds == 3
    assert result.ms_per_article > 0
    assert result.articles_per_s == pytest.approx(1000 / result.ms_per_article)
    with pytest.raises(ValueError, match="articles"):
        tag_throughput.measure([], rounds=3)
