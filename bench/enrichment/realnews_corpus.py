"""The labelled real-news records: the shared corpus, the extra records and the blind split.

Real article text is others' writing, so it never enters the repository. The shared
development corpus lives outside it (`../shared/corpora/real-news-dev/corpus.jsonl`,
record schema in the README beside it); articles added for this project keep their
labels in `realnews/extra_labels.jsonl` (the same schema without `text`) and their text
in a git-ignored cache (`realnews/cache/texts.jsonl`, lines `{"id", "text"}`). A record
whose text is not at hand is counted and skipped, so the scorer runs on any checkout.

A third of the material is blind: the shared corpus's blind ids are fixed in
`realnews/blind.json`, and extra records fall on either side by the same rule, computed
on their event (or their id when they report none), so every report of one launch is
on the same side of the split.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Literal, TypeVar

import msgspec
from fact_fields import SCALAR_FACTS

from schemas import Article
from schemas.vocabulary import CountryCode, MissileType, RangeClass
from services.cli.enrich_command import BadLine, parse_article

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "real-news-dev" / "corpus.jsonl"
CORPUS_ENV = "LAUNCHWATCH_REALNEWS_CORPUS"
REALNEWS = HERE / "realnews"
DEFAULT_BLIND = REALNEWS / "blind.json"
DEFAULT_EXTRA_LABELS = REALNEWS / "extra_labels.jsonl"
DEFAULT_TEXTS = REALNEWS / "cache" / "texts.jsonl"
BLIND_SALT = "launchwatch-blind:"

SetName = Literal["dev", "blind"]
T = TypeVar("T")


class CorpusError(Exception):
    """Material that cannot be scored: unreadable, malformed or inconsistent."""


class Truth(msgspec.Struct, frozen=True, kw_only=True):
    """An article's labels, as the corpus card defines them."""

    is_launch_report: bool
    event_key: str | None = None
    country: CountryCode | None = None
    launch_date: date | None = None
    missile_type: MissileType | None = None
    range_class: RangeClass | None = None
    count: Annotated[int, msgspec.Meta(ge=1)] | None = None
    rejected_as: str | None = None
    """Why a distractor is not a report; the corpus may use reasons the product lacks."""
    notes: str | None = None


class Record(msgspec.Struct, frozen=True, kw_only=True):
    """One labelled article; `text` is None until it is found."""

    id: str
    published: Annotated[datetime, msgspec.Meta(tz=True)]
    source: str
    url: str
    title: str = ""
    text: str | None = None
    truth: Truth


LABELLED_FACTS: tuple[str, ...] = tuple(n for n in SCALAR_FACTS if n in Truth.__struct_fields__)
"""The product's scalar facts that the corpus labels (it has no `outcome`), schema order."""


class CachedText(msgspec.Struct, frozen=True):
    """An extra record's words as its page gives them: kept in the git-ignored cache,
    because they are others' writing; the repository holds only labels and URLs."""

    id: str
    text: str
    title: str = ""


@dataclass(frozen=True)
class Material:
    """Every labelled record with its text when available."""

    records: list[Record]
    blind_ids: frozenset[str]
    """Blind ids of the shared corpus, as fixed in `blind.json`."""
    corpus_ids: frozenset[str]


def corpus_path(given: Path | None, environ: Mapping[str, str] = os.environ) -> Path:
    """`--corpus`, else $LAUNCHWATCH_REALNEWS_CORPUS, else the shared corpus beside the repo."""
    if given is not None:
        return given
    from_env = environ.get(CORPUS_ENV)
    return Path(from_env) if from_env else DEFAULT_CORPUS


def blind_unit(record: Record) -> str:
    """What the split is drawn on: the record's launch, or the record itself."""
    return record.truth.event_key or record.id


def is_blind_unit(unit: str) -> bool:
    digest = hashlib.sha256((BLIND_SALT + unit).encode("utf-8")).hexdigest()
    return int(digest[:8], 16) % 3 == 0


