"""The enrichment scorer on a tiny synthetic case, and the consistency of the corpus."""

from __future__ import annotations

import enum
import json
import subprocess
import sys
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import msgspec
import pytest

from schemas import LaunchFactFields
from tests.scripts import load_script

BENCH = Path(__file__).resolve().parents[2] / "bench" / "enrichment"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))  # the scorer's sibling modules, as when run as a script


scorer = load_script(BENCH / "score.py", "enrichment_score")

Json = dict[str, Any]

# --------------------------------------------------------------------------- synthetic case

EVENT_A = {
    "event_key": "kp-a",
    "country": "KP",
    "launch_date": "2024-10-31",
    "missile_type": "ballistic",
    "range_class": "ICBM",
    "count": 1,
    "location": "Pyongyang area",
    "outcome": "success",
    "officials": ["Kim Jong Un"],
    "reported_by": ["KCNA", "JCS"],
}
EVENT_B = {
    "event_key": "kp-b",
    "country": "KP",
    "launch_date": "2024-11-01",
    "missile_type": "cruise",
    "range_class": None,
    "count": 2,
    "location": "Yellow Sea",
    "outcome": "unknown",
    "officials": [],
    "reported_by": ["JCS"],
}
LABELS: Json = {
    "articles": [
        {
            "url": "https://a.example/1",
            "is_launch_report": True,
            "event_key": "kp-a",
            "officials": [],
            "reported_by": ["JCS"],
            "article_facts": {"outcome": "unknown"},
        },
        {
            "url": "https://a.example/2",
            "is_launch_report": True,
            "event_key": "kp-a",
            "officials": ["Kim Jong Un"],
            "reported_by": ["KCNA"],
        },
        {
            "url": "https://b.example/1",
            "is_launch_report": True,
            "event_key": "kp-b",
            "officials": [],
            "reported_by": ["JCS"],
        },
        {
            "url": "https://b.example/2",
            "is_launch_report": True,
            "event_key": "kp-b",
            "officials": [],
            "reported_by": ["JCS"],
        },
        {"url": "https://n.example/hist", "is_launch_report": False, "rejected_as": "historical"},
        {"url": "https://n.example/plan", "is_launch_report": False, "rejected_as": "planned"},
        {"url": "https://n.example/neg", "is_launch_report": False, "rejected_as": "negated"},
        {
            "url": "https://n.example/other",
            "is_launch_report": False,
            "rejected_as": "not-a-launch",
        },
    ],
    "events": [EVENT_A, EVENT_B],
}
FACT_KEYS = (
    "country",
    "launch_date",
    "missile_type",
    "range_class",
    "count",
    "location",
    "outcome",
)


def perfect() -> tuple[list[Json], list[Json]]:
    """The enriched lines and event lines a perfect enricher would write."""
    events = {e["event_key"]: e for e in LABELS["events"]}
    enriched: list[Json] = []
    for article in LABELS["articles"]:
        launch = None
        if article["is_launch_report"]:
            facts = {**events[article["event_key"]], **article.get("article_facts", {})}
            launch = {key: facts[key] for key in FACT_KEYS}
            launch["officials"] = list(article["officials"])
            launch["reported_by"] = list(article["reported_by"])
            launch["event_id"] = "e-" + article["event_key"]
        enriched.append(
            {
                "url": article["url"],
                "is_launch_report": article["is_launch_report"],
                "rejected_as": article.get("rejected_as"),
                "launch": launch,
            }
        )
    event_lines: list[Json] = []
    for key, event in events.items():
        line = {k: v for k, v in event.items() if k != "event_key"}
        line["event_id"] = "e-" + key
        line["article_urls"] = [a["url"] for a in LABELS["articles"] if a.get("event_key") == key]
        event_lines.append(line)
    return enriched, event_lines


def run(enriched: list[Json], events: list[Json]) -> Json:
    gold = scorer.parse_labels(LABELS)
    result: Json = scorer.score(gold, scorer.parse_enriched(enriched), scorer.parse_events(events))
    return result


def line(enriched: list[Json], url: str) -> Json:
    found: Json = next(row for row in enriched if row["url"] == url)
    return found


