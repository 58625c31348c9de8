"""Colleagues inside an agency or an employer: an administrator invites them by e-mail
with a role, changes roles and deactivates members; the organisation never loses its
last active administrator. Every change is logged (MembershipEvent)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from recruiters.dates import day
from recruiters.models import (
    Agency,
    Employer,
    Invitation,
    Membership,
    MembershipEvent,
    Preferences,
    Role,
)
from recruiters.organisation.keys import invitation_by_key
from recruiters.tasks import send_invitation_notice
from recruiters.time_zones import time_zones

EMAIL_MAX = 150  # Django's usernames, which an invited person's e-mail becomes


def _organisation_filter(organisation) -> dict:
    if isinstance(organisation, Agency):
        return {"role": Role.AGENCY_MEMBER, "agency": organisation}
    if isinstance(organisation, Employer):
        return {"role": Role.EMPLOYER_MEMBER, "employer": organisation}
    raise TypeError("an agency or an employer")


def is_administrator(user, organisation) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and Membership.objects.filter(
            user=user,
            is_active=True,
            is_administrator=True,
            **_organisation_filter(organisation),
        ).exists()
    )


def _require_administrator(actor, organisation) -> None:
    if not is_administrator(actor, organisation):
        raise PermissionDenied(gettext("Only the organisation's administrators may do this."))


def members(organisation):
    """The organisation's memberships with their people, administrators first."""
    return (
        Membership.objects.filter(**_organisation_filter(organisation))
        .select_related("user")
        .order_by("-is_active", "-is_administrator", "user__email", "id")
    )


def open_invitations(organisation, now=None):
    now = now or timezone.now()
    return (
        Invitation.objects.filter(
            **{"agency" if isinstance(organisation, Agency) else "employer": organisation},
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=now,
        )
        .select_related("invited_by")
        .order_by("-created_at")
    )


