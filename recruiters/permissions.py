"""Who may do what with the parties, as plain predicates.

Everything is denied unless a predicate here allows it: anonymous and inactive users,
inactive memberships and users without a matching role get False.
"""

from recruiters.models import Agency, CertificationBody, Employer, Membership, Role


def _is_active_user(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _active_memberships(user, role: Role):
    return Membership.objects.filter(user=user, role=role, is_active=True)


def is_scheme_admin(user) -> bool:
    return _is_active_user(user) and user.is_superuser


def is_reviewer(user) -> bool:
    return _is_active_user(user) and _active_memberships(user, Role.REVIEWER).exists()


def is_auditor(user, certification_body: CertificationBody | None = None) -> bool:
    if not _is_active_user(user):
        return False
    memberships = _active_memberships(user, Role.AUDITOR)
    if certification_body is not None:
        memberships = memberships.filter(certification_body=certification_body)
    return memberships.exists()


def is_lead_auditor(user, membership: Membership | None) -> bool:
    """The user is the auditor of this active auditor membership (a case's assigned auditor
    or an audit's lead auditor)."""
    return bool(
        _is_active_user(user)
        and membership is not None
        and membership.role == Role.AUDITOR
        and membership.is_active
        and membership.user_id == user.pk
    )


def is_agency_member(user, agency: Agency) -> bool:
    return (
        _is_active_user(user)
        and _active_memberships(user, Role.AGENCY_MEMBER).filter(agency=agency).exists()
    )


def is_employer_administrator(user, employer: Employer) -> bool:
    """An employer's administrators manage its API keys and webhooks."""
    return (
        _is_active_user(user)
        and _active_memberships(user, Role.EMPLOYER_MEMBER)
        .filter(employer=employer, is_administrator=True)
        .exists()
    )


def is_employer_member(user, employer: Employer) -> bool:
    return (
        _is_active_user(user)
        and _active_memberships(user, Role.EMPLOYER_MEMBER).filter(employer=employer).exists()
    )


def can_view_agency_profile(user, agency: Agency) -> bool:
    """Full profile (contacts, registration details): the agency itself and scheme staff."""
    return is_scheme_admin(user) or is_reviewer(user) or is_agency_member(user, agency)


def can_edit_agency_profile(user, agency: Agency) -> bool:
    return is_scheme_admin(user) or is_agency_member(user, agency)
