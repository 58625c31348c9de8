"""The link check against the register (DOMAIN.md §10): an agency's people and details
matched with those of the agencies refused, withdrawn or suspended in the last
LINK_CHECK_YEARS years. The store finds the few candidates by indexed keys (names'
skeletons with birth years, normalised details); the engine scores them
(recruiters/links/engine.py). A fixed number of queries, whatever the number of matches."""

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certification.models import TransitionEvent
from recruiters.links import engine
from recruiters.models import (
    OPEN_APPLICATION_STATES,
    Agency,
    AgencyDetail,
    Application,
    LinkReview,
    PersonKey,
)

STRENGTH_WORDS = {
    engine.EXACT: _("Exact match"),
    engine.STRONG: _("Strong match"),
    engine.POSSIBLE: _("Possible match"),
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
    def reason(self) -> str:
        return engine.reason(self.match)

    @property
    def strength_words(self) -> str:
        return str(STRENGTH_WORDS[self.match.strength])


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def outcomes(today: date | None = None) -> dict[int, tuple[str, date]]:
    """Agency id -> (refused, withdrawn or suspended; the day), within the window."""
    today = today or timezone.localdate()
    since = _years_before(today, settings.LINK_CHECK_YEARS)
    found: dict[int, tuple[str, date]] = {}
    rows = TransitionEvent.objects.filter(
        subject_type=TransitionEvent.Subject.CASE,
        transition__in=list(OUTCOMES),
        created_at__date__gte=since,
    ).values_list("case__agency_id", "transition", "created_at")
    for agency_id, transition, at in rows:
        outcome, day = OUTCOMES[transition], timezone.localdate(at)
        kept = found.get(agency_id)
        if kept is None or (WORST_FIRST.index(outcome), -day.toordinal()) < (
            WORST_FIRST.index(kept[0]),
            -kept[1].toordinal(),
        ):
            found[agency_id] = (outcome, day)
    return found


def _ref(holder) -> str:
    return f"{'agency' if isinstance(holder, Agency) else 'application'}:{holder.pk}"


def _party(holder, outcome: tuple[str, date] | None = None) -> engine.Party:
    """An agency or an application as the engine reads it, from prefetched records."""
    details = defaultdict(list)
    for detail in holder.details.all():
        details[detail.kind].append(detail)
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
                role=person.get_role_display(),
                since=person.since,
                until=person.until,
            )
            for person in holder.people.all()
        ),
        identifiers=tuple(
            (kind, detail.value)
            for kind in ("registration", "licence", "tax")
            for detail in details[kind]
        ),
        addresses=tuple(d.value for d in details["address"]),
        phones=tuple(d.value for d in details["phone"]),
        email_domains=tuple(d.value for d in details["email_domain"]),
        # Compared by their keyed hashes, shown by their last characters.
        bank_accounts=tuple(d.normalised for d in details["bank_account"]),
        outcome=outcome[0] if outcome else "",
        outcome_on=outcome[1] if outcome else None,
    )


def _with_records(queryset):
    return queryset.prefetch_related("people", "details")


@dataclass
class _Pool:
    """Whom to compare with: agencies with an outcome in the window, open applications."""

    agencies: dict[int, tuple[str, date]]
    applications: dict[int, date]

    def holds(self, agency_id, application_id) -> str | None:
        if agency_id is not None and agency_id in self.agencies:
            return f"agency:{agency_id}"
        if application_id is not None and application_id in self.applications:
            return f"application:{application_id}"
        return None


def _candidates(applicant: engine.Party, holder, pool: _Pool) -> set[str]:
    found: set[str] = set()
    key_filter, wanted = Q(), []
    for person in applicant.people:
        keys = engine.person_keys(person.name)
        if not keys:
            continue
        years = Q()
        if person.birth_year is not None:
            years = Q(birth_year__isnull=True) | Q(
                birth_year__range=(person.birth_year - 1, person.birth_year + 1)
            )
        key_filter |= Q(key__in=keys) & years
        wanted.append((keys, person.birth_year))
    if wanted:
        # The database counts the keys each person shares (with a birth year close to
        # one of the applicant's people's) and returns only those sharing enough: a few
        # rows, however common a name's words are. The engine judges them afterwards.
        least = min(min(2, len(keys)) for keys, _year in wanted)
        rows = (
            PersonKey.objects.filter(key_filter)
            .values("person_id", "person__agency_id", "person__application_id")
            .annotate(shared=Count("key", distinct=True))
            .filter(shared__gte=least)
            .values_list("person__agency_id", "person__application_id")
        )
        for agency_id, application_id in rows:
            ref = pool.holds(agency_id, application_id)
            if ref is not None:
                found.add(ref)
    pairs = Q()
    for detail in holder.details.all():
        pairs |= Q(kind=detail.kind, normalised=detail.normalised)
    if pairs:
        for agency_id, application_id in AgencyDetail.objects.filter(pairs).values_list(
            "agency_id", "application_id"
        ):
            ref = pool.holds(agency_id, application_id)
            if ref is not None:
                found.add(ref)
    # Organisation names are details too (their skeletons: kind `name`), found above.
    found.discard(_ref(holder))
    return found


def _pool(holder, today: date | None) -> _Pool:
    agencies = outcomes(today)
    open_applications = dict(
        Application.objects.filter(state__in=OPEN_APPLICATION_STATES)
        .exclude(agency__isnull=False)
        .values_list("pk", "confirmed_at")
    )
    if isinstance(holder, Agency):
        agencies.pop(holder.pk, None)
    else:
        open_applications.pop(holder.pk, None)
        if holder.agency_id:
            agencies.pop(holder.agency_id, None)
    return _Pool(
        agencies=agencies,
        applications={
            pk: timezone.localdate(at) if at else None for pk, at in open_applications.items()
        },
    )


def links_of(holder, *, today: date | None = None) -> list[Link]:
    """The matches of an agency or an application with the agencies refused, withdrawn
    and suspended in the window and with the open applications, strongest first, each
    with the newest reviewer's decision on it."""
    model = type(holder)
    holder = _with_records(model.objects.filter(pk=holder.pk)).get()
    pool = _pool(holder, today)
    if not pool.agencies and not pool.applications:
        return []
    applicant = _party(holder)
    refs = _candidates(applicant, holder, pool)
    agency_ids = [int(ref.split(":")[1]) for ref in refs if ref.startswith("agency:")]
    application_ids = [int(ref.split(":")[1]) for ref in refs if ref.startswith("application:")]
    others = {
        _ref(other): other
        for other in [
            *_with_records(Agency.objects.filter(pk__in=agency_ids)),
            *_with_records(Application.objects.filter(pk__in=application_ids)),
        ]
    }
    parties = [
        _party(
            other,
            pool.agencies[other.pk]
            if isinstance(other, Agency)
            else ("application", pool.applications[other.pk]),
        )
        for other in others.values()
    ]
    matches = engine.check(applicant, parties)
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
    for review in LinkReview.objects.filter(**subject).order_by("decided_at", "id"):
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
