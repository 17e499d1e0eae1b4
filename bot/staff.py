"""Read a person's band, staff group, role and aspiration from what they wrote.

"I'm a band 5 staff nurse hoping to become a ward manager" gives band "5",
staff group "nursing", role "staff nurse" and aspiration "become a ward
manager". Patterns find the band and split the current role from the
aspiration; spaCy (``bot.language.nlp()``) finds the role's noun phrase, so
roles outside the word list ("band 6 sonographer") still come through.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Tuple

from bot.framework import normalise_band
from bot.language import nlp

# Most specific first: "healthcare assistant" is support, not nursing;
# "ward manager" is nursing, not management; "consultant nurse" is nursing.
_ROLE_GROUPS: Tuple[Tuple[str, Tuple[str, ...]], ...] = (
    ("admin", (r"medical secretar(?:y|ies)", r"ward clerks?", r"medical records")),
    (
        "support",
        (
            r"nursing assistants?",
            r"health ?care assistants?",
            r"care assistants?",
            r"hcas?",
            r"(?:health ?care |maternity )?support workers?",
            r"therapy assistants?",
            r"assistant practitioners?",
            # NHS workforce statistics count nursing associates as support to clinical staff.
            r"nursing associates?",
            r"phlebotomists?",
            r"support staff",
        ),
    ),
    (
        "nursing",
        (
            r"nurses?",
            r"matrons?",
            r"(?:ward )?sisters?",
            r"ward managers?",
            r"charge nurses?",
            r"health visitors?",
            r"nursing",
        ),
    ),
    ("midwifery", (r"midwi(?:fe|ves|fery)",)),
    ("pharmacy", (r"pharmacists?", r"pharmacy technicians?", r"pharmacy")),
    (
        "allied_health",
        (
            r"physiotherapists?",
            r"physios?",
            r"occupational therapists?",
            r"radiographers?",
            r"sonographers?",
            r"paramedics?",
            r"dietitians?",
            r"speech and language therapists?",
            r"podiatrists?",
            r"orthoptists?",
            r"operating department practitioners?",
            r"(?:art |music |drama )?therapists?",
            r"prosthetists?",
            r"orthotists?",
            r"allied health(?: professional)?s?",
            r"ahps?",
        ),
    ),
    (
        "healthcare_science",
        (
            r"(?:biomedical |clinical |healthcare )?scientists?",
            r"(?:cardiac |respiratory )?physiologists?",
            r"audiologists?",
            r"healthcare science",
        ),
    ),
    (
        "medical",
        (
            r"consultants?",
            r"doctors?",
            r"registrars?",
            r"gps?",
            r"general practitioners?",
            r"surgeons?",
            r"anaesthetists?",
            r"physicians?",
            r"psychiatrists?",
            r"fy[12]",
            r"foundation doctors?",
            r"clinical fellows?",
            r"medics?",
            r"medical",
        ),
    ),
    (
        "ambulance",
        (r"call handlers?", r"(?:emergency medical|ambulance) technicians?", r"ambulance crew", r"ambulance"),
    ),
    (
        "admin",
        (
            r"administrators?",
            r"admin",
            r"receptionists?",
            r"secretar(?:y|ies)",
            r"clerks?",
            r"coordinators?",
            r"personal assistants?",
            r"hr (?:advis[oe]rs?|officers?)",
            r"finance (?:officers?|assistants?)",
            r"analysts?",
            r"administration",
            r"clerical",
        ),
    ),
    (
        "estates",
        (
            # Estates and ancillary staff: not clinical support, so not offered clinical routes.
            r"estates(?: officers?)?", r"electricians?", r"maintenance", r"facilities", r"catering", r"cleaners?",
            r"porters?", r"portering", r"domestics?", r"housekeepers?", r"security officers?", r"chefs?",
        ),
    ),
    (
        "management",
        (
            r"(?:service |operations |general |project |programme |team )?managers?",
            r"directors?",
            r"chief executives?",
            r"heads? of [a-z]+",
            r"team leaders?",
            r"management",
        ),
    ),
)
_GROUP_PATTERNS = tuple(
    (re.compile(r"(?<![a-z])(?:" + "|".join(patterns) + r")(?![a-z])"), group) for group, patterns in _ROLE_GROUPS
)

_BAND_IN_TEXT = re.compile(
    r"(?<![a-z0-9])(?:(?:afc|agenda for change|nhs)\s+)?band\s*"
    r"(?P<band>\d{1,2}\s?[a-d]?|one|two|three|four|five|six|seven|nine)(?![a-z0-9])"
    r"|(?<![a-z0-9])(?P<bare>8\s?[a-d])(?![a-z0-9])"
)
_ASPIRATION_CUE = re.compile(
    r"(?:(?<![a-z])(?:am |i'm )?(?:hoping|hope|want(?:ing)?|wanna|would (?:really )?like|would love|aim(?:ing)?"
    r"|aspir(?:e|ing)|looking|plan(?:ning)?|keen|wish(?:ing)?|intend(?:ing)?"
    r"|my (?:goal|aim|ambition|dream|plan|hope) is)"
    r"|'d (?:really )?(?:like|love))\s+to\s+"
    r"|(?<![a-z])(?P<open>thinking (?:about|of)|interested in|working towards)\s+"
)
# Words around a role that are not part of it.
_NOT_ROLE = re.compile(
    r"^(?:a|an|the|my|currently|afc|nhs|agenda|for|change|band|\d{1,2}[a-d]?|[a-d]|one|two|three|four|five|six|seven"
    r"|nine|senior|junior|newly|qualified|experienced|full-time|part-time)$"
)
_KEEP_ADJECTIVES = frozenset({"senior", "junior"})
# Roles and phrases that say someone already leads people: first-time leader programmes are not for them.
_LEADS = re.compile(
    r"(?<![a-z])(?:managers?|team lead(?:er)?s?|heads? of|ward sisters?|charge nurses?|matrons?|supervisors?"
    r"|directors?|chief executives?|clinical leads?|(?:lead|manag|run|supervis)[a-z]* (?:a|the|my|our|\d+) "
    r"(?:[a-z]+ )?(?:team|ward|unit|service|department|staff|people|nurses))(?![a-z])"
)


@dataclass(frozen=True)
class StaffDetails:
    """What a person said about themselves; anything not said is ``None``."""

    band: Optional[str]
    staff_group: Optional[str]
    role: Optional[str]
    aspiration: str
    leads_team: bool = False


def _split(text: str) -> Tuple[str, str]:
    """(what they are now, what they hope for), split at the first aspiration cue."""
    match = _ASPIRATION_CUE.search(text.lower())
    if match is None:
        return text, ""
    # "hoping to become X" -> "become X"; "thinking about retirement" keeps its cue.
    aspiration = text[match.start("open") if match.group("open") else match.end() :]
    # The aspiration runs to the end of its sentence.
    aspiration = re.split(r"(?<=[.!?])\s", aspiration, maxsplit=1)[0]
    return text[: match.start()], aspiration.strip().rstrip(".!?;, ")


def band_from_text(text: str) -> Optional[str]:
    """The first Agenda for Change band mentioned in ``text`` ("band 5", "8A", "AfC band 3"), if valid."""
    match = _BAND_IN_TEXT.search(text.lower())
    if match is None:
        return None
    return normalise_band(match.group("band") or match.group("bare"))


def staff_group_for(text: str) -> Optional[str]:
    """The staff group a role or description points to ("staff nurse" -> "nursing"), if any."""
    lowered = text.lower()
    for pattern, group in _GROUP_PATTERNS:
        if pattern.search(lowered):
            return group
    return None


def _role_from_parse(current: str) -> Optional[str]:
    """The role's noun phrase, found with spaCy: "I'm a band 6 sonographer" -> "sonographer"."""
    doc = nlp()(current)
    candidates = []
    for chunk in doc.noun_chunks:
        root = chunk.root
        is_complement = root.dep_ in ("attr", "appos") or (root.dep_ == "pobj" and root.head.lower_ == "as")
        names_role = staff_group_for(chunk.text) is not None
        if root.pos_ == "PRON" or not (is_complement or names_role):
            continue
        words = [token.text for token in chunk if not _NOT_ROLE.match(token.lower_) or token.lower_ in _KEEP_ADJECTIVES]
        # Drop a leading "senior" only if nothing else is left to describe the role.
        role = " ".join(words).strip(" ,.;:")
        if role and not re.fullmatch(r"(?:senior|junior)", role.lower()):
            candidates.append((0 if is_complement else 1, chunk.start, role.lower()))
    if not candidates:
        return None
    return min(candidates)[2]


