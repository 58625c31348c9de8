"""E-mail notices to the people a transition concerns, sent after the transaction commits."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail

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


def send_notice(case, transition: str, target: str, reason: str = "") -> None:
    """Called through transaction.on_commit: a failure is logged, never lost silently, and
    never undoes the committed transition."""
    audience = AUDIENCE.get(transition, {"agency"})
    to = recipients(case, audience)
    if not to:
        return
    subject = f"[fairrecruit] {case.agency.name}: case {case.pk} — {transition.replace('_', ' ')}"
    body = f"Case {case.pk} of {case.agency.name} is now {target.replace('_', ' ')}."
    if reason:
        body += f"\n\nReason: {reason}"
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    except Exception:
        logger.exception("notice of %s for case %s could not be sent", transition, case.pk)
