"""The frame of a launch report: words that tell today's news from its aftermath.

A report can tell a launch as the news, or tell the reaction to it, a ground test, a
denial, a record, an anniversary or a hearing. These cues read that frame; the words
that mark a launch itself live in `cues`.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE

NEWS_TENSE = re.compile(
    r"\b(?:has|have)\s+(?:just\s+|now\s+|again\s+|reportedly\s+|successfully\s+)?"
    r"(?:fired|launched|test[\s\-]?fired|test[\s\-]launched|tested|conducted|carried out)\b"
    r"|^[^.]{0,80}\b(?:fires|launches|test-fires|tests)\b[^.]*$",
    _I,
)
"""A lead in the news tense: "has fired", or a headline's present ("fires")."""

GROUND_TEST = re.compile(
    r"\b(?:engine|motor|thruster)s?\s+(?:ground\s+)?(?:tests?|firings?|trials?)\b"
    r"|\b(?:test(?:s|ed|ing)?|test-fired|fired|firing)\s+(?:of\s+)?(?:an?\s+|the\s+|its\s+)?"
    r"(?:[\w\-]+\s+){0,4}?(?:rocket\s+)?(?:engines?|motors?)\b"
    r"|\bstatic[\s\-](?:fire|fired|firing|tests?)\b|\bground (?:jet )?tests?\b"
    r"|\bground-based tests?\b|\btest stands?\b|\btest beds?\b",
    _I,
)
"""An engine or motor fired on the ground: a ground test, not a flight."""

FLIGHT = re.compile(
    r"\b(?:flew|flown|flight|flying|altitude|apogee|splash\w*|landed|fell|orbit\w*|soared"
    r"|lift(?:ed|s)?[\s\-]off|liftoff|blast(?:ed|s)? off|\d+\s?(?:km|kilomet(?:er|re)s|miles))\b",
    _I,
)
"""What a launch that left the ground is told with: a flight, a height, a range."""

CONTESTED = re.compile(
    r"\b(?:bogus|no reason to believe|(?:could|can)(?:not|n['\u2019]t)\s+confirm\s+any"
    r"|did not (?:take place|happen|occur)|never (?:happened|took place)"
    r"|(?:claims?|reports?) (?:were|was|are|is) (?:false|untrue|not true|baseless)"
    r"|no (?:indication|evidence|sign)s? (?:that )?(?:[\w\u2019'\-]+ ){0,3}?(?:had )?"
    r"(?:launched|fired|test-fired|tested|conducted)"
    r"|(?:says?|said) (?:it|they) (?:didn['\u2019]t|did not|never did)"
    r"(?:\s+(?:happen|take place|occur))?(?=\s*(?:[.,;:!?\"\u201d]|$))"
    r"|no (?:missiles?|rockets?|launch|test) (?:was|were|had been|took place)"
    r"|there (?:was|were|had been|has been) no (?:such )?(?:launch|test|missile|firing)"
    r"|call(?:ed|s)? (?:the|his|her|their|these|those|such) (?:claims?|reports?) "
    r"(?:false|untrue|baseless|fake|groundless))\b",
    _I,
)
"""A claimed launch contradicted: "no reason to believe Iran conducted any tests"."""

REACTION = re.compile(
    r"\b(?:Security Council|(?i:unsc)|condemn\w*|slam(?:s|med)?|denounc\w*|sanction\w*"
    r"|(?i:protest(?:s|ed|ing)?)|deplor\w*|censur\w*|rebuk\w*|(?i:unacceptable)"
    r"|rall(?:y|ies|ied)|celebrat\w*|emergency (?:meeting|session)"
    r"|(?:holds?|held|convenes?|convened|calls?|called) (?:an? )?(?:closed-door |emergency )?"
    r"(?:meeting|session))\b",
)
"""A reaction that can be the news itself: a condemnation or protest, a Council meeting,
sanctions, a rally. Case matters: "Security Council" is the body, not any council."""

EARLIER_DAYS = re.compile(
    r"\b(?:last (?:week|month)|earlier (?:this|last) (?:week|month)|(?:days|weeks) ago"
    r"|(?:a|one|two|three) weeks? ago)\b",
    _I,
)
"""A launch told as days or weeks back ("fired an ICBM last week"), not today's news."""

SAME_LAUNCH_REFERENCE = re.compile(
    r"(?:The|That|This|Its)\s+(?:failed\s+|latest\s+|reported\s+|alleged\s+)?"
    r"(?:test|launch|test-firing|firing|flight)\b"
)
"""A sentence that opens on the launch just told ("The failed test took place last year")."""

REPORT_DAY_BEFORE = re.compile(
    r"\b(?:report|reports|statement|announcement|article|story|newspaper|paper)\s+"
    r"(?:(?:late|early)\s+)?(?:on\s+)?$",
    _I,
)
"""A day that dates a report ("the report late on Saturday said"), not the launch."""

PAST_FRAME = re.compile(
    r"\b(?:anniversar(?:y|ies)|\d+(?:st|nd|rd|th) year|years ago|decades ago|a year ago"
    r"|(?:ten|twenty|thirty|forty|fifty|\d+) years (?:since|after|on)|looking back|in retrospect"
    r"|hearings?|inquir(?:y|ies)|inquest|trial|testif(?:y|ied|ies|ying)|testimony|tribunal"
    r"|verdict|court|lawsuit|commission of inquiry|opinion|op-ed|column(?:ist)?|essay|doctrine"
    r"|memoir|historians?|remembered|commemorat\w+|memorial)\b",
    _I,
)
"""What an article about the past says of itself: an anniversary, a hearing or trial
about an old event, an opinion piece. With no recent date for its launch, the launch it
names is history."""

POSSESSIVE_DAY = re.compile(
    r"\b(?:(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)|yesterday)"
    r"[\u2019']s\s+(?:[\w\-]+\s+){0,3}?(?:attacks?|strikes?|launch(?:es)?|tests?|barrages?"
    r"|salvos?|firings?|test-firings?|volleys?|bombardment|missile|missiles|rockets?)\b",
    _I,
)
""""Tuesday's attack", "yesterday's launch": the day owns the launch."""
