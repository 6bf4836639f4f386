"""`launchwatch enrich`: Article JSON lines in, enriched lines and events out."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from services.cli import enrich_command
from services.sample_site.catalog import DATA

SEED = (DATA / "004_5fe2e5f7dbfbb3ae.txt").read_text(encoding="utf-8")


def run(
    tmp_path: Path, lines: list[str]
) -> tuple[int, list[dict[str, object]], list[dict[str, object]]]:
    source = tmp_path / "articles.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    parser = argparse.ArgumentParser()
    enrich_command.register(parser.add_subparsers())
    args = parser.parse_args(
        [
            "enrich",
            str(source),
            "--out",
            str(tmp_path / "out.jsonl"),
            "--events",
            str(tmp_path / "ev.jsonl"),
        ]
    )
    code: int = args.run(args, {})
    return code, _lines(tmp_path / "out.jsonl"), _lines(tmp_path / "ev.jsonl")


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_enrich_writes_one_line_per_article_and_per_event(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {"url": "https://a.example/1", "text": SEED, "published_at": "2025-02-28T02:00:00Z"}
        ),
        json.dumps({"url": "https://b.example/2", "text": "Harbour launched a phone on Tuesday."}),
    ]
    code, enriched, events = run(tmp_path, lines)
    assert code == 0
    assert [line["is_launch_report"] for line in enriched] == [True, False]
    launch = enriched[0]["launch"]
    assert isinstance(launch, dict)
    assert launch["country"] == "KP"
    assert launch["launch_date"] == "2025-02-26"
    assert launch["missile_type"] == "cruise"
    assert launch["officials"] == ["Kim Jong Un"]
    assert enriched[1]["launch"] is None
    [event] = events
    assert event["event_id"] == launch["event_id"]
    assert event["article_urls"] == ["https://a.example/1"]
    assert set(event) >= {
        "country",
        "launch_date",
        "missile_type",
        "range_class",
        "count",
        "location",
        "outcome",
        "officials",
        "reported_by",
    }


def test_bad_lines_are_named_and_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        "{not json",
        json.dumps({"text": "no url"}),
        json.dumps({"url": "ftp://x.example/a", "text": "x"}),
        json.dumps({"url": "https://a.example/1", "text": 5}),
        json.dumps({"url": "https://a.example/2", "text": "A quiet day."}),
    ]
    code, enriched, events = run(tmp_path, lines)
    assert code == 1
    assert [line["url"] for line in enriched] == ["https://a.example/2"]
    assert events == []
    errors = capsys.readouterr().err
    for number in (1, 2, 3, 4):
        assert f"articles.jsonl:{number}:" in errors
    assert "Traceback" not in errors
