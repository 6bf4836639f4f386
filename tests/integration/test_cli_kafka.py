"""The `launchwatch` commands that talk to the broker: topics create, tail and feeds."""

from __future__ import annotations

import json
import uuid

import pytest

from schemas import TOPICS, Article
from services.runtime import KafkaTransport, OutgoingRecord
from tests.cli import launchwatch
from tests.conftest import TEST_KAFKA_OPTIONS
from tests.streams import Stream, article

pytestmark = pytest.mark.kafka


def test_topics_create_is_idempotent(kafka_bootstrap: str) -> None:
    prefix = f"c{uuid.uuid4().hex[:8]}."
    first = launchwatch("topics", "create", bootstrap=kafka_bootstrap, prefix=prefix)
    assert first.returncode == 0, first.stderr
    assert first.stdout.count("created") == len(TOPICS)
    second = launchwatch("topics", "create", bootstrap=kafka_bootstrap, prefix=prefix)
    assert second.returncode == 0, second.stderr
    assert "created" not in second.stdout
    assert second.stdout.count("exists") == len(TOPICS)


@pytest.mark.asyncio
async def test_tail_prints_decoded_records_and_shows_poison(kafka_bootstrap: str) -> None:
    stream = Stream(KafkaTransport(kafka_bootstrap, TEST_KAFKA_OPTIONS))
    await stream.create(Article)
    await stream.write([article(1)])
    await stream.write_raw([OutgoingRecord(stream.name(Article), b"bad", b"\x00\x01 not json")])

    result = launchwatch(
        "tail", "news.articles", "--from-beginning", bootstrap=kafka_bootstrap, prefix=stream.prefix
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 2
    good, poison = sorted(lines, key=lambda line: line["key"] == "bad")
    assert good["value"]["title"] == "Article 1"
    assert good["headers"]["ce_type"] == "launchwatch.Article.v1"
    assert poison["key"] == "bad"
    assert "not JSON" in poison["error"]


def test_tail_of_a_missing_topic_is_a_clear_error(kafka_bootstrap: str) -> None:
    result = launchwatch("tail", "news.raw", bootstrap=kafka_bootstrap, prefix="missing-prefix.")
    assert result.returncode == 1
    assert "missing-prefix.news.raw" in result.stderr
    assert "Traceback" not in result.stderr


def test_tail_of_a_topic_launchwatch_does_not_know_names_the_known_ones() -> None:
    result = launchwatch("tail", "nosuch.topic", bootstrap="127.0.0.1:9", prefix="")
    assert result.returncode == 2
    assert "unknown topic 'nosuch.topic'; known: feeds," in result.stderr
    assert "Traceback" not in result.stderr


def test_removing_a_feed_that_is_not_subscribed_is_an_error(kafka_bootstrap: str) -> None:
    prefix = f"cli-remove-{uuid.uuid4().hex[:8]}."
    assert launchwatch("topics", "create", bootstrap=kafka_bootstrap, prefix=prefix).returncode == 0
    url = "https://news.example/feed.xml"
    missing = launchwatch("feeds", "remove", url, bootstrap=kafka_bootstrap, prefix=prefix)
    assert missing.returncode == 1
    assert "https://news.example/feed.xml is not subscribed" in missing.stderr
    assert (
        launchwatch("feeds", "add", url, bootstrap=kafka_bootstrap, prefix=prefix).returncode == 0
    )
    removed = launchwatch("feeds", "remove", url, bootstrap=kafka_bootstrap, prefix=prefix)
    assert removed.returncode == 0, removed.stderr
    assert "unsubscribed https://news.example/feed.xml" in removed.stdout


def test_version_and_help_show_only_what_applies() -> None:
    version = launchwatch("--version", bootstrap="", prefix="")
    assert version.stdout.startswith("launchwatch 0.")
    tail_help = launchwatch("tail", "--help", bootstrap="", prefix="").stdout
    assert "--kafka-sasl-username" in tail_help
    assert "--handler-attempts" not in tail_help
    assert "--http-port" not in tail_help