def invitation_send(
    *, actor, organisation, email: str, as_administrator: bool = False, now=None
) -> Invitation:
    """A colleague invited by e-mail. An open invitation to the same e-mail is replaced
    (its link stops working), so a lost e-mail is sent again by inviting again."""
    _require_administrator(actor, organisation)
    now = now or timezone.now()
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": gettext("Enter a valid e-mail address.")}) from None
    if len(email) > EMAIL_MAX:  # it becomes the account's username
        raise ValidationError(
            {"email": gettext("Keep it under %(count)s characters.") % {"count": EMAIL_MAX}}
        )
    if (
        members(organisation)
        .filter(is_active=True, user__email__iexact=email, user__is_active=True)
        .exists()
    ):
        raise ValidationError(
            {"email": gettext("A member of your organisation already has this e-mail.")}
        )
    where = {"agency" if isinstance(organisation, Agency) else "employer": organisation}
    with transaction.atomic():
        Invitation.objects.select_for_update().filter(
            **where, email=email, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        invitation = Invitation.objects.create(
            **where,
            email=email,
            as_administrator=bool(as_administrator),
            language=language_of(actor),
            invited_by=actor,
            expires_at=now + timedelta(days=settings.INVITATION_DAYS),
        )
        transaction.on_commit(lambda: _send_invitation(invitation.pk))
    return invitation


def _send_invitation(invitation_id: int) -> None:
    send_invitation_notice(invitation_id)


def invitation_revoke(*, actor, invitation: Invitation, now=None) -> Invitation:
    _require_administrator(actor, invitation.organisation)
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is None and invitation.revoked_at is None:
            invitation.revoked_at = now or timezone.now()
            invitation.save(update_fields=["revoked_at"])
    return invitation


def invitation_problem(invitation: Invitation | None, now=None) -> str:
    """Why an invitation cannot be used, in words; empty when it can."""
    now = now or timezone.now()
    if invitation is None:
        return gettext("This invitation link is not valid. Ask for a new invitation.")
    if invitation.accepted_at is not None:
        return gettext("This invitation was already used. Sign in instead.")
    if invitation.revoked_at is not None:
        return gettext("This invitation was withdrawn or replaced by a newer one.")
    if invitation.expires_at <= now:
        return gettext(
            "This invitation expired on %(day)s. Ask your organisation's administrator "
            "for a new one."
        ) % {"day": day(timezone.localtime(invitation.expires_at).date())}
    return ""


def account_of(email: str):
    return get_user_model().objects.filter(email__iexact=email).order_by("id").first()


def invitation_accept(
    key: str, *, user=None, name: str = "", password: str = "", now=None
) -> Membership:
    """Joins the organisation: the person signed in with the invited e-mail, or a new
    account made with the password given. Used once, under a lock of the invitation."""
    now = now or timezone.now()
    invitation = invitation_by_key(key)
    with transaction.atomic():
        if invitation is not None:
            invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        problem = invitation_problem(invitation, now)
        if not problem and not is_administrator(invitation.invited_by, invitation.organisation):
            # Whoever sent it administers the organisation no more: it is void with them.
            problem = gettext("This invitation was withdrawn or replaced by a newer one.")
        if problem:
            raise ValidationError({"key": problem})
        existing = account_of(invitation.email)
        if existing is not None:
            if user is None or not user.is_authenticated or user.pk != existing.pk:
                raise ValidationError(
                    {
                        "key": gettext(
                            "An account with %(email)s exists: sign in with it, then open "
                            "the invitation again."
                        )
                        % {"email": invitation.email}
                    }
                )
            person = existing
        else:
            if user is not None and user.is_authenticated:
                raise ValidationError(
                    {
                        "key": gettext(
                            "This invitation is for %(email)s: sign out first, then open it again."
                        )
                        % {"email": invitation.email}
                    }
                )
            person = _new_account(invitation, name, password)
        membership = _join(invitation, person)
        invitation.accepted_at = now
        invitation.accepted_by = person
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        MembershipEvent.objects.create(
            membership=membership, what=MembershipEvent.What.JOINED, actor=person
        )
    return membership


def _new_account(invitation: Invitation, name: str, password: str):
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = gettext("Enter your name.")
    model = get_user_model()
    candidate = model(username=invitation.email, email=invitation.email, first_name=name[:150])
    try:
        validate_password(password or "", user=candidate)
    except ValidationError as error:
        errors["password"] = list(error.messages)
    if errors:
        raise ValidationError(errors)
    candidate.set_password(password)
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError:  # the username taken meanwhile
        raise ValidationError(
            {"key": gettext("An account with this e-mail was made meanwhile: sign in.")}
        ) from None
    Preferences.objects.create(user=candidate, language=invitation.language)
    return candidate


def _join(invitation: Invitation, person) -> Membership:
    where = _organisation_filter(invitation.organisation)
    membership = Membership.objects.select_for_update().filter(user=person, **where).first()
    if membership is None:
        return Membership.objects.create(
            user=person, is_administrator=invitation.as_administrator, **where
        )
    membership.is_active = True
    membership.is_administrator = membership.is_administrator or invitation.as_administrator
    membership.save(update_fields=["is_active", "is_administrator"])
    return membership


def member_change(
    *, actor, membership: Membership, administrator: bool | None = None, active: bool | None = None
) -> Membership:
    """Makes a member an administrator or not, deactivates or reactivates them. The last
    active administrator stays one (the organisation would have nobody to manage it)."""
    organisation = membership.organisation
    _require_administrator(actor, organisation)
    with transaction.atomic():
        # The organisation's memberships locked together: two administrators demoting each
        # other at once leave one.
        rows = list(
            Membership.objects.select_for_update()
            .filter(**_organisation_filter(organisation))
            .order_by("id")
        )
        membership = next(row for row in rows if row.pk == membership.pk)
        # The actor's own row, read under the same lock: demoted meanwhile, refused.
        if not any(
            row.user_id == actor.pk and row.is_active and row.is_administrator for row in rows
        ):
            raise PermissionDenied(gettext("Only the organisation's administrators may do this."))
        events = []
        if administrator is not None and administrator != membership.is_administrator:
            membership.is_administrator = administrator
            events.append(
                MembershipEvent.What.MADE_ADMINISTRATOR
                if administrator
                else MembershipEvent.What.MADE_MEMBER
            )
        if active is not None and active != membership.is_active:
            membership.is_active = active
            events.append(
                MembershipEvent.What.REACTIVATED if active else MembershipEvent.What.DEACTIVATED
            )
        if not events:
            return membership
        administrators = [
            row
            for row in rows
            if (row if row.pk != membership.pk else membership).is_administrator
            and (row if row.pk != membership.pk else membership).is_active
        ]
        if not administrators:
            raise ValidationError(
                {
                    "membership": gettext(
                        "Your organisation needs at least one active administrator: make "
                        "another member an administrator first."
                    )
                }
            )
        membership.save(update_fields=["is_administrator", "is_active"])
        MembershipEvent.objects.bulk_create(
            MembershipEvent(membership=membership, what=what, actor=actor) for what in events
        )
    return membership


def language_of(user) -> str:
    """The language a person reads notices in: their choice, else the current one."""
    chosen = ""
    if user is not None and getattr(user, "pk", None):
        chosen = Preferences.objects.filter(user=user).values_list("language", flat=True).first()
    code = (chosen or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def language_set(
    *,
    user,
    language: str | None = None,
    status_alerts: bool | None = None,
    time_zone: str | None = None,
):
    """A person's choices: their language, their time zone (empty: the scheme's) and
    (employers' members) the alerts of watched agencies; what is None stays as it was."""
    if language is not None and language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": gettext("Choose one of the languages offered.")})
    if time_zone and time_zone not in time_zones():
        raise ValidationError(
            {"time_zone": gettext("Choose a time zone from the list, such as Asia/Kathmandu.")}
        )
    changes = {}
    if time_zone is not None:
        changes["time_zone"] = time_zone
    if language is not None:
        changes["language"] = language
    if status_alerts is not None:
        changes["status_alerts"] = status_alerts
    preferences, _created = Preferences.objects.update_or_create(user=user, defaults=changes)
    return preferences