def test_perfect_output_scores_one_everywhere() -> None:
    result = run(*perfect())
    rec = result["recognition"]
    assert (rec["precision"], rec["recall"], rec["f1"]) == (1.0, 1.0, 1.0)
    facts = result["facts"]
    for name in (*scorer.SCALAR_FACTS, "launch_date_within_1d"):
        assert facts[name] == 1.0, name
    for name in scorer.NAME_FACTS:
        assert (facts[name]["precision"], facts[name]["recall"]) == (1.0, 1.0)
    grouping = result["grouping"]
    assert grouping["pairwise"]["precision"] == grouping["pairwise"]["recall"] == 1.0
    assert grouping["predicted_events"] == grouping["labelled_events"] == 2
    assert grouping["exactly_one_predicted_event"] == grouping["exactly_one_and_pure"] == 2
    assert result["event_facts"]["launch_date"] == 1.0
    assert all(row["accepted"] == 0 for row in result["negatives_by_modality"].values())


def test_missed_report_lowers_recall_only() -> None:
    enriched, events = perfect()
    missed = line(enriched, "https://b.example/2")
    missed["is_launch_report"] = False
    missed["launch"] = None
    result = run(enriched, events)
    assert result["recognition"]["recall"] == pytest.approx(3 / 4)
    assert result["recognition"]["precision"] == 1.0
    assert result["recognition"]["false_negative_urls"] == ["https://b.example/2"]


def test_false_positive_lowers_precision_and_names_its_modality() -> None:
    enriched, events = perfect()
    wrong = line(enriched, "https://n.example/plan")
    wrong["is_launch_report"] = True
    wrong["launch"] = {"event_id": "e-x", "country": "KP"}
    result = run(enriched, events)
    assert result["recognition"]["precision"] == pytest.approx(4 / 5)
    assert result["recognition"]["recall"] == 1.0
    assert result["negatives_by_modality"]["planned"]["accepted_urls"] == ["https://n.example/plan"]
    assert result["negatives_by_modality"]["historical"]["accepted"] == 0


def test_split_event_lowers_pairwise_recall() -> None:
    enriched, events = perfect()
    line(enriched, "https://a.example/2")["launch"]["event_id"] = "e-split"
    events[0]["article_urls"] = ["https://a.example/1"]
    events.append({**events[0], "event_id": "e-split", "article_urls": ["https://a.example/2"]})
    result = run(enriched, events)
    pairwise = result["grouping"]["pairwise"]
    assert pairwise["recall"] == pytest.approx(1 / 2)
    assert pairwise["precision"] == 1.0
    assert result["grouping"]["predicted_events"] == 3
    assert result["grouping"]["exactly_one_predicted_event"] == 1
    assert result["grouping"]["split_events"] == ["kp-a"]


def test_merged_event_lowers_pairwise_precision() -> None:
    enriched, events = perfect()
    for row in enriched:
        if row["launch"] is not None:
            row["launch"]["event_id"] = "e-kp-a"
    events[0]["article_urls"] = [a["url"] for a in LABELS["articles"] if a["is_launch_report"]]
    del events[1]
    result = run(enriched, events)
    pairwise = result["grouping"]["pairwise"]
    assert pairwise["precision"] == pytest.approx(2 / 6)
    assert pairwise["recall"] == 1.0
    assert result["grouping"]["exactly_one_predicted_event"] == 2
    assert result["grouping"]["exactly_one_and_pure"] == 0


def test_wrong_facts_and_alias_tolerant_names() -> None:
    enriched, events = perfect()
    launch = line(enriched, "https://a.example/2")["launch"]
    launch["launch_date"] = "2024-11-01"
    launch["officials"] = ["North Korean leader Kim Jong-un", "Choe Son Hui"]
    launch["reported_by"] = ["Korean Central News Agency"]
    line(enriched, "https://a.example/1")["launch"]["reported_by"] = [
        "South Korea's Joint Chiefs of Staff"
    ]
    result = run(enriched, events)
    facts = result["facts"]
    assert facts["launch_date"] == pytest.approx(3 / 4)
    assert facts["launch_date_within_1d"] == 1.0
    assert facts["country"] == 1.0
    assert facts["officials"]["recall"] == 1.0
    assert facts["officials"]["precision"] == pytest.approx(1 / 2)
    assert facts["reported_by"]["precision"] == facts["reported_by"]["recall"] == 1.0


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("JCS", "Joint Chiefs of Staff", True),
        ("Japan's defence ministry", "Japanese Ministry of Defense", True),
        ("ISPR", "Inter-Services Public Relations", True),
        ("Houthis", "Yahya Saree", True),
        ("Kim Jong Un", "KIM JONG-UN", True),
        ("Kim Jong Un", "Kim Yo Jong", False),
        ("Russia's defence ministry", "Japan's defence ministry", False),
        ("KCNA", "JCS", False),
    ],
)
def test_name_matching(a: str, b: str, same: bool) -> None:
    assert scorer.names_match(a, b) is same


