"""Colleagues inside an organisation (issue 18 §2): an administrator invites by e-mail with
a role; an invitation is used once and expires; administrators change roles and deactivate
members, never leaving the organisation without one; an employer's API keys and webhooks
are its administrators' to manage."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from recruiters.models import Invitation, Membership, MembershipEvent, Preferences
from recruiters.organisation import services
from recruiters.organisation.keys import invitation_key
from tests.dates import long_day
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long pass phrase of mine"


@pytest.fixture
def admin():
    return MembershipFactory(agency_member=True, user__email="lead@agency.example")


def _link(message) -> str:
    return re.search(r"(/join/invitation/\?key=\S+)", message.body).group(1)


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_administrator_invites_a_colleague_who_makes_an_account_and_joins(
    admin, django_capture_on_commit_callbacks
):
    page = _signed_in(admin.user)
    with django_capture_on_commit_callbacks(execute=True):
        sent = page.post(
            reverse("members"),
            {"action": "invite", "email": "Colleague@Agency.example", "role": "member"},
        )
    assert sent.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["colleague@agency.example"]
    assert message.subject == f"You are invited to join {admin.agency.name} on fairrecruit"
    assert "as a member" in message.body

    newcomer = Client()
    opened = newcomer.get(_link(message))
    assert opened.status_code == 200
    assert f"You are invited to join {admin.agency.name} as colleague@agency.example." in (
        opened.content.decode()
    )
    joined = newcomer.post(
        _link(message),
        {"name": "Mina Gurung", "password": PASSWORD, "password_again": PASSWORD},
    )
    assert joined.status_code == 302 and joined["Location"] == reverse("web:dashboard")
    membership = Membership.objects.get(user__email="colleague@agency.example")
    assert (membership.agency, membership.is_administrator, membership.is_active) == (
        admin.agency,
        False,
        True,
    )
    assert membership.user.check_password(PASSWORD)
    assert membership.user.first_name == "Mina Gurung"
    assert Preferences.objects.get(user=membership.user).language == "en"
    assert list(MembershipEvent.objects.values_list("membership", "what", "actor")) == [
        (membership.pk, "joined", membership.user.pk)
    ]
    # signed in already: the dashboard opens
    assert newcomer.get(reverse("web:dashboard")).status_code == 200

    # used once: the same link again says so and joins nobody
    again = Client().post(
        _link(message), {"name": "X", "password": PASSWORD, "password_again": PASSWORD}
    )
    assert again.status_code == 410
    assert "This invitation was already used. Sign in instead." in again.content.decode()
    assert Membership.objects.filter(agency=admin.agency).count() == 2


def test_an_expired_invitation_is_refused_with_its_day(admin):
    invitation = services.invitation_send(
        actor=admin.user, organisation=admin.agency, email="late@agency.example"
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    invitation.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.invitation_accept(invitation_key(invitation), name="Late", password=PASSWORD)
    day = long_day(timezone.localtime(invitation.expires_at).date())
    assert refused.value.message_dict == {
        "key": [
            f"This invitation expired on {day}. Ask your organisation's administrator "
            "for a new one."
        ]
    }
    page = Client().get(f"/join/invitation/?key={invitation_key(invitation)}")
    assert page.status_code == 410
    assert not Membership.objects.filter(user__email="late@agency.example").exists()


def test_a_tampered_link_is_not_an_invitation():
    page = Client().get("/join/invitation/?key=1:forged")
    assert page.status_code == 404
    assert "This invitation link is not valid." in page.content.decode()


def test_inviting_again_replaces_the_open_invitation(admin):
    first = services.invitation_send(
        actor=admin.user, organisation=admin.agency, email="twice@agency.example"
    )
    second = services.invitation_send(
        actor=admin.user,
        organisation=admin.agency,
        email="twice@agency.example",
        as_administrator=True,
    )
    first.refresh_from_db()
    assert first.revoked_at is not None and second.revoked_at is None
    with pytest.raises(ValidationError) as refused:
        services.invitation_accept(invitation_key(first), name="T", password=PASSWORD)
    assert refused.value.message_dict["key"] == [
        "This invitation was withdrawn or replaced by a newer one."
    ]
    membership = services.invitation_accept(invitation_key(second), name="T", password=PASSWORD)
    assert membership.is_administrator is True


def test_an_existing_account_joins_only_signed_in_as_itself(admin):
    other_agency_member = MembershipFactory(agency_member=True, user__email="known@agency.example")
    invitation = services.invitation_send(
        actor=admin.user, organisation=admin.agency, email="known@agency.example"
    )
    key = invitation_key(invitation)
    anonymous = Client().get(f"/join/invitation/?key={key}")
    assert "An account with this e-mail exists: sign in with it to accept." in (
        anonymous.content.decode()
    )
    with pytest.raises(ValidationError):
        services.invitation_accept(key, user=admin.user)  # somebody else signed in
    joined = _signed_in(other_agency_member.user).post("/join/invitation/", {"key": key})
    assert joined.status_code == 302
    assert Membership.objects.filter(
        user=other_agency_member.user, agency=admin.agency, is_active=True
    ).exists()
    # and they keep their first agency
    assert Membership.objects.filter(
        user=other_agency_member.user, agency=other_agency_member.agency
    ).exists()


def test_bad_invitations_are_refused_beside_the_field(admin):
    page = _signed_in(admin.user)
    bad = page.post(reverse("members"), {"action": "invite", "email": "not-an-email"})
    assert bad.status_code == 400
    assert bad.context["form"].errors["email"] == ["Enter a valid email address."]
    member_already = page.post(
        reverse("members"),
        {"action": "invite", "email": "LEAD@agency.example", "role": "member"},
    )
    assert member_already.status_code == 400
    assert member_already.context["form"].errors["email"] == [
        "A member of your organisation already has this e-mail."
    ]
    assert not Invitation.objects.exists()


def test_a_weak_password_is_refused_and_nothing_is_made(admin):
    invitation = services.invitation_send(
        actor=admin.user, organisation=admin.agency, email="weak@agency.example"
    )
    answer = Client().post(
        f"/join/invitation/?key={invitation_key(invitation)}",
        {"name": "Weak", "password": "123", "password_again": "123"},
    )
    assert answer.status_code == 400
    assert answer.context["form"].errors["password"][0].startswith("This password is too short")
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not Membership.objects.filter(user__email="weak@agency.example").exists()


def test_only_administrators_invite_and_change_roles(admin):
    member = MembershipFactory(agency_member=True, agency=admin.agency, is_administrator=False)
    with pytest.raises(PermissionDenied):
        services.invitation_send(
            actor=member.user, organisation=admin.agency, email="x@agency.example"
        )
    with pytest.raises(PermissionDenied):
        services.member_change(actor=member.user, membership=admin, administrator=False)
    page = _signed_in(member.user)
    listing = page.get(reverse("members"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "lead@agency.example" in html and 'name="action"' not in html
    refused = page.post(reverse("members"), {"action": "deactivate", "membership": str(admin.pk)})
    assert refused.status_code == 403
    admin.refresh_from_db()
    assert admin.is_active is True
    # a member of another agency does not see this one's people
    outsider = MembershipFactory(agency_member=True)
    assert (
        _signed_in(outsider.user)
        .get(reverse("members") + f"?agency={admin.agency.public_id}")
        .status_code
        == 404
    )


def test_roles_change_and_the_last_administrator_stays(admin):
    member = MembershipFactory(agency_member=True, agency=admin.agency, is_administrator=False)
    page = _signed_in(admin.user)
    with pytest.raises(ValidationError) as refused:
        services.member_change(actor=admin.user, membership=admin, administrator=False)
    assert refused.value.message_dict["membership"] == [
        "Your organisation needs at least one active administrator: make another member an "
        "administrator first."
    ]
    alone = page.post(reverse("members"), {"action": "deactivate", "membership": str(admin.pk)})
    assert alone.status_code == 302
    admin.refresh_from_db()
    assert admin.is_active is True

    page.post(reverse("members"), {"action": "make_administrator", "membership": str(member.pk)})
    page.post(reverse("members"), {"action": "make_member", "membership": str(admin.pk)})
    member.refresh_from_db()
    admin.refresh_from_db()
    assert (member.is_administrator, admin.is_administrator) == (True, False)

    now_admin = _signed_in(member.user)
    now_admin.post(reverse("members"), {"action": "deactivate", "membership": str(admin.pk)})
    admin.refresh_from_db()
    assert admin.is_active is False
    # a deactivated member acts for the agency no more
    assert _signed_in(admin.user).get(reverse("members")).status_code == 404
    assert list(
        MembershipEvent.objects.order_by("id").values_list("membership", "what", "actor")
    ) == [
        (member.pk, "made_administrator", admin.user.pk),
        (admin.pk, "made_member", admin.user.pk),
        (admin.pk, "deactivated", member.user.pk),
    ]


def test_an_administrator_withdraws_an_invitation(admin):
    invitation = services.invitation_send(
        actor=admin.user, organisation=admin.agency, email="gone@agency.example"
    )
    page = _signed_in(admin.user)
    assert "gone@agency.example" in page.get(reverse("members")).content.decode()
    page.post(reverse("members"), {"action": "withdraw", "invitation": str(invitation.pk)})
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert "gone@agency.example" not in page.get(reverse("members")).content.decode()


def test_employer_keys_and_webhooks_are_the_administrators(db):
    administrator = MembershipFactory(employer_member=True)
    member = MembershipFactory(
        employer_member=True, employer=administrator.employer, is_administrator=False
    )
    page = _signed_in(member.user)
    for url in (reverse("web:api-keys"), reverse("web:webhooks")):
        refused = page.get(url)
        assert refused.status_code == 403
        assert "administrators manage its webhooks and API keys." in refused.content.decode()
        assert _signed_in(administrator.user).get(url).status_code == 200
    api = APIClient()
    api.force_authenticate(member.user)
    answer = api.post(
        "/api/v1/employer-keys/",
        {"employer": str(administrator.employer.public_id), "name": "erp"},
        format="json",
    )
    assert answer.status_code == 403
    assert answer.json()["errors"][0]["detail"] == (
        "Only the employer's administrators manage its API keys."
    )
    api.force_authenticate(administrator.user)
    assert (
        api.post(
            "/api/v1/employer-keys/",
            {"employer": str(administrator.employer.public_id), "name": "erp"},
            format="json",
        ).status_code
        == 201
    )


def test_a_new_user_without_membership_has_no_colleagues_page():
    assert _signed_in(UserFactory()).get(reverse("members")).status_code == 404


def test_an_invitation_of_an_administrator_removed_since_is_void(admin):
    other = MembershipFactory(agency_member=True, agency=admin.agency)  # an administrator
    invitation = services.invitation_send(
        actor=other.user, organisation=admin.agency, email="friend@agency.example"
    )
    services.member_change(actor=admin.user, membership=other, active=False)
    with pytest.raises(ValidationError) as refused:
        services.invitation_accept(invitation_key(invitation), name="F", password=PASSWORD)
    assert refused.value.message_dict["key"] == [
        "This invitation was withdrawn or replaced by a newer one."
    ]
    assert not Membership.objects.filter(user__email="friend@agency.example").exists()


def test_an_e_mail_too_long_for_an_account_is_refused(admin):
    long_email = "a" * 140 + "@agency.example"
    with pytest.raises(ValidationError) as refused:
        services.invitation_send(actor=admin.user, organisation=admin.agency, email=long_email)
    assert refused.value.message_dict == {"email": ["Keep it under 150 characters."]}
