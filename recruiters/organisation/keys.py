"""The invitation's link: signed, so that nothing secret is stored; whether it may still
be used is the invitation's own state (accepted, withdrawn, expired)."""

from django.core import signing

from recruiters.models import Invitation

SALT = "fairrecruit.invitation"


def invitation_key(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=SALT)


def invitation_by_key(key: str) -> Invitation | None:
    """The invitation a link names (whatever its state: the page says why it is closed)."""
    try:
        pk = signing.loads(key or "", salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return Invitation.objects.select_related("agency", "employer").filter(pk=pk).first()
