"""`launchwatch feeds`: subscriptions in the compacted `feeds` topic, through the real broker."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from schemas import FeedState, FeedSubscription
from schemas.ids import feed_id
from services.cli.feeds_command import urls_in
from services.runtime import KafkaTransport
from tests.cli import launchwatch
from tests.conftest import TEST_KAFKA_OPTIONS
from tests.streams import Stream

pytestmark = pytest.mark.kafka


@pytest.mark.asyncio
async def test_add_import_list_and_remove(kafka_bootstrap: str, tmp_path: Path) -> None:
    stream = Stream(KafkaTransport(kafka_bootstrap, TEST_KAFKA_OPTIONS))
    await stream.create(FeedSubscription, FeedState)
    run = {"bootstrap": kafka_bootstrap, "prefix": stream.prefix}

    added = launchwatch(
        "feeds", "add", "https://A.example/rss?utm_source=x", "--tag", "asia", **run
    )
    assert added.returncode == 0, added.stderr
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body><outline text="News">'
        '<outline xmlUrl="https://b.example/atom.xml"/>'
        '<outline xmlUrl="https://a.example/rss"/></outline></body></opml>'
    )
    imported = launchwatch("feeds", "import", str(opml), **run)
    assert imported.returncode == 0, imported.stderr

    feeds = {f.url: f for f in await stream.messages(FeedSubscription)}
    assert set(feeds) == {"https://a.example/rss", "https://b.example/atom.xml"}

    listed = launchwatch("feeds", "list", **run)
    assert listed.returncode == 0
    assert "https://b.example/atom.xml" in listed.stdout

    removed = launchwatch("feeds", "remove", "https://b.example/atom.xml", **run)
    assert removed.returncode == 0, removed.stderr
    records = await stream.records(stream.name(FeedSubscription))
    assert records[-1].key == feed_id("https://b.example/atom.xml").encode()
    assert records[-1].value is None, "remove writes a tombstone"
    after = launchwatch("feeds", "list", **run)
    assert "b.example" not in after.stdout
    assert "a.example" in after.stdout


def test_bad_input_is_a_clear_error(kafka_bootstrap: str, tmp_path: Path) -> None:
    prefix = f"f{uuid.uuid4().hex[:8]}."
    bad_url = launchwatch(
        "feeds", "add", "ftp://a.example/feed", bootstrap=kafka_bootstrap, prefix=prefix
    )
    assert bad_url.returncode == 2
    assert "not an http(s) URL" in bad_url.stderr
    bomb = tmp_path / "bomb.opml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        "<opml><body><outline text='&lol2;' xmlUrl='https://x.example/'/></body></opml>"
    )
    refused = launchwatch("feeds", "import", str(bomb), bootstrap=kafka_bootstrap, prefix=prefix)
    assert refused.returncode == 2
    assert "Traceback" not in refused.stderr


def test_plain_text_lists_one_url_a_line(tmp_path: Path) -> None:
    listing = tmp_path / "feeds.txt"
    listing.write_text("# world news\nhttps://a.example/rss\n\nhttps://b.example/feed\n")
    assert urls_in(listing) == ["https://a.example/rss", "https://b.example/feed"]
