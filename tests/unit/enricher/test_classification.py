"""The article's news, decided at article level: reports kept, distractors given a reason."""

from __future__ import annotations

from datetime import date

import pytest

from schemas import EnrichedArticle, Modality
from services.enricher import tag_article
from services.enricher.classification import CLASSIFIERS
from tests.unit.enricher.articles import article

PUBLISHED = "2025-06-12T09:00:00+00:00"  # a Thursday


def tag(text: str, title: str | None = None) -> EnrichedArticle:
    return tag_article(article(text, PUBLISHED, title=title))


DISTRACTORS = {
    "council-condemns": (
        "Security Council condemns North Korea's latest missile launch",
        "The UN Security Council condemned on Wednesday North Korea's launch of an "
        "intercontinental ballistic missile last Friday, but stopped short of a formal "
        "statement.\nFourteen members of the Security Council signed a joint statement that "
        "condemned the launch as a threat to peace.\nTwo permanent members said new sanctions "
        "would only raise tensions.\nThe council has passed nine resolutions against the "
        "country's weapons programmes.",
        Modality.REACTION,
    ),
    "rally": (
        "Pyongyang holds mass rally to celebrate missile test",
        "Tens of thousands of people joined a mass rally in Pyongyang on Wednesday to "
        "celebrate the successful test of a new ballistic missile.\nSpeakers at the rally "
        "praised the scientists and vowed loyalty to the leadership.\nState television "
        "showed crowds waving flags as the rally ended with fireworks.\nThe celebrations "
        "followed similar rallies in other cities.",
        Modality.REACTION,
    ),
    "contradicted-claim": (
        "Pentagon: claimed missile test bogus",
        "Pentagon officials said on Wednesday they had no reason to believe that Iran "
        "conducted any missile tests in the Gulf this week.\nIranian state television had "
        "reported that the navy fired four missiles during an exercise.\nA spokesman said "
        "the military could not confirm any of the reporting.",
        Modality.NEGATED,
    ),
    "motor-ground-test": (
        "North Korea tests high-thrust solid-fuel motor",
        "North Korea conducted a ground test of a high-thrust solid-fuel motor at its "
        "satellite launching ground on Wednesday, state media said.\nLeader Kim Jong Un "
        "watched the engine test and called it a success.\nThe motor is meant for a new "
        "strategic weapon system, the agency said.",
        Modality.GROUND_TEST,
    ),
    "imagery-without-engine-tests": (
        "Launch site upgrades continue, imagery shows",
        "Recent satellite imagery of the Sohae launching station shows construction in "
        "progress.\nThe imagery indicates there have not been any rocket engine tests during "
        "the past month.\nNo other activity is noted at the site.",
        Modality.NOT_A_LAUNCH,
    ),
    "false-alert": (
        "Wrong button sends out false missile alert",
        "State emergency officials mistakenly issued a ballistic missile threat alert on "
        "Wednesday, then said it was a false alarm.\nAn employee pushed the wrong button, "
        "officials said.",
        Modality.NEGATED,
    ),
    "civil-agency-launch": (
        "Indian rocket places nine satellites in orbit",
        "The Indian Space Research Organisation's PSLV rocket lifted off from Sriharikota "
        "on Wednesday and placed an ocean-observation satellite and eight smaller ones in "
        "orbit.\nThe agency said all the satellites separated as planned.",
        Modality.CIVIL_SPACE,
    ),
    "korean-civil-rocket": (
        "South Korea's Nuri rocket reaches orbit on second try",
        "South Korea's Nuri rocket lifted off from the Naro Space Center on Tuesday and "
        "placed a performance-verification satellite in orbit, the science ministry said.\n"
        "The Korea Aerospace Research Institute built the three-stage rocket.",
        Modality.CIVIL_SPACE,
    ),
    "chinese-civil-mission": (
        "Long March rocket sends weather satellite into orbit",
        "China launched a Long March 4B rocket from the Taiyuan Satellite Launch Center on "
        "Wednesday, sending a new weather satellite into orbit.\nIt was the 40th flight of "
        "the Long March family this year.",
        Modality.CIVIL_SPACE,
    ),
    "unnamed-rocket-company": (
        "Scottish rocket firm's suborbital rocket reaches space",
        "A Scottish rocket firm launched its suborbital rocket from a mobile launch site in "
        "the north of the country on Tuesday, the company said.\nThe rocket reached an "
        "altitude of 100 km.",
        Modality.CIVIL_SPACE,
    ),
    "space-startup-awaits-licence": (
        "British space startup asks for licence for first launch",
        "A British space startup on Wednesday asked the government to grant the licence for "
        "its first rocket launch from Iceland, delayed since last year.\nThe rocket has been "
        "fully tested and is ready.",
        Modality.CIVIL_SPACE,
    ),
    "scheduled-test": (
        "Air Force schedules Minuteman III test launch for next week",
        "The US Air Force will test-launch an unarmed Minuteman III intercontinental "
        "ballistic missile from Vandenberg next week, officials said on Wednesday.\nThe "
        "test is scheduled and is not a response to world events, they said.",
        Modality.PLANNED,
    ),
    "postponed-test": (
        "Pentagon delays intercontinental ballistic missile test",
        "The Pentagon on Wednesday postponed a routine test launch of a Minuteman III "
        "intercontinental ballistic missile to avoid raising tensions.\nThe test was put off "
        "after a rival's navy fired missiles near a disputed island.\nThe test would have "
        "been conducted from Vandenberg, officials said.",
        Modality.PLANNED,
    ),
    "reaction-in-a-slug-headline": (
        "unsc fails to agree statement on north korea missile launches",
        "The UN Security Council on Wednesday failed to agree a statement on a recent series "
        "of ballistic missile launches by North Korea.\nAt an emergency meeting, most Security "
        "Council members denounced the launches.\nTwo members said sanctions had failed.\nThe "
        "Security Council last agreed a statement on the country in 2017.",
        Modality.REACTION,
    ),
    "late-disclosure": (
        "Paper says China surprised officials with hypersonic missile test",
        "China tested a nuclear-capable hypersonic missile in August, a business newspaper "
        "reported.\nThe report late on Tuesday said the military launched a rocket carrying "
        "a glide vehicle that circled the globe.\nOfficials declined to comment.",
        Modality.HISTORICAL,
    ),
    "failure-kept-quiet": (
        "Failed submarine missile test kept quiet before vote, paper says",
        "It has been reported that a failed test of a submarine-launched ballistic missile "
        "was kept quiet before a parliamentary vote.\nThe failed test took place last year "
        "off the coast of Florida, the paper said.\nOpposition members called for an inquiry.",
        Modality.HISTORICAL,
    ),
    "hypothetical": (
        "What would happen if a missile were fired at the island",
        "If North Korea launched a Hwasong-12 missile at Guam, it would reach the island in "
        "about 14 minutes, experts said on Wednesday.\nThe island's defences include a THAAD "
        "battery.\nOfficials urged residents not to panic.",
        Modality.PLANNED,
    ),
    "readying": (
        "Satellite images show North Korea readying launch",
        "Satellite images taken on Tuesday show North Korea readying a long-range rocket at "
        "its Sohae site, analysts said.\nA launch could come within days.",
        Modality.PLANNED,
    ),
    "quoted-claim-denied": (
        "Ministry denies claim of new missile test",
        "A senior lawmaker claimed on Wednesday that Russia had just test-fired a new "
        "hypersonic missile.\nThe defence ministry said there had been no launch and called "
        "the claim false.\nThe lawmaker later withdrew his remarks.",
        Modality.NEGATED,
    ),
    "preparations": (
        "North Korea may be preparing missile launch, Seoul says",
        "South Korea's military said on Wednesday that North Korea appeared to be preparing "
        "to launch a ballistic missile from a site near Pyongyang, citing satellite "
        "imagery.\nA launch could come within days, officials said.",
        Modality.PLANNED,
    ),
    "test-window-announced": (
        "ICBM test planned at coastal base",
        "The base is scheduled to host an operational test launch of an unarmed Minuteman III "
        "intercontinental ballistic missile early on Friday.\nThe launch of the Air Force "
        "ICBM, which is a component of the nuclear deterrent, is scheduled for a window "
        "between 12:01 and 6:01 a.m. The test was announced Thursday morning by the wing.",
        Modality.PLANNED,
    ),
    "launch-noun-set-for-later": (
        "Rocket launch from island site",
        "The launch of the country's new solid-fuel missile, the first from the island site, "
        "is set for next week, officials said on Thursday.\nThe missile was shown to "
        "reporters at the site.",
        Modality.PLANNED,
    ),
}


