"""The sample news site serves feeds a poller can read and pages the parser can extract."""

from __future__ import annotations

import html
from collections.abc import Iterator

import feedparser
import httpx
import pytest

from services.sample_site import SampleSite, load_catalog


@pytest.fixture
def site() -> Iterator[SampleSite]:
    with SampleSite() as running:
        yield running


def test_both_feeds_list_every_article_with_its_publication_time(site: SampleSite) -> None:
    catalog = load_catalog()
    for url in site.feed_urls:
        feed = feedparser.parse(httpx.get(url).content)
        assert not feed.bozo, feed.get("bozo_exception")
        assert [entry.title for entry in feed.entries] == [a.title for a in catalog]
    rss = feedparser.parse(httpx.get(site.feed_urls[0]).content)
    first = rss.entries[0]
    assert first.published_parsed[:5] == catalog[0].published.utctimetuple()[:5]


def test_feeds_answer_conditional_requests(site: SampleSite) -> None:
    first = httpx.get(site.feed_urls[0])
    again = httpx.get(site.feed_urls[0], headers={"If-None-Match": first.headers["etag"]})
    assert (first.status_code, again.status_code) == (200, 304)


def test_publishing_changes_the_feeds_and_their_validators(site: SampleSite) -> None:
    catalog = load_catalog()
    before = httpx.get(site.feed_urls[1])
    site.publish(catalog[-2:])
    after = httpx.get(site.feed_urls[1], headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    assert len(feedparser.parse(after.content).entries) == 2


def test_every_article_page_is_served_and_unknown_pages_are_404(site: SampleSite) -> None:
    for article in load_catalog():
        page = httpx.get(site.url_of(article))
        assert page.status_code == 200
        assert html.escape(article.paragraphs[-1]) in page.text
    assert httpx.get(f"{site.base_url}/nope.html").status_code == 404


def test_links_name_the_site_as_the_client_reached_it(site: SampleSite) -> None:
    feed = httpx.get(site.feed_urls[0], headers={"Host": "sample-site:8080"}).content
    links = [entry.link for entry in feedparser.parse(feed).entries]
    assert links
    assert all(link.startswith("http://sample-site:8080/") for link in links)


def test_generated_news_spread_over_many_feeds() -> None:
    from datetime import UTC, datetime

    from services.sample_site.catalog import SampleArticle

    articles = [
        SampleArticle(
            slug=f"story-{n}",
            title=f"Story {n}",
            published=datetime(2024, 1, 1, n, tzinfo=UTC),
            section="world",
            text=f"Paragraph one of story {n}.\nParagraph two.",
        )
        for n in range(12)
    ]
    with SampleSite(articles=articles, feeds=4) as many:
        assert len(many.feed_urls) == 4
        titles = [
            entry.title
            for url in many.feed_urls
            for entry in feedparser.parse(httpx.get(url).content).entries
        ]
        assert sorted(titles) == sorted(a.title for a in articles)
        page = httpx.get(many.url_of(articles[3])).text
        assert "Paragraph one of story 3." in page
