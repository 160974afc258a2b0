"""A brand and the company that owns it, as an English report's opening ties them.

One outlet names the brand that is down ("Versmarkt shoppers stranded at tills"), another
its parent ("Holdvast Groep hit by ransomware"); the opening of either often says how they
belong together: "owned by Lantau Aviation Group", "part of retail group Holdvast Groep",
"the game run by Seoul-based Hanul Games", "owner of the Versmarkt chain", "at its
Versmarkt stores". Those names are a report's *ties*, kept apart from its own names: a
tie meets another report's own name, never another report's tie, so two companies owned
by one private-equity firm are not one outage.
"""

from __future__ import annotations

import re

from bot.incidents.names import NAME, NO_NAME_IN_OPENING, cut, has_chinese, is_place

# How far into an English report a tie is looked for: the first sentence or two.
TIE_CHARS = 400

_BUSINESS = (
    r"(?:stores?|shops?|outlets|brand|chain|unit|subsidiary|arm|airline|carrier|bank|game|"
    r"supermarkets?|restaurants|hotels|hospitals|clinics|pharmacies)"
)
_NAME_RUN = r"(?P<name>[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,3})"
_LINKS = (
    re.compile(
        r"\b(?:(?:owned|run|operated|developed|published|made)\s+by|part\s+of"
        r"|(?:unit|subsidiary|division|arm|brand)\s+of|(?:owner|parent|operator|maker|"
        r"developer|publisher)\s+of|which\s+(?:owns|runs|operates|makes|publishes|develops))"
        rf"\s+(?:(?:the|a|an|[a-z][\w-]*)\s+){{0,3}}?{_NAME_RUN}"
    ),
    # "its" only with a business it owns: "at its Versmarkt stores", "its budget airline
    # Harbour Jet"; not "its Android app" (a platform many companies' apps run on).
    re.compile(rf"\bits\s+(?:[a-z][\w-]*\s+){{0,2}}?{_NAME_RUN}\s+{_BUSINESS}\b"),
    re.compile(rf"\bits\s+(?:[a-z][\w-]*\s+){{0,2}}?{_BUSINESS}\s+{_NAME_RUN}"),
)
# What the attack did not reach is no tie: "did not affect its Versmarkt stores".
_DENIED = re.compile(r"(?:\bnot\b|n[’']t\b|\bnever\b|\bno\b)[^.;,]*$")
_DENIAL_CHARS = 40
# A person is no owner: "run by Chief Executive Anna Berg", "its Chief Executive …".
_PERSON = re.compile(
    r"(?:Chief|Executive|President|Founder|Co-founder|Chairman|Chairwoman|Chair|Director|"
    r"Minister|Mayor|Mr|Mrs|Ms|Dr|CEO|CTO|CIO|CFO)\b"
)


def tied_names(opening: str) -> set[str]:
    """Names of the brands and owners an English opening ties to what is down."""
    return {
        lower
        for pattern in _LINKS
        for link in pattern.finditer(opening)
        if not _PERSON.match(link.group("name"))
        and not _DENIED.search(opening[max(0, link.start() - _DENIAL_CHARS) : link.start()])
        for word in NAME.findall(link.group("name"))
        if (lower := word.lower()) not in NO_NAME_IN_OPENING and not is_place(lower)
    }


def report_ties(title: str, text: str) -> tuple[str, ...]:
    """A report's ties (none for a Chinese report, whose opening's Latin names are its
    own names already), sorted for a stable stored value."""
    if has_chinese(title):
        return ()
    return tuple(sorted(tied_names(cut(text, TIE_CHARS))))
