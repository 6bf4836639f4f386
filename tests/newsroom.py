"""Generated news for whole-pipeline tests and benchmarks: many launches, several reports each.

Each launch is reported by several outlets in different words, hours apart;
other stories (markets, weather, sport) ride along. The texts are simple on
purpose: these tests and benchmarks measure delivery and timing, not the
recogniser, whose quality is measured on the labelled corpus in bench/.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from schemas import Article
from schemas.ids import article_id, stable_id
from services.sample_site.catalog import SampleArticle

ACTORS = [
    ("KP", "North Korea", "South Korea's Joint Chiefs of Staff said"),
    ("IR", "Iran", "state media reported"),
    ("RU", "Russia", "the defence ministry said"),
    ("CN", "China", "state media said"),
    ("IN", "India", "the defence ministry said"),
    ("PK", "Pakistan", "the military said"),
]
REPORTS = [
    "{actor} fired a ballistic missile on {weekday}, {source}. The missile flew about "
    "600 km before falling into the sea, officials added.",
    "{actor} test-launched a ballistic missile on {weekday}, according to officials. "
    "It was the latest in a series of weapons tests, {source}.",
    "A ballistic missile was launched by {actor} on {weekday}, {source}. "
    "Neighbouring governments condemned the launch.",
]
OTHER_STORIES = [
    "Stock markets closed higher on {weekday} as investors awaited the central bank's "
    "decision on interest rates. Technology shares led the gains.",
    "Heavy rain is expected across the region on {weekday}, forecasters said, with "
    "flood warnings in place for several river valleys.",
    "The home side won the cup final on {weekday} with a late goal, ending a ten-year "
    "wait for a trophy in front of a sold-out stadium.",
]
FIRST_LAUNCH = datetime(2024, 1, 1, 3, tzinfo=UTC)


@dataclass(frozen=True)
class Story:
    """One article of the generated news, and the launch it reports (None for others)."""

    article: SampleArticle
    launch: tuple[str, date] | None


def launch_news(
    launches: int, *, reports: int = 3, others: int = 0, first: datetime = FIRST_LAUNCH
) -> list[Story]:
    """`reports` stories of each of `launches` launches (four days apart), then `others`."""
    stories: list[Story] = []
    for number in range(launches):
        code, actor, source = ACTORS[number % len(ACTORS)]
        moment = first + timedelta(days=4 * number)
        for outlet in range(reports):
            template = REPORTS[outlet % len(REPORTS)]
            text = template.format(actor=actor, weekday=moment.strftime("%A"), source=source)
            story = SampleArticle(
                slug=f"launch-{number}-outlet-{outlet}",
                title=f"{actor} launches a ballistic missile",
                published=moment + timedelta(hours=5 + 7 * outlet),
                section="world",
                text=text,
            )
            stories.append(Story(story, (code, moment.date())))
    for number in range(others):
        moment = first + timedelta(days=number, hours=9)
        text = OTHER_STORIES[number % len(OTHER_STORIES)].format(weekday=moment.strftime("%A"))
        story = SampleArticle(
            slug=f"other-{number}",
            title=text.split(",")[0][:60],
            published=moment,
            section="business",
            text=text,
        )
        stories.append(Story(story, None))
    return stories


def as_article(story: Story, base_url: str = "https://news.example") -> Article:
    """The Article a parser makes of the story's page (for tests that start at the enricher)."""
    url = f"{base_url}/{story.article.section}/{story.article.slug}.html"
    return Article(
        article_id=article_id(url),
        url=url,
        feed_id=stable_id("newsroom"),
        title=story.article.title,
        text="\n".join(story.article.paragraphs),
        published_at=story.article.published,
        parsed_at=datetime.now(UTC),
    )
