"""Dead letters always fit their topic, so a poison record can never stop a stream."""

from __future__ import annotations

from services.runtime import ConsumedRecord, dead_letter

MIB = 1024 * 1024


def poison(value: bytes, key: bytes = b"article-1") -> ConsumedRecord:
    return ConsumedRecord(
        topic="news.articles",
        partition=4,
        offset=1234,
        key=key,
        value=value,
        headers=(("ce_type", b"launchwatch.article.v1"), ("trace", b"x" * 5000)),
    )


def letter_for(record: ConsumedRecord, max_bytes: int | None) -> dict[str, bytes]:
    letter = dead_letter(
        record,
        reason="undecodable",
        error="not JSON",
        consumer_group="launchwatch-enricher",
        service="tag",
        attempts=0,
        max_bytes=max_bytes,
    )
    if max_bytes is not None:
        assert letter.size <= max_bytes
    assert letter.topic == "news.articles.dlq"
    return {"value": letter.value or b"", "key": letter.key or b"", **dict(letter.headers)}


def test_a_record_that_fits_is_kept_whole() -> None:
    record = poison(b"{not json")
    letter = letter_for(record, max_bytes=MIB)
    assert letter["value"] == b"{not json"
    assert letter["trace"] == b"x" * 5000
    assert "dlq_truncated" not in letter


def test_a_record_inflated_past_the_limit_is_cut_to_fit_with_its_position() -> None:
    """A 400-byte zstd record can decompress to 12 MiB: its dead letter is cut, not refused."""
    huge = b"\0" * (12 * MIB)
    letter = letter_for(poison(huge, key=b"k" * 5000), max_bytes=MIB + 64 * 1024)
    assert huge.startswith(letter["value"])
    assert len(letter["value"]) > MIB // 2
    assert letter["dlq_truncated"] == f"key=5000 value={12 * MIB} bytes".encode()
    assert letter["dlq_topic"] == b"news.articles"
    assert letter["dlq_partition"] == b"4"
    assert letter["dlq_offset"] == b"1234"
    assert letter["dlq_reason"] == b"undecodable"
    assert "trace" not in letter, "the original headers go first"
