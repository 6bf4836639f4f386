"""Realistic news-site pages around an article's text, for extraction tests.

A page has what real news pages have around the story: navigation, a cookie
banner, advertisements, a "most read" box, share buttons, related links and a
reader comment section. Every piece of clutter carries a marker word so a test
can tell whether it leaked into the extracted text.
"""

from __future__ import annotations

import html
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1] / "services" / "sample_site" / "data"
"""The reference articles, bundled with the sample site under their original names."""

CLUTTER_MARKERS = (
    "NAVMARKER",
    "COOKIEMARKER",
    "ADMARKER",
    "MOSTREADMARKER",
    "SHAREMARKER",
    "RELATEDMARKER",
    "COMMENTMARKER",
    "FOOTERMARKER",
)


def seed_paragraphs(name: str) -> list[str]:
    """The paragraphs of a seed article (one per non-empty line)."""
    text = (SEEDS / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def news_page(title: str, paragraphs: list[str], *, published: str = "2025-10-29") -> str:
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    middle = len(paragraphs) // 2
    first, second = body.split("\n")[:middle], body.split("\n")[middle:]
    return f"""<!DOCTYPE html>
<html lang="en-US">
<head>
  <meta charset="utf-8">
  <title>{html.escape(title)} | The Daily Example</title>
  <meta property="og:site_name" content="The Daily Example">
  <meta property="article:published_time" content="{published}T06:00:00Z">
  <meta name="author" content="Jane Reporter">
  <link rel="canonical" href="https://daily.example.com/world/{published}/story">
</head>
<body>
  <div class="cookie-banner">We use cookies COOKIEMARKER to improve your experience.
    <button>Accept all</button></div>
  <header><nav><ul>
    <li><a href="/">Home NAVMARKER</a></li><li><a href="/world">World</a></li>
    <li><a href="/politics">Politics</a></li><li><a href="/sport">Sport</a></li>
  </ul></nav></header>
  <div class="ad ad-leaderboard">Advertisement ADMARKER: Buy the new phone today, 40% off!</div>
  <main>
    <article>
      <h1>{html.escape(title)}</h1>
      <div class="byline">By Jane Reporter, <time datetime="{published}">{published}</time></div>
      <div class="share">Share SHAREMARKER on <a href="#">Facebook</a> <a href="#">X</a></div>
      {"".join(first)}
      <aside class="ad inline-ad">Sponsored ADMARKER: Travel insurance from $9 a month</aside>
      {"".join(second)}
    </article>
    <section class="related"><h2>Related RELATEDMARKER</h2><ul>
      <li><a href="/a">Stock markets rally on rate cut hopes</a></li>
      <li><a href="/b">Ten recipes for autumn evenings</a></li></ul></section>
    <section id="comments" class="comments"><h2>Comments</h2>
      <div class="comment"><b>reader42</b>: COMMENTMARKER This is terrible news, who
        could have seen it coming? I blame the government.</div>
      <div class="comment"><b>jk_1990</b>: COMMENTMARKER Totally agree with you.</div>
    </section>
  </main>
  <aside class="most-read"><h3>Most read MOSTREADMARKER</h3><ol>
    <li>Celebrity wedding photos</li><li>Weather warning for the weekend</li></ol></aside>
  <footer>FOOTERMARKER &copy; The Daily Example. All rights reserved.
    <a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
</body>
</html>"""
