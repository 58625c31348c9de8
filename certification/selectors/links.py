"""The link check against the register (DOMAIN.md §10): an agency's or an application's
people and details matched with those of the agencies refused, withdrawn or suspended, and
the applications rejected, in the last LINK_CHECK_YEARS years, and with the applications
under way. The store finds the few candidates by indexed keys (names' skeletons with birth
years, identity documents' hashes, normalised details), in the database and within that
pool only; the engine scores them (recruiters/links/engine.py). A fixed number of queries
for each person given, whatever the number of matches."""

from dataclasses import dataclass, replace
from datetime import date

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from certification.models import TransitionEvent
from recruiters.dates import day
from recruiters.links import engine
from recruiters.models import (
    OPEN_APPLICATION_STATES,
    Agency,
    AgencyDetail,
    Application,
    ApplicationState,
    LinkReview,
    PersonKey,
    RelevantPerson,
)

STRENGTH_WORDS = {
    engine.EXACT: _("Exact match"),
    engine.STRONG: _("Strong match"),
    engine.POSSIBLE: _("Possible match"),
}
KIND_WORDS = {
    "organisation": _("The name"),
    "identifier": _("The number"),
    "registration": _("The registration number"),
    "licence": _("The licence number"),
    "tax": _("The tax number"),
    "address": _("The address"),
    "phone": _("The phone"),
    "email_domain": _("The e-mail domain"),
    "bank_account": _("The bank account"),
}
OUTCOME_WORDS = {
    "withdrawn": pgettext_lazy("link check", "withdrawn"),
    "refused": pgettext_lazy("link check", "refused"),
    "suspended": pgettext_lazy("link check", "suspended"),
    "application": pgettext_lazy("link check", "applying"),
}
# What befell an agency, by its case's transition; the worst in the window is shown.
OUTCOMES = {"withdraw": "withdrawn", "refuse": "refused", "suspend": "suspended"}
WORST_FIRST = ("withdrawn", "refused", "suspended")


@dataclass(frozen=True)
class Link:
    """One match, with the other agency (or application) and the newest decision on it."""

    match: engine.Match
    other: Agency | Application
    review: LinkReview | None

    @property
    def other_is_application(self) -> bool:
        return isinstance(self.other, Application)

    @property
    def strength_words(self) -> str:
        return str(STRENGTH_WORDS[self.match.strength])

    @property
    def reason(self) -> str:
        """The match in a sentence, in the reader's language."""
        match = self.match
        words = {
            "mine": match.mine,
            "theirs": match.theirs,
            "other": match.other_name,
            "outcome": OUTCOME_WORDS.get(match.outcome, match.outcome),
            "day": day(match.outcome_on),
            "detail": match.detail,
            "strength": str(STRENGTH_WORDS[match.strength]).lower(),
            "score": match.score,
        }
        if match.kind == "person":
            return (
                gettext(
                    "%(mine)s is like %(theirs)s (%(detail)s) of %(other)s (%(outcome)s "
                    "%(day)s): %(strength)s, %(score)s out of 100"
                )
                % words
            )
        if match.kind == "identity_document":
            return (
                gettext(
                    "%(mine)s has the identity document of %(theirs)s (%(detail)s) of %(other)s "
                    "(%(outcome)s %(day)s)"
                )
                % words
            )
        kind = match.detail if match.kind == "identifier" else match.kind  # which number
        return gettext("%(kind)s %(mine)s is that of %(other)s (%(outcome)s %(day)s)") % {
            **words,
            "kind": KIND_WORDS.get(kind, KIND_WORDS.get(match.kind, match.kind)),
        }


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _window(today: date | None) -> date:
    return _years_before(today or timezone.localdate(), settings.LINK_CHECK_YEARS)


def _outcome_events(today: date | None):
    return TransitionEvent.objects.filter(
        subject_type=TransitionEvent.Subject.CASE,
        transition__in=list(OUTCOMES),
        created_at__date__gte=_window(today),
    )


