"""The processing loop's promises, each checked on the in-memory transport and on Kafka."""

from __future__ import annotations

import asyncio

import pytest

from schemas import Article, EnrichedArticle, Message, header
from services.runtime import OutgoingRecord, RejectMessage, RetryPolicy
from tests.streams import Stream, article, eventually, number_of, tag

pytestmark = pytest.mark.asyncio


def revisions(count: int) -> list[Article]:
    """Successive versions of one article: same key, so one partition, titled in order."""
    return [
        Article(
            article_id=f"{1:016x}",
            url="https://news.example/1",
            feed_id="f" * 16,
            title=f"revision {revision}",
            text="text",
            parsed_at=article(1).parsed_at,
        )
        for revision in range(count)
    ]


async def test_outputs_are_written_and_the_position_committed(stream: Stream) -> None:
    await stream.write([article(n) for n in range(20)])
    stop = stream.start(stream.processor(tag))
    outputs = await eventually(
        lambda: stream.messages(EnrichedArticle), lambda found: len(found) == 20, "20 outputs"
    )
    assert sorted(number_of(o.article_id) for o in outputs) == list(range(20))
    await stream.stop_all(stop)

    # A new member of the same group has nothing left to do: the position was committed.
    seen: list[int] = []

    def record(message: Article) -> list[Message]:
        seen.append(number_of(message.article_id))
        return tag(message)

    await stream.write([article(20)])
    stop = stream.start(stream.processor(record))
    await eventually(lambda: stream.messages(EnrichedArticle), lambda f: len(f) == 21, "21")
    await stream.stop_all(stop)
    assert seen == [20]


async def test_poison_goes_to_the_dead_letter_topic_and_the_stream_flows_on(
    stream: Stream,
) -> None:
    def refuse_seven(message: Article) -> list[Message]:
        if number_of(message.article_id) == 7:
            raise RejectMessage("article 7 can never be tagged")
        return tag(message)

    good = stream.routing.record_for(article(1))
    topic = good.topic
    undecodable = OutgoingRecord(topic, b"k1", b"\xff\xfe not json")
    invalid = OutgoingRecord(topic, b"k2", b'{"article_id": 42}')
    await stream.write_raw([good, undecodable, invalid])
    await stream.write([article(7), article(8)])

    stop = stream.start(stream.processor(refuse_seven))
    outputs = await eventually(
        lambda: stream.messages(EnrichedArticle), lambda found: len(found) == 2, "2 outputs"
    )
    letters = await eventually(
        lambda: stream.dead_letters(Article), lambda found: len(found) == 3, "3 dead letters"
    )
    await stream.stop_all(stop)

    assert sorted(number_of(o.article_id) for o in outputs) == [1, 8]
    by_reason = {header(letter.headers, "dlq_reason"): letter for letter in letters}
    assert set(by_reason) == {"undecodable", "invalid", "handler-failed"}
    assert by_reason["undecodable"].value == b"\xff\xfe not json"
    assert by_reason["undecodable"].key == b"k1"
    assert by_reason["invalid"].value == b'{"article_id": 42}'
    refused = by_reason["handler-failed"]
    assert "article 7 can never be tagged" in (header(refused.headers, "dlq_error") or "")
    assert header(refused.headers, "ce_type") == "launchwatch.Article.v1"  # original kept
    for letter in letters:
        assert header(letter.headers, "dlq_topic") == topic
        assert header(letter.headers, "dlq_consumer_group") == stream.group_id
        assert int(header(letter.headers, "dlq_offset") or "-1") >= 0


async def test_a_failing_handler_is_retried_until_it_succeeds(stream: Stream) -> None:
    calls: list[int] = []

    def flaky(message: Article) -> list[Message]:
        calls.append(number_of(message.article_id))
        if len(calls) < 3:
            raise ConnectionError("temporarily unavailable")
        return tag(message)

    await stream.write([article(5)])
    stop = stream.start(stream.processor(flaky, retry=RetryPolicy(attempts=5, backoff_s=0.01)))
    await eventually(lambda: stream.messages(EnrichedArticle), lambda f: len(f) == 1, "1 output")
    await stream.stop_all(stop)
    assert calls == [5, 5, 5]
    assert await stream.dead_letters(Article) == []


async def test_a_handler_failing_past_its_retries_is_dead_lettered(stream: Stream) -> None:
    def broken(message: Article) -> list[Message]:
        if number_of(message.article_id) == 1:
            raise ValueError("cannot handle this one")
        return tag(message)

    await stream.write([article(1), article(2)])
    stop = stream.start(stream.processor(broken, retry=RetryPolicy(attempts=3, backoff_s=0.01)))
    letters = await eventually(
        lambda: stream.dead_letters(Article), lambda found: len(found) == 1, "a dead letter"
    )
    await eventually(lambda: stream.messages(EnrichedArticle), lambda f: len(f) == 1, "1 output")
    await stream.stop_all(stop)
    assert header(letters[0].headers, "dlq_reason") == "handler-failed"
    assert header(letters[0].headers, "dlq_attempts") == "3"
    assert "ValueError: cannot handle this one" in (header(letters[0].headers, "dlq_error") or "")


