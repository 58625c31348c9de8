"""The link check's engine, in plain Python (no Django): who and what an applicant shares
with agencies refused, withdrawn or suspended, and with other open applications
(DOMAIN.md §10). It lists matches with their reason and strength for a reviewer to judge;
it never decides.

Names are compared after transliteration to Latin letters (anyascii), without case,
accents, punctuation, titles, word order or company suffixes, and scored with rapidfuzz.
Spellings of one name in different transliterations ("Thapa", "Thappa"; "Mohammed",
"Muhammad", "محمد") share a consonant skeleton: the keys by which a store finds the few
candidates worth scoring (`person_keys`, `organisation_keys`) without reading them all.
Identifiers, phones, addresses, e-mail domains and bank accounts match when equal once
normalised."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from anyascii import anyascii
from rapidfuzz import fuzz

EXACT = "exact"
STRONG = "strong"
POSSIBLE = "possible"
STRENGTHS = (EXACT, STRONG, POSSIBLE)  # strongest first

# How alike two names must be (0-100, rapidfuzz's token-sort ratio of the normalised
# names, or of their skeletons a little discounted).
STRONG_NAME = 90
POSSIBLE_NAME = 80
SKELETON_DISCOUNT = 0.95

TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "prof",
        "sir",
        "madam",
        "shri",
        "sri",
        "smt",
        "kumari",
        "haji",
        "hajji",
        "engr",
        "eng",
    ]
)
COMPANY_SUFFIXES = frozenset(
    [
        "ltd",
        "limited",
        "pvt",
        "private",
        "llc",
        "llp",
        "inc",
        "incorporated",
        "co",
        "company",
        "corp",
        "corporation",
        "plc",
        "pte",
        "sdn",
        "bhd",
        "pt",
        "tbk",
        "jsc",
        "ojsc",
        "gmbh",
        "sarl",
        "sa",
        "srl",
        "ag",
        "bv",
        "nv",
        "oy",
        "ab",
        "kk",
        "fze",
        "fzco",
        "wll",
        "spc",
        "est",
        "establishment",
        "and",
        "the",
        "of",
    ]
)
# Shared by millions: an address at one of these says nothing of who is behind it.
PUBLIC_MAIL_DOMAINS = frozenset(
    [
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "yahoo.co.in",
        "yahoo.co.uk",
        "hotmail.com",
        "outlook.com",
        "live.com",
        "msn.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "mail.com",
        "gmx.com",
        "gmx.net",
        "yandex.com",
        "yandex.ru",
        "zoho.com",
        "qq.com",
        "163.com",
        "rediffmail.com",
    ]
)
# Transliterations that sound alike, folded before vowels are dropped.
_FOLDS = (
    ("ph", "f"),
    ("sh", "s"),
    ("kh", "k"),
    ("gh", "g"),
    ("ch", "c"),
    ("th", "t"),
    ("dh", "d"),
    ("bh", "b"),
    ("w", "v"),
    ("q", "k"),
    ("z", "j"),
    ("x", "ks"),
)
_VOWELS = re.compile(r"[aeiouyh]")
_REPEATS = re.compile(r"(.)\1+")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


# --- What the engine is given ---------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A person behind an agency or an application: a director, owner or nominated officer."""

    name: str
    birth_year: int | None = None
    nationality: str = ""  # ISO 3166 alpha-2, or empty
    role: str = ""  # director, owner, nominated officer
    since: date | None = None
    until: date | None = None  # None: still in that role
    document: str = ""  # an identity document's number, as the store's keyed hash
    label: str = ""  # how a reason describes them (the Django layer writes it, translated)


@dataclass(frozen=True)
class Party:
    """An agency (with what befell it) or an application, as the check reads it."""

    ref: str  # the store's reference, returned in each match
    name: str
    country: str = ""
    legal_name: str = ""
    people: tuple[Person, ...] = ()
    identifiers: tuple[tuple[str, str], ...] = ()  # (kind, value): registration, licence, tax
    addresses: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    email_domains: tuple[str, ...] = ()
    bank_accounts: tuple[str, ...] = ()  # hashes, compared as they are
    outcome: str = ""  # refused, withdrawn, suspended, or application (an open one)
    outcome_on: date | None = None


@dataclass(frozen=True)
class Match:
    """One link between the applicant and another party, with its reason."""

    kind: str  # person, organisation, identifier, address, phone, email_domain, bank_account
    strength: str  # exact, strong or possible
    score: int  # 0-100
    mine: str  # what of the applicant matched
    theirs: str  # what of the other party it matched
    other: str  # the other party's ref
    other_name: str
    outcome: str
    outcome_on: date | None
    detail: str = ""  # e.g. the other person's role and years

    @property
    def rank(self) -> tuple:
        return (STRENGTHS.index(self.strength), -self.score, self.kind, self.other)


