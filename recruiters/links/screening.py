"""Screening the people behind an agency or an application against an outside list
(sanctions, politically exposed persons), DOMAIN.md §10. Optional and off by default: no
list ships with the scheme (the best-known open data set is licensed for non-commercial use
only, so which list, and under which licence, is the operator's choice). The scheme's own
list, the agencies it refused or withdrew, is the link check (certification/selectors/
links.py); a screening's hits are shown beside its matches, for a reviewer to judge. A hit
never refuses anything by itself.

A provider is named by a dotted path in the setting ``SCREENING_PROVIDER`` (empty: off,
nothing imported, nothing screened). The path names a class, or any callable, that takes no
argument and returns an object with one method::

    class MyList:
        def screen(self, people: Sequence[ScreenedPerson]) -> list[ScreeningHit]: ...

It is given the current people's names, years of birth and nationalities, and nothing else:
never an identity document, not even its hash. Each hit names one of the people it was
given. It runs while the page is made, so it keeps its own timeouts; whatever it raises is
logged and the page says that the screening could not run. A path that cannot be imported
raises ImproperlyConfigured: a misconfiguration is told, never taken for "no hit"."""

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from recruiters.links import engine
from recruiters.models import Agency, RelevantPerson

logger = logging.getLogger(__name__)

# A hit's strength, in the link check's words (the same three, the same sentences).
STRENGTHS = (engine.EXACT, engine.STRONG, engine.POSSIBLE)
STRENGTH_WORDS = {
    engine.EXACT: _("Exact match"),
    engine.STRONG: _("Strong match"),
    engine.POSSIBLE: _("Possible match"),
}


@dataclass(frozen=True)
class ScreenedPerson:
    """A person as a provider is given them: the least that a list can be searched by."""

    name: str
    birth_year: int | None = None
    nationality: str = ""  # ISO 3166 alpha-2, or empty

    @property
    def words(self) -> str:
        """The person in a few words: name (born 1971, Nepal)."""
        about = []
        if self.birth_year:
            about.append(gettext("born %(year)s") % {"year": self.birth_year})
        if self.nationality:
            about.append(str(countries.name(self.nationality) or self.nationality))
        return f"{self.name} ({', '.join(about)})" if about else self.name


@dataclass(frozen=True)
class ScreeningHit:
    """One entry of a list that looks like one of the people given."""

    person: ScreenedPerson  # one of the people the provider was given
    list_name: str  # the list's name, as the reader should see it
    entry: str  # the entry's words, as the list gives them
    strength: str  # exact, strong or possible (engine.EXACT, STRONG, POSSIBLE)
    reference: str = ""  # the entry's number or address on the list, if any

    @property
    def strength_words(self) -> str:
        return str(STRENGTH_WORDS[self.strength])

    @property
    def reason(self) -> str:
        """The hit in a sentence, in the reader's language."""
        words = {"person": self.person.words, "entry": self.entry, "list": self.list_name}
        if self.reference:
            return gettext("%(person)s is like %(entry)s on %(list)s (%(reference)s)") % {
                **words,
                "reference": self.reference,
            }
        return gettext("%(person)s is like %(entry)s on %(list)s") % words


@runtime_checkable
class Screening(Protocol):
    """What SCREENING_PROVIDER names (built with no argument): one method."""

    def screen(self, people: Sequence[ScreenedPerson]) -> list[ScreeningHit]:
        """The hits among the people given, each naming one of them; [] if none."""
        ...


@dataclass(frozen=True)
class ScreeningResult:
    """What a page shows: whether a provider is on, its hits, or that it could not run."""

    enabled: bool = False
    hits: tuple[ScreeningHit, ...] = ()
    failed: bool = False


OFF = ScreeningResult()


def provider_path() -> str:
    return (getattr(settings, "SCREENING_PROVIDER", "") or "").strip()


def screening_enabled() -> bool:
    return bool(provider_path())


def _provider_class(path: str):
    try:
        factory = import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(
            f"SCREENING_PROVIDER = {path!r} cannot be imported ({error}). Give the dotted "
            "path of a class with a screen(people) method, or leave it empty to screen nobody."
        ) from error
    if not callable(factory):
        raise ImproperlyConfigured(
            f"SCREENING_PROVIDER = {path!r} names {type(factory).__name__}, not a class."
        )
    return factory


def load_provider() -> Screening | None:
    """The configured provider, built; None when the screening is off (nothing imported).
    Raises ImproperlyConfigured when the path names nothing, or nothing with `screen`."""
    path = provider_path()
    if not path:
        return None
    provider = _provider_class(path)()
    if not callable(getattr(provider, "screen", None)):
        raise ImproperlyConfigured(f"SCREENING_PROVIDER = {path!r} has no screen(people) method.")
    return provider


def _distinct(people: Iterable[ScreenedPerson]) -> tuple[ScreenedPerson, ...]:
    return tuple(dict.fromkeys(people))  # one director who is also an owner: screened once


def screen(people: Iterable[ScreenedPerson]) -> ScreeningResult:
    """The people screened by the configured provider. Off: no hits, nothing imported. A
    provider's error is logged and reported as `failed`, never raised."""
    if not screening_enabled():
        return OFF
    people = _distinct(people)
    try:
        provider = load_provider()
        if not people:
            return ScreeningResult(enabled=True)
        hits = list(provider.screen(people))
    except ImproperlyConfigured:
        raise
    except Exception:
        # The traceback is for the operator; the page only says the screening did not run.
        logger.exception("The screening provider %s failed.", provider_path())
        return ScreeningResult(enabled=True, failed=True)
    place = {person: position for position, person in enumerate(people)}
    if not all(
        isinstance(hit, ScreeningHit)
        and isinstance(hit.person, ScreenedPerson)
        and hit.person in place
        and hit.strength in STRENGTHS
        for hit in hits
    ):
        logger.error(
            "The screening provider %s returned something other than hits on the people "
            "it was given; nothing of it is shown.",
            provider_path(),
        )
        return ScreeningResult(enabled=True, failed=True)
    hits.sort(key=lambda hit: (STRENGTHS.index(hit.strength), place[hit.person]))
    return ScreeningResult(enabled=True, hits=tuple(hits))


def people_of(holder, *, today: date | None = None) -> tuple[ScreenedPerson, ...]:
    """The people behind an agency or an application today (their role not ended), as a
    provider is given them: one query, which reads no identity document."""
    owner = {"agency": holder} if isinstance(holder, Agency) else {"application": holder}
    today = today or timezone.localdate()
    rows = (
        RelevantPerson.objects.filter(**owner)
        .filter(Q(until__isnull=True) | Q(until__gte=today))
        .values_list("name", "birth_year", "nationality")
    )
    return _distinct(
        ScreenedPerson(name=name, birth_year=year, nationality=str(nationality or ""))
        for name, year, nationality in rows
    )


def screen_holder(holder, *, today: date | None = None) -> ScreeningResult:
    """An agency's or an application's current people screened; off: no query at all."""
    if not screening_enabled():
        return OFF
    return screen(people_of(holder, today=today))


def screening_provider_check(app_configs=None, **kwargs):
    """A system check (to register in recruiters/apps.py): the configured provider can be
    imported; it is not built, so that a check never calls an outside service."""
    from django.core.checks import Error

    path = provider_path()
    if not path:
        return []
    try:
        _provider_class(path)
    except ImproperlyConfigured as error:
        return [Error(str(error), id="recruiters.E001")]
    return []
