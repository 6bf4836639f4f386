"""The language of launch reports: words that mark a launch, and its modality.

These are grammar, not knowledge of the world (that lives in the gazetteers):
which verbs and nouns speak of a launch, which words make it a plan, a denial,
history, or another sense of "launch" altogether.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE

TRIGGER = re.compile(
    r"\b(?:test[\s\-]?fir(?:ed|es|ing|e)|launch(?:ed|es|ing)?|fir(?:ed|es|ing)|fire[sd]?"
    r"|test(?:ed|s|ing)?"
    r"|shot|shoots?|lobbed|lobs?|salvos?|barrages?|volleys?|lift(?:ed|s)?[\s\-]off|liftoff"
    r"|unleash(?:ed|es|ing)?"
    r"|blast(?:ed|s)? off"
    r"|flight[\s\-]test(?:ed|s|ing)?|test[\s\-]launch(?:ed|es|ing)?)\b",
    _I,
)
"""Words that speak of a launch (in any of its senses)."""

TRIGGER_STEMS = (
    "launch", "fir", "test", "shot", "shoot", "lob", "salvo", "barrage", "volley", "lift", "blast",
    "unleash",
)  # fmt: skip
"""One of these is in every `TRIGGER` match (lower-cased): a sentence without them is not
searched."""

VERB_TRIGGER = re.compile(
    r"\b(?:test[\s\-]?fire[sd]|launched|fired|tested|shot|lobbed|lifted off|blasted off"
    r"|flight[\s\-]tested|flight[\s\-]tests"
    r"|test[\s\-]launched|fires|launches|tests|lobs|conducts|conducted|carried out|carries out"
    r"|unleashed|unleashes)\b",
    _I,
)
"""Finite verbs that state a launch happened (headlines use the present).

