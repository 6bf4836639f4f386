"""The sample site's articles, from `data/catalog.toml` and one text file each."""

from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path

import msgspec

DATA = Path(__file__).parent / "data"


class SampleArticle(msgspec.Struct, frozen=True, kw_only=True):
    slug: str
    title: str
    published: datetime
    section: str
    file: str = ""
    """The bundled text file of the article (data/), unless `text` is given."""
    text: str | None = None
    """The article's text itself, one paragraph a line (generated news for benchmarks)."""

    @property
    def paragraphs(self) -> list[str]:
        text = self.text if self.text is not None else (DATA / self.file).read_text("utf-8")
        return [line.strip() for line in text.splitlines() if line.strip()]


class _Catalog(msgspec.Struct):
    article: list[SampleArticle]


def load_catalog(path: Path = DATA / "catalog.toml") -> list[SampleArticle]:
    """Every article, newest first, as feeds list them."""
    catalog = msgspec.convert(tomllib.loads(path.read_text(encoding="utf-8")), _Catalog)
    return sorted(catalog.article, key=lambda article: article.published, reverse=True)
