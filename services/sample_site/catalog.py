"""The sample site's articles, from `data/catalog.toml` and one text file each."""

from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path

import msgspec

DATA = Path(__file__).parent / "data"


class SampleArticle(msgspec.Struct, frozen=True, kw_only=True):
    slug: str
    file: str
    title: str
    published: datetime
    section: str

    @property
    def paragraphs(self) -> list[str]:
        text = (DATA / self.file).read_text(encoding="utf-8")
        return [line.strip() for line in text.splitlines() if line.strip()]


class _Catalog(msgspec.Struct):
    article: list[SampleArticle]


def load_catalog(path: Path = DATA / "catalog.toml") -> list[SampleArticle]:
    """Every article, newest first, as feeds list them."""
    catalog = msgspec.convert(tomllib.loads(path.read_text(encoding="utf-8")), _Catalog)
    return sorted(catalog.article, key=lambda article: article.published, reverse=True)