def _role_from_words(current: str) -> Optional[str]:
    lowered = current.lower()
    best: Optional[Tuple[int, int, str]] = None
    for pattern, _group in _GROUP_PATTERNS:
        for match in pattern.finditer(lowered):
            word = match.group()
            if word in ("nursing", "medical", "admin", "management", "pharmacy", "estates", "facilities"):
                continue  # a field of work, not a role
            key = (match.start(), -len(word), word)
            if best is None or key < best:
                best = key
    return best[2] if best else None


def read_staff_details(text: str) -> StaffDetails:
    """Band, staff group, role and aspiration from free text.

    >>> read_staff_details("I'm a band 5 staff nurse hoping to become a ward manager")  # doctest: +SKIP
    StaffDetails(band='5', staff_group='nursing', role='staff nurse', aspiration='become a ward manager')
    """
    text = " ".join((text or "").replace("\u2019", "'").split())
    if not text:
        return StaffDetails(band=None, staff_group=None, role=None, aspiration="")
    current, aspiration = _split(text)
    # The band they are on now; a band only named in the aspiration is their goal.
    band = band_from_text(current)
    parsed = _role_from_parse(current) if current.strip() else None
    listed = _role_from_words(current)
    # Prefer the fuller phrase: "staff nurse" (parse) over "nurse"; "head of nursing" (list) over "nursing".
    role = parsed
    if listed and (parsed is None or staff_group_for(parsed) is None or (parsed in listed and listed != parsed)):
        role = listed
    group = staff_group_for(role) if role else None
    if group is None:
        group = staff_group_for(current)
    leads = _LEADS.search(current.lower()) is not None
    return StaffDetails(band=band, staff_group=group, role=role, aspiration=aspiration, leads_team=leads)
