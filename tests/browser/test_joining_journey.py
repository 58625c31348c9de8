"""Joining the scheme, end to end in a browser (issue 18): an agency applies and confirms
its e-mail; the reviewer, signed in with a second factor, sees the match with a withdrawn
agency, asks for information and, once answered, accepts; the new member invites a
colleague, who makes an account and signs in."""

import re

import pytest
from django.core import mail

from recruiters.links.services import PersonEntry, record_people_and_details
from recruiters.models import Membership
from tests.certification.world import World
from tests.recruiters.test_two_factor import _enrolled, code_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long pass phrase of mine"


def _link(path: str) -> str:
    """The path of the newest e-mail's link to `path`."""
    for message in reversed(mail.outbox):
        found = re.search(rf"https?://[^/\s]+({re.escape(path)}\S*)", message.body)
        if found:
            return found.group(1)
    raise AssertionError(f"no e-mail with a link to {path}")


def _type(browser, css: str, text: str):
    field = browser.find(css)
    field.clear()
    field.send_keys(text)


def test_an_agency_joins_is_checked_asked_accepted_and_its_member_invites_a_colleague(
    browser, settings
):
    settings.TWO_FACTOR_REQUIRED = True
    settings.PUBLIC_BASE_URL = browser.base_url
    world = World()
    world.agency.name = "Sagarmatha Overseas"
    world.agency.save()
    record_people_and_details(world.agency, [PersonEntry("Ram Bahadur Thapa", "director", 1971)])
    world.case_in("withdrawn")
    world.reviewer.set_password(PASSWORD)
    world.reviewer.save()
    device = _enrolled(world.reviewer)
    mail.outbox.clear()

    # 1. The agency applies, with its director's name spelt another way.
    browser.go("/join/agency/")
    _type(browser, "#id_name", "Everest Fair Jobs")
    browser.find("#id_country option[value='NP']").click()
    _type(browser, "#id_registration_number", "REG-2026-77")
    browser.find("#id_size_band option[value='100_499']").click()
    _type(browser, "#id_corridors", "NP-QA")
    browser.find("input[name='sectors'][value='construction']").click()
    _type(browser, "#id_person_0_name", "Thapa Raam Bahadur")
    browser.find("#id_person_0_role option[value='director']").click()
    _type(browser, "#id_person_0_birth_year", "1971")
    _type(browser, "#id_contact_name", "Asha Rai")
    _type(browser, "#id_contact_email", "asha@everest.example")
    _type(browser, "#id_password", PASSWORD)
    browser.submit(browser.find("main form button[type=submit]"))
    assert "We sent a link to asha@everest.example" in browser.text(), [
        error.text for error in browser.find_all(".error")
    ]

    # 2. It confirms its e-mail with the link (a button: opening the link confirms nothing).
    browser.go(_link("/join/follow/"))
    browser.submit(browser.find("main form.card button[type=submit]"))

    # 3. The reviewer signs in with a password and a code, and reads the match.
    browser.sign_in(world.reviewer.username, PASSWORD)
    assert "/accounts/login/code/" in browser.driver.current_url
    _type(browser, "#id_code", code_of(device, 1))
    browser.submit(browser.find("#code-form button[type=submit]"))
    browser.go("/review/applications/")
    browser.click("a[href*='/review/applications/']:not([href$='/review/applications/'])")
    links = browser.text("#application-links")
    assert "Thapa Raam Bahadur" in links and "Ram Bahadur Thapa" in links
    assert "Sagarmatha Overseas" in links and "withdrawn" in links

    # 4. It asks for more information; the applicant answers with its link.
    _type(browser, "#id_question", "Was Mr Thapa a director of Sagarmatha Overseas?")
    browser.submit(browser.find("#id_question").find_element("xpath", "./ancestor::form//button"))
    application_page = browser.driver.current_url
    reviewer_cookies = browser.driver.get_cookies()
    browser.driver.delete_all_cookies()
    browser.go(_link("/join/follow/"))
    assert "Was Mr Thapa a director of Sagarmatha Overseas?" in browser.text()
    _type(browser, "#id_answer", "He left Sagarmatha in 2023; our licence is new.")
    browser.submit(browser.find("#id_answer").find_element("xpath", "./ancestor::form//button"))

    # 5. The reviewer reads the answer and accepts.
    browser.go("/")
    for cookie in reviewer_cookies:
        browser.driver.add_cookie(cookie)
    browser.driver.get(application_page)
    assert "He left Sagarmatha in 2023" in browser.text("#answer")
    browser.submit(browser.find("form[action$='/accept/'] button[type=submit]"))
    member = Membership.objects.get(user__email="asha@everest.example")
    assert member.is_administrator and member.agency.name == "Everest Fair Jobs"

    # 6. The new member signs in and invites a colleague.
    browser.driver.delete_all_cookies()
    browser.sign_in("asha@everest.example", PASSWORD)
    browser.click("a[href='/organisation/members/']")
    _type(browser, "#id_email", "mina@everest.example")
    browser.submit(browser.find("#invite-form button[type=submit]"))
    assert "An invitation is on its way to mina@everest.example." in browser.text()

    # 7. The colleague makes an account from the invitation and signs in.
    browser.driver.delete_all_cookies()
    browser.go(_link("/join/invitation/"))
    _type(browser, "#id_name", "Mina Gurung")
    _type(browser, "#id_password", PASSWORD)
    _type(browser, "#id_password_again", PASSWORD)
    browser.submit(browser.find("#invitation-form button[type=submit]"))
    assert "Welcome to Everest Fair Jobs." in browser.text()
    browser.driver.delete_all_cookies()
    browser.sign_in("mina@everest.example", PASSWORD)
    assert browser.driver.current_url.endswith("/dashboard/")
    assert "Everest Fair Jobs" in browser.text()
    colleague = Membership.objects.get(user__email="mina@everest.example")
    assert (colleague.agency, colleague.is_administrator) == (member.agency, False)