def outcomes(today: date | None = None) -> dict[int, tuple[str, date]]:
    """Agency id -> (refused, withdrawn or suspended; the day), within the window."""
    found: dict[int, tuple[str, date]] = {}
    rows = _outcome_events(today).values_list("case__agency_id", "transition", "created_at")
    for agency_id, transition, at in rows:
        outcome, day = OUTCOMES[transition], timezone.localdate(at)
        kept = found.get(agency_id)
        if kept is None or (WORST_FIRST.index(outcome), -day.toordinal()) < (
            WORST_FIRST.index(kept[0]),
            -kept[1].toordinal(),
        ):
            found[agency_id] = (outcome, day)
    return found


def _applications_in_pool(today: date | None):
    """Applications under way (confirmed), and those rejected within the window: a
    rejection at the door is a refusal too."""
    return Application.objects.filter(
        Q(state__in=OPEN_APPLICATION_STATES)
        | Q(state=ApplicationState.REJECTED, decided_at__date__gte=_window(today))
    )


def _ref(holder) -> str:
    return f"{'agency' if isinstance(holder, Agency) else 'application'}:{holder.pk}"


def _label(person: RelevantPerson) -> str:
    """How a reason describes a person: role, birth year, nationality, period."""
    parts = [str(person.get_role_display())]
    if person.birth_year:
        parts.append(gettext("born %(year)s") % {"year": person.birth_year})
    if person.nationality:
        parts.append(str(person.nationality.name))
    if person.since or person.until:
        parts.append(
            gettext("%(start)s to %(end)s")
            % {
                "start": day(person.since) or "…",
                "end": day(person.until) or gettext("now"),
            }
        )
    return ", ".join(parts)


def _party(holder, outcome: tuple[str, date | None] | None = None) -> engine.Party:
    """An agency or an application as the engine reads it, from prefetched records."""
    details: dict[str, list] = {}
    for detail in holder.details.all():
        details.setdefault(detail.kind, []).append(detail)
    return engine.Party(
        ref=_ref(holder),
        name=holder.name,
        legal_name=holder.legal_name,
        country=holder.country.code,
        people=tuple(
            engine.Person(
                name=person.name,
                birth_year=person.birth_year,
                nationality=person.nationality.code if person.nationality else "",
                role=person.role,
                since=person.since,
                until=person.until,
                document=person.identity_document_hash,
                label=_label(person),
            )
            for person in holder.people.all()
        ),
        identifiers=tuple(
            (kind, detail.value)
            for kind in ("registration", "licence", "tax")
            for detail in details.get(kind, ())
        ),
        addresses=tuple(d.value for d in details.get("address", ())),
        phones=tuple(d.value for d in details.get("phone", ())),
        email_domains=tuple(d.value for d in details.get("email_domain", ())),
        # Compared by their keyed hashes, shown by their last characters.
        bank_accounts=tuple(d.normalised for d in details.get("bank_account", ())),
        outcome=outcome[0] if outcome else "",
        outcome_on=outcome[1] if outcome else None,
    )


def _with_records(queryset):
    return queryset.prefetch_related("people", "details")


def _in_pool(prefix: str, today: date | None) -> Q:
    """Rows (of people, details) held by an agency or application of the pool, as SQL."""
    agencies = _outcome_events(today).values("case__agency_id")
    applications = _applications_in_pool(today).values("pk")
    return Q(**{f"{prefix}agency_id__in": agencies}) | Q(
        **{f"{prefix}application_id__in": applications, f"{prefix}agency__isnull": True}
    )


def _holders(rows) -> set[str]:
    return {
        f"agency:{agency_id}" if agency_id else f"application:{application_id}"
        for agency_id, application_id in rows
    }


