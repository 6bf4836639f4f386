"""Canonical URLs: every link to one page gives one article id."""

import pytest

from schemas.ids import article_id, canonical_url


@pytest.mark.parametrize(
    "variant",
    [
        "https://News.Example.com/world/launch?id=7",
        "HTTPS://news.example.com:443/world/launch?id=7#comments",
        "https://news.example.com/world/launch?utm_source=rss&id=7&utm_medium=feed",
        "https://news.example.com/world/launch?fbclid=abc&id=7&gclid=x",
        "  https://news.example.com./world/launch?id=7  ",
    ],
)
def test_tracking_case_port_and_fragment_do_not_change_the_id(variant: str) -> None:
    assert canonical_url(variant) == "https://news.example.com/world/launch?id=7"
    assert article_id(variant) == article_id("https://news.example.com/world/launch?id=7")


def test_what_identifies_the_page_is_kept() -> None:
    assert article_id("https://a.example/x?id=1") != article_id("https://a.example/x?id=2")
    assert article_id("http://a.example/x") != article_id("https://a.example/x")
    assert canonical_url("http://a.example:8080") == "http://a.example:8080/"
    assert canonical_url("https://a.example/p?b=2&a=1") == "https://a.example/p?a=1&b=2"


@pytest.mark.parametrize("bad", ["ftp://a.example/x", "javascript:alert(1)", "not a url", ""])
def test_only_http_and_https_are_urls_of_articles(bad: str) -> None:
    with pytest.raises(ValueError, match="not an http"):
        canonical_url(bad)


def test_ids_are_valid_stable_ids() -> None:
    identifier = article_id("https://a.example/x")
    assert len(identifier) == 32
    assert int(identifier, 16) >= 0