def _cli(
    tmp_path: Path, enriched: str, events: str, *extra: str
) -> subprocess.CompletedProcess[str]:
    (tmp_path / "enriched.jsonl").write_text(enriched, encoding="utf-8")
    (tmp_path / "events.jsonl").write_text(events, encoding="utf-8")
    return subprocess.run(
        [
            sys.executable,
            str(BENCH / "score.py"),
            "--enriched",
            str(tmp_path / "enriched.jsonl"),
            "--events",
            str(tmp_path / "events.jsonl"),
            *extra,
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def test_cli_json_on_the_corpus_and_malformed_input(tmp_path: Path) -> None:
    labels = json.loads((BENCH / "labels.json").read_text(encoding="utf-8"))
    nothing = "".join(
        json.dumps({"url": a["url"], "is_launch_report": False, "launch": None}) + "\n"
        for a in labels["articles"]
    )
    done = _cli(tmp_path, nothing, "", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["recognition"]["recall"] == 0.0
    assert result["recognition"]["precision"] is None

    done = _cli(tmp_path, "{not json\n", "")
    assert done.returncode == 2
    assert "not JSON" in done.stderr
    done = _cli(tmp_path, json.dumps({"url": "https://x.example/"}) + "\n", "")
    assert done.returncode == 2
    assert "is_launch_report" in done.stderr


# --------------------------------------------------------------------------- the corpus


def _corpus() -> tuple[list[Json], Json]:
    articles = [
        json.loads(row)
        for row in (BENCH / "articles.jsonl").read_text(encoding="utf-8").splitlines()
        if row.strip()
    ]
    labels: Json = json.loads((BENCH / "labels.json").read_text(encoding="utf-8"))
    return articles, labels


def test_corpus_is_consistent() -> None:
    articles, labels = _corpus()
    urls = [a["url"] for a in articles]
    assert len(urls) == len(set(urls)), "article urls must be unique"
    assert len(articles) >= 70
    labelled = {row["url"]: row for row in labels["articles"]}
    assert set(labelled) == set(urls)
    assert len(labelled) == len(labels["articles"])

    for article in articles:
        assert set(article) <= {"url", "title", "text", "published_at", "site_name"}
        assert article["url"].startswith("https://")
        assert ".example" in article["url"] or "example.com" in article["url"]
        words = len(article["text"].split())
        assert 150 <= words <= 600, (article["url"], words)
        published = datetime.fromisoformat(article["published_at"].replace("Z", "+00:00"))
        assert published.utcoffset() == UTC.utcoffset(None), article["url"]
        assert labelled[article["url"]]["published_at"] == article["published_at"]

    events = {e["event_key"]: e for e in labels["events"]}
    assert len(events) == len(labels["events"])
    reports = [row for row in labels["articles"] if row["is_launch_report"]]
    negatives = [row for row in labels["articles"] if not row["is_launch_report"]]
    assert len(negatives) >= 25
    for row in reports:
        assert row["event_key"] in events
        assert row["rejected_as"] is None
    for row in negatives:
        assert row["event_key"] is None
        assert row["rejected_as"] in scorer.MODALITIES
    per_event = Counter(row["event_key"] for row in reports)
    assert set(per_event) == set(events), "every labelled event needs a report"
    assert sum(1 for n in per_event.values() if n >= 2) >= 8

    for key, event in events.items():
        assert event["missile_type"] in scorer.MISSILE_TYPES, key
        assert event["range_class"] is None or event["range_class"] in scorer.RANGE_CLASSES
        assert event["outcome"] in scorer.OUTCOMES, key
        assert len(event["country"]) == 2
        assert event["country"].isupper()
        datetime.strptime(event["launch_date"], "%Y-%m-%d")
        assert event["count"] is None or (isinstance(event["count"], int) and event["count"] > 0)
    for row in labels["articles"]:
        for mention in row["mentions_other_launches"]:
            assert mention["missile_type"] in scorer.MISSILE_TYPES
            assert mention["range_class"] is None or mention["range_class"] in scorer.RANGE_CLASSES
    # The scorer's own validation of the labels (facts resolved per report) must pass too.
    gold = scorer.parse_labels(labels)
    assert len(gold.articles) == len(articles)


def test_corpus_event_names_are_the_union_of_its_reports() -> None:
    _, labels = _corpus()
    for event in labels["events"]:
        reports = [r for r in labels["articles"] if r["event_key"] == event["event_key"]]
        for field in ("officials", "reported_by"):
            union = {name for r in reports for name in r[field]}
            assert set(event[field]) == union, (event["event_key"], field)


# --------------------------------------------------------------------------- fact lists


def test_every_launch_fact_is_scored_or_excused() -> None:
    """A new field of LaunchFactFields is scored, or the scorer is told why not."""
    import fact_fields

    every = {f.name for f in msgspec.structs.fields(LaunchFactFields)}
    scored = set(fact_fields.SCALAR_FACTS) | set(fact_fields.NAME_FACTS)
    assert fact_fields.UNCLASSIFIED == ()
    assert set(fact_fields.NOT_SCORED) <= every, "an excuse for a field that is gone"
    assert scored | set(fact_fields.NOT_SCORED) == every
    assert not scored & set(fact_fields.NOT_SCORED)
    assert scorer.SCALAR_FACTS == fact_fields.SCALAR_FACTS


class _Stage(enum.StrEnum):
    ONE = "one"
    UNKNOWN = "unknown"


class _Site(msgspec.Struct):
    name: str


class _Facts(msgspec.Struct, kw_only=True):
    """A fact struct that grew: an enumeration, a date, names, and two structures."""

    stage: _Stage = _Stage.UNKNOWN
    seen_on: date | None = None
    crews: tuple[str, ...] = ()
    site: _Site | None = None
    place: _Site | None = None


def test_a_new_fact_field_is_scored_or_left_unclassified() -> None:
    import fact_fields

    lists = fact_fields.classify(_Facts, not_scored={"place": "free text"})
    assert list(lists.scalars) == ["stage", "seen_on"]
    assert lists.scalars["stage"].allowed == {"one", "unknown"}
    assert lists.scalars["stage"].default == "unknown"
    assert lists.names == ("crews",)
    assert lists.unclassified == ("site",)


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("range_class", "icbm", "ICBM"),
        ("missile_type", None, "unknown"),
        ("missile_type", " Cruise ", "cruise"),
        ("outcome", "", "unknown"),
        ("country", "kp", "KP"),
        ("range_class", None, None),
        ("count", True, None),
        ("count", 3, 3),
        ("launch_date", "2024-10-31T07:10:00+09:00", date(2024, 10, 31)),
    ],
)
def test_fact_values_are_compared_in_normal_form(
    name: str, value: object, expected: object
) -> None:
    import fact_fields

    assert fact_fields.normalise(name, value) == expected


def test_label_values_are_checked_against_the_schema() -> None:
    import fact_fields

    assert fact_fields.check_value("country", "XX") is not None
    assert fact_fields.check_value("country", None, required=True) is not None
    assert fact_fields.check_value("count", 0) is not None
    assert fact_fields.check_value("launch_date", "31/10/2024") is not None
    assert fact_fields.check_value("range_class", "SLBM") is None
    assert fact_fields.check_value("missile_type", "laser") is not None
    with pytest.raises(scorer.InputError, match="range_class"):
        scorer.parse_labels({**LABELS, "events": [{**EVENT_A, "range_class": "XRBM"}, EVENT_B]})


def test_finer_rejection_reasons_agree_with_the_written_sets_not_a_launch_label() -> None:
    assert scorer.same_reason("civil-space", "not-a-launch")
    assert scorer.same_reason("ground-test", "not-a-launch")
    assert scorer.same_reason("planned", "planned")
    assert not scorer.same_reason("civil-space", "planned")
    assert not scorer.same_reason("historical", "not-a-launch")
    assert not scorer.same_reason(None, "not-a-launch")
