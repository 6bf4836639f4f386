"""Stories about missiles that report no new launch, written in the styles of the wires.

Each kind of distractor is told in several phrasings (agency datelines, bylines, a
launch recapped in a sentence or two), so a rule that holds only for one wording
fails here. `None` as the reason: any reason, as long as no event is raised.
"""

from __future__ import annotations

import pytest

from schemas import Modality
from services.enricher import tag_article
from tests.unit.enricher.articles import article

DISTRACTORS: dict[str, tuple[str, str, str, Modality | None]] = {
    "reaction-sanctions-treasury": (
        "US slaps sanctions on North Korean officials over missile launches",
        "WASHINGTON, Nov. 7 (Reuters) - The United States on Friday imposed sanctions on "
        "three North Korean officials it said were behind the country's weapons programmes, "
        "after Pyongyang fired an intercontinental ballistic missile last week.\n"
        "The Treasury Department said the officials had directed the development of missiles "
        "in violation of UN resolutions.\n"
        '"We will continue to use our sanctions to hold the regime accountable," a Treasury '
        "official said in a statement.\n"
        "The sanctions freeze any US assets of the three men and bar Americans from dealing "
        "with them.\n"
        "North Korea has fired dozens of missiles this year.",
        "2025-11-07T18:00:00+00:00",
        Modality.REACTION,
    ),
    "reaction-unsc-no-statement": (
        "UN Security Council fails to agree on response to North Korea launch",
        "UNITED NATIONS (AP) -- The UN Security Council met Wednesday for the first time "
        "since North Korea launched an intercontinental ballistic missile but failed to agree"
        " on any response, with China and Russia opposing new measures.\n"
        "The United States, Britain and France called the launch a clear violation of council"
        " resolutions.\n"
        "China's ambassador said the council should avoid steps that could escalate tension.\n"
        "Russia's deputy ambassador blamed joint military drills by the United States and "
        "South Korea.\n"
        "The council last adopted sanctions against Pyongyang in 2017.",
        "2025-11-05T22:00:00+00:00",
        Modality.REACTION,
    ),
    "reaction-japan-protest": (
        "Japan lodges protest with North Korea over missile",
        "TOKYO, Nov. 6 (Kyodo) -- Japan lodged a strong protest with North Korea through "
        "diplomatic channels in Beijing on Thursday over its latest ballistic missile launch,"
        " the government said.\n"
        'Prime Minister told reporters the launch was "absolutely unacceptable" and a threat '
        "to the peace and security of the region.\n"
        "The government convened a meeting of the National Security Council to discuss the "
        "response.\n"
        "Chief Cabinet Secretary said Tokyo would work closely with Washington and Seoul.",
        "2025-11-06T09:00:00+00:00",
        Modality.REACTION,
    ),
    "reaction-g7-statement": (
        "G7 foreign ministers condemn North Korea's missile tests",
        "Foreign ministers of the Group of Seven industrialized nations on Saturday condemned"
        " North Korea's recent ballistic missile launches, saying they pose a grave threat to"
        " regional and international peace.\n"
        "In a joint statement, the ministers urged Pyongyang to refrain from further "
        "destabilising actions and to return to dialogue.\n"
        "The statement also called on all countries to fully implement UN sanctions.\n"
        "The ministers expressed concern over the North's cooperation with Russia.",
        "2025-11-08T12:00:00+00:00",
        Modality.REACTION,
    ),
    "reaction-rally-kcna": (
        "Mass rally in Pyongyang hails ICBM launch",
        "PYONGYANG, Nov. 8 (KCNA) -- A mass rally was held in Kim Il Sung Square on Saturday "
        "to celebrate the great victory of the successful test-fire of the new-type ICBM "
        "Hwasong-20.\n"
        "Speakers said the test-fire was a powerful demonstration of the country's nuclear "
        "deterrent.\n"
        "Participants pledged to defend the leadership with their lives.\n"
        "The rally ended with a march of the participants.",
        "2025-11-08T12:00:00+00:00",
        Modality.REACTION,
    ),
    "aftermath-casualties": (
        "Death toll from missile strike on Dnipro apartment rises to 40",
        "KYIV, Ukraine (AP) -- Rescuers pulled more bodies from the rubble of an apartment "
        "building in Dnipro on Tuesday, raising the death toll from Saturday's Russian "
        "missile strike to 40, officials said.\n"
        "Dozens of people remain missing and rescue teams continued to search the ruins.\n"
        "The regional governor declared two days of mourning.\n"
        "Funerals for some of the victims were held on Monday.",
        "2025-11-04T15:00:00+00:00",
        None,
    ),
    "planned-satellite-notice": (
        "North Korea notifies Japan of plan to launch satellite",
        "TOKYO (Reuters) - North Korea has notified Japan's coast guard that it plans to "
        "launch a satellite between Nov. 22 and Dec. 1, the coast guard said on Tuesday.\n"
        "Japan will take all necessary measures to intercept the rocket if it threatens "
        "Japanese territory, the defence minister said.\n"
        "Pyongyang failed twice earlier this year to put a military spy satellite into orbit.",
        "2025-11-18T03:00:00+00:00",
        Modality.PLANNED,
    ),
    "planned-icbm-preparations": (
        "North Korea may be preparing ICBM launch, Seoul says",
        "SEOUL, Nov. 5 (Yonhap) -- North Korea appears to be preparing to fire an "
        "intercontinental ballistic missile around the time of the US presidential election, "
        "South Korea's spy agency said Wednesday.\n"
        "The National Intelligence Service told lawmakers that the North had likely completed"
        " preparations for a seventh nuclear test as well.\n"
        "Lawmakers quoted the agency as saying a launch could come within days.",
        "2025-11-05T04:00:00+00:00",
        Modality.PLANNED,
    ),
    "planned-us-test-scheduled": (
        "Air Force to test-launch unarmed Minuteman III next week",
        "The U.S. Air Force will test-launch an unarmed Minuteman III intercontinental "
        "ballistic missile from Vandenberg Space Force Base, California, early next week, Air"
        " Force Global Strike Command said on Friday.\n"
        "The test is scheduled for the early morning hours of Tuesday and is part of routine "
        "testing of the force's readiness.\n"
        "Such tests are planned years in advance, the command said.",
        "2025-11-07T20:00:00+00:00",
        Modality.PLANNED,
    ),
    "planned-threat-kim-sister": (
        "Kim's sister threatens more missile launches",
        "The powerful sister of North Korean leader Kim Jong Un warned on Sunday that "
        "Pyongyang would launch more missiles toward the Pacific, in protest at US military "
        "drills.\n"
        "Kim Yo Jong said in a statement carried by state media that the North would turn the"
        " Pacific into its firing range.\n"
        "Her statement came as US and South Korean forces began their largest drills in "
        "years.",
        "2025-11-09T10:00:00+00:00",
        Modality.PLANNED,
    ),
    "negated-jcs-denial": (
        "South Korea says no North Korean missile launch detected",
        "SEOUL, Nov. 6 (Yonhap) -- South Korea's military said Thursday it had not detected "
        "any ballistic missile launch by North Korea, dismissing a Japanese media report that"
        " the North had fired a missile.\n"
        "Japan's public broadcaster had reported earlier in the day that North Korea appeared"
        " to have fired what could be a ballistic missile.\n"
        '"There was no launch," a Joint Chiefs of Staff official told reporters.\n'
        "Japan's defence ministry later corrected its alert.",
        "2025-11-06T08:00:00+00:00",
        Modality.NEGATED,
    ),
    "negated-pentagon-no-launch": (
        "Pentagon says no North Korean missile launch after alert",
        "The Pentagon said on Thursday there was no North Korean missile launch, after "
        "Japan's government issued an alert that was later withdrawn.\n"
        '"We have no indication that a missile was launched," a spokesman said.\n'
        "Japan's government said the alert had been sent in error.",
        "2025-11-06T18:00:00+00:00",
        Modality.NEGATED,
    ),
    "negated-claim-no-indication": (
        "Iran says it test-fired new missile; US officials see no sign of launch",
        "WASHINGTON (Reuters) - US officials said on Monday there was no indication that Iran "
        "had launched a new medium-range ballistic missile, despite Tehran's claim of a "
        "successful test on Friday.\n"
        "Iranian state television broadcast footage it said showed the launch, but one official "
        "said the video was months old.\n"
        "Iran has not commented on the US assessment.",
        "2025-11-10T15:00:00+00:00",
        Modality.NEGATED,
    ),
    "negated-claimed-it-didnt": (
        "Pyongyang claimed a launch, Seoul says it didn't happen",
        "SEOUL (AFP) - North Korean state media said the country fired a new cruise missile on "
        "Sunday, but South Korea's military said it didn't detect any such launch and "
        "questioned the claim.\n"
        '"We have no evidence that a missile was fired," a Joint Chiefs of Staff officer told '
        "reporters on Monday.",
        "2025-11-10T03:00:00+00:00",
        Modality.NEGATED,
    ),
    "ground-test-kcna-engine": (
        "N. Korea conducts ground jet test of high-thrust solid-fuel engine",
        "North Korea has conducted a ground jet test of a high-thrust solid-fuel motor for a "
        "new strategic weapon, state media KCNA reported on Friday.\n"
        "Leader Kim Jong Un oversaw the test at the Sohae Satellite Launching Ground on "
        "Thursday, the agency said.\n"
        "The engine produced a thrust of 140 tonnes-force, KCNA said.\n"
        "Analysts said the motor could power a new intercontinental ballistic missile.",
        "2025-11-07T00:30:00+00:00",
        Modality.GROUND_TEST,
    ),
    "ground-test-india-static": (
        "DRDO conducts static test of solid rocket motor",
        "NEW DELHI, Nov. 6 (PTI) -- The Defence Research and Development Organisation on "
        "Thursday successfully carried out a static test of a solid rocket motor for the Agni"
        " missile programme at its facility in Hyderabad.\n"
        "The motor was fired for 90 seconds and all parameters were met, the ministry said.\n"
        "Defence Minister congratulated the scientists on the success.",
        "2025-11-06T12:00:00+00:00",
        Modality.GROUND_TEST,
    ),
    "civil-isro-pslv": (
        "ISRO's PSLV places earth observation satellite in orbit",
        "SRIHARIKOTA, Nov. 5 (PTI) -- The Indian Space Research Organisation on Wednesday "
        "successfully launched an earth observation satellite aboard its Polar Satellite "
        "Launch Vehicle from the Satish Dhawan Space Centre.\n"
        "The rocket lifted off at 10:24 am and placed the satellite in the intended orbit "
        "about 18 minutes later.\n"
        "ISRO chairman said the mission was a complete success.",
        "2025-11-05T08:00:00+00:00",
        Modality.CIVIL_SPACE,
    ),
    "civil-china-long-march": (
        "China launches new remote sensing satellite",
        "JIUQUAN, Nov. 6 (Xinhua) -- China successfully launched a new remote sensing "
        "satellite from the Jiuquan Satellite Launch Center in northwest China at 11:30 a.m. "
        "Thursday (Beijing Time).\n"
        "The satellite was launched by a Long March-2D carrier rocket and entered its planned"
        " orbit successfully.\n"
        "It will be used for land surveys, crop yield estimation and disaster prevention.\n"
        "The launch was the 520th flight mission of the Long March rocket series.",
        "2025-11-06T06:00:00+00:00",
        Modality.CIVIL_SPACE,
    ),
    "civil-japan-h3-failure": (
        "Japan's H3 rocket fails, ordered to self-destruct",
        "TOKYO (AP) -- Japan's space agency ordered its new H3 rocket to self-destruct "
        "minutes after liftoff on Tuesday because its second-stage engine failed to ignite.\n"
        "The Japan Aerospace Exploration Agency said the rocket, carrying an Earth "
        "observation satellite, was launched from the Tanegashima Space Center.\n"
        "JAXA officials apologised and said they would investigate the cause.",
        "2025-11-04T07:00:00+00:00",
        Modality.CIVIL_SPACE,
    ),
    "civil-spacex-starlink": (
        "SpaceX launches 23 more Starlink satellites",
        "SpaceX launched another batch of 23 Starlink internet satellites from Cape Canaveral"
        " Space Force Station in Florida on Wednesday night.\n"
        "The Falcon 9 rocket lifted off at 9:01 p.m. EST and its first stage landed on a "
        "drone ship in the Atlantic Ocean.\n"
        "It was the company's 140th launch of the year.",
        "2025-11-06T03:00:00+00:00",
        Modality.CIVIL_SPACE,
    ),
    "historical-anniversary": (
        "Ten years on, what North Korea's first ICBM test changed",
        "Ten years ago this week, North Korea launched its first intercontinental ballistic "
        "missile, the Hwasong-14, changing the security calculus of the region.\n"
        "The test, on July 4, 2017, showed the North could reach Alaska.\n"
        "Since then Pyongyang has tested several more powerful missiles.\n"
        "Analysts say the launch marked a turning point in US policy.",
        "2027-07-03T12:00:00+00:00",
        Modality.HISTORICAL,
    ),
    "explainer-noun-only": (
        "Hypersonic missiles: what they are and who has them",
        "They fly at more than five times the speed of sound and can change course in flight.\n"
        "Hypersonic weapons are at the heart of a new arms race between the great powers.\n"
        "Speaking on television on Wednesday, a senior US general compared China's suspected "
        "tests of a hypersonic glide vehicle to a 'Sputnik moment'.\n"
        "Glide vehicles are carried to altitude by a rocket before gliding to their targets.",
        "2025-11-06T12:00:00+00:00",
        None,
    ),
    "parade": (
        "North Korea shows off new ICBMs at military parade",
        "SEOUL (Reuters) - North Korea displayed what appeared to be a new intercontinental "
        "ballistic missile at a military parade in Pyongyang on Saturday night, state media "
        "showed.\n"
        "Leader Kim Jong Un watched as columns of missiles on launcher trucks rolled through "
        "Kim Il Sung Square.\n"
        "Analysts said the missile could carry multiple warheads.\n"
        "No launch has yet been reported of the new missile.",
        "2025-11-09T02:00:00+00:00",
        Modality.NOT_A_LAUNCH,
    ),
    "exhibition": (
        "Iran unveils new hypersonic missile at defence exhibition",
        "DUBAI, Nov. 6 (Reuters) - Iran's Revolutionary Guards unveiled a new hypersonic "
        "ballistic missile at an exhibition in Tehran on Thursday, state media reported.\n"
        "The missile, called Fattah-3, has a range of 1,400 km, the Guards said.\n"
        "The exhibition also displayed drones and air defence systems.",
        "2025-11-06T10:00:00+00:00",
        Modality.NOT_A_LAUNCH,
    ),
    "arms-deal": (
        "Poland signs deal to buy more HIMARS rocket launchers",
        "WARSAW (Reuters) - Poland signed a deal on Wednesday to buy 486 HIMARS rocket "
        "launchers from the United States, the defence ministry said.\n"
        "The launchers can fire guided rockets and ATACMS ballistic missiles with a range of "
        "up to 300 km.\n"
        "Deliveries are expected to start in 2027.",
        "2025-11-05T12:00:00+00:00",
        None,
    ),
    "reaction-lead-with-recap": (
        "Biden, Yoon and Kishida vow stronger response after North Korean ICBM launch",
        "By Jane Doe and John Roe\n"
        "PHNOM PENH, Nov 13 (Reuters) - The leaders of the United States, South Korea and "
        "Japan on Sunday pledged to strengthen their deterrence against North Korea, in a "
        "joint statement issued after a three-way meeting on the sidelines of a regional "
        "summit.\n"
        "North Korea fired an intercontinental ballistic missile on Nov. 3 that fell into the"
        " sea off Japan, and launched dozens of other missiles in the following days.\n"
        "The leaders condemned the launches as a serious threat and agreed to share real-time"
        " missile warning data.\n"
        '"We are united in our response," the statement said.\n'
        "The three also discussed China's pressure on Taiwan and Russia's war in Ukraine.\n"
        "Reporting by Jane Doe; Editing by Tom Hogue",
        "2025-11-13T09:00:00+00:00",
        Modality.REACTION,
    ),
    "meeting-kim-speech-recap": (
        "Kim Jong Un calls for more nuclear weapons at party meeting",
        "SEOUL (AP) -- North Korean leader Kim Jong Un called for an exponential increase in "
        "the country's nuclear arsenal at a key ruling party meeting that ended on Saturday, "
        "state media reported Sunday.\n"
        "Kim said the country needed to mass-produce tactical nuclear weapons to counter "
        "hostile forces, the Korean Central News Agency said.\n"
        "The meeting came after North Korea test-fired a record number of missiles this year,"
        " including an ICBM on Friday.\n"
        "Kim also called for the launch of the country's first military reconnaissance "
        "satellite at the earliest possible date.\n"
        "Analysts said the remarks signalled more weapons tests in the new year.",
        "2025-11-09T03:00:00+00:00",
        None,
    ),
    "sanctions-eu-recap": (
        "EU adds North Korean entities to sanctions list",
        "BRUSSELS, Nov. 7 (AFP) - The European Union on Friday added eight North Korean "
        "individuals and four entities to its sanctions list over the country's ballistic "
        "missile programme.\n"
        "The move follows Pyongyang's launch of an ICBM this week, which the bloc condemned "
        "as a reckless act.\n"
        "Those listed face an asset freeze and a travel ban, the Council of the EU said.\n"
        "The EU has now sanctioned 65 people and 13 entities over North Korea's weapons "
        "programmes.",
        "2025-11-07T14:00:00+00:00",
        Modality.REACTION,
    ),
    "shelter-evacuation-aftermath": (
        "Japanese town reviews alert system after missile flew overhead",
        "Officials in a Hokkaido town on Friday began reviewing their emergency alert system,"
        " after residents complained that Tuesday's J-Alert warning came too late.\n"
        "The North Korean missile, launched on Tuesday morning, flew over northern Japan "
        "before falling into the Pacific.\n"
        "Many residents said they did not know where to take shelter.\n"
        "The town plans to hold evacuation drills next month.",
        "2025-11-07T08:00:00+00:00",
        Modality.REACTION,
    ),
    "planned-launch-window-notice": (
        "North Korea sets launch window for rocket carrying satellite",
        "North Korea told the International Maritime Organization that it would launch a "
        "rocket carrying a satellite between Dec. 1 and Dec. 10, Japan's coast guard said on "
        "Monday.\n"
        "The notice named three areas where debris could fall, in the Yellow Sea and off the "
        "Philippines.\n"
        "North Korea's previous attempt to put a satellite into orbit, in May, failed when "
        "the rocket crashed into the sea.",
        "2025-11-24T03:00:00+00:00",
        Modality.PLANNED,
    ),
    "planned-iran-vows": (
        "Iran vows to fire missiles at Israel 'soon'",
        "TEHRAN (AFP) - Iran's Revolutionary Guards warned on Thursday that they would soon "
        "launch a new wave of missiles at Israel in retaliation for the killing of a senior "
        "commander.\n"
        '"The response will be decisive," a Guards commander told state television.\n'
        "Iran fired about 200 ballistic missiles at Israel last month, most of which were "
        "intercepted.",
        "2025-11-06T12:00:00+00:00",
        Modality.PLANNED,
    ),
    "hypothetical-what-if": (
        "What would happen if North Korea fired a nuclear missile at Guam?",
        "If North Korea were to fire a ballistic missile at Guam, it would take about 14 "
        "minutes to reach the island, experts say.\n"
        "US missile defences on Guam and in the region would try to intercept it.\n"
        "North Korea has threatened to fire missiles into the waters around the territory.",
        "2025-11-06T12:00:00+00:00",
        Modality.PLANNED,
    ),
    "negated-claim-politician": (
        "Officials dismiss claim that Russia test-fired missile near border",
        "VILNIUS (Reuters) - Lithuania's defence ministry on Wednesday dismissed a claim by "
        "an opposition politician that Russia had test-fired a ballistic missile from "
        "Kaliningrad this week.\n"
        '"There was no such launch," a ministry spokesman said, adding that the army '
        "monitored all activity in the region.\n"
        "The politician had said on social media that a missile was fired toward the Baltic "
        "Sea on Monday.",
        "2025-11-05T12:00:00+00:00",
        Modality.NEGATED,
    ),
    "ground-test-sohae-nov": (
        "Satellite photos show North Korea tested rocket engine",
        "North Korea appears to have conducted a test of a large rocket engine at its Sohae "
        "satellite launching station last week, according to an analysis of commercial "
        "satellite imagery by a US think tank.\n"
        "The images show scorched vegetation near the vertical engine test stand, consistent "
        "with an engine firing, the report said.\n"
        "There was no sign of an actual launch.",
        "2025-11-06T12:00:00+00:00",
        Modality.GROUND_TEST,
    ),
    "civil-rocket-lab": (
        "Rocket Lab launches Electron from New Zealand",
        "Rocket Lab launched its Electron rocket from its Mahia Peninsula site in New Zealand"
        " on Thursday, carrying a radar imaging satellite for a Japanese customer.\n"
        "The rocket lifted off at 3:05 p.m. local time and deployed the satellite about an "
        "hour later.\n"
        "It was Rocket Lab's 15th launch this year.",
        "2025-11-06T05:00:00+00:00",
        Modality.CIVIL_SPACE,
    ),
    "history-explainer": (
        "A timeline of North Korea's missile launches over Japan",
        "North Korea has fired missiles over Japan seven times since 1998.\n"
        "In August 1998, it launched a Taepodong-1 rocket that flew over the main island of "
        "Honshu.\n"
        "In 2009, it launched an Unha-2 rocket over northern Japan.\n"
        "In August and September 2017, it fired Hwasong-12 missiles over Hokkaido.",
        "2025-11-06T12:00:00+00:00",
        Modality.HISTORICAL,
    ),
}


@pytest.mark.parametrize("name", sorted(DISTRACTORS))
def test_a_story_that_reports_no_new_launch_raises_no_event(name: str) -> None:
    title, text, published, reason = DISTRACTORS[name]
    tagged = tag_article(article(text, published, title=title))
    assert not tagged.is_launch_report, tagged.launch
    if reason is not None:
        assert tagged.rejected_as is reason


def test_every_reason_is_written_in_more_than_one_phrasing() -> None:
    reasons = [reason for *_, reason in DISTRACTORS.values() if reason is not None]
    assert set(reasons) == set(Modality)
    assert all(reasons.count(reason) >= 2 for reason in set(reasons))
