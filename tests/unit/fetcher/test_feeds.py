"""Feed bodies to FeedEntry values, hostile XML refused, malformed feeds used when possible."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas.ids import canonical_url
from services.fetcher.feeds import FeedParseError, FeedRefused, entry_identity, parse_feed
from tests.fetcher_site import BILLION_LAUGHS, BOZO, XXE, Item, html_page, rss

URL = "https://news.example.com/rss.xml"
XML = {"content-type": "application/rss+xml"}


def test_entries_become_feed_entries_in_utc() -> None:
    body = rss(
        [
            Item("guid-2", "Second", "https://news.example.com/2?utm_source=rss"),
            Item(None, "No guid", "https://News.Example.com/3?utm_medium=feed#top"),
            Item(None, "Only a title", None, "and a summary"),
        ],
        ttl_minutes=30,
        title="Example News",
    )
    parsed = parse_feed(body, headers=XML, url=URL)
    assert parsed.title == "Example News"
    assert parsed.ttl_s == 1800.0
    assert parsed.problem is None
    first, second, third = parsed.entries
    assert first.entry_id == "guid-2"
    assert first.title == "Second"
    assert first.link == "https://news.example.com/2?utm_source=rss"
    assert first.summary == "A summary."
    assert first.published_at == datetime(2025, 10, 28, 13, 5, tzinfo=UTC)
    assert first.published_at is not None
    assert first.published_at.utcoffset() is not None
    assert second.entry_id == "https://news.example.com/3"
    assert second.entry_id == canonical_url("https://News.Example.com/3?utm_medium=feed#top")
    assert third.entry_id.startswith("sha256:")
    assert third.entry_id == entry_identity(None, None, "Only a title", "and a summary")


def test_duplicate_guids_yield_one_entry() -> None:
    body = rss([Item("same", "One"), Item("same", "Two"), Item("other", "Three")])
    parsed = parse_feed(body, headers=XML, url=URL)
    assert [e.entry_id for e in parsed.entries] == ["same", "other"]
    assert parsed.entries[0].title == "One"


def test_relative_links_resolve_against_the_feed_url() -> None:
    parsed = parse_feed(rss([Item("g", "T", "/world/1")]), headers=XML, url=URL)
    assert parsed.entries[0].link == "https://news.example.com/world/1"


def test_charset_from_http_header_wins() -> None:
    title = "Пуск ракеты"
    body = rss([Item("g", title)]).replace(b' encoding="utf-8"', b"")
    body = body.decode("utf-8").encode("windows-1251")
    parsed = parse_feed(
        body, headers={"Content-Type": "application/rss+xml; charset=windows-1251"}, url=URL
    )
    assert parsed.entries[0].title == title


def test_billion_laughs_is_refused_without_expanding() -> None:
    with pytest.raises(FeedRefused, match="refused"):
        parse_feed(BILLION_LAUGHS, headers=XML, url=URL)


def test_external_entities_are_refused() -> None:
    with pytest.raises(FeedRefused, match="refused"):
        parse_feed(XXE, headers=XML, url=URL)


def test_a_doctype_without_entities_is_fine() -> None:
    body = rss([Item("g", "T")]).replace(
        b"<rss",
        b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        b'"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n<rss',
        1,
    )
    assert [e.entry_id for e in parse_feed(body, headers=XML, url=URL).entries] == ["g"]


def test_bozo_feed_with_entries_is_used_and_its_problem_recorded() -> None:
    parsed = parse_feed(BOZO, headers=XML, url=URL)
    assert parsed.problem is not None
    ids = [e.entry_id for e in parsed.entries]
    assert len(ids) == 2
    assert ids[0].endswith("bozo-1")
    assert ids[1].endswith("bozo-2")


def test_html_instead_of_a_feed_is_a_parse_error() -> None:
    with pytest.raises(FeedParseError):
        parse_feed(html_page("hello"), headers={"content-type": "text/html"}, url=URL)


def test_a_body_that_looks_like_a_path_is_not_opened() -> None:
    with pytest.raises(FeedParseError):
        parse_feed(b"/etc/passwd", headers=XML, url=URL)