async def test_an_output_too_large_for_its_topic_is_dead_lettered(stream: Stream) -> None:
    def bloat(message: Article) -> list[Message]:
        if number_of(message.article_id) == 1:
            return [
                EnrichedArticle(
                    article_id=message.article_id,
                    url=message.url,
                    title="x" * 2_000_000,  # news.enriched accepts 1 MiB
                    enriched_at=message.parsed_at,
                )
            ]
        return tag(message)

    await stream.write([article(1), article(2)])
    stop = stream.start(stream.processor(bloat))
    letters = await eventually(
        lambda: stream.dead_letters(Article), lambda found: len(found) == 1, "a dead letter"
    )
    await eventually(lambda: stream.messages(EnrichedArticle), lambda f: len(f) == 1, "1 output")
    await stream.stop_all(stop)
    assert header(letters[0].headers, "dlq_reason") == "too-large"
    assert "accepts at most 1048576" in (header(letters[0].headers, "dlq_error") or "")


async def test_shutdown_mid_stream_loses_nothing_and_the_restart_resumes(stream: Stream) -> None:
    handled: list[int] = []

    async def slow(message: Article) -> list[Message]:
        await asyncio.sleep(0.02)
        handled.append(number_of(message.article_id))
        return tag(message)

    await stream.write([article(n) for n in range(60)])
    stop = stream.start(stream.processor(slow, max_records=10))
    await eventually(lambda: asyncio.sleep(0, len(handled)), lambda n: n >= 15, "some progress")
    await stream.stop_all(stop)
    first_run = list(handled)
    assert 15 <= len(first_run) < 60, "the stop came mid-stream"

    handled.clear()
    stop = stream.start(stream.processor(slow, max_records=10))
    outputs = await eventually(
        lambda: stream.messages(EnrichedArticle), lambda found: len(found) >= 60, "all 60"
    )
    await stream.stop_all(stop)
    # Everything the first run handled was committed: the restart handles only the rest.
    assert sorted(first_run + handled) == list(range(60))
    assert sorted(number_of(o.article_id) for o in outputs) == list(range(60))


async def test_order_is_kept_within_a_partition(stream: Stream) -> None:
    await stream.write(revisions(30))
    stop = stream.start(stream.processor(tag, max_records=7))
    outputs = await eventually(
        lambda: stream.messages(EnrichedArticle), lambda found: len(found) == 30, "30 outputs"
    )
    await stream.stop_all(stop)
    assert [o.title for o in outputs] == [f"revision {n}" for n in range(30)]


async def test_partitions_move_between_members_without_loss_or_repeat(stream: Stream) -> None:
    handled: list[int] = []

    async def counting(message: Article) -> list[Message]:
        await asyncio.sleep(0.005)
        handled.append(number_of(message.article_id))
        return tag(message)

    await stream.write([article(n) for n in range(40)])
    first = stream.start(stream.processor(counting, max_records=5))
    await eventually(lambda: asyncio.sleep(0, len(handled)), lambda n: n >= 5, "first member busy")
    second = stream.start(stream.processor(counting, max_records=5))  # joins: rebalance
    await stream.write([article(n) for n in range(40, 80)])
    await eventually(lambda: asyncio.sleep(0, len(handled)), lambda n: n >= 60, "progress")
    first.set()  # leaves: its partitions move to the second member
    await stream.write([article(n) for n in range(80, 100)])
    outputs = await eventually(
        lambda: stream.messages(EnrichedArticle), lambda found: len(found) >= 100, "all 100"
    )
    await stream.stop_all(second)
    assert sorted(set(handled)) == list(range(100))
    assert sorted(handled) == list(range(100)), "a clean hand-over repeats nothing"
    assert len(outputs) == 100


async def test_concurrent_handling_keeps_the_order_of_outputs(stream: Stream) -> None:
    active: list[int] = []
    most_at_once = 0

    async def slow_first(message: Article) -> list[Message]:
        nonlocal most_at_once
        active.append(1)
        most_at_once = max(most_at_once, len(active))
        revision = int((message.title or "").removeprefix("revision "))
        await asyncio.sleep(0.05 if revision % 2 == 0 else 0.001)  # finish out of order
        active.pop()
        return tag(message)

    await stream.write(revisions(12))
    stop = stream.start(stream.processor(slow_first, concurrency=4, max_records=12))
    outputs = await eventually(
        lambda: stream.messages(EnrichedArticle), lambda found: len(found) == 12, "12 outputs"
    )
    await stream.stop_all(stop)
    assert [o.title for o in outputs] == [f"revision {n}" for n in range(12)]
    assert most_at_once > 1, "records were handled concurrently"