Base forms ("test-fire", "fire") are absent on purpose: they follow "to" or a
modal ("plans to test-fire") and never state that a launch happened.
"""

STRIKE = re.compile(
    r"\b(?:struck|hit|pounded|targeted|attacked|slammed)\s+(?:[\w\u2019'\-.,]+\s+){0,10}?"
    r"with\s+(?:[\w\u2019'\-.,]+\s+){0,6}?(?:missiles?|rockets?|projectiles?|ICBMs?|IRBMs?"
    r"|SRBMs?)\b"
    r"|\b(?:struck|hit)\s+by\s+(?:[\w\u2019'\-]+\s+){0,5}?(?:missiles?|rockets?|projectiles?)\b"
    r"|\b(?:missiles?|rockets?|projectiles?)\s+(?:also\s+)?(?:hit|struck|slammed into)\b"
    r"|\b(?:put|placed|puts|places|sent|lofted|delivered|delivers|injected)\s+"
    r"(?:[\w\u2019'\-]+\s+){0,5}?(?:in)?to\s+(?:an?\s+|the\s+)?(?:[\w\-]+\s+)?orbit\b"
    r"|\b(?:missile|rocket)\s+(?:strikes|attacks|barrages?)\s+(?:[\w\u2019'\-,]+\s+){0,8}?"
    r"(?:killed|struck|damaged|wounded|destroyed|knocked out)\b"
    r"|\b(?:missiles?|projectiles?|rockets?|flying object)\s+(?:that|which)\s+(?:had\s+)?"
    r"(?:\w+ly\s+|earlier\s+)?(?:crashed|fell|landed|came down|struck|hit|exploded)\b"
    r"|\b(?:missile|projectile|rocket)\s+(?:\w+ly\s+)?(?:crashes|falls|lands|crashed|fell"
    r"|landed)\s+(?:in|into|inside|near|on)\b"
    r"|\b(?:missiles?|rockets?)\s+(?:\w+\s+){0,2}?(?:reached|hit|struck)\s+(?:their|its|the)\s+"
    r"(?:designated\s+|assigned\s+|intended\s+)?targets?\b",
    _I,
)
"""A launch told without a launch word: a strike ("struck Dnipro with a new
missile", "struck by a Houthi missile", "a missile hit the vessel", "missile strikes
on the capital killed"), missiles that reached their targets, a projectile that crashed
somewhere, or an orbit reached
("put an imaging satellite into orbit", "delivered three payloads to orbit"). The match
starts at the verb (or the missile noun), which then counts as a launch verb."""

STRIKE_STEMS = ("missile", "rocket", "projectile", "icbm", "irbm", "srbm", "orbit", "flying object")
"""One of these is in every `STRIKE` match (lower-cased)."""

INFINITIVE = re.compile(
    r"(?<!\bprior )(?<!\bsimilar )(?<!\bcompared )(?<!\baddition )(?<!\baccording )"
    r"(?<!\bclose )(?<!\bnext )(?<!\bup )(?<!\bleading )"
    r"\bto\s+(?:\w+ly\s+)?$",
    _I,
)
"""A launch word right after "to" is an infinitive ("expected Iran to launch
missiles", "quicker to launch"): a plan or a capability, not an event; "prior to
launch" and the like use the noun."""

NOUN_BEFORE = re.compile(
    r"\b(?:the|a|an|its|their|his|her|these|those|such|of|including|more|any|no|practice|test"
    r"|missile|missiles|rocket|rockets|satellite|ICBM|ballistic|cruise|recent|previous|latest|new"
    r"|first|second|third|last|further|future|two|three|several|many|multiple|frequent|repeated"
    r"|regular|routine|suspected|alleged|purported|apparent|reported)\s+$"
    r"|\w[\u2019']s\s+(?:[\w\-]+\s+)?$",
    _I,
)
"""Before "launches", "tests" or "fires", these make the word a plural noun
("missile launches", "including practice launches", "China's suspected tests"), not a
headline verb."""

HEADLINE_FUTURE = re.compile(
    r"\b(?:to|will)\s+(?:\w+ly\s+)?(?:launch|fire|test|test[\s\-]fire|test[\s\-]launch|hold|conduct"
    r"|stage|carry out|begin|resume|start)\b",
    _I,
)
"""Headline future ("Russia to hold drills including missile launches")."""

POSTPONED = re.compile(
    r"\b(?:postpon(?:e|es|ed|ing)|delay(?:s|ed|ing)?|cancel(?:s|led|ed|ling)?|call(?:s|ed)? off"
    r"|scrapped|put off|puts off|reschedul\w+)\b",
    _I,
)
"""A launch put off: "the test was postponed" names a launch that has not happened."""

DATED_LAUNCH = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|last week|last night"
    r"|this week|today)[\u2019']s\s+(?:[\w\-]+\s+){0,3}$",
    _I,
)
"""A launch noun owned by a recent day ("Saturday's launch", "Monday's failed
test") names a launch that happened."""

DATED_AFTER = re.compile(
    r"(?:\s+(?:of|by)\s+(?:[\w\-\u2019']+\s+){1,6}?)?\s+(?:on\s+)?(?:(?:early|late)\s+)?"
    r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|yesterday|last night"
    r"|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b)",
)
"""A launch noun dated right after it ("North Korea's launch on Thursday of its largest
ICBM"): a launch that happened, unless the sentence puts it off or plans it."""

HEDGED_BEFORE = re.compile(
    r"\b(?:suspected|alleged|purported|reported|rumou?red|possible|apparent|claimed)\s+"
    r"(?:[\w\-]+\s+)?$",
    _I,
)
"""A launch noun hedged ("China's suspected tests"): spoken of, not reported."""

AFTER_NOUN = re.compile(
    r"\b(?:after|following|since)\s+(?:an?|the|its|their|\w+[\u2019']s)\s+(?:[\w\-]+\s+){0,4}$", _I
)
"""A launch noun something came after ("shelter after a North Korean missile launch"): a
launch that happened, whether the news or an earlier one."""

REALIS = re.compile(
    r"\b(?:conducted|conducts|carried out|staged|stages|performed|supervised|oversaw"
    r"|oversees|observed"
    r"|guided|watched|attended|confirmed|detected|declared|announced|said|says|reported|claimed"
    r"|condemn\w*|denounc\w*|protested|critici[sz]ed|voiced concern|in response to"
    r"|flew|hit|struck|striking|successful(?:ly)?|took place|occurred|involved|demonstrated"
    r"|showed|splashed|landed|exploded|failed|crashed|intercepted|verified)\b",
    _I,
)
"""Words that anchor a launch noun ("the test", "launches") in something that happened."""

MISSILE = re.compile(
    r"\b(?:missiles?|rockets?|projectiles?|warheads?|interceptors?|satellites?|ICBMs?|SLBMs?|SRBMs?"
    r"|IRBMs?|drones? and missiles)\b",
    _I,
)
"""Nouns that make a sentence about missiles or rockets, named or not."""

MISSILE_STEMS = (
    "missile", "rocket", "projectile", "warhead", "interceptor", "satellite", "icbm", "slbm",
    "srbm", "irbm",
)  # fmt: skip
"""One of these is in every `MISSILE` match (lower-cased)."""


def has_any(lowered: str, stems: tuple[str, ...]) -> bool:
    """Whether a lower-cased text holds one of `stems`: a cheap test before a dear search.

    Substring tests run far faster than a case-free regular expression, and most
    sentences of an article hold no launch or missile word at all.
    """
    return any(stem in lowered for stem in stems)


NOT_LAUNCH_NOUN = re.compile(
    r"\blaunch(?:er|ers|ing)?[\s\-](?:vehicles?|pads?|sites?|platforms?|ceremon(?:y|ies)|events?|dates?"
    r"|windows?|tubes?|systems?|facilit(?:y|ies)|complex(?:es)?|stations?|part(?:y|ies)|trucks?"
    r"|grounds?|contracts?|customers?|market|services?|providers?|costs?|prices?)\b"
    r"|\blaunchers?\b",
    _I,
)
"""Launch words naming equipment or occasions, not a launch ("launch vehicle", "launcher")."""

SHOT_DOWN = re.compile(r"\b(?:shot|shoots?|shooting)\s+(?:\w+\s+){0,2}?down\b", _I)
""""Shot down", "shoots them down": an interception, the defender's act, not the launch."""

OTHER_SENSE = re.compile(
    r"\blaunch(?:ed|es|ing)?\s+(?:(?:a|an|the|its|their|his|her|our|new"
    r"|another)\s+)*"
    r"(?:(?!(?:by|from|of|with|at|in|on|into|toward|towards|for|to|and|or|that|which)\b)"
    r"[\w\-\u2019',]+\s+){0,5}?"
    r"(?:investigations?|probes?|inquir(?:y|ies)|campaigns?|offensives?|products?|phones?"
    r"|smartphones?"
    r"|apps?|websites?|services?|initiatives?|bids?|appeals?|lawsuits?|reviews?|programs?"
    r"|programmes?"
    r"|funds?|brands?|models?|company|startups?|warships?|destroyers?|frigates?|ships?|vessels?"
    r"|boats?|(?<!satellite )(?<!satellite-)carriers?(?![\s\-]*rocket)|corvettes?|submarines?"
    r"|careers?|talks|negotiations|drives?|hiring"
    r"|recruitment|comebacks?|handsets?|flagships?|devices?|gadgets?|cars?|SUVs?|games?"
    r"|remakes?|films?|movies?|albums?|books?|tenders?|IPOs?|shares|bonds|crackdowns?"
    r"|attacks?\s+on\s+\w+\s+(?:policy|plan))\b",
    _I,
)
"""Other senses of "launch": products, inquiries, campaigns, ships."""

NEGATED = re.compile(
    r"\b(?:did not|didn['\u2019]t|has not|hasn['\u2019]t|have not|haven['\u2019]t|had not"
    r"|hadn['\u2019]t|was not|wasn['\u2019]t"
    r"|were not|never|no|not yet|without|nor)\b(?:\W+\w+){0,5}?\W+$",
    _I,
)
"""A denial just before the launch word ("has not yet been flight-tested")."""

DENIAL = re.compile(
    r"\b(?:denied|denies|deny|denying|(?:dismissed|dismisses|rejected|rejects|refuted|refutes)"
    r"\s+(?:the\s+)?(?:reports?|claims?|allegations?|rumou?rs?)|false reports?|no launch"
    r"|fake news|rumou?rs?|not to believe|baseless|unfounded|hoax|in error|by mistake"
    r"|false alarm|false (?:\w+ )?(?:alerts?|warnings?)"
    r"|no (?:missiles?|rockets?) (?:was|were|had been) (?:fired|launched))\b",
    _I,
)
"""A denial, a rumour or an alarm sent in error: whatever launch it names did not happen."""

PLANNED = re.compile(
    r"\b(?:will|would|could|may|might|shall|can|plans?|planning|planned|intends?|intending|intended"
    r"|expected|expects?|expecting|likely|possible|possibly|poised|prepar\w+|ready|readiness"
    r"|readying|readies|fuel(?:l)?ing|if|in case|in the event"
    r"|threaten\w*|vow\w*|warn\w*|set to|scheduled|upcoming|imminent|next|soon|aims?|aiming"
    r"|signs? of"
    r"|capable of|able to|potential|future|going to|due to|about to|hopes?|seeks?|want\w*"
    r"|considering|consider)\b"
    r"(?:\W+\w+){0,4}?\W+$",
    _I,
)
"""A plan, threat or capability just before the launch word ("is expected to launch")."""

PREMISE = re.compile(
    r"\b(?:scenarios?|assum(?:e|es|ed|ing|ption)|simulat(?:e|es|ed|ing|ions?)"
    r"|hypothetical(?:ly)?|imagin(?:e|ed|ing|ary)|as if|as though|pretend\w*)\b"
    r"(?:\s+[\w\-\u2019']+){0,6}?\s+$",
    _I,
)
"""A launch that is an exercise's premise ("under the scenario that a ballistic missile
had been launched", "assuming a missile is fired"): rehearsed, not reported. The words
between stay within one clause (no comma), so "the drill, which simulated a strike,
included launches" still reports its launches."""

HISTORICAL = re.compile(
    r"\b(?:for decades|for years|decades|in the past|in history|history|historic(?:al)?|last year"
    r"|years ago|months ago|a year ago|since (?:19|20)\d{2}|in recent years"
    r"|has conducted \w+ (?:launches|tests)|has launched \w+ missiles|so far this year"
    r"|(?:has|have) been used|used in combat|in the decades since"
    r"|(?:the|its) last (?:\w+\s+){0,3}(?:test|launch)\w* (?:was|came)|record|to date)\b",
    _I,
)
"""Launches long past, spoken of as background."""

FIRST_SINCE = re.compile(
    r"\b(?:first|largest|longest|most|biggest|highest)\b[^.;]{0,80}?\bsince\s+(?:(?:early|late|mid)\s+)?"
    r"(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\w*\.?\s+)?(?:(?:19|20)\d{2}|\d{1,2})\b",
    _I,
)
"""A record that reaches back ("the first such launch since 2017"): the year measures
the news, it does not date it."""

PASSING = re.compile(
    r"\b(?:after|followed|follows|following|prior|previous|previously|earlier|preceding|since"
    r"|last (?:week|month)|a week ago|days ago|weeks ago)\b",
    _I,
)
"""An earlier launch, brought up beside the news ("days after it fired...")."""

CONTEXT_NOT_LAUNCH = re.compile(
    r"\b(?:parades?|paraded|on display|displayed|displays|unveil\w*|exhibit\w*|showcas\w*|expo"
    r"|purchas\w+|buy|buys|bought|buying|acquir\w+|procure\w*|deals?|contracts?|sales?"
    r"|sell\w*|deliver\w*"
    r"|sanction\w*|engine tests?|(?:test|tests|testing) of (?:\w+\s+){0,4}(?:engines?|motors?)"
    r"|static[\s\-]fire|ground (?:jet )?tests?|ground-based tests?|nuclear tests?|simulations?"
    r"|premiere\w*|review|arcade|consoles?|budget|spending|funding|factory|production|produc(?:e|es|ed|ing)|manufactur\w+|exports?"
    r"|talks|summit|treaty|museum|anniversary|film|movie|game)\b",
    _I,
)
"""What an article speaks of instead of a launch: parades, deals, sanctions, engines."""

STRONG_NOT_LAUNCH = re.compile(
    r"\b(?:engine tests?|(?:test|tests|testing) of (?:[\w\-]+\s+){0,5}(?:engines?|motors?)"
    r"|static[\s\-](?:fire|fired|firing|tests?)|test beds?|test stands?"
    r"|ground (?:jet )?tests?|ground-based tests?|nuclear tests?|simulations?"
    r"|simulated (?:an? )?(?:\w+ )?(?:launch|attack|strike|firing)s?|parades?|paraded"
    r"|bowl(?:ed|er|ers|ing)|batsm[ae]n|batters?|wickets?|innings|stumps|cricket|yorkers?"
    r"|goalkeeper|quarterback|touchdown|penalty kick|free kick"
    r"|trailers?|box office|starring|cinemas?|screenplay|blockbuster)\b"
    r"|\b\d{2,3}\s?(?:kph|km/h|mph)\b",
    _I,
)
"""Tests and shows that are not flights, even when the sentence says "test" or "launch":
engine runs, parades, and the sports and screen senses of "missile" and "rocket" (a
bowler's "145 kph missile", a film trailer)."""

AGAINST = re.compile(
    r"\b(?:against|intercept\w*|shoot(?:ing)? down|counter(?:ing)?"
    r"|defen[cs]e against)\W+(?:\w+\W+){0,6}$",
    _I,
)
"""A weapon named as a target ("effective against cruise missiles"), not what flew."""

NOT_THE_WEAPON_AFTER = re.compile(
    r"^[\s\-]*(?:submarines?|subs\b|boats?\b|carriers?\b|defen[cs]es?\b|shields?\b"
    r"|programs?\b|programmes?\b|arsenals?\b|stockpiles?\b|forces?\b|brigades?\b"
    r"|units?\b|treat(?:y|ies)\b|technology\b|factor(?:y|ies)\b)",
    _I,
)
"""A weapon noun that only describes something else ("ballistic-missile submarines",
"missile defence", "the ballistic missile programme"): not what flew."""

INTERCEPTING_AFTER = re.compile(
    r"^\W*(?:\w+\W+){0,4}?(?:intercept\w*|shot\s+down|shoots?\s+down|downed|destroyed"
    r"|neutrali[sz]ed|knock(?:s|ed|ing)?\s+out|tak(?:es|ing)\s+out|took\s+out|taken\s+out"
    r"|stop(?:s|ped|ping)?|engag(?:es|ed|ing)"
    r"|at\s+(?:incoming\s+)?(?:[\w\-]+\s+){0,2}?(?:rockets|missiles|projectiles|drones))\b",
    _I,
)
TEST_TARGET = re.compile(
    r"\b(?:targets?|mock|simulated|dummy|drill|exercise|test(?:ed|s|ing)?)\b", _I
)
"""An interceptor that shot down incoming fire is the defence, not the launch reported;
one tested against a target is the launch."""

FAILURE = re.compile(
    r"\b(?:exploded|explodes|explosion|blew up|failed|fails|failure|crashed|crash|broke up"
    r"|disintegrated"
    r"|malfunction\w*|unsuccessful|fizzled|went astray|lost contact|aborted|mid-air|midair)\b",
    _I,
)
ATTEMPTED = re.compile(
    r"\b(?:tri(?:es|ed)|attempt(?:s|ed)?|appear(?:s|ed)? to have tried|trying)\s+to\s+"
    r"(?:\w+ly\s+)?$",
    _I,
)
"""An attempt ("tried to launch"): with a failure in the sentence, a launch that happened."""

EARLIER_FAILURE = re.compile(
    r"\b(?:ha(?:s|ve|d)\s+(?:\w+\s+)?failed\s+(?:in|on)\s+(?:\w+\s+){0,2}(?:attempts?|tries|occasions)"
    r"|(?:previous|earlier|past|prior|last|several|two|three|multiple)\s+(?:\w+\s+)?"
    r"(?:attempts?|tries|launch(?:es)?|tests?)\s+(?:\w+\s+){0,3}?(?:failed|ended in failure"
    r"|exploded|crashed)"
    r"|(?:failed|failures?)\s+(?:\w+\s+){0,3}?(?:previous|earlier|past|prior)\s)",
    _I,
)
"""A failure told of earlier attempts ("has failed in several previous attempts"), not of
the launch reported."""

SUCCESS = re.compile(
    r"\b(?:successful(?:ly)?|success|accurately|precisely|hit (?:the|its|their) targets?"
    r"|struck (?:the|its|their)"
    r"|striking (?:the|its|their)|destroyed (?:the|its|a)? ?targets?|satisf(?:ied|action)"
    r"|effectiveness"
    r"|reliability|verified|met (?:the|all) (?:requirements|targets)|reached orbit"
    r"|entered orbit|as planned"
    r"|(?:objectives?|goals?|requirements) (?:(?:was|were|had been|have been) )?(?:fully )?"
    r"(?:met|achieved|accomplished|fulfilled)"
    r"|(?:placed|put|inserted|injected) (?:\w+ ){0,4}?in(?:to)? (?:its |the |a )?"
    r"(?:planned|intended|designated|target|preset|correct|precise|stable) orbit"
    r"|met (?:its|the|all|their) (?:\w+ )?(?:objectives|goals))\b",
    _I,
)

SITE_CUE = re.compile(
    r"\b(?:from|near|in|around|at|off|over|outside|of)\s+(?:the\s+)?(?:[\w\u2019'\-]+\s+){0,2}$", _I
)
IMPACT_CUE = re.compile(
    r"\b(?:into|toward|towards|landed|landing|fell|falling|splash\w*|struck|striking|hit|hitting"
    r"|targets? in|inside|within)\s+(?:[\w\u2019'\-]+\s+){0,4}$",
    _I,
)
LAUNCHED_FROM = re.compile(
    r"^\s*(?:\w+\s+){0,3}?(?:from|by)\s+(?:the\s+|an?\s+)?(?-i:[A-Z][\w\-]+\s+)?$", _I
)
"""The launcher named after the launch word ("fired from Yemen", "fired by Palestinian
Islamic Jihad")."""

ANAPHORA = re.compile(
    r"^(?:They|Those|These|That|It)\b|\b(?:those|these|that|the earlier|the previous) (?:\w+ )?"
    r"(?:launch|launches|test|tests|missiles?|firings?)\b"
)
"""A sentence that goes on about the launch the previous sentence named."""

REFERENCE = re.compile(
    r"\b(?:the|this|that|these|those|its|their|latest|\w+['\u2019]s)\s+(?:latest\s+|new\s+"
    r"|missile\s+)?"
    r"(?:test|tests|launch|launches|test-firing|test-firings|firing|firings|drill|drills|salvo)\b",
    _I,
)
"""A sentence that goes on about "the test" or "the launches" without naming the missile."""

SAME_LAUNCH_AFTER = re.compile(
    r"\s+(?:the\s+|its\s+)?(?:launch|launching|lift-?off|take-?off|firing"
    r"|being (?:launched|fired))\b",
    _I,
)
SOON = re.compile(r"\b(?:shortly|soon|moments|seconds|minutes|right|just|immediately)\s+$", _I)
"""A cue like "shortly after launch" speaks of the same flight, not an earlier one."""

LAUNCH_EXPECTED = re.compile(
    r"\b(?:launch|test|firing|test-firing)\s+(?:could|may|might|will|would|is expected to"
    r"|is likely to|appears imminent|is imminent)\s*(?:come|happen|take place|occur|be)?\b",
    _I,
)
"""A launch still to come, told without a missile word: "a launch could come within days"."""

LAUNCH_OCCASION = re.compile(
    r"\blaunch(?:ing)?[\s\-](?:windows?|dates?|pads?|preparations?|schedules?|notices?)\b", _I
)
"""A launch window, date or pad: what a notice or a preparation speaks of."""

PLAN_WORDS = re.compile(
    r"\b(?:prepar\w+|plans?|planned|planning|will|to be held|scheduled|upcoming|imminent|notif\w+"
    r"|NOTAM|notice to airmen|ahead of|expected|expects|may|could|intends?)\b",
    _I,
)
"""A sentence that names a launch window, a launch pad or a notice, and speaks of
what is coming: a plan, not another sense of "launch"."""

CAUSE_AFTER = re.compile(
    r"\s+(?:an?|the|its|their|\w+[\u2019']s)\s+(?:[\w\-]+\s+){0,4}?"
    r"(?:launch|launches|test|test-firing|firing|salvo|barrage)\b(?!\s+(?:on|in|last)\b)",
    _I,
)
""""after a North Korean missile launch": the launch is the cause of the news, not an
earlier one (one dated "on Monday" or "last week" may still be earlier)."""

SAYING_BEFORE = re.compile(
    r"\b(?:said|says|reported|announced|told|stated|added|confirmed)\s+$", _I
)
""""said earlier on Thursday": "earlier" dates the saying, not an earlier launch."""

TIME_SPAN_BEFORE = re.compile(
    r"\b(?:days?|weeks?|months?|hours?|year|shortly|soon|just|only|two|three|a)\s+$", _I
)
""""days after", "a week after": a time span makes "after" point at an earlier launch."""
