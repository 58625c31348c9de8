"""Role predicates: everything is denied unless a role allows it."""

import pytest
from django.contrib.auth.models import AnonymousUser

from recruiters import permissions
from tests.factories import AgencyFactory, EmployerFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_user_without_membership_is_allowed_nothing():
    user, agency, employer = UserFactory(), AgencyFactory(), EmployerFactory()

    assert not permissions.is_scheme_admin(user)
    assert not permissions.is_reviewer(user)
    assert not permissions.is_auditor(user)
    assert not permissions.is_agency_member(user, agency)
    assert not permissions.is_employer_member(user, employer)
    assert not permissions.can_view_agency_profile(user, agency)
    assert not permissions.can_edit_agency_profile(user, agency)
    assert not permissions.is_lead_auditor(user, None)


@pytest.mark.parametrize("user", [None, AnonymousUser()])
def test_anonymous_is_allowed_nothing(user):
    agency = AgencyFactory()

    assert not permissions.can_view_agency_profile(user, agency)
    assert not permissions.is_reviewer(user)


def test_agency_member_sees_and_edits_only_its_own_agency():
    member = MembershipFactory(agency_member=True)
    other = AgencyFactory()

    assert permissions.can_edit_agency_profile(member.user, member.agency)
    assert permissions.can_view_agency_profile(member.user, member.agency)
    assert not permissions.can_view_agency_profile(member.user, other)
    assert not permissions.can_edit_agency_profile(member.user, other)
    assert not permissions.is_reviewer(member.user)


def test_reviewer_sees_but_does_not_edit_agency_profiles():
    reviewer = MembershipFactory()
    agency = AgencyFactory()

    assert permissions.is_reviewer(reviewer.user)
    assert permissions.can_view_agency_profile(reviewer.user, agency)
    assert not permissions.can_edit_agency_profile(reviewer.user, agency)


def test_auditor_belongs_to_its_certification_body_only():
    auditor = MembershipFactory(auditor=True)
    other_body = MembershipFactory(auditor=True).certification_body

    assert permissions.is_auditor(auditor.user)
    assert permissions.is_auditor(auditor.user, auditor.certification_body)
    assert not permissions.is_auditor(auditor.user, other_body)
    assert not permissions.can_view_agency_profile(auditor.user, AgencyFactory())


def test_employer_member_manages_only_its_employer():
    member = MembershipFactory(employer_member=True)

    assert permissions.is_employer_member(member.user, member.employer)
    assert not permissions.is_employer_member(member.user, EmployerFactory())


def test_an_inactive_membership_or_user_loses_its_rights():
    member = MembershipFactory(agency_member=True, is_active=False)
    reviewer = MembershipFactory()
    reviewer.user.is_active = False
    reviewer.user.save()

    assert not permissions.can_edit_agency_profile(member.user, member.agency)
    assert not permissions.is_reviewer(reviewer.user)


def test_scheme_admin_is_an_active_superuser():
    admin = UserFactory(admin=True)
    agency = AgencyFactory()

    assert permissions.is_scheme_admin(admin)
    assert permissions.can_edit_agency_profile(admin, agency)
    admin.is_active = False
    assert not permissions.is_scheme_admin(admin)


def test_only_the_active_auditor_of_an_active_membership_is_its_lead_auditor():
    auditor = MembershipFactory(auditor=True)
    reviewer = MembershipFactory()

    assert permissions.is_lead_auditor(auditor.user, auditor)
    assert not permissions.is_lead_auditor(MembershipFactory(auditor=True).user, auditor)
    assert not permissions.is_lead_auditor(reviewer.user, reviewer)  # not an auditor's role
    assert not permissions.is_lead_auditor(AnonymousUser(), auditor)
    auditor.is_active = False
    assert not permissions.is_lead_auditor(auditor.user, auditor)
