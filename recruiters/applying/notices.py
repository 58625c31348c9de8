"""The e-mails of an application, in the applicant's language; the reviewers hear of a
confirmed application and of an answer, each in their own language (the application's
when they chose none)."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext

from recruiters.applying.keys import link_key
from recruiters.languages import by_language
from recruiters.models import Application, Membership, Role

logger = logging.getLogger(__name__)


def _link(application: Application) -> str:
    return f"{settings.PUBLIC_BASE_URL}/join/follow/?key={link_key(application)}"


def _applicant(application: Application, kind: str) -> tuple[str, str]:
    name = application.name
    if kind == "confirm":
        return (
            gettext("Confirm your application to fairrecruit"),
            gettext(
                "You applied for %(name)s to join the scheme. Open this link to confirm that "
                "this e-mail is yours; nothing happens before you do. The link is valid for "
                "%(days)s days:\n\n%(link)s"
            )
            % {"name": name, "days": settings.APPLICATION_LINK_DAYS, "link": _link(application)},
        )
    if kind == "confirmed":
        return (
            gettext("Your application is with the reviewers"),
            gettext(
                "The application of %(name)s is confirmed. A reviewer will read it and answer "
                "by e-mail. Follow it here:\n\n%(link)s"
            )
            % {"name": name, "link": _link(application)},
        )
    if kind == "link":
        return (
            gettext("A new link to your application"),
            gettext("Follow the application of %(name)s here:\n\n%(link)s")
            % {"name": name, "link": _link(application)},
        )
    if kind == "asked":
        return (
            gettext("A reviewer asks a question about your application"),
            gettext(
                "About the application of %(name)s:\n\n%(question)s\n\nAnswer here:\n\n%(link)s"
            )
            % {"name": name, "question": application.question, "link": _link(application)},
        )
    if kind == "accepted":
        return (
            gettext("Your application is accepted"),
            gettext(
                "%(name)s has joined the scheme. Sign in with %(email)s and the password you "
                "chose: %(url)s"
            )
            % {
                "name": name,
                "email": application.contact_email,
                "url": f"{settings.PUBLIC_BASE_URL}/accounts/login/",
            },
        )
    return (
        gettext("Your application is not accepted"),
        gettext("The application of %(name)s is not accepted. Reason: %(reason)s")
        % {"name": name, "reason": application.reason},
    )


def _reviewers(default: str) -> dict[str, list[str]]:
    """The active reviewers' e-mails by the language each reads (theirs, else `default`)."""
    rows = (
        Membership.objects.filter(role=Role.REVIEWER, is_active=True, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", "user__preferences__language")
        .distinct()
    )
    return by_language(rows, default)


def deliver(application_id: int, kind: str) -> int:
    """Send one notice; 0 when it could not be sent (logged), never an error. The
    applicant reads it in the application's language, each reviewer in theirs."""
    application = Application.objects.filter(pk=application_id).first()
    if application is None:
        return 0
    messages = []
    if kind != "replied":  # the applicant knows what they wrote
        with translation.override(application.language):
            messages.append((*_applicant(application, kind), [application.contact_email]))
    if kind in ("confirmed", "replied"):
        for language, reviewers in _reviewers(application.language).items():
            with translation.override(language):
                messages.append(
                    (
                        gettext("An application awaits a reviewer: %(name)s")
                        % {"name": application.name},
                        gettext("Read it: %(url)s")
                        % {
                            "url": f"{settings.PUBLIC_BASE_URL}/review/applications/"
                            f"{application.public_id}/"
                        },
                        reviewers,
                    )
                )
    sent = 0
    for subject, body, to in messages:
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
        except Exception:
            logger.exception("notice %s of application %s could not be sent", kind, application_id)
            continue
        sent += len(to)
    return sent


def deliver_account_exists(email: str, language: str) -> int:
    """Someone applied with an e-mail that has an account: its owner is told, and the form
    answered as for any application (so that it tells nobody which e-mails have one)."""
    with translation.override(language):
        subject = gettext("An application to fairrecruit was made with your e-mail")
        body = gettext(
            "Someone applied to join the scheme with this e-mail, which already has an "
            "account. If it was you, sign in: %(url)s. To add a colleague to your "
            "organisation, ask its administrator. If it was not you, you need do nothing."
        ) % {"url": f"{settings.PUBLIC_BASE_URL}/accounts/login/"}
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
    except Exception:
        logger.exception("notice of an application with an existing account's e-mail")
        return 0
    return 1
