"""Sign-in (throttled), sign-out, password reset by e-mail, the language switcher, and the
headers and tokens that protect every page."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-passphrase"


@pytest.fixture
def person(world):
    user = world.agency_member
    user.email = "officer@kathmandu-fair-jobs.example"
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_sign_in_leads_to_the_dashboard(person):
    response = sign_in(Client(), person.username, PASSWORD)
    assert (response.status_code, response["Location"]) == (302, "/dashboard/")


def test_a_wrong_password_is_said_on_the_form(person):
    response = sign_in(Client(), person.username, "wrong")
    assert response.status_code == 200
    (error,) = response.context["form"].non_field_errors()
    assert error.startswith("Please enter a correct username and password.")


def test_sign_in_is_refused_after_five_failures_even_with_the_right_password(person):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, person.username, "wrong").status_code == 200
    assert sign_in(client, person.username, "wrong").status_code == 429
    locked = sign_in(client, person.username, PASSWORD)
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_token_api_is_locked_out_too(person):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, person.username, "wrong")
    response = client.post(
        "/api/v1/auth/token/",
        {"username": person.username, "password": PASSWORD, "name": "laptop"},
        content_type="application/json",
    )
    assert response.status_code == 429
    assert response.json()["errors"][0]["detail"] == (
        "Too many failed sign-ins for this username from your address; try again later."
    )


def test_sign_out_takes_a_post_only(person):
    client = signed_in(person)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/dashboard/").status_code == 302


def test_password_reset_by_email_in_the_reader_language(person):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.post("/accounts/password-reset/", {"email": person.email})
    assert response["Location"] == "/accounts/password-reset/sent/"
    (message,) = mail.outbox
    assert message.subject == "fairrecruit : réinitialisez votre mot de passe"
    assert message.to == [person.email]
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"] is True
    done = client.post(
        form_page.redirect_chain[-1][0],
        {
            "new_password1": "another-long-passphrase-42",
            "new_password2": "another-long-passphrase-42",
        },
    )
    assert done["Location"] == "/accounts/password-reset/done/"
    assert sign_in(Client(), person.username, "another-long-passphrase-42").status_code == 302


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(person):
    response = Client().post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []


def test_the_language_switcher_changes_every_page_to_french(world):
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/registry/"})
    assert response["Location"] == "/registry/"
    page = client.get("/registry/").content.decode()
    assert '<html lang="fr">' in page
    assert "Registre des agences certifiées" in page


def test_every_page_sends_a_content_security_policy_without_inline_script(world):
    response = Client().get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"


def test_no_template_has_inline_script_style_or_event_handlers():
    offenders = []
    roots = [Path(settings.BASE_DIR) / d for d in ("config", "certification", "recruiters")]
    for root in roots:
        for template in root.rglob("templates/**/*.html"):
            text = template.read_text(encoding="utf-8")
            if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
                offenders.append(f"{template}: inline <script>")
            if re.search(r"\son[a-z]+\s*=", text):
                offenders.append(f"{template}: event handler attribute")
            if re.search(r"\sstyle\s*=", text) or "<style" in text:
                offenders.append(f"{template}: inline style")
    assert offenders == []


def test_forms_refuse_a_post_without_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.employer_member)
    response = client.post("/employer/api-keys/", {"name": "no token"})
    assert response.status_code == 403
    assert "The form had expired or came from elsewhere." in response.content.decode()


def test_session_and_csrf_cookies_are_secure_outside_development(world):
    assert settings.DEBUG is False
    assert settings.SESSION_COOKIE_SECURE is True
    assert settings.CSRF_COOKIE_SECURE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_password_reset_errors_are_beside_their_fields(person):
    client = Client()
    bad = client.post("/accounts/password-reset/", {"email": "not-an-address"})
    assert bad.context["form"].errors == {"email": ["Enter a valid email address."]}
    client.post("/accounts/password-reset/", {"email": person.email})
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", mail.outbox[0].body)
    form_page = client.get(link.group(1), follow=True)
    mismatch = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "another-long-passphrase-42", "new_password2": "something-else-43"},
    )
    assert mismatch.context["form"].errors == {
        "new_password2": ["The two password fields didn\u2019t match."]
    }