@pytest.mark.parametrize("name", sorted(DISTRACTORS))
def test_stories_about_launches_that_report_none_get_their_reason(name: str) -> None:
    title, text, modality = DISTRACTORS[name]
    report = tag(text, title)
    assert not report.is_launch_report
    assert report.rejected_as is modality


REPORTS = {
    "first-since-a-year": (
        "North Korea fires missile over Japan",
        "North Korea fired a ballistic missile over Japan on Wednesday, the first such "
        "flight since 2017, Japan's government said.\nThe missile flew about 4,500 km "
        "before falling into the Pacific.",
        date(2025, 6, 11),
    ),
    "first-since-a-day": (
        "North Korea fires suspected missile off east coast",
        "North Korea fired a suspected ballistic missile into the sea on Wednesday, "
        "officials in Seoul and Tokyo said.\nThe launch is the first since Oct. 19, when the "
        "North tested a submarine-launched missile.",
        date(2025, 6, 11),
    ),
    "no-launch-day": (
        "North Korea fires long-range rocket",
        "North Korea has fired a long-range rocket, which critics say is a test of banned "
        "missile technology.\nState television said a satellite had reached orbit.\nThe "
        "North first launched a satellite rocket in 1998 and failed in 2009 and 2012.",
        None,
    ),
    "history-paragraphs": (
        "Pakistan test-fires cruise missile",
        "Pakistan test-fired a Babur cruise missile with an extended range, the military "
        "said on Wednesday.\nThe two neighbours have fought three wars, in 1948, 1965 and "
        "1971, since independence in 1947.\nIndia tested a ballistic missile in March 2024.",
        date(2025, 6, 11),
    ),
    "headline-phrase": (
        "Minuteman III test launch showcases readiness of nuclear forces",
        "Airmen launched an unarmed Minuteman III intercontinental ballistic missile from "
        "Vandenberg Space Force Base on Wednesday.\nThe re-entry vehicle travelled about "
        "4,200 miles to the Kwajalein Atoll.",
        date(2025, 6, 11),
    ),
    "failed-with-next-attempt": (
        "North Korea tries to launch missile but fails",
        "North Korea tried to launch a ballistic missile on Wednesday but it failed shortly "
        "after lift-off, South Korea's military said.\nOfficials said the North would likely "
        "prepare its next attempt within weeks.",
        date(2025, 6, 11),
    ),
    "failed-in-the-headline": (
        "Missile launch fails, explodes near capital in possible ICBM test",
        "A ballistic missile appeared to have exploded shortly after launch near Pyongyang on "
        "Wednesday, South Korea's military said.\nThe military said the North fired an "
        "unidentified projectile from the Sunan area.",
        date(2025, 6, 11),
    ),
    "drill-round-up": (
        "Putin oversees strategic deterrence drill",
        "President Vladimir Putin oversaw an exercise of the strategic deterrence forces on "
        "Wednesday, the Kremlin said.\nAll missiles reached their targets, the Kremlin said.\n"
        "The exercise involved a Yars intercontinental ballistic missile launched from "
        "Plesetsk.",
        None,
    ),
    "interception": (
        "UAE intercepts two Houthi ballistic missiles",
        "The United Arab Emirates intercepted and destroyed two ballistic missiles fired by "
        "Yemen's Houthis at Abu Dhabi on Wednesday, the defence ministry said.",
        date(2025, 6, 11),
    ),
    "flown-engine-test": (
        "Iran tests new rocket engine in flight",
        "Iran's Revolutionary Guards said on Wednesday they had flight-tested a new solid-fuel "
        "engine on a Qaem-100 rocket that reached an altitude of 80 km.\nThe launch took "
        "place at Shahroud.",
        date(2025, 6, 11),
    ),
    "crash-of-a-stray-missile": (
        "Neighbour must explain stray missile, army says",
        "The army said on Thursday that the projectile that crashed near a village on "
        "Wednesday evening was a supersonic missile launched from India.\nNo one was hurt, "
        "the army's spokesman said.",
        None,
    ),
    "day-owned-by-the-attack": (
        "Iran claims missile barrage near consulate in Iraq",
        "Iran's Revolutionary Guard said it attacked a spy centre in the northern city in "
        "retaliation for a strike in Syria.\nThe Guard's statement gave no details.\nIran "
        "claimed responsibility for a missile barrage that struck near the consulate, saying "
        "it was retaliation for a strike earlier this week.\nNo injuries were reported in "
        "Thursday's attack on the city, officials said.",
        None,
    ),
    "yesterday-owns-the-salvo": (
        "Houthis say they fired on base",
        "Yemen's Houthis said they had targeted the air base in retaliation for a raid.\nThe "
        "Houthis claimed responsibility for a rocket barrage that struck near the base, saying it "
        "was revenge for a strike earlier in the week.\nYesterday's salvo caused no "
        "casualties, the base said.",
        None,
    ),
    "cause-in-the-lede": (
        "Japan tells residents to shelter after North Korea missile launch",
        "Japan told residents of three prefectures to take shelter on Wednesday morning "
        "after a North Korean missile launch.\nThe missile flew over northern Japan, the "
        "government said.",
        date(2025, 6, 11),
    ),
}


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_launch_reports_that_used_to_be_missed_are_reports(name: str) -> None:
    title, text, day = REPORTS[name]
    report = tag(text, title)
    assert report.launch is not None, report.rejected_as
    if day is not None:
        assert report.launch.launch_date == day


def test_every_article_level_reason_is_a_modality() -> None:
    reasons = [modality for modality, _ in CLASSIFIERS]
    kinds = [classifier for _, classifier in CLASSIFIERS]
    assert len(kinds) == len(set(kinds))  # several kinds of story may share one reason
    assert set(reasons) <= set(Modality)
    assert {Modality.REACTION, Modality.GROUND_TEST, Modality.CIVIL_SPACE} <= set(reasons)