# --- Normalising ----------------------------------------------------------------------------


def words(text: str) -> list[str]:
    """Latin letters and digits, lower case, one word each: 'Nguyễn Văn-Hùng' -> nguyen van hung."""
    return [word for word in _NOT_WORD.split(anyascii(text or "").lower()) if word]


def person_name(text: str) -> str:
    """A person's name, its words sorted (order varies: family name first or last), without titles."""
    return " ".join(sorted(word for word in words(text) if word not in TITLES))


def organisation_name(text: str) -> str:
    """An organisation's name, without its company form ('Pvt. Ltd.', 'Sdn Bhd', 'LLC')."""
    kept = [word for word in words(text) if word not in COMPANY_SUFFIXES]
    return " ".join(sorted(kept))


def skeleton(word: str) -> str:
    """Its consonants, similar sounds folded, repeats collapsed: thapa, thappa -> tp."""
    if word.isdigit():
        return word
    for spelt, heard in _FOLDS:
        word = word.replace(spelt, heard)
    return _REPEATS.sub(r"\1", _VOWELS.sub("", word)) or word[:1]


def _skeletons(name: str) -> str:
    return " ".join(sorted(skeleton(word) for word in name.split()))


def person_keys(text: str) -> frozenset[str]:
    """The blocking keys of a person's name: the skeletons of its words of two letters or
    more. A store keeps them indexed and scores only the people sharing one."""
    return frozenset(skeleton(word) for word in person_name(text).split() if len(word) > 1)


def organisation_keys(text: str) -> frozenset[str]:
    return frozenset(skeleton(word) for word in organisation_name(text).split() if len(word) > 2)


def organisation_key(text: str) -> str:
    """An organisation's name as one blocking key: its words' skeletons, sorted."""
    return _skeletons(organisation_name(text))


def identifier(value: str) -> str:
    """Upper case, letters and digits only: 'reg/123-45' and 'REG 12345' are one number."""
    return re.sub(r"[^A-Z0-9]", "", anyascii(value or "").upper())


def phone(value: str) -> str:
    """The last eight digits, past country codes and trunk prefixes: '+977 1-4411223' and
    '01 4411223' are one line. Two countries' numbers may share them: a person judges."""
    digits = re.sub(r"\D", "", value or "")
    return digits[-8:] if len(digits) >= 7 else ""


_ADDRESS_WORDS = {
    "rd": "road",
    "st": "street",
    "ave": "avenue",
    "no": "",
    "nr": "",
    "bldg": "building",
    "flr": "floor",
    "fl": "floor",
    "marg": "road",
}


def address(value: str) -> str:
    """Words sorted, abbreviations spelt out: 'Flat 3, 12 Durbar Marg' = '12 durbar road flat 3'."""
    spelt = (_ADDRESS_WORDS.get(word, word) for word in words(value))
    return " ".join(sorted(word for word in spelt if word))


def email_domain(value: str) -> str:
    domain = (value or "").rpartition("@")[2].strip().lower().rstrip(".")
    return "" if domain in PUBLIC_MAIL_DOMAINS else domain


# --- Scoring --------------------------------------------------------------------------------


def name_scores(first: str, second: str) -> tuple[int, int]:
    """How alike two normalised names are as spelt, and as their skeletons (discounted)."""
    if not first or not second:
        return 0, 0
    spelt = fuzz.token_sort_ratio(first, second)
    heard = fuzz.token_sort_ratio(_skeletons(first), _skeletons(second)) * SKELETON_DISCOUNT
    return round(spelt), round(heard)


def name_score(first: str, second: str) -> int:
    """The better of the two scores of `name_scores`."""
    return max(name_scores(first, second))


def _person_strength(mine: Person, theirs: Person, spelt: int, heard: int) -> str | None:
    score = max(spelt, heard)
    if score < POSSIBLE_NAME:
        return None
    years_known = mine.birth_year is not None and theirs.birth_year is not None
    if years_known and abs(mine.birth_year - theirs.birth_year) > 1:
        return None  # alike names, different people
    # Skeletons alone ("Ali Khan", "Leila Khan": both `l kn`) make a possible match at most.
    strength = STRONG if spelt >= STRONG_NAME else POSSIBLE
    if years_known and mine.birth_year != theirs.birth_year:
        strength = POSSIBLE
    if mine.nationality and theirs.nationality and mine.nationality != theirs.nationality:
        strength = POSSIBLE if strength == STRONG else None
    return strength


