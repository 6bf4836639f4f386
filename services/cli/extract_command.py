"""`launchwatch extract PATH...`: the parser offline, on HTML files.

Reads HTML files (or directories of them, `.html`, `.htm`, and the same with
`.gz`) and writes one Article JSON line per file to standard output, with the
same extraction as the running parser. `url` is the file path unless `--url`
is given. For replays, evaluation and looking at what the parser makes of a page.
"""

from __future__ import annotations

import argparse
import gzip
import sys
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import msgspec

from schemas import FeedEntry, RawArticle
from schemas.ids import stable_id
from services.parser.article import extract_article
from services.parser.extraction import page_text

SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")


def register(commands: Any) -> None:
    extract = commands.add_parser("extract", help="extract articles from HTML files")
    extract.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    extract.add_argument("--url", help="the page's URL (only with a single file)")
    extract.set_defaults(run=run_extract)


def html_files(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.name.endswith(SUFFIXES))
        else:
            yield path


def run_extract(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    files = list(html_files(args.paths))
    if args.url and len(files) != 1:
        print("launchwatch extract: --url needs exactly one file", file=sys.stderr)
        return 2
    failed = 0
    encoder = msgspec.json.Encoder()
    for path in files:
        try:
            body = path.read_bytes()
            if path.name.endswith(".gz"):
                body = gzip.decompress(body)
        except (OSError, EOFError, gzip.BadGzipFile) as error:
            print(f"launchwatch extract: {path}: {error}", file=sys.stderr)
            failed += 1
            continue
        url = args.url or str(path)
        now = datetime.now(UTC)
        raw = RawArticle(
            article_id=stable_id(url),
            url=url,
            feed_id=stable_id("file"),
            feed_url="file",
            entry=FeedEntry(entry_id=url),
            fetched_at=now,
            body=body,
        )
        article = extract_article(raw, page_text(body, None, args.url), parsed_at=now)
        sys.stdout.buffer.write(encoder.encode(article) + b"\n")
    return 1 if failed else 0
