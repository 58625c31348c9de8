"""Three pages of issue 19 as people see them, saved as screenshots (test-artifacts/
browser/, copied to docs/images/pages/): a case's history in French, an employer's
dashboard with its counts and chart, and a bulk check with mixed lines."""

import pytest

from certification.models import WatchedAgency
from tests.certification.world import World
from tests.factories import AgencyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-test-passphrase-1"


def _password(*people):
    for person in people:
        person.set_password(PASSWORD)
        person.save()


def test_a_case_history_in_french_the_employer_dashboard_and_a_mixed_bulk_check(browser):
    world = World()
    _password(world.reviewer, world.employer_member)
    case = world.case_in("corrective_action")
    world.answer_corrective_actions(case)
    employer = world.employer_member.memberships.get(role="employer_member").employer
    WatchedAgency.objects.create(employer=employer, agency=world.agency)
    for name in ("Mekong Skills", "Dhaka Overseas", "Colombo Care"):
        WatchedAgency.objects.create(employer=employer, agency=AgencyFactory(name=name))

    browser.go("/")
    browser.find("#language option[value='fr']").click()
    browser.wait_until(
        lambda: browser.driver.find_element("tag name", "html").get_attribute("lang") == "fr"
    )
    browser.sign_in(world.reviewer.username, PASSWORD)
    browser.go(f"/cases/{case.pk}/")
    history = browser.text("main")
    assert "Action corrective acceptée" in history or "action corrective acceptée" in history
    assert "corrective_action_accept" not in history
    browser.screenshot("case-history-fr")

    browser.driver.delete_all_cookies()
    browser.go("/")
    browser.find("#language option[value='en']").click()
    browser.wait_until(
        lambda: browser.driver.find_element("tag name", "html").get_attribute("lang") == "en"
    )
    browser.sign_in(world.employer_member.username, PASSWORD)
    assert "4 agencies watched" in browser.text("#employer-counts")
    assert browser.find_all("figure.chart svg")
    browser.screenshot("employer-dashboard")

    browser.go("/employer/supplier-check/")
    lines = "\n".join(
        [
            f"{world.agency.country.code},{world.agency.registration_number}",
            "Nepal,2026-77",
            "BD;NOT-REGISTERED",
        ]
    )
    browser.find("#id_suppliers").send_keys(lines)
    browser.submit(browser.find("#check-form button[type=submit]:not([name])"))
    assert "Found: 1. Not found: 1. Not understood: 1." in browser.text("#results-summary")
    browser.screenshot("employer-bulk-check-mixed")
