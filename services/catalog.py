"""The stream services `launchwatch run` knows, by name, and the reference of their settings.

``python -m services.catalog > docs/settings.md`` writes that reference; a test
keeps the checked-in copy current.
"""

from __future__ import annotations

from services.enricher.service import ENRICHER
from services.fetcher.service import FETCHER
from services.parser import PARSER
from services.runtime.settings import RuntimeSettings, settings_table
from services.runtime.spec import NoSettings, ServiceSpec
from services.web import WEB

SERVICES: dict[str, ServiceSpec] = {
    FETCHER.name: FETCHER,
    PARSER.name: PARSER,
    ENRICHER.name: ENRICHER,
    WEB.name: WEB,
}


def settings_reference() -> str:
    """docs/settings.md: the shared settings, then each service's own."""
    parts = [
        "# Settings\n",
        "Each setting is a flag of `launchwatch run SERVICE` (and of the commands that talk"
        " to Kafka) and an environment variable; a flag wins over the variable, the variable"
        " over the default.\n",
        "## Shared by every service\n",
        settings_table(RuntimeSettings),
    ]
    for name, spec in SERVICES.items():
        if spec.settings_type is NoSettings:
            continue
        parts += [f"## {name}\n", settings_table(spec.settings_type)]
    return "\n".join(parts)


if __name__ == "__main__":
    print(settings_reference(), end="")
