"""Building Articles for the enricher's tests."""

from __future__ import annotations

from datetime import UTC, datetime

from schemas import Article
from schemas.ids import article_id, stable_id
from services.sample_site.catalog import DATA, load_catalog

PARSED_AT = datetime(2030, 1, 1, tzinfo=UTC)


def article(
    text: str,
    published: str | datetime | None,
    *,
    url: str = "https://news.example/story",
    title: str | None = None,
) -> Article:
    published_at = datetime.fromisoformat(published) if isinstance(published, str) else published
    return Article(
        article_id=article_id(url),
        url=url,
        feed_id=stable_id("tests"),
        title=title,
        text=text,
        published_at=published_at,
        parsed_at=PARSED_AT,
    )


def looks_like_title(line: str) -> bool:
    """A short first line without a full stop reads as a headline."""
    words = line.split()
    return 4 <= len(words) <= 20 and not line.rstrip().endswith((".", "!", "?", '"'))


def bundled_article(file: str) -> Article:
    """A reference article of the sample site, as a feed would deliver it."""
    entry = next(a for a in load_catalog() if a.file == file)
    text = (DATA / file).read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if line.strip())
    return article(
        text,
        entry.published,
        url=f"https://news.example/{entry.slug}",
        title=first.strip() if looks_like_title(first) else None,
    )
