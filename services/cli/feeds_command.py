"""`launchwatch feeds add|remove|list|import`: the subscriptions in the compacted `feeds` topic.

A subscription is keyed by the feed id (a hash of the canonical feed URL), so
adding a feed twice updates it instead of duplicating it, and `remove` writes
a tombstone. `import` reads OPML (with defusedxml, so a hostile file cannot
expand entities) or plain text with one URL a line.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from defusedxml import ElementTree as SafeElementTree
from rich.console import Console
from rich.table import Table

from schemas import FeedSubscription
from schemas.ids import canonical_url, feed_id
from services.runtime import Routing, Transport
from services.runtime.service import kafka_transport
from services.runtime.settings import CLIENT_SETTINGS, RuntimeSettings, add_arguments, load
from services.runtime.tables import latest


def register(commands: Any) -> None:
    feeds = commands.add_parser("feeds", help="manage the feeds to poll")
    actions = feeds.add_subparsers(dest="action", required=True, metavar="ACTION")

    add = actions.add_parser("add", help="subscribe to feeds")
    add.add_argument("urls", nargs="+", metavar="URL")
    _subscription_options(add)
    add.set_defaults(run=run_add)

    remove = actions.add_parser("remove", help="unsubscribe from a feed")
    remove.add_argument("url")
    remove.set_defaults(run=run_remove)

    listing = actions.add_parser("list", help="show the subscriptions")
    listing.set_defaults(run=run_list)

    importing = actions.add_parser("import", help="subscribe to the feeds of an OPML or text file")
    importing.add_argument("file", type=Path)
    _subscription_options(importing)
    importing.set_defaults(run=run_import)

    for action in (add, remove, listing, importing):
        add_arguments(action, RuntimeSettings, CLIENT_SETTINGS)


def _subscription_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tag", action="append", default=[], help="a tag (repeatable)")
    parser.add_argument("--interval", type=float, help="poll interval override, seconds")


def subscriptions(
    urls: Iterable[str], tags: Iterable[str] = (), interval: float | None = None
) -> list[FeedSubscription]:
    """One subscription per distinct feed; ValueError names a URL that is not http(s)."""
    now = datetime.now(UTC)
    found: dict[str, FeedSubscription] = {}
    for url in urls:
        canonical = canonical_url(url)
        found[feed_id(url)] = FeedSubscription(
            feed_id=feed_id(url),
            url=canonical,
            tags=tuple(tags),
            poll_interval_s=interval,
            added_at=now,
        )
    return list(found.values())


def urls_in(path: Path) -> list[str]:
    """Feed URLs of an OPML outline (`xmlUrl` attributes) or of a one-URL-a-line file."""
    text = path.read_text(encoding="utf-8-sig")
    if text.lstrip().startswith("<"):
        root = SafeElementTree.fromstring(text)
        return [node.attrib["xmlUrl"] for node in root.iter("outline") if "xmlUrl" in node.attrib]
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


def run_add(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    return _publish(args, environ, args.urls)


def run_import(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    settings = load(RuntimeSettings, args, environ)
    return subscribe_file(args.file, settings, args.tag, args.interval)


def subscribe_file(
    path: Path, settings: RuntimeSettings, tags: Iterable[str] = (), interval: float | None = None
) -> int:
    """Subscribe to the feeds listed in `path`; 2 with a clear message when it is unreadable."""
    try:
        urls = urls_in(path)
    except (OSError, SafeElementTree.ParseError, ValueError) as error:
        print(f"launchwatch feeds: {path}: {error}", file=sys.stderr)
        return 2
    return _subscribe(urls, settings, tags, interval)


def _publish(args: argparse.Namespace, environ: Mapping[str, str], urls: list[str]) -> int:
    settings = load(RuntimeSettings, args, environ)
    return _subscribe(urls, settings, args.tag, args.interval)


def _subscribe(
    urls: list[str], settings: RuntimeSettings, tags: Iterable[str], interval: float | None
) -> int:
    try:
        feeds = subscriptions(urls, tags, interval)
    except ValueError as error:
        print(f"launchwatch feeds: {error}", file=sys.stderr)
        return 2
    routing = Routing(source="/launchwatch/cli", prefix=settings.topic_prefix)
    asyncio.run(_write(kafka_transport(settings), [routing.record_for(f) for f in feeds]))
    for feed in feeds:
        print(f"subscribed {feed.url} ({feed.feed_id})")
    return 0


def run_remove(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    settings = load(RuntimeSettings, args, environ)
    routing = Routing(source="/launchwatch/cli", prefix=settings.topic_prefix)
    try:
        key = feed_id(args.url)
    except ValueError as error:
        print(f"launchwatch feeds remove: {error}", file=sys.stderr)
        return 2
    transport = kafka_transport(settings)
    subscribed = asyncio.run(latest(transport, routing, FeedSubscription))
    if key.encode() not in subscribed:
        print(
            f"launchwatch feeds remove: {canonical_url(args.url)} is not subscribed"
            " (launchwatch feeds list shows the subscriptions)",
            file=sys.stderr,
        )
        return 1
    asyncio.run(_write(transport, [routing.tombstone(FeedSubscription, key)]))
    print(f"unsubscribed {canonical_url(args.url)} ({key})")
    return 0


def run_list(args: argparse.Namespace, environ: Mapping[str, str]) -> int:
    settings = load(RuntimeSettings, args, environ)
    routing = Routing(source="/launchwatch/cli", prefix=settings.topic_prefix)
    feeds = asyncio.run(latest(kafka_transport(settings), routing, FeedSubscription)).values()
    rows = [
        (
            feed.url,
            ",".join(feed.tags),
            f"{feed.poll_interval_s:g}s" if feed.poll_interval_s else "adaptive",
            f"{feed.added_at:%Y-%m-%d}",
            feed.feed_id,
        )
        for feed in sorted(feeds, key=lambda f: f.url)
    ]
    if not sys.stdout.isatty():  # for scripts: one feed a line, tab-separated, never cut
        for row in rows:
            print("\t".join(row))
        return 0
    table = Table("feed", "tags", "interval", "added", "id")
    for row in rows:
        table.add_row(*row)
    Console().print(table)
    return 0


async def _write(transport: Transport, records: list[Any]) -> None:
    publisher = await transport.publisher(client_id="launchwatch-cli")
    try:
        await publisher.publish(records)
    finally:
        await publisher.close()
