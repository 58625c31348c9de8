"""Two-factor sign-in (issue 18 §2): required of reviewers, auditors and staff, optional for
the others; set up with an authenticator app and ten recovery codes; asked after the
password on the web and with it at the API's token endpoint; wrong codes throttled and
counted as failed sign-ins."""

import re
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from recruiters import two_factor
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long pass phrase of mine"


@pytest.fixture(autouse=True)
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


def _person(**membership):
    user = UserFactory(username=f"person{time.monotonic_ns()}")
    user.set_password(PASSWORD)
    user.save()
    if membership:
        MembershipFactory(user=user, **membership)
    return user


def code_of(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the app shows now (or `steps_ahead` periods of 30 s later: a code is taken
    once, and the device accepts the next period's too)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def _other_than(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def _enrolled(user) -> TOTPDevice:
    device = two_factor.enrolment_device(user)
    assert two_factor.enrol_confirm(user, device, code_of(device)) is not None
    device.refresh_from_db()
    return device


def _password(client, user, next_url=""):
    data = {"username": user.username, "password": PASSWORD}
    url = reverse("login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, data)


def test_a_reviewer_without_a_second_factor_sets_it_up_before_anything_else():
    reviewer = _person()  # MembershipFactory makes a reviewer by default
    MembershipFactory(user=reviewer)
    client = Client()
    signed = _password(client, reviewer)
    assert signed.status_code == 302
    queue = client.get(reverse("web:review-queue"))
    assert queue.status_code == 302
    assert queue["Location"] == "/accounts/two-factor/?next=%2Freview%2F"
    page = client.get(queue["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert "Your role needs a second factor: set it up to continue." in html
    assert "<svg" in html and 'id="totp-key"' in html
    device = TOTPDevice.objects.get(user=reviewer, confirmed=False)

    wrong = client.post(
        queue["Location"], {"code": "000000" if code_of(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 400
    assert wrong.context["form"].errors["code"] == [
        "Wrong code. Check your device's clock and try again."
    ]
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)  # no wait

    right = client.post(queue["Location"], {"code": code_of(device), "next": "/review/"})
    assert right.status_code == 200
    codes = right.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in right.content.decode() for code in codes)
    assert client.get(reverse("web:review-queue")).status_code == 200


def test_with_an_authenticator_the_code_is_asked_after_the_password():
    reviewer = _person()
    MembershipFactory(user=reviewer)
    device = _enrolled(reviewer)
    client = Client()
    first = _password(client, reviewer, next_url="/review/")
    assert first.status_code == 302
    assert first["Location"] == "/accounts/login/code/?next=%2Freview%2F"
    # the password alone signs nobody in
    assert client.get(reverse("web:review-queue"))["Location"].startswith("/accounts/login/")

    wrong = client.post(first["Location"], {"code": _other_than(code_of(device))})
    assert wrong.status_code == 400
    assert wrong.context["form"].errors["code"] == [
        "Wrong or expired code. Wait for the next one and try again."
    ]
    # django-otp makes the device wait after a wrong code: the right one is refused now...
    throttled = client.post(first["Location"], {"code": code_of(device, 1)})
    assert throttled.status_code == 400
    # ...and taken once the wait is over
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(minutes=5)
    )
    right = client.post(first["Location"], {"code": code_of(device, 1), "next": "/review/"})
    assert right.status_code == 302 and right["Location"] == "/review/"
    assert client.get(reverse("web:review-queue")).status_code == 200


def test_a_recovery_code_signs_in_once():
    auditor = _person(auditor=True)
    _enrolled(auditor)
    codes = two_factor.recovery_codes_renew(auditor)
    client = Client()
    _password(client, auditor)
    assert client.post(reverse("login-code"), {"code": codes[0].upper()}).status_code == 302
    assert two_factor.recovery_codes_left(auditor) == 9
    again = Client()
    _password(again, auditor)
    assert again.post(reverse("login-code"), {"code": codes[0]}).status_code == 400


def test_too_many_wrong_codes_ask_for_the_password_again_and_count_as_failed_sign_ins(
    settings,
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's own wait, tested above
    settings.TWO_FACTOR_MAX_TRIES = 3  # under django-axes' limit of 5, which locks out
    reviewer = _person()
    MembershipFactory(user=reviewer)
    _enrolled(reviewer)
    client = Client()
    _password(client, reviewer)
    for _ in range(settings.TWO_FACTOR_MAX_TRIES - 1):
        assert client.post(reverse("login-code"), {"code": "999999x"}).status_code == 400
    last = client.post(reverse("login-code"), {"code": "999999x"})
    assert last.status_code == 302 and last["Location"] == reverse("login")
    assert client.get(reverse("login-code"))["Location"] == reverse("login")
    attempt = AccessAttempt.objects.get(username=reviewer.username)
    assert attempt.failures_since_start == settings.TWO_FACTOR_MAX_TRIES


def test_the_api_token_endpoint_honours_the_second_factor():
    api = APIClient()
    url = reverse("api:token-create")
    reviewer = _person()
    MembershipFactory(user=reviewer)
    refused = api.post(url, {"username": reviewer.username, "password": PASSWORD}, format="json")
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["detail"].startswith(
        "Your role needs two-factor sign-in: set it up on the web first"
    )

    device = _enrolled(reviewer)
    missing = api.post(url, {"username": reviewer.username, "password": PASSWORD}, format="json")
    assert missing.status_code == 400
    assert missing.json()["errors"][0] == {
        "code": "invalid",
        "detail": "Give the code of your authenticator app (or a recovery code).",
        "attr": "otp_token",
    }
    wrong = api.post(
        url,
        {"username": reviewer.username, "password": PASSWORD, "otp_token": "000000x"},
        format="json",
    )
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["attr"] == "otp_token"
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    issued = api.post(
        url,
        {"username": reviewer.username, "password": PASSWORD, "otp_token": code_of(device, 1)},
        format="json",
    )
    assert issued.status_code == 201 and issued.json()["token"]


def test_two_factor_is_optional_for_agency_members_and_may_be_turned_off():
    member = _person(agency_member=True)
    client = Client()
    assert _password(client, member)["Location"] == reverse("web:dashboard")
    assert client.get(reverse("web:dashboard")).status_code == 200
    token = APIClient().post(
        reverse("api:token-create"),
        {"username": member.username, "password": PASSWORD},
        format="json",
    )
    assert token.status_code == 201

    device = two_factor.enrolment_device(member)
    client.post(reverse("two-factor"), {"code": code_of(device)})
    assert two_factor.has_two_factor(member)
    on = client.get(reverse("two-factor"))
    assert "Two-factor sign-in is on." in on.content.decode()
    assert "10 recovery codes left." in on.content.decode()
    client.post(reverse("two-factor"), {"action": "remove"})
    assert not two_factor.has_two_factor(member)


def test_a_reviewer_may_not_turn_it_off():
    reviewer = _person()
    MembershipFactory(user=reviewer)
    device = _enrolled(reviewer)
    client = Client()
    _password(client, reviewer)
    client.post(reverse("login-code"), {"code": code_of(device, 1)})
    page = client.get(reverse("two-factor"))
    assert 'value="remove"' not in page.content.decode()
    client.post(reverse("two-factor"), {"action": "remove"})
    assert two_factor.has_two_factor(reviewer)


def test_a_session_without_the_second_factor_opens_neither_pages_nor_the_api():
    reviewer = _person()
    MembershipFactory(user=reviewer)
    _enrolled(reviewer)
    client = Client()
    client.force_login(reviewer)  # as a session from before the rule would be
    page = client.get(reverse("web:review-queue"))
    assert page["Location"] == "/accounts/two-factor/?next=%2Freview%2F"
    confirm = client.get(page["Location"])
    assert "Give the code of your authenticator app" in confirm.content.decode()
    api = client.get("/api/v1/review-queue/")
    assert api.status_code == 403
    assert api.json()["errors"][0]["code"] == "two_factor_required"


def test_staff_need_it_too_and_the_setting_turns_it_off(settings):
    staff = _person()
    staff.is_staff = True
    staff.save()
    assert two_factor.requires_two_factor(staff)
    assert not two_factor.requires_two_factor(_person(agency_member=True))
    settings.TWO_FACTOR_REQUIRED = False
    assert not two_factor.requires_two_factor(staff)


def test_the_key_on_the_enrolment_page_is_the_device_s():
    member = _person(agency_member=True)
    client = Client()
    client.force_login(member)
    html = client.get(reverse("two-factor")).content.decode()
    shown = re.search(r'id="totp-key">([A-Z2-7 ]+)<', html).group(1)
    device = TOTPDevice.objects.get(user=member)
    assert shown == two_factor.secret_words(device)
    assert "".join(shown.split()) == two_factor.base64.b32encode(device.bin_key).decode().rstrip(
        "="
    )


def test_the_admin_signs_in_through_the_site_and_asks_for_the_code():
    staff = _person()
    staff.is_staff = staff.is_superuser = True
    staff.save()
    device = _enrolled(staff)
    client = Client()
    page = client.get("/admin/login/?next=/admin/recruiters/")
    assert page.status_code == 200 and "admin/css/base" in page.content.decode()
    signed = client.post(
        "/admin/login/?next=/admin/recruiters/",
        {"username": staff.username, "password": PASSWORD, "next": "/admin/recruiters/"},
    )
    assert signed["Location"] == "/accounts/login/code/?next=%2Fadmin%2Frecruiters%2F"
    assert "_auth_user_id" not in client.session  # the password alone signs nobody in
    done = client.post(
        signed["Location"], {"code": code_of(device, 1), "next": "/admin/recruiters/"}
    )
    assert done["Location"] == "/admin/recruiters/"
    assert client.get("/admin/recruiters/").status_code == 200


def test_a_staff_session_without_the_code_opens_no_admin_page():
    staff = _person()
    staff.is_staff = staff.is_superuser = True
    staff.save()
    device = _enrolled(staff)
    client = Client()
    client.force_login(staff)  # as a session from before the rule would be
    assert client.get("/admin/")["Location"] == "/accounts/two-factor/?next=%2Fadmin%2F"
    client.post("/accounts/two-factor/", {"code": code_of(device, 1)})
    assert client.get("/admin/").status_code == 200


def test_the_admin_never_shows_a_device_s_key(settings):
    staff = _person()
    staff.is_staff = staff.is_superuser = True
    staff.save()
    device = _enrolled(staff)
    settings.TWO_FACTOR_REQUIRED = False  # this page only, signed in without the code
    client = Client()
    client.force_login(staff)
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert page.status_code == 200
    assert device.key not in page.content.decode()


def test_a_foreign_next_is_not_followed_after_the_code():
    reviewer = _person()
    MembershipFactory(user=reviewer)
    device = _enrolled(reviewer)
    client = Client()
    _password(client, reviewer)
    answer = client.post(
        reverse("login-code"), {"code": code_of(device, 1), "next": "https://evil.example/"}
    )
    assert answer["Location"] == reverse("web:dashboard")


def test_wrong_codes_end_a_password_only_session(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.TWO_FACTOR_MAX_TRIES = 3
    reviewer = _person()
    MembershipFactory(user=reviewer)
    device = _enrolled(reviewer)
    client = Client()
    client.force_login(reviewer)
    wrong = _other_than(code_of(device))
    for _ in range(2):
        assert client.post(reverse("two-factor"), {"code": wrong}).status_code == 400
    ended = client.post(reverse("two-factor"), {"code": wrong})
    assert ended["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_an_unverified_session_neither_renews_nor_removes_the_codes():
    member = _person(agency_member=True)
    _enrolled(member)
    codes_before = two_factor.recovery_codes_left(member)
    client = Client()
    client.force_login(member)  # signed in without the code
    for action in ("renew", "remove"):
        answer = client.post(reverse("two-factor"), {"action": action})
        assert answer.status_code == 400  # the code is asked first
    assert two_factor.has_two_factor(member)
    assert two_factor.recovery_codes_left(member) == codes_before


def test_a_token_issued_without_the_second_factor_stops_working_for_a_reviewer(settings):
    from recruiters import services

    reviewer = _person()
    MembershipFactory(user=reviewer)
    settings.TWO_FACTOR_REQUIRED = False
    _old, old_secret = services.personal_token_create(user=reviewer, name="before the rule")
    settings.TWO_FACTOR_REQUIRED = True
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {old_secret}")
    refused = api.get("/api/v1/me/")
    assert refused.status_code == 401
    assert refused.json()["errors"][0]["detail"].startswith(
        "This token was issued without a second factor"
    )
    device = _enrolled(reviewer)
    issued = APIClient().post(
        reverse("api:token-create"),
        {"username": reviewer.username, "password": PASSWORD, "otp_token": code_of(device, 1)},
        format="json",
    )
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.json()['token']}")
    assert api.get("/api/v1/me/").status_code == 200


def test_a_password_changed_meanwhile_ends_the_half_done_sign_in():
    reviewer = _person()
    MembershipFactory(user=reviewer)
    device = _enrolled(reviewer)
    client = Client()
    _password(client, reviewer)
    reviewer.set_password("another long pass phrase")
    reviewer.save()
    answer = client.post(reverse("login-code"), {"code": code_of(device, 1)})
    assert answer["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_a_signed_in_person_who_is_not_staff_gets_the_admin_s_form_not_a_loop():
    member = _person(agency_member=True)
    client = Client()
    client.force_login(member)
    assert client.get("/admin/")["Location"] == "/admin/login/?next=/admin/"
    assert client.get("/admin/login/?next=/admin/").status_code == 200
