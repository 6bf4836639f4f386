"""The web service: the analyst's view of launch events.

A live map and timeline of launches with filters, a page per launch with the
evidence and sources of every fact, an Atom feed of the alerts, a JSON and
GeoJSON query API and a stream of server-sent events; all built from the topics
(see `services.web.service`), rendered on the server and working without
JavaScript. Nothing is fetched from elsewhere: the basemap is bundled
(``data/``). Routes: `services.web.pages`.
"""

from services.web.library import Library
from services.web.service import WEB, open_web

__all__ = ["WEB", "Library", "open_web"]
