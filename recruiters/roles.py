"""Who the signed-in person is, for the web pages: their active memberships, read once
per request (one query) and kept on the request."""

from dataclasses import dataclass, field

from recruiters.models import Membership, Role


@dataclass
class Roles:
    """The signed-in person's active memberships, read once per request (one query)."""

    agencies: list = field(default_factory=list)
    employer: object = None
    auditor_memberships: list = field(default_factory=list)
    is_reviewer: bool = False
    # Inside their organisation: administrators invite colleagues and change roles; an
    # employer's manage its API keys and webhooks.
    employer_administrator: bool = False
    administered_agency_ids: set = field(default_factory=set)

    @property
    def is_auditor(self) -> bool:
        return bool(self.auditor_memberships)

    @property
    def is_agency_member(self) -> bool:
        return bool(self.agencies)


def roles_of(request) -> Roles:
    """The request's person's roles; nobody's for an anonymous or inactive user."""
    if hasattr(request, "_fairrecruit_roles"):
        return request._fairrecruit_roles
    roles = Roles()
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_active:
        for membership in Membership.objects.filter(user=user, is_active=True).select_related(
            "agency", "employer", "certification_body"
        ):
            if membership.role == Role.AGENCY_MEMBER:
                roles.agencies.append(membership.agency)
                if membership.is_administrator:
                    roles.administered_agency_ids.add(membership.agency_id)
            elif membership.role == Role.EMPLOYER_MEMBER and roles.employer is None:
                roles.employer = membership.employer
                roles.employer_administrator = membership.is_administrator
            elif membership.role == Role.AUDITOR:
                roles.auditor_memberships.append(membership)
            elif membership.role == Role.REVIEWER:
                roles.is_reviewer = True
    request._fairrecruit_roles = roles
    return roles
