"""The worker-costs table gets a new row without a round trip where JavaScript runs
(issue 19), and what is typed in it is saved with the rest."""

import pytest

from audits.selectors import engine_answers
from tests.certification.world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-test-passphrase-1"


def test_a_row_is_added_in_the_page_and_saved(browser):
    world = World()
    world.agency_member.set_password(PASSWORD)
    world.agency_member.save()
    case = world.case_in("draft")
    browser.sign_in(world.agency_member.username, PASSWORD)
    browser.go(f"/cases/{case.pk}/self-assessment/C1/")
    rows = "#costs-c11-01 tbody tr"
    before = len(browser.find_all(rows))
    browser.driver.execute_script("window.stillThisPage = true;")
    browser.find("button[data-add-row='costs-c11-01']").click()
    assert len(browser.find_all(rows)) == before + 1
    assert browser.driver.execute_script("return window.stillThisPage === true;")
    total = browser.find("input[name='costs-C1-1-01-TOTAL_FORMS']").get_attribute("value")
    assert total == str(before + 1)
    index = before  # the new row's number in the formset
    browser.find("input[value='listed']").click()
    for name, value in (("amount", "75"), ("currency", "usd")):
        field = browser.find(f"[name='costs-C1-1-01-{index}-{name}']")
        field.send_keys(value)
    for name, value in (("category", "medical"), ("borne_by", "employer"), ("route", "paid")):
        browser.find(f"[name='costs-C1-1-01-{index}-{name}'] option[value='{value}']").click()
    browser.submit(browser.find("#answers .actions button[type=submit]:not([name])"))
    assert "Your answers are saved as a draft." in browser.text()
    case.refresh_from_db()
    (item,) = engine_answers(case.self_assessment)["C1.1-01"]
    assert (item["category"], float(item["amount"]), item["currency"]) == ("medical", 75.0, "USD")
