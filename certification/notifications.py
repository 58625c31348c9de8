"""E-mail notices to the people a transition concerns, sent after the transaction commits."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext, pgettext_lazy

from recruiters.models import Role

logger = logging.getLogger(__name__)

# transition -> who hears of it: the agency's members, the case's auditor, the reviewers.
AUDIENCE = {
    "open": {"agency"},
    "submit": {"agency", "reviewers"},
    "return_to_agency": {"agency"},
    "plan_audit": {"agency", "auditor"},
    "plan_surveillance_audit": {"agency", "auditor"},
    "start_audit": {"agency"},
    "complete_audit": {"agency", "reviewers"},
    "close_corrective_actions": {"agency", "reviewers"},
    "certify": {"agency", "auditor"},
    "refuse": {"agency", "auditor"},
    "suspend": {"agency", "reviewers"},
    "reinstate": {"agency", "reviewers"},
    "withdraw": {"agency", "reviewers"},
    "expire": {"agency"},
    "cancel": {"agency", "reviewers"},
    "corrective_action_submit": {"auditor"},
    "corrective_action_accept": {"agency"},
    "corrective_action_reject": {"agency"},
    "corrective_action_verify": {"agency"},
    "renewal_reminder": {"agency"},
}


def recipients(case, audience: set[str]) -> list[str]:
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    emails: set[str] = set()
    if "agency" in audience:
        emails |= set(
            users.filter(
                memberships__agency=case.agency_id,
                memberships__role=Role.AGENCY_MEMBER,
                memberships__is_active=True,
            ).values_list("email", flat=True)
        )
    if "auditor" in audience and case.assigned_auditor_id:
        emails |= set(
            users.filter(memberships=case.assigned_auditor_id).values_list("email", flat=True)
        )
    if "reviewers" in audience:
        emails |= set(
            users.filter(memberships__role=Role.REVIEWER, memberships__is_active=True).values_list(
                "email", flat=True
            )
        )
    return sorted(emails)


# What happened, in the notice's subject: the transition in words.
WHAT = {
    "open": pgettext_lazy("notice", "opened"),
    "submit": pgettext_lazy("notice", "submit"),
    "return_to_agency": pgettext_lazy("notice", "return to agency"),
    "plan_audit": pgettext_lazy("notice", "plan audit"),
    "plan_surveillance_audit": pgettext_lazy("notice", "plan surveillance audit"),
    "start_audit": pgettext_lazy("notice", "start audit"),
    "complete_audit": pgettext_lazy("notice", "complete audit"),
    "close_corrective_actions": pgettext_lazy("notice", "close corrective actions"),
    "certify": pgettext_lazy("notice", "certify"),
    "refuse": pgettext_lazy("notice", "refuse"),
    "suspend": pgettext_lazy("notice", "suspend"),
    "reinstate": pgettext_lazy("notice", "reinstate"),
    "withdraw": pgettext_lazy("notice", "withdraw"),
    "expire": pgettext_lazy("notice", "expire"),
    "cancel": pgettext_lazy("notice", "cancel"),
    "corrective_action_submit": pgettext_lazy("notice", "corrective action submitted"),
    "corrective_action_accept": pgettext_lazy("notice", "corrective action accepted"),
    "corrective_action_reject": pgettext_lazy("notice", "corrective action rejected"),
    "corrective_action_verify": pgettext_lazy("notice", "corrective action verified"),
    "renewal_reminder": pgettext_lazy("notice", "renewal reminder"),
}


def _state_label(state: str) -> str:
    from audits.models import AuditState, CorrectiveActionState
    from certification.models import CaseState

    for choices in (CaseState, CorrectiveActionState, AuditState):
        if state in choices.values:
            return str(choices(state).label).lower()
    return state.replace("_", " ")


def send_notice(case, transition: str, target: str, reason: str = "") -> None:
    """Called through transaction.on_commit: a failure is logged, never lost silently, and
    never undoes the committed transition. Written in the case's language."""
    audience = AUDIENCE.get(transition, {"agency"})
    to = recipients(case, audience)
    if not to:
        return
    with translation.override(case.language or settings.LANGUAGE_CODE):
        what = str(WHAT.get(transition, transition.replace("_", " ")))
        subject = gettext("[fairrecruit] %(agency)s: case %(case)s — %(what)s") % {
            "agency": case.agency.name,
            "case": case.pk,
            "what": what,
        }
        body = gettext("Case %(case)s of %(agency)s is now %(state)s.") % {
            "case": case.pk,
            "agency": case.agency.name,
            "state": _state_label(target),
        }
        if reason:
            body += "\n\n" + gettext("Reason: %(reason)s") % {"reason": reason}
        body += "\n\n" + gettext("See the case: %(url)s") % {
            "url": f"{settings.PUBLIC_BASE_URL}/cases/{case.pk}/"
        }
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    except Exception:
        logger.exception("notice of %s for case %s could not be sent", transition, case.pk)
