"""An extractor that some pages crash, importable by the spawned extraction workers."""

from __future__ import annotations

import os
import time

from services.parser.extraction import PageText, page_text


def crash_on_marker(body: bytes, content_type: str | None, url: str | None) -> PageText:
    """Aborts the worker on a page holding ``CRASH``, stalls on ``STALL``; else extracts."""
    if b"CRASH" in body:
        os.abort()
    if b"STALL" in body:
        time.sleep(60)
    if b"SLOW" in body:
        time.sleep(1.5)
    return page_text(body, content_type, url)