def _describe(person: Person) -> str:
    if person.label:
        return person.label
    parts = [person.role] if person.role else []
    if person.birth_year:
        parts.append(f"born {person.birth_year}")
    if person.nationality:
        parts.append(person.nationality)
    if person.since or person.until:
        start = person.since.isoformat() if person.since else "?"
        end = person.until.isoformat() if person.until else "now"
        parts.append(f"{start} to {end}")
    return ", ".join(parts)


def _same(kind: str, mine: Iterable[str], theirs: Iterable[str], normal, other: Party):
    found = {}
    for value in theirs:
        key = normal(value)
        if key:
            found.setdefault(key, value)
    for value in mine:
        key = normal(value)
        if key and key in found:
            yield _match(kind, EXACT, 100, value, found[key], other)


def _match(kind, strength, score, mine, theirs, other: Party, detail="") -> Match:
    return Match(
        kind=kind,
        strength=strength,
        score=score,
        mine=mine,
        theirs=theirs,
        other=other.ref,
        other_name=other.name,
        outcome=other.outcome,
        outcome_on=other.outcome_on,
        detail=detail,
    )


def compare(applicant: Party, other: Party) -> list[Match]:
    """Every link between the applicant and one other party."""
    if other.ref == applicant.ref:
        return []
    found: list[Match] = []
    for mine in applicant.people:
        mine_name = person_name(mine.name)
        best = None
        for theirs in other.people:
            if mine.document and mine.document == theirs.document:
                found.append(
                    _match(
                        "identity_document",
                        EXACT,
                        100,
                        mine.name,
                        theirs.name,
                        other,
                        _describe(theirs),
                    )
                )
            spelt, heard = name_scores(mine_name, person_name(theirs.name))
            strength = _person_strength(mine, theirs, spelt, heard)
            if strength is None:
                continue
            candidate = _match(
                "person",
                strength,
                max(spelt, heard),
                mine.name,
                theirs.name,
                other,
                _describe(theirs),
            )
            if best is None or candidate.rank < best.rank:
                best = candidate
        if best is not None:
            found.append(best)
    # One organisation match per other party: the best of its names and legal names.
    best_name = None
    for mine_name in sorted({applicant.name, applicant.legal_name} - {""}):
        for their_name in sorted({other.name, other.legal_name} - {""}):
            score = name_score(organisation_name(mine_name), organisation_name(their_name))
            same_country = (
                not applicant.country or not other.country or (applicant.country == other.country)
            )
            if (
                score >= STRONG_NAME
                and same_country
                and (best_name is None or score > best_name.score)
            ):
                strength = EXACT if score == 100 else STRONG
                best_name = _match("organisation", strength, score, mine_name, their_name, other)
    if best_name is not None:
        found.append(best_name)
    # Numbers of one kind only (a licence number is not a registration number), shown bare.
    theirs_by_key = {}
    for kind, value in other.identifiers:
        if identifier(value):
            theirs_by_key.setdefault((kind, identifier(value)), value)
    for kind, value in applicant.identifiers:
        key = (kind, identifier(value))
        if key[1] and key in theirs_by_key:
            found.append(_match("identifier", EXACT, 100, value, theirs_by_key[key], other, kind))
    found += _same("address", applicant.addresses, other.addresses, address, other)
    found += _same("phone", applicant.phones, other.phones, phone, other)
    found += _same(
        "email_domain", applicant.email_domains, other.email_domains, email_domain, other
    )
    found += _same("bank_account", applicant.bank_accounts, other.bank_accounts, str.strip, other)
    return _distinct(found)


def _distinct(found: list[Match]) -> list[Match]:
    seen, kept = set(), []
    for match in sorted(found, key=lambda m: m.rank):
        key = (match.kind, match.mine, match.theirs, match.other)
        if key not in seen:
            seen.add(key)
            kept.append(match)
    return kept


def check(applicant: Party, candidates: Iterable[Party]) -> list[Match]:
    """Every link of the applicant with the candidates a store found by their keys,
    strongest first."""
    found = [match for other in candidates for match in compare(applicant, other)]
    return sorted(found, key=lambda m: m.rank)


def reason(match: Match) -> str:
    """The match in a sentence for the reviewer (English; the Django layer translates the
    parts it renders itself)."""
    when = f" {match.outcome_on.isoformat()}" if match.outcome_on else ""
    what = f"{match.other_name} ({match.outcome}{when})"
    if match.kind == "person":
        detail = f" ({match.detail})" if match.detail else ""
        return f"{match.mine} is like {match.theirs}{detail} of {what}: {match.strength}, {match.score}"
    return f"{match.kind.replace('_', ' ')} {match.mine} is that of {what}: {match.strength}"
