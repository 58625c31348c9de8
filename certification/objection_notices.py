"""The reviewers hear of an objection to an application, each in their language; the
e-mail holds nothing of what was written (it is read on the application's page)."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext

from certification.complaint_notices import reviewers_by_language
from certification.models import ApplicationObjection

logger = logging.getLogger(__name__)


def deliver(objection_id: int) -> int:
    objection = (
        ApplicationObjection.objects.select_related("application").filter(pk=objection_id).first()
    )
    if objection is None:
        return 0
    application = objection.application
    sent = 0
    for language, to in reviewers_by_language().items():
        with translation.override(language):
            subject = gettext("[fairrecruit] An objection to the application of %(name)s") % {
                "name": application.name
            }
            body = gettext(
                "Someone objected to the application of %(name)s during its public window. "
                "Read the objection on the application's page: %(url)s"
            ) % {
                "name": application.name,
                "url": f"{settings.PUBLIC_BASE_URL}/review/applications/{application.public_id}/",
            }
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
        except Exception as error:
            logger.error("notice of objection %s not sent (%s)", objection_id, type(error).__name__)
            continue
        sent += len(to)
    return sent
