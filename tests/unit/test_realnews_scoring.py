"""The real-news scorer's arithmetic, blind split and material, on records written here.

No real article is used: the texts below are short wire-style paragraphs written for the
tests, and the figures are checked on hand-made predictions where the arithmetic matters.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "enrichment"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))  # the bench modules import their siblings by name

import realnews  # noqa: E402
import realnews_corpus as corpus  # noqa: E402
from realnews_metrics import Alert, Item, Prediction, errors, figures  # noqa: E402

from services.enricher.stream import Enrichment  # noqa: E402

Json = dict[str, Any]


def report(key: str, day: str = "2022-03-03", **facts: object) -> Json:
    return {
        "is_launch_report": True,
        "event_key": key,
        "country": "KP",
        "launch_date": day,
        "missile_type": "ballistic",
        "range_class": "SRBM",
        "count": 2,
        "rejected_as": None,
        **facts,
    }


def distractor(reason: str) -> Json:
    return {"is_launch_report": False, "event_key": None, "rejected_as": reason}


def found(event: str, *assigned: str, **facts: object) -> Prediction:
    launch = {**report("-"), **facts}
    return Prediction(True, None, launch, event, (*assigned, event))


def rejected(reason: str) -> Prediction:
    return Prediction(False, reason)


ITEMS = [
    Item("a1", "A first", report("kp-a", launch_date="2022-03-03"), found("e1")),
    Item("a2", "A second", report("kp-a"), found("e2", launch_date="2022-03-04")),
    Item("a3", "A missed", report("kp-a"), rejected("historical")),
    Item("b1", "B first", report("kp-b"), found("e3")),
    Item("b2", "B second", report("kp-b"), found("e3", count=None)),
    Item("c1", "C only", report("kp-c"), found("e3", "e0")),
    Item("d1", "Plan", distractor("planned"), found("e4")),
    Item("d2", "Parade", distractor("not-a-launch"), rejected("not-a-launch")),
    Item("d3", "Rally", distractor("reaction"), rejected("historical")),
]
ALERTS = [
    Alert("new", "e1"),
    Alert("new", "e2"),
    Alert("update", "e1"),
    Alert("new", "e0"),
    Alert("new", "e3"),
    Alert("update", "e3"),
    Alert("new", "e4"),
]


def test_detection_and_rejection_reasons() -> None:
    result = figures(ITEMS, ALERTS)
    det = result["detection"]
    assert (det["tp"], det["fp"], det["fn"]) == (5, 1, 1)
    assert det["precision"] == pytest.approx(5 / 6)
    assert det["recall"] == pytest.approx(5 / 6)
    assert (det["reports"], det["distractors"]) == (6, 3)
    reasons = result["rejected_as"]
    assert (reasons["correctly_rejected"], reasons["agreeing"]) == (2, 1)
    assert reasons["agreement"] == pytest.approx(1 / 2)
    assert reasons["by_label"]["planned"] == {"articles": 1, "accepted": 1, "agreeing": 0}


def test_facts_over_recognised_reports_only() -> None:
    facts = figures(ITEMS, ALERTS)["facts"]
    assert facts["n"] == 5
    assert facts["launch_date"] == pytest.approx(4 / 5)
    assert facts["launch_date_within_1d"] == 1.0
    assert facts["count"] == pytest.approx(4 / 5)
    assert facts["country"] == facts["missile_type"] == facts["range_class"] == 1.0
    assert "outcome" not in facts


def test_split_launches_merging_and_false_events() -> None:
    grouping = figures(ITEMS, ALERTS)["grouping"]
    assert grouping["labelled_launches"] == 3
    assert grouping["events_for_launches"] == 3  # e1, e2, e3
    assert grouping["split_launches"] == 1  # kp-a over e1 and e2
    assert grouping["new_alerts_of_split_launches"] == 2
    # kp-a raised two; kp-c's report sat first in e0, whose `new` counts too.
    assert grouping["launches_with_several_new_alerts"] == 2
    assert grouping["merging_events"] == 1  # e3 holds kp-b and kp-c
    assert grouping["false_events"] == 1  # e4 holds only a distractor
    assert grouping["false_events_per_20_distractors"] == pytest.approx(20 / 3)


def test_no_distractors_gives_no_rate() -> None:
    grouping = figures(ITEMS[:6], ALERTS)["grouping"]
    assert grouping["false_events"] == 0
    assert grouping["false_events_per_20_distractors"] is None


def test_aggregate_figures_name_no_article() -> None:
    text = json.dumps(figures(ITEMS, ALERTS))
    for item in ITEMS:
        assert item.id not in text
        assert item.title not in text
    for word in ("kp-a", "e1", "e3"):
        assert f'"{word}"' not in text


def test_errors_tell_each_failure() -> None:
    found_errors = {(e.kind, e.id) for e in errors(ITEMS, ALERTS)}
    assert found_errors == {
        ("launch_date", "a2"),
        ("missed report", "a3"),
        ("count", "b2"),
        ("false report", "d1"),
        ("rejected_as", "d3"),
        ("split launch", "kp-a"),
        ("merging event", "e3"),
        ("false event", "e4"),
    }


# --------------------------------------------------------------------------- the blind rule


def test_blind_rule_is_the_documented_one() -> None:
    rule = json.loads((BENCH / "realnews" / "blind.json").read_text(encoding="utf-8"))["rule"]
    assert corpus.BLIND_SALT in rule
    assert "% 3 == 0" in rule
    for unit in ("kp-2031-01-01-icbm", "x999", "ir-2030-05-05-slv"):
        digest = hashlib.sha256(f"launchwatch-blind:{unit}".encode()).hexdigest()
        assert corpus.is_blind_unit(unit) is (int(digest[:8], 16) % 3 == 0)


def _units(blind: bool, n: int) -> list[str]:
    units = (f"kp-2031-01-{day:02d}-srbm" for day in range(1, 200))
    return [u for u in units if corpus.is_blind_unit(u) is blind][:n]


TEXT_A = (
    "SEOUL, Jan. 4 (Wire) -- North Korea fired two short-range ballistic missiles into the "
    "East Sea on Tuesday morning, South Korea's Joint Chiefs of Staff said. The missiles flew "
    "about 300 kilometers before landing outside Japan's exclusive economic zone."
)
TEXT_B = (
    "By Desk Staff\n\nPyongyang's launch on Tuesday of two short-range ballistic missiles "
    "drew protests from Tokyo and Seoul, officials said on Wednesday."
)
TEXT_C = "The company launched a new phone on Monday, priced at 300 dollars, with a bigger screen."


def _record(rid: str, day: int, truth: Json, text: str | None) -> Json:
    row: Json = {
        "id": rid,
        "published": f"2031-01-{day:02d}T09:00:00+09:00",
        "source": "wire.example",
        "url": f"https://wire.example/{rid}",
        "title": f"Story {rid}",
        "truth": truth,
    }
    if text is not None:
        row["text"] = text
    return row


def _write(path: Path, rows: list[Json]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def material_paths(tmp_path: Path) -> dict[str, Path]:
    dev_key, blind_key = _units(False, 1)[0], _units(True, 1)[0]
    day = dev_key.split("-")[3]
    truth = report(dev_key, f"2031-01-{day}", count=2)
    shared = [
        _record("d001", 4, truth, TEXT_A),
        _record("d002", 5, {**truth, "count": 2}, TEXT_B),
        _record("d003", 5, distractor("not-a-launch"), TEXT_C),
        _record("d004", 6, report(blind_key), TEXT_A),  # listed blind
        _record("d005", 6, distractor("planned"), None),  # no text: skipped
    ]
    extra = [
        _record("x001", 4, report(dev_key, f"2031-01-{day}"), None),  # text in the cache
        _record("x002", 4, report(blind_key), None),  # blind by the rule
        _record("x003", 4, distractor("reaction"), None),  # no text anywhere
    ]
    blind = {"rule": "see realnews_corpus", "blind_ids": ["d004"]}
    (tmp_path / "blind.json").write_text(json.dumps(blind), encoding="utf-8")
    texts = [{"id": "x001", "text": TEXT_A}, {"id": "x002", "text": TEXT_B}]
    return {
        "corpus": _write(tmp_path / "corpus.jsonl", shared),
        "blind": tmp_path / "blind.json",
        "extra_labels": _write(tmp_path / "extra.jsonl", extra),
        "texts": _write(tmp_path / "texts.jsonl", texts),
    }


def _material(paths: dict[str, Path]) -> corpus.Material:
    return corpus.load_material(
        paths["corpus"],
        blind=paths["blind"],
        extra_labels=paths["extra_labels"],
        texts=paths["texts"],
    )


def test_split_by_list_for_the_corpus_and_by_rule_for_extras(
    material_paths: dict[str, Path],
) -> None:
    material = _material(material_paths)
    dev = {r.id for r in corpus.select(material, "dev")}
    blind = {r.id for r in corpus.select(material, "blind")}
    assert dev == {"d001", "d002", "d003", "d005", "x001", "x003"} - (
        {"x003"} if corpus.is_blind_unit("x003") else set()
    )
    assert {"d004", "x002"} <= blind
    assert not dev & blind
    texts = {r.id: r.text for r in material.records}
    assert texts["x001"] == TEXT_A
    assert texts["d005"] is None


def test_scoring_counts_the_items_without_text(material_paths: dict[str, Path]) -> None:
    result = realnews.score_set(_material(material_paths), "dev")
    expected_skipped = 1 + (0 if corpus.is_blind_unit("x003") else 1)
    assert result.skipped == expected_skipped
    assert result.figures["items"] == 4  # d001, d002, d003, x001
    assert result.figures["detection"]["reports"] == 3
    assert result.figures["grouping"]["labelled_launches"] == 1


def _cli(paths: dict[str, Path], *args: str) -> list[str]:
    return [
        "--corpus",
        str(paths["corpus"]),
        "--blind-list",
        str(paths["blind"]),
        "--extra-labels",
        str(paths["extra_labels"]),
        "--texts",
        str(paths["texts"]),
        *args,
    ]


def test_blind_set_prints_aggregates_only(
    material_paths: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert realnews.main(_cli(material_paths, "--set", "blind")) == 0
    shown = capsys.readouterr().out
    assert "real news, blind set: 2 items scored" in shown
    for secret in ("d004", "x002", "Story", "wire.example"):
        assert secret not in shown
    assert realnews.main(_cli(material_paths, "--set", "blind", "--json")) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["set"] == "blind"
    assert "errors" not in doc
    assert realnews.main(_cli(material_paths, "--set", "blind", "--errors")) == 2


def test_dev_errors_and_json(
    material_paths: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert realnews.main(_cli(material_paths, "--errors", "--json")) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["set"] == "dev"
    assert isinstance(doc["errors"], list)
    assert doc["detection"]["reports"] + doc["detection"]["distractors"] == doc["items"]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([_record("d001", 4, report("kp-x") | {"event_key": None}, "t")], "event_key"),
        ([_record("d001", 4, distractor("planned") | {"event_key": "k"}, "t")], "distractor"),
        ([_record("d001", 4, report("kp-x"), "t"), _record("d001", 5, report("kp-x"), "t")], "dup"),
        ([_record("d001", 4, report("kp-x") | {"missile_type": "laser"}, "t")], "laser"),
    ],
)
def test_malformed_material_is_refused(
    tmp_path: Path, material_paths: dict[str, Path], rows: list[Json], message: str
) -> None:
    paths = {**material_paths, "corpus": _write(tmp_path / "bad.jsonl", rows)}
    with pytest.raises(corpus.CorpusError, match=message):
        _material(paths)


def test_extra_ids_start_with_x(tmp_path: Path, material_paths: dict[str, Path]) -> None:
    extra = _write(tmp_path / "bad-extra.jsonl", [_record("y1", 4, distractor("planned"), None)])
    with pytest.raises(corpus.CorpusError, match="'x'"):
        _material({**material_paths, "extra_labels": extra})


def test_corpus_path_order(tmp_path: Path) -> None:
    given = tmp_path / "given.jsonl"
    assert corpus.corpus_path(given, {corpus.CORPUS_ENV: "/elsewhere"}) == given
    assert corpus.corpus_path(None, {corpus.CORPUS_ENV: "/elsewhere"}) == Path("/elsewhere")
    assert corpus.corpus_path(None, {}) == corpus.DEFAULT_CORPUS
    parts = ("shared", "corpora", "real-news-dev", "corpus.jsonl")
    assert corpus.DEFAULT_CORPUS.parts[-4:] == parts


def test_events_absorbed_through_merges_are_traced() -> None:
    """A launch split, then merged, still raised a `new` alert for each of its events."""
    events = [
        SimpleNamespace(event_id="e3", merged_from=("e2",)),
        SimpleNamespace(event_id="e9"),  # an event of a product without merges
    ]
    alerts = [
        SimpleNamespace(event_id="e2", merged_event_ids=("e1",)),
        SimpleNamespace(event_id="e1", merged_event_ids=("e2",)),  # a cycle ends
    ]
    result = cast(Enrichment, SimpleNamespace(enriched=[], events=events, alerts=alerts))
    absorbed = realnews.absorbed_events(result)
    assert absorbed["e3"] == {"e1", "e2"}
    assert absorbed["e9"] == frozenset()
    assert absorbed["e1"] == {"e2"}
