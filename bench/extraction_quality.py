"""Extraction quality: `launchwatch extract` against bare trafilatura, same pages, same metric.

Runs the real command over the article-extraction benchmark's pages, runs bare
trafilatura with the parser's settings (`services.parser.extraction.SETTINGS`)
over the same pages in this process, and prints precision, recall and F1 of
both under the benchmark's metric, with pages per second on one core.

    python bench/extraction_quality.py [--benchmark DIR]

The metric (the benchmark's own definition): both texts are split into word
tokens (``\\w+``); all runs of four consecutive tokens ("shingles") are counted;
true positives, false positives and false negatives are the multiset overlaps;
each page's three counts are normalised to sum to one; precision is averaged
over pages where something was predicted or expected-and-matched (tp + fp > 0),
recall over pages with something expected (tp + fn > 0); F1 is the harmonic
mean of the two averages. A page with nothing predicted and nothing expected
counts as perfect.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import trafilatura
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from services.parser.extraction import SETTINGS  # noqa: E402

DEFAULT_BENCHMARK = ROOT.parent / "shared" / "benchmarks" / "article-extraction"
TOKEN = re.compile(r"\w+")
Counts = tuple[float, float, float]


def shingles(text: str, size: int = 4) -> Counter[tuple[str, ...]]:
    tokens = TOKEN.findall(text or "")
    runs = [tuple(tokens[i : i + size]) for i in range(max(1, len(tokens) - size + 1))]
    return Counter(run for run in runs if run)


def page_counts(expected: str, predicted: str) -> Counts:
    truth, guess = shingles(expected), shingles(predicted)
    tp = float(sum((truth & guess).values()))
    fp = float(sum((guess - truth).values()))
    fn = float(sum((truth - guess).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def score(pages: list[Counts]) -> tuple[float, float, float]:
    """(precision, recall, F1) over pages, as the benchmark defines them."""
    p = statistics.mean(precision(*c) for c in pages if c[0] + c[1] > 0)
    r = statistics.mean(recall(*c) for c in pages if c[0] + c[2] > 0)
    return p, r, 2 * p * r / (p + r)


def launchwatch_extract(html_dir: Path) -> tuple[dict[str, str], float]:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "services.cli", "extract", str(html_dir)],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    elapsed = time.perf_counter() - started
    texts = {}
    for line in result.stdout.splitlines():
        article = json.loads(line)
        texts[Path(article["url"]).name.split(".")[0]] = article["text"]
    return texts, elapsed


def bare_trafilatura(pages: dict[str, bytes]) -> tuple[dict[str, str], float]:
    started = time.perf_counter()
    texts = {key: trafilatura.extract(html, **SETTINGS) or "" for key, html in pages.items()}
    return texts, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--benchmark", type=Path, default=DEFAULT_BENCHMARK)
    args = parser.parse_args()
    truth = json.loads((args.benchmark / "ground-truth.json").read_text())
    pages = {
        path.name.split(".")[0]: gzip.decompress(path.read_bytes())
        for path in sorted((args.benchmark / "html").glob("*.html.gz"))
    }
    ours, ours_s = launchwatch_extract(args.benchmark / "html")
    bare, bare_s = bare_trafilatura(pages)

    table = Table(
        "extractor",
        "pages",
        "precision",
        "recall",
        "F1",
        "pages/s (1 core)",
        title=f"Article extraction benchmark, settings {SETTINGS}",
    )
    results = {}
    for name, texts, seconds in (
        ("launchwatch extract", ours, ours_s),
        ("bare trafilatura", bare, bare_s),
    ):
        counts = [page_counts(truth[key]["articleBody"], texts.get(key, "")) for key in truth]
        results[name] = score(counts)
        p, r, f1 = results[name]
        table.add_row(
            name,
            str(len(texts)),
            f"{p:.3f}",
            f"{r:.3f}",
            f"{f1:.3f}",
            f"{len(texts) / seconds:.1f}",
        )
    console = Console()
    console.print(table)
    gap = results["launchwatch extract"][2] - results["bare trafilatura"][2]
    console.print(f"F1 difference (launchwatch - bare): {gap:+.4f}")
    console.print("launchwatch's pages/s include process start-up, decoding and metadata.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
