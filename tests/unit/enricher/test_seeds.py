"""The five reference articles give exactly the three launches a reader finds in them.

The texts are the sample site's bundled copies of the seed articles, with the
publication times their feeds carried.
"""

from __future__ import annotations

from datetime import date

import msgspec
import pytest

from schemas import AlertKind, MissileType, Outcome
from services.enricher import enrich_all, tag_article
from tests.unit.enricher.articles import bundled_article

SEEDS = [
    "000_3bdbcfd70da3235f.txt",
    "001_dd0038b7f2686e92.txt",
    "002_f332bee4974d64ed.txt",
    "003_a2bd2d2e159aa8bd.txt",
    "004_5fe2e5f7dbfbb3ae.txt",
]
CRUISE_OCT = (date(2025, 10, 28), MissileType.CRUISE)
SAM_AUG = (date(2025, 8, 23), MissileType.SURFACE_TO_AIR)
CRUISE_FEB = (date(2025, 2, 26), MissileType.CRUISE)
EXPECTED = {
    "000_3bdbcfd70da3235f.txt": CRUISE_OCT,
    "001_dd0038b7f2686e92.txt": CRUISE_OCT,
    "002_f332bee4974d64ed.txt": CRUISE_OCT,
    "003_a2bd2d2e159aa8bd.txt": SAM_AUG,
    "004_5fe2e5f7dbfbb3ae.txt": CRUISE_FEB,
}


@pytest.mark.parametrize("file", SEEDS)
def test_each_seed_is_a_report_of_its_launch(file: str) -> None:
    report = tag_article(bundled_article(file))
    assert report.is_launch_report
    assert report.rejected_as is None
    assert report.launch is not None
    assert report.launch.country == "KP"
    assert (report.launch.launch_date, report.launch.missile_type) == EXPECTED[file]
    assert report.launch.outcome is Outcome.SUCCESS


@pytest.mark.parametrize("file", SEEDS)
def test_every_span_points_into_the_text(file: str) -> None:
    item = bundled_article(file)
    report = tag_article(item)
    assert report.entities
    for entity in report.entities:
        assert item.text[entity.span.start : entity.span.end] == entity.span.text
    assert report.launch is not None
    for spans in report.launch.evidence.values():
        for span in spans:
            assert item.text[span.start : span.end] == span.text
    for mention in report.mentions_other_launches:
        assert mention.span is not None
        assert item.text[mention.span.start : mention.span.end] == mention.span.text


def test_seeds_give_exactly_three_events_and_three_new_alerts() -> None:
    result = enrich_all([bundled_article(file) for file in SEEDS])
    facts = sorted((e.launch_date, e.missile_type) for e in result.events)
    assert facts == sorted([CRUISE_OCT, SAM_AUG, CRUISE_FEB])
    assert all(event.country == "KP" for event in result.events)
    assert [alert.kind for alert in result.alerts].count(AlertKind.NEW) == 3
    assert [alert.kind for alert in result.alerts].count(AlertKind.UPDATE) == 0
    assert {alert.event_id for alert in result.alerts if alert.kind is AlertKind.NEW} == {
        event.event_id for event in result.events
    }
    assert date(2025, 10, 22) not in {event.launch_date for event in result.events}
    assert all(report.launch and report.launch.event_id for report in result.enriched)


def test_seed_events_carry_their_labelled_facts() -> None:
    result = enrich_all([bundled_article(file) for file in SEEDS])
    events = {(e.launch_date, e.missile_type): e for e in result.events}
    october = events[CRUISE_OCT]
    assert october.report_count == 3
    assert october.count is None  # "cruise missiles", never how many
    assert len(october.article_urls) == 3
    assert october.officials == ("Pak Jong Chon",)
    assert {"KCNA", "JCS"} <= set(october.reported_by)
    assert october.location is not None
    assert october.location.name == "Yellow Sea"
    assert october.location.timezone == "Asia/Pyongyang"
    august = events[SAM_AUG]
    assert august.count == 2
    assert august.officials == ("Kim Jong Un",)
    assert august.reported_by == ("KCNA",)
    assert august.location is None
    february = events[CRUISE_FEB]
    assert february.count is None
    assert february.officials == ("Kim Jong Un",)
    assert february.reported_by == ("KCNA",)
    assert february.location is not None


def test_the_october_22_launch_is_only_a_passing_mention() -> None:
    report = tag_article(bundled_article("000_3bdbcfd70da3235f.txt"))
    assert [(m.launch_date, m.missile_type) for m in report.mentions_other_launches] == [
        (date(2025, 10, 22), MissileType.BALLISTIC)
    ]
    for file in ("001_dd0038b7f2686e92.txt", "002_f332bee4974d64ed.txt"):
        mentions = tag_article(bundled_article(file)).mentions_other_launches
        assert [m.missile_type for m in mentions] == [MissileType.HYPERSONIC]


def test_claims_name_who_makes_them() -> None:
    report = tag_article(bundled_article("001_dd0038b7f2686e92.txt"))
    assert report.launch is not None
    claims = {(c.quantity, c.value, c.claimed_by) for c in report.launch.claims}
    assert ("flight_time_s", 7200.0, "KCNA") in claims


def test_a_detached_title_is_read_but_never_spanned() -> None:
    item = bundled_article("003_a2bd2d2e159aa8bd.txt")
    titled = msgspec.structs.replace(item, title="Kim oversees test of two new missiles")
    report = tag_article(titled)
    assert report.is_launch_report
    assert report.title == "Kim oversees test of two new missiles"
