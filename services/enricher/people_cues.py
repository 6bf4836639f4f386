"""The people of a launch report: who is cited as its source, who was at the launch.

These are grammar, not knowledge of the world: the words around a name that make it a
source ("according to", "said"), an official present ("guided", "accompanied by"), or
one who only speaks of the launch from afar.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE

PRESENCE = re.compile(
    r"\b(?:attended|attend|supervised|supervises|oversaw|oversees|overseen|observed|watched|guided"
    r"|inspected|presided|accompanied|present|directed|personally|aboard|on board"
    r"|attending|watching|witnessed|witnessing|looked on|on hand|visited|monitored|overseeing"
    r"|supervising|guiding|observing|inspecting)\b",
    _I,
)
"""An official at the launch: attending, watching, aboard, guiding it."""

REMOTE = re.compile(
    r"\b(?:congratulat\w*|hailed|praised|welcomed|condemn\w*|denounc\w*|critici[sz]\w*"
    r"|sent (?:a )?(?:message|letter)|in a (?:message|letter|statement)|told reporters"
    r"|phone call|called)\b",
    _I,
)
"""An official who speaks of the launch from afar: a source, not present."""

_ROLE_WORDS = (
    r"(?:military|armed|wing|spokesman|spokeswoman|spokesperson|spokespeople|press|media|office"
    r"|service|official|officials|chief|command|commander|commanders|news|agency|agencies"
    r"|statement|also|later|earlier|then|itself|has|had|have|on|in|late|early|Monday|Tuesday"
    r"|Wednesday|Thursday|Friday|Saturday|Sunday|ministry|department|headquarters|forces"
    r"|[A-Z][a-z]+)"
)
ATTRIBUTED_AFTER = re.compile(
    r"^(?:[\u2019']s?)?(?:\s+" + _ROLE_WORDS + r"){0,4}?,?\s+(?:said|says|reported|reports"
    r"|claimed|claims|announced|announces|stated|confirmed|confirms|added|told|noted|declared"
    r"|described|quoted|published|released|broadcast|aired|showed|cited|tweeted|posted"
    r"|in a statement|statement)\b",
)
"""A source right before its saying verb ("the Houthis said", "Hezbollah's media office
said", "KCNA reported on Friday")."""

ATTRIBUTED_BEFORE = re.compile(
    r"\b(?:according to|citing|cited by|quoted by|carried by|reported by|published by|told"
    r"|statement (?:by|from)|statements by|claimed by|announced by|confirmed by)"
    r"\s+(?:the\s+|an?\s+)?(?:[\w\u2019'\-]+\s+){0,3}$",
    _I,
)
"""A source after an attribution phrase ("according to the IRGC", "citing Yonhap")."""

GENERIC_MINISTRY = re.compile(
    r"\b(?:the|its|the country['\u2019]s)\s+(?:defen[cs]e ministry|ministry of defen[cs]e"
    r"|armed forces ministry|ministry of the armed forces)\b",
    _I,
)
"""The launching state's own ministry named without its country ("the defence ministry")."""

# People at a launch. A person is present when a sentence makes them the subject of an
# attending verb ("Kim Jong Un guided the test-fire", "Shoigu was on hand"), the agent
# of a passive one ("overseen by"), or names them after an accompanying phrase
# ("accompanied by X and Y", "in the presence of X").

_NAME_WORD = r"(?:[A-Z][a-z\u00e0-\u00ff'\u2019]+(?:-[A-Za-z][a-z\u00e0-\u00ff]+)*|[A-Z]\.)"
_NAME_LINK = r"(?:\s+(?:al-|bin\s+|ibn\s+|de\s+|van\s+|von\s+|el-)?)"
PERSON_NAME = _NAME_WORD + r"(?:" + _NAME_LINK + _NAME_WORD + r"){1,3}"
"""Two to four capitalised words: "Kim Jong Sik", "Jang Chang-ha", "Mohammad Bagheri"."""

_RANK = (
    r"(?:(?:[Vv]ice|[Dd]eputy|[Ff]irst|[Ss]enior|[Cc]hief|[Ll]ieutenant|[Mm]ajor|[Bb]rigadier"
    r"|[Cc]olonel|[Rr]ear|[Gg]rand|[Ff]ield)[\s\-]+)*"
)
TITLE = (
    r"(?:" + _RANK + r"(?:[Gg]eneral|[Cc]olonel|[Aa]dmiral|[Mm]arshal|[Cc]ommander|[Cc]aptain"
    r"|[Mm]ajor|[Bb]rigadier|[Cc]hairman|[Cc]hair|[Pp]remier|[Pp]resident|[Pp]rime [Mm]inister"
    r"|[Mm]inister|[Ss]ecretary|[Dd]irector|[Cc]hief|[Hh]ead|[Ss]ecretary-[Gg]eneral"
    r"|[Dd]efen[cs]e [Mm]inister|[Ff]oreign [Mm]inister|[Vv]ice-[Cc]hairman|[Vv]ice-[Mm]arshal"
    r"|[Cc]omrade|[Rr]espected [Cc]omrade|[Dd]aughter|[Ss]ister|[Ww]ife|[Ss]on|[Dd]ept?\.? ?"
    r"[Dd]irector|[Gg]en\.|[Lt]t\.? ?[Gg]en\.|[Aa]dm\.|[Cc]ol\.|[Mm]aj\.? ?[Gg]en\.)"
    r"(?:\s+(?:of\s+)?(?:the\s+)?(?:[A-Z][\w\-]+\s+){0,4}?)?)"
)
"""A rank, office or family tie that introduces a person's name."""

TITLED_NAME = re.compile(r"(?<![\w\-])" + TITLE + r"\s*(?P<name>" + PERSON_NAME + r")\b")
"""A person introduced by a title ("Lieutenant General Kim Jong Sik", "his daughter Kim
Ju Ae", "Defence Minister Andrei Belousov")."""

PRESENT_AFTER = re.compile(
    r"^(?:[\u2019']s?)?(?:,[^,;.]{1,90},)?(?:\s+and\s+(?:his|her|the)\s+[\w\s\-]{1,40}?)?\s+"
    r"(?:also\s+|personally\s+|had\s+|has\s+|who\s+)*"
    r"(?:attended|oversaw|overseen|supervised|guided|watched|observed|inspected|witnessed"
    r"|presided|monitored|looked\s+on|(?:was|were)\s+(?:also\s+)?(?:present|on\s+hand"
    r"|in\s+attendance|aboard|on\s+board|at\s+the\s+(?:launch|site|scene|test))"
    r"|accompanied|joined)\b"
)
"""A person who is the subject of an attending verb, possibly after an apposition
("Kim Jong Un, general secretary of the party, guided the test-fire")."""

PRESENT_BEFORE = re.compile(
    r"(?:\b(?:accompanied|joined|overseen|supervised|guided|watched|observed|attended"
    r"|inspected|witnessed)\s+by|\bin\s+the\s+presence\s+of|\bunder\s+the\s+(?:personal\s+)?"
    r"(?:guidance|supervision|direction|observation)\s+of|\bwith\s+(?=\S+(?:\s+\S+){0,5}"
    r"\s+(?:aboard|on\s+hand|in\s+attendance|looking\s+on|present|watching))"
    r"|\bofficials?\s+(?:present|on\s+hand|in\s+attendance)\s+(?:included|were)"
    r"|\b(?:present|on\s+hand|in\s+attendance|attending|watching|observing)\s+(?:were|was"
    r"|included)|\bincluding)"
    r"(?:\s+(?:the|his|her))?\s*$",
    _I,
)
"""What puts the name after it at the launch ("accompanied by", "in the presence of")."""

NOT_PRESENT_AFTER = re.compile(
    r"^(?:[\u2019']s?)?(?:,[^,;.]{1,90},)?\s+(?:also\s+|later\s+|then\s+|has\s+|had\s+)*"
    r"(?:said|says|told|condemn\w*|congratulat\w*|warned|declared|denounced|hailed|praised"
    r"|called|urged|wrote|stated|added|noted|announced|ordered|vowed|threatened)\b",
    _I,
)
"""A person who only speaks of the launch."""

NOT_A_PERSON_WORD = re.compile(
    r"\b(?:Korea|Korean|Sea|Ocean|Strait|Ministry|Agency|News|Missile|Missiles|Rocket|Forces"
    r"|Force|Army|Navy|Command|Staff|Council|Committee|Party|Workers|Republic|State|States"
    r"|University|Institute|Center|Centre|Academy|Administration|Department|Office|Guard"
    r"|Guards|Corps|Union|Nations|Times|Post|Wire|Television|Radio|Station|Cosmodrome|Ground"
    r"|Range|Island|Islands|Peninsula|Province|City|Bay|Gulf|Coast|Hwasong|Pukguksong|Haeil"
    r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April"
    r"|May|June|July|August|September|October|November|December|The|His|Her|North|South"
    r"|East|West|General|Central|Joint|Chiefs|Defence|Defense|Sinmun|Club|Group|Ship"
    r"|Submarine|Fleet|Launch|Test|Base|Airport|Day|Year|Act|Project|Program|Programme)\b"
)
"""Words that make a capitalised run a place, body, ship or weapon rather than a person."""

SPOKESPERSON_BEFORE = re.compile(
    r"\b(?:spokes(?:man|woman|person)|analyst|expert|researcher|professor|fellow|envoy"
    r"|ambassador|reporter|correspondent)\b[^.;]{0,25}$",
    _I,
)
"""A spokesman, analyst or envoy: a source or commentator, not present."""

UNSAID_PRESENCE_BEFORE = re.compile(
    r"\b(?:whether|if|not\s+say|not\s+clear|unclear|no\s+sign|no\s+indication|not\s+known)\b"
    r"[^,;.]{0,40}$",
    _I,
)
"""A presence the text leaves open ("did not say whether Kim Jong Un attended")."""
