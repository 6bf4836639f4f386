"""HTML pages and feeds of the sample site.

Pages look like real news pages, clutter included (navigation, advertising,
share buttons, related stories, reader comments), so the parser has real work
to do. Feeds are generated with ElementTree: RSS 2.0 with a summary per item,
Atom with the full content of each entry.
"""

from __future__ import annotations

import html
from email.utils import format_datetime
from xml.etree import ElementTree

from services.sample_site.catalog import SampleArticle

SITE_NAME = "The Harbour Herald"
ATOM = "http://www.w3.org/2005/Atom"


def article_url(base_url: str, article: SampleArticle) -> str:
    return f"{base_url}/{article.section}/{article.slug}.html"


def article_page(article: SampleArticle, base_url: str) -> str:
    paragraphs = "\n".join(f"      <p>{html.escape(p)}</p>" for p in article.paragraphs)
    published = article.published.isoformat()
    title = html.escape(article.title)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title} | {SITE_NAME}</title>
  <meta property="og:site_name" content="{SITE_NAME}">
  <meta property="og:title" content="{title}">
  <meta property="article:published_time" content="{published}">
  <link rel="canonical" href="{article_url(base_url, article)}">
</head>
<body>
  <header>
    <nav><a href="/">Home</a> <a href="/world/">World</a> <a href="/business/">Business</a>
      <a href="/science/">Science</a> <a href="/sport/">Sport</a>
      <a href="/opinion/">Opinion</a></nav>
    <div class="subscribe">Subscribe for unlimited access. First month free.</div>
  </header>
  <div class="ad">Advertisement: Summer sale on garden furniture, up to 50% off.</div>
  <main>
    <article>
      <h1>{title}</h1>
      <p class="byline">By Herald staff and wire services,
        <time datetime="{published}">{article.published:%d %B %Y}</time></p>
      <div class="share">Share this story: Facebook | X | WhatsApp | Email</div>
{paragraphs}
    </article>
    <aside class="related"><h2>More from {SITE_NAME}</h2><ul>
      <li><a href="/business/markets.html">Markets edge higher before rate meeting</a></li>
      <li><a href="/sport/final.html">Late goal settles the cup final</a></li></ul></aside>
    <section class="comments"><h2>Readers' comments (2)</h2>
      <div class="comment"><b>harbourwatcher</b>: Same story every few months.</div>
      <div class="comment"><b>k_lee</b>: Thanks for the clear reporting.</div></section>
  </main>
  <footer>&copy; {SITE_NAME}. Contact | Privacy | Terms | Cookie settings</footer>
</body>
</html>
"""


def rss_feed(articles: list[SampleArticle], base_url: str, ttl_minutes: int | None = 1) -> bytes:
    rss = ElementTree.Element("rss", version="2.0")
    channel = ElementTree.SubElement(rss, "channel")
    _text(channel, "title", f"{SITE_NAME}: World news")
    _text(channel, "link", f"{base_url}/")
    _text(channel, "description", "Latest stories")
    if ttl_minutes is not None:
        _text(channel, "ttl", str(ttl_minutes))
    for article in articles:
        item = ElementTree.SubElement(channel, "item")
        url = article_url(base_url, article)
        _text(item, "title", article.title)
        _text(item, "link", f"{url}?utm_source=rss&utm_medium=feed")
        _text(item, "guid", url).set("isPermaLink", "true")
        _text(item, "pubDate", format_datetime(article.published))
        _text(item, "description", article.paragraphs[0])
    return bytes(ElementTree.tostring(rss, encoding="utf-8", xml_declaration=True))


def atom_feed(articles: list[SampleArticle], base_url: str) -> bytes:
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed")
    _text(feed, f"{{{ATOM}}}title", f"{SITE_NAME}: all stories")
    _text(feed, f"{{{ATOM}}}id", f"{base_url}/atom.xml")
    newest = max((a.published for a in articles), default=None)
    _text(feed, f"{{{ATOM}}}updated", newest.isoformat() if newest else "1970-01-01T00:00:00Z")
    for article in articles:
        entry = ElementTree.SubElement(feed, f"{{{ATOM}}}entry")
        url = article_url(base_url, article)
        _text(entry, f"{{{ATOM}}}title", article.title)
        _text(entry, f"{{{ATOM}}}id", url)
        ElementTree.SubElement(entry, f"{{{ATOM}}}link", href=url, rel="alternate")
        _text(entry, f"{{{ATOM}}}published", article.published.isoformat())
        _text(entry, f"{{{ATOM}}}updated", article.published.isoformat())
        _text(entry, f"{{{ATOM}}}summary", article.paragraphs[0])
        content = "".join(f"<p>{html.escape(p)}</p>" for p in article.paragraphs)
        _text(entry, f"{{{ATOM}}}content", content).set("type", "html")
    return bytes(ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True))


def _text(parent: ElementTree.Element, tag: str, text: str) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, tag)
    element.text = text
    return element