def _candidates(holder, today: date | None) -> set[str]:
    found: set[str] = set()
    for person in holder.people.all():
        keys = engine.person_keys(person.name)
        if keys:
            # The database counts the keys each person of the pool shares (born within a
            # year, when both years are known) and returns only those sharing enough.
            years = Q()
            if person.birth_year is not None:
                years = Q(birth_year__isnull=True) | Q(
                    birth_year__range=(person.birth_year - 1, person.birth_year + 1)
                )
            rows = (
                PersonKey.objects.filter(Q(key__in=keys) & years & _in_pool("person__", today))
                .values("person_id", "person__agency_id", "person__application_id")
                .annotate(shared=Count("key", distinct=True))
                .filter(shared__gte=min(2, len(keys)))
                .values_list("person__agency_id", "person__application_id")
            )
            found |= _holders(rows)
    documents = [p.identity_document_hash for p in holder.people.all() if p.identity_document_hash]
    if documents:
        found |= _holders(
            RelevantPerson.objects.filter(
                Q(identity_document_hash__in=documents) & _in_pool("", today)
            ).values_list("agency_id", "application_id")
        )
    pairs = Q()
    for detail in holder.details.all():
        pairs |= Q(kind=detail.kind, normalised=detail.normalised)
    if pairs:
        found |= _holders(
            AgencyDetail.objects.filter(pairs & _in_pool("", today)).values_list(
                "agency_id", "application_id"
            )
        )
    found.discard(_ref(holder))
    if isinstance(holder, Application) and holder.agency_id:
        found.discard(f"agency:{holder.agency_id}")
    return found


def links_of(holder, *, today: date | None = None) -> list[Link]:
    """The matches of an agency or an application with the pool, strongest first, each
    with the newest reviewer's decision on it."""
    model = type(holder)
    holder = _with_records(model.objects.filter(pk=holder.pk)).get()
    refs = _candidates(holder, today)
    if not refs:
        return []
    agency_ids = [int(ref.split(":")[1]) for ref in refs if ref.startswith("agency:")]
    application_ids = [int(ref.split(":")[1]) for ref in refs if ref.startswith("application:")]
    agency_outcomes = outcomes(today) if agency_ids else {}
    others = {
        _ref(other): other
        for other in [
            *_with_records(Agency.objects.filter(pk__in=agency_ids)),
            *_with_records(Application.objects.filter(pk__in=application_ids)),
        ]
    }

    def outcome_of(other):
        if isinstance(other, Agency):
            return agency_outcomes.get(other.pk)
        if other.state == ApplicationState.REJECTED:
            return ("refused", timezone.localdate(other.decided_at))
        return (
            "application",
            timezone.localdate(other.confirmed_at) if other.confirmed_at else None,
        )

    matches = engine.check(
        _party(holder), [_party(other, outcome_of(other)) for other in others.values()]
    )
    # Bank accounts were compared by their hashes; shown by their last characters.
    shown = {
        detail.normalised: detail.value
        for record in (holder, *others.values())
        for detail in record.details.all()
        if detail.kind == "bank_account"
    }
    matches = [
        replace(match, mine=shown[match.mine], theirs=shown[match.theirs])
        if match.kind == "bank_account"
        else match
        for match in matches
    ]
    subject = {"agency": holder} if isinstance(holder, Agency) else {"application": holder}
    reviews = {}
    for review in (
        LinkReview.objects.filter(**subject)
        .select_related("decided_by")
        .order_by("decided_at", "id")
    ):
        other_ref = (
            f"agency:{review.other_id}"
            if review.other_id
            else f"application:{review.other_application_id}"
        )
        reviews[(other_ref, review.kind, review.mine, review.theirs)] = review  # newest last
    return [
        Link(
            match=match,
            other=others[match.other],
            review=reviews.get((match.other, match.kind, match.mine, match.theirs)),
        )
        for match in matches
    ]


def agency_links(agency: Agency, *, today: date | None = None) -> list[Link]:
    return links_of(agency, today=today)


def application_links(application: Application, *, today: date | None = None) -> list[Link]:
    return links_of(application, today=today)