def is_blind(record: Record, material: Material) -> bool:
    """Listed ids decide for the shared corpus; the rule decides for extra records."""
    if record.id in material.corpus_ids:
        return record.id in material.blind_ids
    return is_blind_unit(blind_unit(record))


def select(material: Material, which: SetName) -> list[Record]:
    """The records of one side of the split, text or not, in the order loaded."""
    want = which == "blind"
    return [r for r in material.records if is_blind(r, material) == want]


def _lines(path: Path) -> Iterable[tuple[int, bytes]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    for number, line in enumerate(raw.splitlines(), start=1):
        if line.strip():
            yield number, line


def _decode(path: Path, kind: type[T]) -> list[T]:
    out: list[T] = []
    for number, line in _lines(path):
        try:
            out.append(msgspec.json.decode(line, type=kind))
        except msgspec.DecodeError as exc:
            raise CorpusError(f"{path}:{number}: {exc}") from exc
    return out


def _check(record: Record, where: str) -> None:
    truth = record.truth
    if truth.is_launch_report:
        if not truth.event_key or truth.country is None or truth.launch_date is None:
            raise CorpusError(f"{where}: a report needs event_key, country and launch_date")
        if truth.rejected_as is not None:
            raise CorpusError(f"{where}: a report has no rejected_as")
    elif not truth.rejected_as or truth.event_key is not None:
        raise CorpusError(f"{where}: a distractor needs rejected_as and no event_key")


def load_blind(path: Path) -> frozenset[str]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise CorpusError(f"{path}: cannot read the blind list: {exc}") from exc
    ids = doc.get("blind_ids") if isinstance(doc, dict) else None
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise CorpusError(f"{path}: expected a list 'blind_ids'")
    return frozenset(ids)


def load_material(
    corpus: Path,
    *,
    blind: Path = DEFAULT_BLIND,
    extra_labels: Path = DEFAULT_EXTRA_LABELS,
    texts: Path = DEFAULT_TEXTS,
) -> Material:
    """The shared corpus and the extra records, with the cached texts attached."""
    if not corpus.is_file():
        raise CorpusError(f"{corpus}: no corpus (give --corpus or ${CORPUS_ENV})")
    shared = _decode(corpus, Record)
    extra = _decode(extra_labels, Record) if extra_labels.is_file() else []
    cached = _decode(texts, CachedText) if texts.is_file() else []
    by_id = {row.id: row for row in cached}
    seen: set[str] = set()
    records: list[Record] = []
    for source, rows in ((corpus, shared), (extra_labels, extra)):
        for row in rows:
            where = f"{source}: {row.id}"
            if row.id in seen:
                raise CorpusError(f"{where}: duplicate id")
            if source == extra_labels and not row.id.startswith("x"):
                raise CorpusError(f"{where}: extra record ids start with 'x'")
            _check(row, where)
            seen.add(row.id)
            if row.text is None and row.id in by_id:
                found = by_id[row.id]
                row = msgspec.structs.replace(row, text=found.text, title=row.title or found.title)
            records.append(row)
    return Material(
        records=records,
        blind_ids=load_blind(blind),
        corpus_ids=frozenset(row.id for row in shared),
    )


def to_article(record: Record, now: datetime) -> Article:
    """The Article the parser would hand on, built as `launchwatch enrich` builds it."""
    if record.text is None:
        raise CorpusError(f"{record.id}: no text")
    fields: dict[str, object] = {
        "url": record.url,
        "text": record.text,
        "published_at": record.published.astimezone(UTC).isoformat(),
        "site_name": record.source,
    }
    if record.title:
        fields["title"] = record.title
    try:
        return parse_article(json.dumps(fields), now)
    except BadLine as exc:
        raise CorpusError(f"{record.id}: not an Article: {exc}") from exc


def in_stream_order(records: Sequence[Record]) -> list[Record]:
    """Records by publication time, as a feed delivers them; ties by id."""
    return sorted(records, key=lambda r: (r.published.astimezone(UTC), r.id))
