"""The applicant's links (confirm the e-mail, follow, answer): signed, so that no secret
of theirs is stored; valid APPLICATION_LINK_DAYS days."""

from django.conf import settings
from django.core import signing

from recruiters.models import Application

SALT = "fairrecruit.application"


def link_key(application: Application) -> str:
    return signing.dumps(str(application.public_id), salt=SALT)


def application_by_key(key: str) -> Application | None:
    """The application a link names, while the link is valid."""
    try:
        public_id = signing.loads(
            key or "", salt=SALT, max_age=settings.APPLICATION_LINK_DAYS * 86400
        )
    except signing.BadSignature:  # tampered, or expired (SignatureExpired is one)
        return None
    return Application.objects.filter(public_id=public_id).first()
