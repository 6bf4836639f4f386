"""Extraction in worker processes: results come back; a stuck document does not stick."""

from __future__ import annotations

import pytest

from services.parser.pool import ExtractionPool, ExtractionTimeout
from tests.news_pages import news_page, seed_paragraphs

pytestmark = pytest.mark.asyncio

PAGE = news_page("Test", seed_paragraphs("003_a2bd2d2e159aa8bd.txt")).encode()


async def test_pages_are_extracted_in_worker_processes() -> None:
    pool = ExtractionPool(1, timeout_s=60)
    try:
        page = await pool.page_text(PAGE, "text/html; charset=utf-8", "https://a.example/x")
        assert "antiair missiles" in page.text
    finally:
        pool.close()


async def test_a_document_over_its_time_limit_replaces_the_pool_which_keeps_working() -> None:
    pool = ExtractionPool(1, timeout_s=0.000_001)  # no worker can even start in time
    try:
        with pytest.raises(ExtractionTimeout):
            await pool.page_text(PAGE, "text/html", "https://a.example/x")
        pool.timeout_s = 60
        page = await pool.page_text(PAGE, "text/html", "https://a.example/x")
        assert "antiair missiles" in page.text
    finally:
        pool.close()
