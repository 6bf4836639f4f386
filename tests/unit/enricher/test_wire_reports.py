"""Launch reports as the wires write them, and the facts they must give.

First flashes ("an unidentified ballistic missile"), next-day state-media claims,
analyses days later, combat salvos, interceptions and failed launches, dated across
time zones: a US-dated copy of an Asian morning launch, an Asian copy of a US evening
launch, a local time with its GMT equivalent, "the day before" in a KCNA dispatch.
"""

from __future__ import annotations

from datetime import date

import pytest

from services.enricher import tag_article
from tests.unit.enricher.articles import article

REPORTS: dict[str, tuple[str, str, str, dict[str, object]]] = {
    "flash-unidentified": (
        "N. Korea fires unidentified ballistic missile toward East Sea: JCS",
        "SEOUL, Nov. 6 (Yonhap) -- North Korea fired an unidentified ballistic missile toward"
        " the East Sea on Thursday, South Korea's military said.\n"
        "The Joint Chiefs of Staff did not provide other details, including how far the "
        "missile flew.",
        "2025-11-05T23:10:00+00:00",
        {
            "country": "KP",
            "launch_date": date.fromisoformat("2025-11-06"),
            "missile_type": "ballistic",
        },
    ),
    "flash-us-copy": (
        "North Korea fires ballistic missile, South Korea says",
        "SEOUL, South Korea (AP) -- North Korea fired a ballistic missile toward its eastern "
        "waters early Thursday, South Korea's military said, days after the North threatened "
        "to respond to US-South Korean drills.\n"
        "South Korea's Joint Chiefs of Staff said in a text message that the missile was "
        "launched from the North's capital region. It didn't immediately say how far it flew.",
        "2025-11-05T18:30:00-05:00",
        {"country": "KP", "launch_date": date.fromisoformat("2025-11-06")},
    ),
    "kcna-next-day": (
        "Kim Jong Un oversees test of new ICBM: KCNA",
        "PYONGYANG, Nov. 7 (KCNA) -- The Missile Administration of the DPRK conducted a "
        "test-fire of the new-type intercontinental ballistic missile Hwasong-20 on Thursday."
        "\n"
        "Respected Comrade Kim Jong Un guided the test-fire on the spot.\n"
        "The missile flew 1,001 km for 4,091 seconds at a maximum altitude of 6,518 km before"
        " landing in the open waters of the East Sea, KCNA said.",
        "2025-11-07T00:00:00+09:00",
        {
            "country": "KP",
            "launch_date": date.fromisoformat("2025-11-06"),
            "missile_type": "ballistic",
            "range_class": "ICBM",
        },
    ),
    "kcna-yesterday": (
        "DPRK test-fires new hypersonic missile",
        "Pyongyang, November 7 (KCNA) -- The DPRK Missile Administration yesterday conducted "
        "a test-fire of a hypersonic intermediate-range ballistic missile, the Korean Central"
        " News Agency reported.\n"
        "The test-fire aimed at verifying the reliability of the new-type engine, the agency "
        "said.",
        "2025-11-07T06:00:00+09:00",
        {"country": "KP", "launch_date": date.fromisoformat("2025-11-06")},
    ),
    "analysis-days-later": (
        "What North Korea's latest ICBM launch tells us about its arsenal",
        "North Korea's launch on Thursday of its largest intercontinental ballistic missile "
        "yet suggests the country is closer to fielding a weapon that can reach the entire "
        "continental United States, analysts say.\n"
        "The Hwasong-20 flew for more than 70 minutes, the longest flight time of any North "
        "Korean missile.\n"
        "Experts said the solid-fuel design would make the missile harder to detect before "
        "launch.\n"
        "Pyongyang has conducted more than a dozen launches this year.",
        "2025-11-09T14:00:00+00:00",
        {"country": "KP", "launch_date": date.fromisoformat("2025-11-06")},
    ),
    "russia-combat-salvo": (
        "Russia pounds Ukraine's energy grid with dozens of missiles",
        "KYIV, Ukraine (AP) -- Russia fired more than 70 missiles and dozens of drones at "
        "Ukraine overnight, targeting energy facilities across the country and causing "
        "blackouts in several regions, Ukrainian officials said Saturday.\n"
        "Ukraine's air force said its defences shot down 60 of the missiles.\n"
        "Energy Minister said power plants in the west had been hit.",
        "2025-11-08T09:00:00+00:00",
        {"country": "RU", "launch_date": date.fromisoformat("2025-11-08")},
    ),
    "russia-unleashes-barrage": (
        "Russia unleashes barrage on Ukraine's power grid",
        "KYIV (AFP) - Russia unleashed dozens of cruise missiles on Ukraine on Monday, knocking "
        "out power in several cities, officials said.\n"
        "Ukraine's air force said most of the missiles were shot down.",
        "2025-11-03T16:00:00+00:00",
        {"country": "RU", "launch_date": date.fromisoformat("2025-11-03")},
    ),
    "claimed-missiles-that-struck": (
        "Guards claim missile barrage near consulate",
        "Iran's Revolutionary Guards claimed responsibility on Sunday for a dozen ballistic "
        "missiles that struck near a consulate complex in Erbil, state media said.\n"
        "The Guards said the barrage was retaliation for an air strike that killed two of its "
        "officers.",
        "2025-11-09T12:00:00+00:00",
        {"country": "IR", "launch_date": date.fromisoformat("2025-11-09")},
    ),
    "stray-missile-landed": (
        "Stray missile lands across the border",
        "The defence ministry said on Friday that the missile that earlier landed across the "
        "border had been fired by accident during routine maintenance.\n"
        "An unarmed Indian missile accidentally landed in a field near the border town on "
        "Wednesday evening, damaging a wall, officials said.",
        "2025-11-07T12:00:00+05:30",
        {"country": "IN", "launch_date": date.fromisoformat("2025-11-05")},
    ),
    "saudi-interception": (
        "Saudi air defences intercept Houthi ballistic missile",
        "RIYADH, Nov. 5 (Reuters) - Saudi air defences intercepted a ballistic missile "
        "launched by Yemen's Houthi movement toward the southern city of Jazan on Wednesday, "
        "the Saudi-led coalition said in a statement carried by state media.\n"
        "Debris from the missile fell on a residential area, lightly injuring two people, the"
        " coalition said.",
        "2025-11-05T16:00:00+00:00",
        {"country": "YE", "launch_date": date.fromisoformat("2025-11-05")},
    ),
    "israel-intercepts-hezbollah": (
        "Israel intercepts rockets fired from Lebanon",
        "JERUSALEM (AFP) - The Israeli army said its air defences intercepted several rockets"
        " fired from Lebanon on Tuesday evening, after sirens sounded across the north.\n"
        "Hezbollah claimed responsibility for the barrage, saying it targeted an army base.\n"
        "No injuries were reported.",
        "2025-11-04T20:00:00+00:00",
        {"country": "LB", "launch_date": date.fromisoformat("2025-11-04")},
    ),
    "failed-launch": (
        "North Korean missile launch appears to have failed, Seoul says",
        "SEOUL (Reuters) - North Korea fired what appeared to be a ballistic missile from "
        "near Pyongyang on Wednesday morning but the launch appeared to have failed, South "
        "Korea's military said.\n"
        "The missile exploded at an altitude of less than 20 km shortly after lift-off, the "
        "Joint Chiefs of Staff said.\n"
        "The North is expected to attempt another launch soon, analysts said.",
        "2025-11-05T03:00:00+00:00",
        {"country": "KP", "launch_date": date.fromisoformat("2025-11-05")},
    ),
    "failed-satellite-military": (
        "North Korea's military spy satellite launch fails",
        "SEOUL, Nov. 5 (Yonhap) -- North Korea's attempt to put a military reconnaissance "
        "satellite into orbit failed on Wednesday after the rocket exploded in mid-air, the "
        "North's state media said.\n"
        "The National Aerospace Technology Administration said it would make a third launch "
        "attempt after investigating the cause.",
        "2025-11-05T05:00:00+00:00",
        {"country": "KP", "launch_date": date.fromisoformat("2025-11-05")},
    ),
    "pakistan-ispr": (
        "Pakistan conducts training launch of Shaheen-III",
        "RAWALPINDI, Nov. 6 (APP) -- Pakistan on Thursday conducted a successful training "
        "launch of the Shaheen-III surface-to-surface ballistic missile, the Inter-Services "
        "Public Relations said.\n"
        "The missile has a range of 2,750 km, the military's media wing said.\n"
        "The President and Prime Minister congratulated the scientists on the success.",
        "2025-11-06T10:00:00+00:00",
        {"country": "PK", "launch_date": date.fromisoformat("2025-11-06")},
    ),
    "iran-irna-strike": (
        "IRGC fires ballistic missiles at 'terrorist' bases in Iraq's Kurdistan",
        "TEHRAN, Nov. 4 (IRNA) -- The Islamic Revolutionary Guard Corps on Tuesday launched "
        "ballistic missiles and drones at the headquarters of separatist groups in northern "
        "Iraq, the IRGC ground force said in a statement.\n"
        "The statement said the strikes would continue until the threat was removed.",
        "2025-11-04T11:00:00+00:00",
        {"country": "IR", "launch_date": date.fromisoformat("2025-11-04")},
    ),
    "russia-tass-yars": (
        "Russia test-launches Yars ICBM from Plesetsk",
        "MOSCOW, November 6. /TASS/. Russia's Strategic Missile Forces on Thursday "
        "successfully test-launched a Yars intercontinental ballistic missile from the "
        "Plesetsk spaceport, the Defence Ministry said.\n"
        "The training warheads arrived at the designated area at the Kura range on the "
        "Kamchatka Peninsula, the ministry said.",
        "2025-11-06T12:00:00+03:00",
        {"country": "RU", "launch_date": date.fromisoformat("2025-11-06"), "range_class": "ICBM"},
    ),
    "us-minuteman-asia-copy": (
        "US test-fires Minuteman III missile",
        "TOKYO, Nov. 6 (Kyodo) -- The U.S. Air Force test-launched an unarmed Minuteman III "
        "intercontinental ballistic missile from Vandenberg Space Force Base in California "
        "late Wednesday, the Air Force Global Strike Command said.\n"
        "The missile's reentry vehicle traveled about 6,700 km to the Kwajalein Atoll in the "
        "Marshall Islands.",
        "2025-11-06T15:00:00+09:00",
        {"country": "US", "launch_date": date.fromisoformat("2025-11-05")},
    ),
    "gmt-conversion": (
        "North Korea fires missile over Japan",
        "TOKYO (Reuters) - North Korea fired a ballistic missile over Japan at 7:22 a.m. "
        "(2222 GMT Wednesday) on Thursday, prompting a warning for residents to take cover, "
        "Japan's government said.\n"
        "The missile flew about 4,600 km before falling into the Pacific Ocean.",
        "2025-11-06T01:00:00+00:00",
        {"country": "KP", "launch_date": date.fromisoformat("2025-11-06")},
    ),
    "gmt-conversion-day-month": (
        "North Korea fires missile, Japan says",
        "North Korea fired a ballistic missile at 2310 GMT on 5 November, Japan's defence "
        "ministry said, the third launch this month.\n"
        "The missile landed outside Japan's exclusive economic zone.",
        "2025-11-06T02:00:00+00:00",
        {"country": "KP", "launch_date": date.fromisoformat("2025-11-06")},
    ),
    "local-time-brackets": (
        "North Korea fires short-range missiles",
        "SEOUL (AFP) - North Korea fired two short-range ballistic missiles on Thursday "
        "(local time), Seoul's military said, the latest in a series of weapons tests.\n"
        "The missiles flew about 350 km before landing in the sea.",
        "2025-11-06T03:00:00+00:00",
        {"country": "KP", "launch_date": date.fromisoformat("2025-11-06"), "count": 2},
    ),
    "late-sunday-us-copy": (
        "North Korea fires missile in latest test",
        "North Korea fired a short-range ballistic missile into the sea late Sunday, South "
        "Korea's military said, in its latest weapons test.\n"
        "The missile flew 300 km, the Joint Chiefs of Staff said.",
        "2025-11-09T17:00:00-05:00",
        {"country": "KP", "launch_date": date.fromisoformat("2025-11-09")},
    ),
    "overnight-ru": (
        "Russia launches massive missile attack on Kyiv",
        "KYIV (Reuters) - Russia attacked Kyiv with cruise and ballistic missiles overnight, "
        "killing at least five people, the mayor said on Friday.\n"
        "Air defences destroyed most of the missiles, the air force said.",
        "2025-11-07T07:00:00+00:00",
        {"country": "RU", "launch_date": date.fromisoformat("2025-11-07")},
    ),
    "day-month-bbc": (
        "North Korea fires ballistic missile towards Japan",
        "North Korea fired a ballistic missile on 6 November, Japan's coast guard said.\n"
        "It landed in the Sea of Japan outside Japan's exclusive economic zone.",
        "2025-11-06T12:00:00+00:00",
        {"country": "KP", "launch_date": date.fromisoformat("2025-11-06")},
    ),
    "civil-iran-simorgh": (
        "Iran's space agency launches Simorgh rocket with three satellites",
        "DUBAI (Reuters) - Iran said on Wednesday it had launched a Simorgh "
        "satellite-carrying rocket with three research payloads, the defence ministry's space"
        " department said.\n"
        "State television said the rocket had reached an altitude of 470 km but did not say "
        "whether the satellites had reached orbit.\n"
        "The United States has said such launches could help Iran develop long-range "
        "missiles.",
        "2025-11-05T12:00:00+00:00",
        {"country": "IR"},
    ),
    "byline-photo-furniture": (
        "North Korea fires two ballistic missiles off east coast",
        "By Hyonhee Shin\n"
        "3 minute read\n"
        "A TV screen shows a file image of a North Korean missile launch during a news "
        "program at the Seoul Railway Station in Seoul, South Korea. REUTERS/Kim Hong-Ji/File"
        " Photo\n"
        "SEOUL, Nov 6 (Reuters) - North Korea fired two short-range ballistic missiles off "
        "its east coast on Thursday, South Korea's military said, the latest in a flurry of "
        "weapons tests.\n"
        "The missiles were fired from the Sunan area of Pyongyang between 8:48 a.m. and 9:03 "
        "a.m. and flew about 350 km, the Joint Chiefs of Staff said.\n"
        "Japan's defence ministry said the missiles landed outside its exclusive economic "
        "zone.\n"
        "Reporting by Hyonhee Shin; Editing by Lincoln Feast",
        "2025-11-06T02:00:00+00:00",
        {
            "country": "KP",
            "launch_date": date.fromisoformat("2025-11-06"),
            "count": 2,
            "range_class": "SRBM",
        },
    ),
    "launch-with-history-paragraphs": (
        "North Korea fires ballistic missile, first since September",
        "North Korea fired a short-range ballistic missile into the sea off its east coast on"
        " Wednesday, South Korea's military said, its first launch since September.\n"
        "The missile flew about 600 km, the Joint Chiefs of Staff said.\n"
        "North Korea conducted a record number of launches in 2022, including an ICBM that "
        "flew over Japan.\n"
        "In 2017, the North fired its first ICBM and conducted its sixth nuclear test.\n"
        "Talks between Washington and Pyongyang collapsed in 2019.",
        "2025-11-05T06:00:00+00:00",
        {"country": "KP", "launch_date": date.fromisoformat("2025-11-05"), "range_class": "SRBM"},
    ),
    "launch-days-after": (
        "North Korea fires missile days after US-South Korea drills end",
        "SEOUL (AFP) - North Korea fired a ballistic missile on Saturday, Seoul's military "
        "said, two days after the end of large-scale joint drills by South Korea and the "
        "United States, and a week after Pyongyang test-fired cruise missiles.\n"
        "The missile was launched from the Tongchang-ri area at 11:05 am and flew about 800 "
        "km before falling into the sea, the Joint Chiefs of Staff said.",
        "2025-11-08T04:00:00+00:00",
        {"country": "KP", "launch_date": date.fromisoformat("2025-11-08")},
    ),
    "response-fire-kr-us": (
        "South Korea, US fire missiles in response to North's launch",
        "SEOUL, Nov. 6 (Yonhap) -- South Korea and the United States fired four "
        "surface-to-surface missiles into the East Sea on Thursday in response to North "
        "Korea's intercontinental ballistic missile launch a day earlier, the Joint Chiefs of"
        " Staff said.\n"
        "The allies each fired two Army Tactical Missile System (ATACMS) missiles, which hit "
        "a simulated target, the JCS said.",
        "2025-11-06T03:00:00+00:00",
        {"country": "KR", "launch_date": date.fromisoformat("2025-11-06")},
    ),
    "kcna-day-before": (
        "DPRK Missile General Bureau conducts test of new tactical ballistic missile",
        "Pyongyang, November 7 (KCNA) -- The Missile General Bureau of the DPRK conducted a "
        "test-fire of a new-type tactical ballistic missile the day before, KCNA reported.\n"
        "The test was aimed at verifying the accuracy of the new guidance system, the agency "
        "said.\n"
        "The missile accurately hit the target island in the East Sea.",
        "2025-11-07T06:00:00+09:00",
        {"country": "KP", "launch_date": date.fromisoformat("2025-11-06")},
    ),
    "yesterday-evening-ispr": (
        "Pakistan test-fires Ghauri missile",
        "ISLAMABAD, Nov 7 (Reuters) - Pakistan successfully test-fired the nuclear-capable "
        "Ghauri ballistic missile yesterday evening, the military's media wing said on "
        "Friday.\n"
        "The missile can carry conventional and nuclear warheads up to 1,300 km, the "
        "Inter-Services Public Relations said.",
        "2025-11-07T07:00:00+00:00",
        {"country": "PK", "launch_date": date.fromisoformat("2025-11-06")},
    ),
    "houthi-ship-strike": (
        "Houthis fire missiles at ship in Red Sea, says US military",
        "DUBAI (Reuters) - Yemen's Houthi militia fired two anti-ship ballistic missiles at a"
        " commercial vessel in the Red Sea on Sunday, the US Central Command said, without "
        "causing damage.\n"
        "The Iran-backed group has attacked dozens of ships since last year.",
        "2025-11-09T16:00:00+00:00",
        {"country": "YE", "launch_date": date.fromisoformat("2025-11-09"), "count": 2},
    ),
    "iranian-backed-iraq": (
        "Iran-backed militia fires rockets at US base in Syria",
        "WASHINGTON (AP) -- Iran-backed militants fired rockets at a US base in northeast "
        "Syria on Tuesday, the Pentagon said, in the latest of dozens of attacks on US forces"
        " in the region.\n"
        "No US personnel were injured, a Pentagon spokeswoman said.",
        "2025-11-04T21:00:00+00:00",
        {"launch_date": date.fromisoformat("2025-11-04")},
    ),
    "failed-launch-next-attempt": (
        "North Korea says satellite launch failed, vows another attempt",
        "SEOUL (Reuters) - North Korea's attempt to launch a reconnaissance satellite on "
        "Wednesday failed after the rocket's second stage malfunctioned, state media said, "
        "adding that it would try again within months.\n"
        "South Korea's military said it had detected the launch from the Sohae area at 10:43 "
        "p.m.\n"
        "Debris fell into the Yellow Sea, it said.",
        "2025-11-06T01:00:00+00:00",
        {"country": "KP", "launch_date": date.fromisoformat("2025-11-05")},
    ),
    "us-launch-late-tuesday-pt": (
        "Air Force launches unarmed ICBM in test",
        "VANDENBERG SPACE FORCE BASE, Calif. (AP) -- An unarmed Minuteman III "
        "intercontinental ballistic missile was launched from the California coast late "
        "Tuesday night in a test of the nation's nuclear deterrent, the Air Force said.\n"
        "The missile lifted off at 11:01 p.m. PST and its test reentry vehicle traveled 4,200"
        " miles to the Marshall Islands.",
        "2025-11-05T09:00:00+00:00",
        {"country": "US", "launch_date": date.fromisoformat("2025-11-04")},
    ),
    "early-monday-jcs-us-dated": (
        "North Korea fires missile early Monday, Seoul says",
        "North Korea launched a ballistic missile early Monday, South Korea's military said, "
        "a day after the United States and South Korea wrapped up joint air drills.\n"
        "The missile flew about 1,000 km before landing in waters between the Korean "
        "Peninsula and Japan.",
        "2025-11-02T19:30:00-05:00",
        {"country": "KP", "launch_date": date.fromisoformat("2025-11-03")},
    ),
    "interception-dprk-over-japan": (
        "Japan scrambles as missile flies overhead",
        "North Korea fired an intermediate-range ballistic missile over Japan on Tuesday "
        "morning, prompting the government to issue J-Alert warnings in Hokkaido and Aomori "
        "and halt trains.\n"
        "The missile flew about 4,600 km, the longest distance of any North Korean missile, "
        "before falling into the Pacific about 3,200 km east of Japan.",
        "2025-11-04T02:00:00+00:00",
        {"country": "KP", "launch_date": date.fromisoformat("2025-11-04"), "range_class": "IRBM"},
    ),
}


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_a_wire_launch_report_gives_its_facts(name: str) -> None:
    title, text, published, expected = REPORTS[name]
    tagged = tag_article(article(text, published, title=title))
    assert tagged.launch is not None, tagged.rejected_as
    got = {field: getattr(tagged.launch, field) for field in expected}
    assert {f: str(v) for f, v in got.items()} == {f: str(v) for f, v in expected.items()}
