"""Applying to join the scheme (issue 18 §1, docs/onboarding.md): an application is made
whole or not at all, confirmed by a signed link sent to the applicant's e-mail before a
reviewer sees it, and decided by a reviewer: accepted (the organisation and its first
member are made), more information asked (the applicant answers through the same link),
or rejected with a reason. Every step under a row lock, logged, and told by e-mail once
it commits."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_fsm import can_proceed

from recruiters import permissions
from recruiters.applying.keys import application_by_key, link_key
from recruiters.dates import day
from recruiters.links.services import PersonEntry, detail_add, people_errors, person_add
from recruiters.models import (
    OPEN_APPLICATION_STATES,
    Agency,
    AgencyDetail,
    Application,
    ApplicationEvent,
    ApplicationKind,
    ApplicationState,
    Corridor,
    Employer,
    LinkReview,
    Membership,
    Preferences,
    RelevantPerson,
    Role,
    Sector,
    SizeBand,
    name_key,
)
from recruiters.tasks import send_account_exists_notice, send_application_notice

FIELDS = (
    "name",
    "legal_name",
    "country",
    "registration_number",
    "licence_number",
    "address",
    "phone",
    "email",
    "website",
    "size_band",
    "contact_name",
    "contact_email",
)


@dataclass(frozen=True)
class ApplicationEntry:
    """What an applicant gives, as the form or the API read it."""

    kind: str
    name: str
    country: str
    registration_number: str
    contact_name: str
    contact_email: str
    password: str
    legal_name: str = ""
    licence_number: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    size_band: str = ""
    corridors: tuple[str, ...] = ()  # "NP-QA"
    sectors: tuple[str, ...] = ()
    people: tuple[PersonEntry, ...] = field(default_factory=tuple)
    language: str = "en"


# --- Checking what is given ----------------------------------------------------------------


def _field_errors(entry: ApplicationEntry) -> dict:
    errors: dict[str, str] = {}
    agency = entry.kind == ApplicationKind.AGENCY
    if entry.kind not in ApplicationKind.values:
        errors["kind"] = gettext("Apply as an agency or as an employer.")
    for name in ("name", "registration_number", "contact_name"):
        if not getattr(entry, name).strip():
            errors[name] = gettext("This field is required.")
    if entry.country not in countries:
        errors["country"] = gettext("Choose the country where the organisation is registered.")
    try:
        validate_email(entry.contact_email)
        if len(entry.contact_email.strip()) > 150:  # it becomes the account's user name
            raise ValidationError("too long")
    except ValidationError:
        errors["contact_email"] = gettext("Enter your e-mail address, where the link will go.")
    if entry.email:
        try:
            validate_email(entry.email)
        except ValidationError:
            errors["email"] = gettext("Enter a valid e-mail address.")
    if len((entry.address or "").strip()) > 255:
        errors["address"] = gettext("An address of at most 255 characters.")
    if agency and entry.size_band not in SizeBand.values:
        errors["size_band"] = gettext("Say how many workers the agency places abroad a year.")
    if entry.language not in dict(settings.LANGUAGES):
        errors["language"] = gettext("Choose English or French.")
    known = set(Sector.objects.values_list("code", flat=True))
    unknown = sorted(set(entry.sectors) - known)
    if unknown:
        errors["sectors"] = gettext("Unknown sectors: %(codes)s") % {"codes": ", ".join(unknown)}
    for corridor in entry.corridors:
        origin, _, destination = corridor.partition("-")
        if origin not in countries or destination not in countries or origin == destination:
            errors["corridors"] = gettext(
                "A corridor is two different countries' codes joined by a hyphen, as NP-QA: "
                "%(corridor)s is not."
            ) % {"corridor": corridor}
            break
    if agency and not entry.people:
        errors["people"] = gettext(
            "Name at least one person behind the agency: a director, an owner or a "
            "nominated officer."
        )
    errors.update(people_errors(entry.people))
    if not agency and (entry.people or entry.corridors or entry.sectors):
        errors["people"] = gettext("An employer gives no people, corridors or sectors.")
    return errors


def _account_exists(email: str) -> bool:
    return (
        get_user_model()
        .objects.filter(Q(email__iexact=email.strip()) | Q(username__iexact=email.strip()))
        .exists()
    )


def _registered_errors(kind: str, country: str, number: str) -> dict:
    """An agency of the register already holds the number (the applicant is told, as the
    scheme's rules say). Applications under way are compared once an e-mail is proven."""
    if kind == ApplicationKind.AGENCY and (
        Agency.objects.annotate(number=Upper("registration_number"))
        .filter(country=country, number=number.strip().upper())
        .exists()
    ):
        return {
            "registration_number": gettext(
                "An agency with this registration number is already registered in this country."
            )
        }
    return {}


def _under_way_errors(application: Application) -> dict:
    """At confirmation (the e-mail is the applicant's): another confirmed application
    under way with the same e-mail or registration number. An unconfirmed one never
    blocks anyone: anybody can type a number or an address."""
    others = Application.objects.filter(state__in=OPEN_APPLICATION_STATES).exclude(
        pk=application.pk
    )
    if others.filter(contact_email__iexact=application.contact_email).exists():
        return {"contact_email": gettext("An application with this e-mail is under way.")}
    if (
        others.annotate(number=Upper("registration_number"))
        .filter(
            kind=application.kind,
            country=application.country,
            number=application.registration_number.strip().upper(),
        )
        .exists()
    ):
        return {
            "registration_number": gettext(
                "An application with this registration number is under way in this country."
            )
        }
    return {}


def _step(application: Application, name: str, *, actor, reason: str = "", **arguments):
    if not can_proceed(getattr(application, name)):
        raise ValidationError(
            {
                "state": gettext("This application is %(state)s: it cannot be %(step)s now.")
                % {"state": application.get_state_display().lower(), "step": STEP_WORDS[name]}
            }
        )
    source = application.state
    getattr(application, name)(**arguments)
    application.save()
    ApplicationEvent.objects.create(
        application=application,
        transition=name,
        source=source,
        target=application.state,
        actor=actor,
        reason=reason,
    )


STEP_WORDS = {
    "confirm": _("confirmed"),
    "ask": _("asked for more information"),
    "reply": _("answered"),
    "accept": _("accepted"),
    "reject": _("rejected"),
}


def _notice(application: Application, kind: str) -> None:
    transaction.on_commit(lambda: send_application_notice(application.pk, kind))


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


# --- The applicant's steps -----------------------------------------------------------------


def application_submit(entry: ApplicationEntry, *, now=None) -> Application | None:
    """An application, whole or not at all; nothing happens before its e-mail is confirmed
    by the link sent to it. Every problem is named by its field (people.1.birth_year).
    None when the e-mail already has an account: its owner is told by e-mail."""
    now = now or timezone.now()
    errors = _field_errors(entry)
    if not errors:
        errors = _registered_errors(entry.kind, entry.country, entry.registration_number)
    if "password" not in errors:
        try:
            # Compared with the account it will open (not too like its e-mail or name).
            future = get_user_model()(
                username=entry.contact_email,
                email=entry.contact_email,
                first_name=entry.contact_name,
            )
            password_validation.validate_password(entry.password or "", user=future)
        except ValidationError as refused:
            errors["password"] = " ".join(refused.messages)
    if errors:
        raise ValidationError(errors)
    password = make_password(entry.password)  # first, so that both answers take as long
    if _account_exists(entry.contact_email):
        # Not said here, which would tell anyone whose e-mail has an account: the owner
        # of the address is told by e-mail instead, and the page answers as for any other.
        email = entry.contact_email.strip().lower()
        transaction.on_commit(lambda: send_account_exists_notice(email, entry.language))
        return None
    values = {name: " ".join(str(getattr(entry, name) or "").split()) for name in FIELDS}
    values["address"] = (entry.address or "").strip()
    values["contact_email"] = values["contact_email"].lower()
    with transaction.atomic():
        application = Application.objects.create(
            kind=entry.kind,
            corridors=sorted(set(entry.corridors)),
            sectors=sorted(set(entry.sectors)),
            password=password,
            language=entry.language,
            created_at=now,
            **values,
        )
        for position, person in enumerate(entry.people):
            person_add(application, person, at=f"people.{position}")
        for kind, value in (
            ("name", application.name),
            ("name", application.legal_name),
            ("registration", application.registration_number),
            ("licence", application.licence_number),
            ("address", application.address),
            ("phone", application.phone),
            ("email_domain", application.email),
            ("email_domain", application.contact_email),
        ):
            if value:
                detail_add(application, kind, value)
        ApplicationEvent.objects.create(
            application=application, transition="submit", source="", target=application.state
        )
        _notice(application, "confirm")
    return application


def application_confirm(key: str, *, now=None) -> Application:
    """The applicant's e-mail is theirs: the application goes to the reviewers. A link
    used twice answers as the first time did."""
    application = application_by_key(key)
    if application is None:
        raise ValidationError({"key": gettext("This link is not valid, or it has expired.")})
    with transaction.atomic():
        application = _lock(application)
        if application.state == ApplicationState.AWAITING_CONFIRMATION:
            errors = _under_way_errors(application) or _registered_errors(
                application.kind, application.country, application.registration_number
            )
            if errors:
                raise ValidationError(errors)
            try:
                with transaction.atomic():
                    _step(application, "confirm", actor=None, at=now or timezone.now())
            except IntegrityError:
                # Another application with this e-mail or number was confirmed at the
                # same moment (the constraints of Application.Meta).
                raise ValidationError(
                    {
                        "registration_number": gettext(
                            "An application with this e-mail or registration number was "
                            "confirmed at the same moment: ask the scheme if it was not yours."
                        )
                    }
                ) from None
            _notice(application, "confirmed")
    return application


def application_reply(key: str, answer: str) -> Application:
    """The applicant answers the reviewer's question."""
    application = application_by_key(key)
    if application is None:
        raise ValidationError({"key": gettext("This link is not valid, or it has expired.")})
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": gettext("Write your answer to the reviewer's question.")})
    with transaction.atomic():
        application = _lock(application)
        _step(application, "reply", actor=None, reason=answer, answer=answer)
        _notice(application, "replied")
    return application


def application_link_resend(email: str) -> None:
    """A new link for the newest application of this e-mail not yet decided, sent to that
    e-mail; nothing said of whether there is one (the answer is the same either way)."""
    mine = Application.objects.filter(contact_email__iexact=(email or "").strip())
    # One under way first (a reviewer's question may wait there), else the newest unconfirmed.
    application = (
        mine.filter(state__in=OPEN_APPLICATION_STATES).order_by("-id").first()
        or mine.filter(state=ApplicationState.AWAITING_CONFIRMATION).order_by("-id").first()
    )
    if application is not None:
        kind = "confirm" if application.state == ApplicationState.AWAITING_CONFIRMATION else "link"
        send_application_notice(application.pk, kind)


# --- The reviewer's steps ------------------------------------------------------------------


def _require_reviewer(actor) -> None:
    if not permissions.is_reviewer(actor):
        raise PermissionDenied(gettext("only a reviewer may do this"))


def application_ask(*, actor, application: Application, question: str) -> Application:
    _require_reviewer(actor)
    question = (question or "").strip()
    if not question:
        raise ValidationError(
            {"question": gettext("Write the question the applicant must answer.")}
        )
    with transaction.atomic():
        application = _lock(application)
        _step(application, "ask", actor=actor, reason=question, question=question)
        _notice(application, "asked")
    return application


def application_reject(*, actor, application: Application, reason: str, now=None) -> Application:
    _require_reviewer(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": gettext("A reason is required to reject an application.")})
    with transaction.atomic():
        application = _lock(application)
        _step(
            application, "reject", actor=actor, reason=reason, why=reason, at=now or timezone.now()
        )
        Application.objects.filter(pk=application.pk).update(password="")  # no account now
        _notice(application, "rejected")
    return application


def application_accept(*, actor, application: Application, now=None) -> Application:
    """The organisation and its first member are made; the member signs in with the
    e-mail and password of the application. The people and details behind it become the
    agency's."""
    _require_reviewer(actor)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            application = _lock(application)
            if not can_proceed(application.accept):
                _step(application, "accept", actor=actor, at=now)  # names the state
            closes = objection_window_closes(application)
            if closes is not None and closes > now:
                raise ValidationError(
                    {
                        "state": gettext(
                            "Anyone may object to this application until %(day)s: accept it "
                            "after that day."
                        )
                        % {"day": day(timezone.localtime(closes).date())}
                    }
                )
            errors = _accept_errors(application)
            if errors:
                raise ValidationError(errors)
            if application.kind == ApplicationKind.AGENCY:
                organisation = _make_agency(application)
                application.agency = organisation
                role = {"role": Role.AGENCY_MEMBER, "agency": organisation}
                RelevantPerson.objects.filter(application=application).update(agency=organisation)
                AgencyDetail.objects.filter(application=application).update(agency=organisation)
            else:
                organisation = Employer.objects.create(
                    name=application.name, country=application.country
                )
                application.employer = organisation
                role = {"role": Role.EMPLOYER_MEMBER, "employer": organisation}
            user = get_user_model().objects.create(
                username=application.contact_email,
                email=application.contact_email,
                first_name=application.contact_name[:150],
                password=application.password,
            )
            # The first member administers the organisation and reads in the language
            # they applied in.
            Membership.objects.create(user=user, is_administrator=True, **role)
            Preferences.objects.create(user=user, language=application.language)
            # The matches' decisions taken on the application stay with the agency.
            if application.agency_id:
                LinkReview.objects.filter(application=application).update(agency=application.agency)
            application.password = ""  # it is the account's now
            _step(application, "accept", actor=actor, at=now)
            _notice(application, "accepted")
    except IntegrityError:
        # Taken meanwhile (another application accepted, an agency registered by staff).
        raise ValidationError(
            {
                "registration_number": gettext(
                    "An organisation with this name or registration number, or an account "
                    "with this e-mail, was registered meanwhile: ask the applicant."
                )
            }
        ) from None
    return application


def objection_window_closes(application: Application):
    """When the public may no longer object (APPLICATION_OBJECTION_DAYS after the e-mail's
    confirmation); None when there is no public window."""
    days = settings.APPLICATION_OBJECTION_DAYS
    if days <= 0 or application.confirmed_at is None:
        return None
    return application.confirmed_at + timedelta(days=days)


def objection_window_applications(now=None):
    """The applications open to objections now, oldest first (nothing when the window is
    off)."""
    days = settings.APPLICATION_OBJECTION_DAYS
    if days <= 0:
        return Application.objects.none()
    now = now or timezone.now()
    return Application.objects.filter(
        state__in=OPEN_APPLICATION_STATES, confirmed_at__gt=now - timedelta(days=days)
    ).order_by("confirmed_at", "id")


def _accept_errors(application: Application) -> dict:
    """What may have been taken since the application came: checked under its lock, each
    named by its field (a constraint would say only that something collided)."""
    errors = _registered_errors(
        application.kind, application.country, application.registration_number
    )
    if (
        application.kind == ApplicationKind.AGENCY
        and Agency.objects.filter(
            country=application.country, name_key=name_key(application.name)
        ).exists()
    ):
        errors["name"] = gettext("An agency of this country already has this name.")
    if _account_exists(application.contact_email):
        errors["contact_email"] = gettext("An account with this e-mail was made meanwhile.")
    return errors


def _make_agency(application: Application) -> Agency:
    agency = Agency(
        name=application.name,
        legal_name=application.legal_name or application.name,
        country=application.country,
        registration_number=application.registration_number,
        licence_number=application.licence_number,
        address=application.address,
        website=application.website,
        size_band=application.size_band,
    )
    agency.full_clean(exclude=["sectors"], validate_unique=False, validate_constraints=False)
    agency.save()
    agency.sectors.set(Sector.objects.filter(code__in=application.sectors))
    for corridor in application.corridors:
        origin, _, destination = corridor.partition("-")
        Corridor.objects.create(agency=agency, origin=origin, destination=destination)
    return agency


__all__ = ["application_by_key", "link_key"]  # the applicant's links, with the steps
