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
    r"|shot|shoots?|lobbed|lobs?|salvos?|barrages?|volleys?|lift(?:ed|s)? off|liftoff"
    r"|blast(?:ed|s)? off"
    r"|flight[\s\-]test(?:ed|s|ing)?|test[\s\-]launch(?:ed|es|ing)?)\b",
    _I,
)
"""Words that speak of a launch (in any of its senses)."""

VERB_TRIGGER = re.compile(
    r"\b(?:test[\s\-]?fire[sd]?|launched|fired|tested|shot|lobbed|lifted off|blasted off"
    r"|flight[\s\-]tested"
    r"|test[\s\-]launched|fires|launches|tests|lobs|conducts|conducted|carried out|carries out)\b",
    _I,
)
"""Finite verbs that state a launch happened (headlines use the present)."""

REALIS = re.compile(
    r"\b(?:conducted|conducts|carried out|staged|stages|performed|supervised|oversaw"
    r"|oversees|observed"
    r"|guided|watched|attended|confirmed|detected|declared|announced|said|says|reported|claimed"
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

NOT_LAUNCH_NOUN = re.compile(
    r"\blaunch(?:er|ers)?[\s\-](?:vehicles?|pads?|sites?|platforms?|ceremon(?:y|ies)|events?|dates?"
    r"|windows?|tubes?|systems?|facilit(?:y|ies)|complex(?:es)?|stations?|part(?:y|ies)|trucks?)\b"
    r"|\blaunchers?\b",
    _I,
)
"""Launch words naming equipment or occasions, not a launch ("launch vehicle", "launcher")."""

OTHER_SENSE = re.compile(
    r"\blaunch(?:ed|es|ing)?\s+(?:(?:a|an|the|its|their|his|her|our|new"
    r"|another)\s+)*(?:[\w\-\u2019']+\s+){0,3}?"
    r"(?:investigations?|probes?|inquir(?:y|ies)|campaigns?|offensives?|products?|phones?"
    r"|smartphones?"
    r"|apps?|websites?|services?|initiatives?|bids?|appeals?|lawsuits?|reviews?|programs?"
    r"|programmes?"
    r"|funds?|brands?|models?|company|startups?|warships?|destroyers?|frigates?|ships?|vessels?"
    r"|boats?|carriers?|corvettes?|careers?|talks|negotiations"
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

DENIAL = re.compile(r"\b(?:denied|denies|deny|dismissed reports?|false reports?|no launch)\b", _I)

PLANNED = re.compile(
    r"\b(?:will|would|could|may|might|shall|can|plans?|planning|planned|intends?|intending|intended"
    r"|expected|expects?|expecting|likely|possible|possibly|poised|prepar\w+|ready|readiness"
    r"|threaten\w*|vow\w*|warn\w*|set to|scheduled|upcoming|imminent|next|soon|aims?|aiming"
    r"|signs? of"
    r"|capable of|able to|potential|future|going to|due to|about to|hopes?|seeks?|want\w*"
    r"|considering|consider)\b"
    r"(?:\W+\w+){0,4}?\W+$",
    _I,
)
"""A plan, threat or capability just before the launch word ("is expected to launch")."""

HISTORICAL = re.compile(
    r"\b(?:for decades|for years|decades|in the past|in history|history|historic(?:al)?|last year"
    r"|years ago|months ago|a year ago|since (?:19|20)\d{2}|in recent years"
    r"|has conducted \w+ (?:launches|tests)|has launched \w+ missiles|so far this year"
    r"|(?:the|its) last (?:\w+\s+){0,3}(?:test|launch)\w* (?:was|came)|record|to date)\b",
    _I,
)
"""Launches long past, spoken of as background."""

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
    r"|static[\s\-]fire|ground (?:jet )?tests?|ground-based tests?|nuclear tests?|simulat\w+"
    r"|budget|spending|funding|factory|production|produc(?:e|es|ed|ing)|manufactur\w+|exports?"
    r"|talks|summit|treaty|museum|anniversary|film|movie|game)\b",
    _I,
)
"""What an article speaks of instead of a launch: parades, deals, sanctions, engines."""

STRONG_NOT_LAUNCH = re.compile(
    r"\b(?:engine tests?|(?:test|tests|testing) of (?:\w+\s+){0,4}(?:engines?|motors?)"
    r"|static[\s\-]fire"
    r"|ground (?:jet )?tests?|ground-based tests?|nuclear tests?|simulat\w+|parades?|paraded)\b",
    _I,
)
"""Tests and shows that are not flights, even when the sentence says "test" or "launch"."""

AGAINST = re.compile(
    r"\b(?:against|intercept\w*|shoot(?:ing)? down|counter(?:ing)?"
    r"|defen[cs]e against)\W+(?:\w+\W+){0,6}$",
    _I,
)
"""A weapon named as a target ("effective against cruise missiles"), not what flew."""

PRESENCE = re.compile(
    r"\b(?:attended|attend|supervised|supervises|oversaw|oversees|overseen|observed|watched|guided"
    r"|inspected|presided|accompanied|present|led|directed|ordered|said|says|hailed|praised"
    r"|expressed|personally)\b",
    _I,
)
"""An official at the launch, or speaking of it."""

FAILURE = re.compile(
    r"\b(?:exploded|explodes|explosion|blew up|failed|fails|failure|crashed|crash|broke up"
    r"|disintegrated"
    r"|malfunction\w*|unsuccessful|fizzled|went astray|lost contact|aborted|mid-air|midair)\b",
    _I,
)
SUCCESS = re.compile(
    r"\b(?:successful(?:ly)?|success|accurately|precisely|hit (?:the|its|their) targets?"
    r"|struck (?:the|its|their)"
    r"|striking (?:the|its|their)|destroyed (?:the|its|a)? ?targets?|satisf(?:ied|action)"
    r"|effectiveness"
    r"|reliability|verified|met (?:the|all) (?:requirements|targets)|reached orbit"
    r"|entered orbit|as planned)\b",
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
LAUNCHED_FROM = re.compile(r"^\s*(?:\w+\s+){0,3}?(?:from|by)\s+(?:the\s+)?$", _I)

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
