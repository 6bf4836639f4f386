"""The parser: clean text and metadata from every downloaded page.

Consumes `news.raw` (RawArticle), produces `news.articles` (Article). The
domain logic is pure (`extract_article`); extraction, which is CPU work, runs
in a pool of worker processes (`ExtractionPool`) so the event loop stays
responsive and the consumer keeps its group membership under load.
"""

from services.parser.article import extract_article
from services.parser.pool import ExtractionPool
from services.parser.service import PARSER, parser_spec

__all__ = ["PARSER", "ExtractionPool", "extract_article", "parser_spec"]
