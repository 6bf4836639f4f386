"""Parser throughput through real Kafka, against bare trafilatura on the same pages.

Writes the article-extraction benchmark's pages (repeated to N documents, each
with its own URL) to `news.raw` as RawArticles, then runs `launchwatch run
parser` as a separate process with 1 and then 2 extraction workers, each on
its own output topics, and measures articles per second from the timestamps of
the first and last Article written (steady state: process start-up and group
join are excluded). In the same run, bare trafilatura extracts the same pages
with the same settings and metadata in one process: the per-core baseline.

    python bench/parser_throughput.py [--documents 1000] [--bootstrap HOST:PORT]

Without --bootstrap (or LAUNCHWATCH_KAFKA_BOOTSTRAP) a private broker is
started with deploy/kafka/kafka.sh and stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import trafilatura
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from schemas import Article, FeedEntry, RawArticle, topic_for  # noqa: E402
from schemas.ids import article_id, feed_id  # noqa: E402
from services.parser.extraction import SETTINGS  # noqa: E402
from services.runtime import KafkaTransport, Routing  # noqa: E402

PAGES = ROOT.parent / "shared" / "benchmarks" / "article-extraction" / "html"
KAFKA = ROOT / "deploy" / "kafka" / "kafka.sh"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def broker(given: str | None) -> Iterator[str]:
    if given:
        yield given
        return
    with tempfile.TemporaryDirectory() as workdir:
        environ = {
            **os.environ,
            "LAUNCHWATCH_KAFKA_PORT": str(free_port()),
            "LAUNCHWATCH_KAFKA_CONTROLLER_PORT": str(free_port()),
            "LAUNCHWATCH_KAFKA_DATA_DIR": f"{workdir}/data",
            "LAUNCHWATCH_KAFKA_RUN_FILE": f"{workdir}/run",
        }
        out = subprocess.run(
            [KAFKA, "start"], env=environ, capture_output=True, text=True, check=True
        )
        try:
            yield out.stdout.strip().splitlines()[-1]
        finally:
            subprocess.run([KAFKA, "stop"], env=environ, capture_output=True)


def documents(count: int) -> list[RawArticle]:
    pages = [gzip.decompress(path.read_bytes()) for path in sorted(PAGES.glob("*.html.gz"))]
    now = datetime.now(UTC)
    raws = []
    for number in range(count):
        url = f"https://bench.example/{number}"
        raws.append(
            RawArticle(
                article_id=article_id(url),
                url=url,
                feed_id=feed_id("https://bench.example/rss"),
                feed_url="https://bench.example/rss",
                entry=FeedEntry(entry_id=url),
                fetched_at=now,
                content_type="text/html; charset=utf-8",
                body=pages[number % len(pages)],
            )
        )
    return raws


def bare_rate(raws: list[RawArticle]) -> float:
    started = time.perf_counter()
    for raw in raws:
        trafilatura.bare_extraction(raw.body, url=raw.url, with_metadata=True, **SETTINGS)
    return len(raws) / (time.perf_counter() - started)


async def prepare(transport: KafkaTransport, prefix: str, raws: list[RawArticle]) -> None:
    routing = Routing(source="/launchwatch/bench", prefix=prefix)
    topics = [replace(topic_for(t), name=prefix + topic_for(t).name) for t in (RawArticle, Article)]
    dlqs = [replace(t, name=t.name + ".dlq", value_type=None) for t in topics]
    await transport.create_topics(topics + dlqs)
    publisher = await transport.publisher(client_id="bench")
    try:
        for start in range(0, len(raws), 100):
            await publisher.publish([routing.record_for(r) for r in raws[start : start + 100]])
    finally:
        await publisher.close()


async def output_times(transport: KafkaTransport, topic: str) -> list[int]:
    return [r.timestamp_ms async for r in transport.read(topic, from_beginning=True, follow=False)]


def run_parser(bootstrap: str, prefix: str, workers: int, expected: int) -> float:
    """Articles per second in steady state with `workers` extraction processes."""
    transport = KafkaTransport(bootstrap)
    environ = {
        **os.environ,
        "LAUNCHWATCH_KAFKA_BOOTSTRAP": bootstrap,
        "LAUNCHWATCH_TOPIC_PREFIX": prefix,
        "LAUNCHWATCH_HTTP_PORT": "0",
        "LAUNCHWATCH_HTTP_HOST": "127.0.0.1",
        "LAUNCHWATCH_PARSER_WORKERS": str(workers),
        "LAUNCHWATCH_GROUP_ID": f"bench-{uuid.uuid4().hex[:8]}",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "services.cli", "run", "parser"],
        cwd=ROOT,
        env=environ,
        stderr=subprocess.DEVNULL,
    )
    try:
        while True:
            times = asyncio.run(output_times(transport, prefix + "news.articles"))
            if len(times) >= expected:
                break
            if process.poll() is not None:
                raise RuntimeError(f"the parser exited with {process.returncode}")
            time.sleep(1)
    finally:
        process.terminate()
        process.wait(60)
    return (len(times) - 1) / ((max(times) - min(times)) / 1000)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--bootstrap", default=os.environ.get("LAUNCHWATCH_KAFKA_BOOTSTRAP"))
    args = parser.parse_args()
    raws = documents(args.documents)
    console = Console()
    with broker(args.bootstrap) as bootstrap:
        rates: dict[str, float] = {}
        for workers in (1, 2):
            prefix = f"bench{uuid.uuid4().hex[:6]}."
            asyncio.run(prepare(KafkaTransport(bootstrap), prefix, raws))
            rates[f"bare-{workers}"] = bare_rate(raws)
            console.print(f"bare trafilatura: {rates[f'bare-{workers}']:.1f} pages/s")
            rates[f"parser-{workers}"] = run_parser(bootstrap, prefix, workers, len(raws))
            console.print(f"parser, {workers} worker(s): {rates[f'parser-{workers}']:.1f}/s")
    bare = (rates["bare-1"] + rates["bare-2"]) / 2
    table = Table(
        "",
        "articles/s",
        "vs bare trafilatura (1 core)",
        title=f"Parser throughput, {len(raws)} documents, {os.cpu_count()} cores",
    )
    table.add_row("bare trafilatura, 1 process", f"{bare:.1f}", "1.00")
    for workers in (1, 2):
        rate = rates[f"parser-{workers}"]
        table.add_row(
            f"parser through Kafka, {workers} worker(s)", f"{rate:.1f}", f"{rate / bare:.2f}"
        )
    console.print(table)
    console.print(f"scaling 1 -> 2 workers: {rates['parser-2'] / rates['parser-1']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
