"""A small news site, bundled, for the demo and end-to-end tests.

It serves an RSS 2.0 feed, an Atom feed and an HTML page per article, built
from launchwatch's reference articles (launch reports) and a few stories that
only speak of launches. Run it alone with `launchwatch sample-site`.
"""

from services.sample_site.catalog import SampleArticle, load_catalog
from services.sample_site.server import SampleSite

__all__ = ["SampleArticle", "SampleSite", "load_catalog"]
