"""The parser as a stream service: RawArticle in, Article out.

The handler holds no state between messages, so several records are handled
at once (twice the worker count, to keep every worker busy while results
travel back); the runtime still completes them in offset order.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from schemas import Message, RawArticle
from services.parser.article import extract_article, is_html
from services.parser.extraction import PageText
from services.parser.pool import ExtractionFailed, ExtractionPool, ExtractionTimeout
from services.runtime.processor import Handler
from services.runtime.settings import setting
from services.runtime.spec import ServiceSpec, Stage, StageContext, StageSpec


@dataclass(frozen=True)
class ParserSettings:
    parser_workers: int = setting(0, "extraction worker processes; 0 = one per core")
    parser_timeout_s: float = setting(20.0, "time limit for extracting one page")
    parser_memory_mb: int = setting(1024, "address-space limit of each worker process")


def handler_for(pool: ExtractionPool) -> Handler[RawArticle]:
    async def parse(raw: RawArticle) -> list[Message]:
        page: PageText | None = None
        flags: list[str] = []
        if raw.body:
            if not is_html(raw.content_type):
                flags.append("not-html")
            else:
                try:
                    page = await pool.page_text(
                        raw.body, raw.content_type, raw.final_url or raw.url
                    )
                except ExtractionTimeout:
                    flags.append("extraction-timeout")
                except ExtractionFailed:
                    flags.append("extraction-failed")
        elif not raw.page_error:
            flags.append("empty-page")
        return [extract_article(raw, page, parsed_at=datetime.now(UTC), flags=tuple(flags))]

    return parse


@asynccontextmanager
async def open_parser(
    settings: ParserSettings, context: StageContext
) -> AsyncIterator[Stage[RawArticle]]:
    pool = ExtractionPool(
        settings.parser_workers or None,
        timeout_s=settings.parser_timeout_s,
        memory_mb=settings.parser_memory_mb,
    )
    try:
        yield Stage(handler_for(pool))
    finally:
        pool.close()


def parser_spec(workers: int | None = None) -> ServiceSpec:
    stage = StageSpec(
        name="parser",
        consumes=RawArticle,
        open=open_parser,
        concurrency=2 * (workers or os.cpu_count() or 1),
    )
    return ServiceSpec(name="parser", stages=(stage,), http_port=8082, settings_type=ParserSettings)


PARSER = parser_spec()
