"""Five journeys through the pages in a real browser (headless Chromium), each leaving a
screenshot under test-artifacts/browser/."""

import csv
import io
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from certification import services
from certification.models import CaseState, CertificationCase
from tests.certification.world import World
from tests.scoring.answers import REFERENCE_STANDARD, non_compliant_value, reference_catalogue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "browser-test-passphrase-1"


def reference_world():
    call_command("load_standard", str(REFERENCE_STANDARD), stdout=io.StringIO())
    world = World()
    for person in (world.agency_member, world.auditor, world.employer_member):
        person.set_password(PASSWORD)
        person.save()
    return world


def answer(browser, question, value):
    """Answer one question on a principle page as a person would."""
    code = question.code
    if question.answer_type in ("yes_no", "choice"):
        browser.find(f'input[name="{code}"][value="{value}"]').click()
    elif question.answer_type == "number":
        field = browser.find(f'input[name="{code}"]')
        field.clear()
        field.send_keys(str(value))
    elif question.answer_type == "text":
        browser.find(f'textarea[name="{code}"]').send_keys(value)
    elif question.answer_type == "worker_costs":
        assert value == []
        browser.find(f'input[name="{code}"][value="none"]').click()


def test_an_agency_fills_its_self_assessment_in_french_and_submits_it(browser):
    world = reference_world()
    catalogue = reference_catalogue()
    # One answer spoiled, so that the gap list has something to say.
    spoiled = next(q for q in catalogue.questions if q.code.startswith("B1"))
    answers = {q.code: q.compliant_example() for q in catalogue.questions}
    answers[spoiled.code] = non_compliant_value(spoiled)
    by_principle = {}
    criteria = {c.code: c.principle for c in catalogue.criteria}
    for question in catalogue.questions:
        by_principle.setdefault(criteria[question.criterion], []).append(question)

    # The language switcher, before signing in: the rest of the journey is in French.
    browser.go("/accounts/login/")
    browser.find("#language").send_keys("Français")  # submits itself on change (site.js)
    browser.wait_until(lambda: browser.find("html").get_attribute("lang") == "fr")
    assert "Se connecter" in browser.text("h1")
    browser.sign_in(world.agency_member.username, PASSWORD)
    assert browser.text("h1") == "Tableau de bord"
    browser.click("form[action='/cases/open/'] button[type=submit]")
    case = CertificationCase.objects.get(agency=world.agency)
    assert browser.text("h1") == "Auto-évaluation"

    # Principle A, all but its last question, saved as a draft, then the page reloaded.
    principles = list(by_principle)
    first = by_principle[principles[0]]
    browser.go(f"/cases/{case.pk}/self-assessment/{principles[0]}/")
    for question in first[:-1]:
        answer(browser, question, answers[question.code])
    browser.submit(browser.find("#answers button[type=submit]:not([name])"))
    assert "Vos réponses sont enregistrées comme brouillon." in browser.text(".messages")
    browser.driver.refresh()
    kept = first[0]
    assert browser.find(f'input[name="{kept.code}"][value="{answers[kept.code]}"]').is_selected()
    browser.screenshot("agency-self-assessment-fr")

    # The rest, principle after principle.
    answer(browser, first[-1], answers[first[-1].code])
    for index, code in enumerate(principles):
        if index:
            for question in by_principle[code]:
                answer(browser, question, answers[question.code])
        button = browser.find_all("#answers button[name=next_principle]")
        browser.submit(button[0] if button else browser.find("#answers button[type=submit]"))
        assert not browser.find_all(".errors"), browser.text(".errors")
    browser.go(f"/cases/{case.pk}/self-assessment/")
    assert f"{len(catalogue.questions)} questions répondues sur {len(catalogue.questions)}" in (
        browser.text("#progress")
    )

    # The preview names the gap with its reason, then the submission.
    browser.go(f"/cases/{case.pk}/self-assessment/preview/")
    gaps = browser.text("#gaps")
    assert spoiled.criterion in gaps
    browser.screenshot("agency-preview-fr")
    assert "ne pourra plus être modifiée" in browser.text("#submit-form .consequence")
    browser.find("#id_submit-understood").click()
    browser.submit(browser.find("#submit-form button"))
    assert "Fait : Soumettre l'auto-évaluation." in browser.text(".messages")
    case.refresh_from_db()
    assert case.state == CaseState.SUBMITTED
    browser.screenshot("agency-submitted-fr")


def auditing_case(world):
    case = services.case_open(actor=world.agency_member, agency=world.agency)
    catalogue = reference_catalogue()
    services.self_assessment_save_answers(
        actor=world.agency_member,
        case=case,
        answers={q.code: q.compliant_example() for q in catalogue.questions},
    )
    services.case_submit(actor=world.agency_member, case=case)
    today = timezone.localdate()
    services.case_plan_audit(
        actor=world.reviewer,
        case=case,
        auditor=world.auditor_membership,
        stage1_date=today,
        stage2_date=today,  # on site today: the audit may be completed
    )
    services.case_start_audit(actor=world.auditor, case=case)
    return case


def test_an_auditor_grades_every_criterion_and_completes_the_audit(browser):
    world = reference_world()
    case = auditing_case(world)
    catalogue = reference_catalogue()
    browser.sign_in(world.auditor.username, PASSWORD)
    browser.click("a[href='/audits/']")
    browser.click(f"a[href='/cases/{case.pk}/audit/']")
    assert f"0 of {len(catalogue.criteria)} criteria graded" in browser.text("#progress")
    for criterion in catalogue.criteria:
        slug = criterion.code.replace(".", "-")
        grade = "minor" if criterion.code == "B1" else "conforming"
        browser.find(f"select[name='grade-{slug}'] option[value='{grade}']").click()
        browser.find(f"textarea[name='text-{slug}']").send_keys(f"{criterion.code}: seen on site.")
    browser.submit(browser.find("#findings button[type=submit]"))
    assert f"{len(catalogue.criteria)} finding(s) saved." in browser.text(".messages")
    assert (
        f"{len(catalogue.criteria)} of {len(catalogue.criteria)} criteria graded"
        in browser.text("#progress")
    )
    browser.screenshot("auditor-audit")
    assert "1 so far" in browser.text("#complete .consequence")
    browser.find("#id_complete_audit-understood").click()
    browser.submit(browser.find("#complete button"))
    assert "The audit is complete." in browser.text(".messages")
    case.refresh_from_db()
    assert case.state == CaseState.CORRECTIVE_ACTION
    browser.screenshot("auditor-case-after-audit")


def test_a_reviewer_reads_a_forced_labour_finding_and_certifies_on_the_record(browser):
    world = World()
    world.reviewer.set_password(PASSWORD)
    world.reviewer.save()
    case = world.case_in("auditing")
    world.record_findings(case, A1=("observation", ("debt_bondage",)))
    services.case_complete_audit(actor=world.auditor, case=case)
    world.answer_corrective_actions(case)
    services.case_close_corrective_actions(actor=world.auditor, case=case)

    browser.sign_in(world.reviewer.username, PASSWORD)
    browser.click("a[href='/review/']")
    browser.click(f"a[href='/cases/{case.pk}/']")
    finding = browser.text("#record .finding")
    assert "treated as major non-conformity because it shows forced-labour indicators" in finding
    assert "Debt bondage" in finding
    assert "Verified" in finding and "Checked the records of every worker placed since." in finding
    assert "refunds.pdf" in finding  # the evidence the verification rests on
    assert "A1: forced-labour indicators (debt bondage)" in browser.text("#to-confirm")

    # Without a rationale, the decision is refused beside the field, and nothing changes.
    browser.find("#id_certify-understood").click()
    browser.submit(browser.find("#transition-certify button[type=submit]"))
    assert "This field is required." in browser.text("#transition-certify")
    case.refresh_from_db()
    assert case.state == CaseState.IN_REVIEW

    browser.find("#transition-certify input[name='certify-confirmations']").click()
    browser.find("#id_certify-reason").send_keys(
        "Debt bondage remediated: loans written off, verified with each worker on site."
    )
    if not browser.find("#id_certify-understood").is_selected():
        browser.find("#id_certify-understood").click()
    browser.screenshot("reviewer-certify")
    browser.submit(browser.find("#transition-certify button[type=submit]"))
    assert "Done: Certify." in browser.text(".messages")
    case.refresh_from_db()
    assert case.state == CaseState.CERTIFIED
    assert case.events.get(transition="certify").snapshot["confirmed"][0]["kind"] == (
        "forced_labour"
    )


def test_an_employer_uploads_a_supplier_list_and_downloads_the_results(browser, tmp_path):
    world = reference_world()
    world.case_in("certified")
    listed = tmp_path / "suppliers.csv"
    with listed.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["country", "registration_number"])
        writer.writerow([world.agency.country.code, world.agency.registration_number])
        writer.writerow(["BD", "NOT-REGISTERED-1"])
    browser.sign_in(world.employer_member.username, PASSWORD)
    browser.click("a[href='/employer/supplier-check/']")
    browser.find("#id_file").send_keys(str(listed))
    browser.submit(browser.find("#check-form button[type=submit]:not([name])"))
    rows = [row.text for row in browser.find_all("#results tbody tr")]
    assert len(rows) == 2
    assert world.agency.name in rows[0] and "Certified" in rows[0]
    assert "Not found" in rows[1]
    browser.screenshot("employer-supplier-check")
    browser.find("#download").click()
    downloaded = browser.downloads / "supplier-check.xlsx"
    browser.wait_until(lambda: downloaded.exists() and downloaded.stat().st_size > 0)
    time.sleep(0.2)  # let Chromium finish renaming its partial file
    sheet = load_workbook(downloaded).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 3
    assert world.agency.name in values[1] and "Not found" in values[2]


def test_a_visitor_opens_the_verification_url_of_a_suspended_certificate(browser):
    world = World()
    case = world.case_in("certified")
    services.case_suspend(actor=world.reviewer, case=case, reason="Complaint under review.")
    certificate = case.certificate
    from certification.pdf import verification_url

    path = verification_url(certificate).split("127.0.0.1:8000", 1)[-1]
    assert path.startswith("/verify/")
    browser.go(path)
    verdict = browser.find("#verdict")
    assert verdict.text == "Suspended"
    assert "suspended" in verdict.get_attribute("class")
    assert float(verdict.value_of_css_property("font-size").rstrip("px")) >= 28
    browser.screenshot("visitor-verify-suspended")
    browser.screenshot("visitor-verify-suspended-phone", width=360)


def test_screenshots_are_kept(browser):
    """The journeys above leave their screenshots where CI keeps artifacts."""
    browser.go("/")
    path = browser.screenshot("home")
    assert Path(path).stat().st_size > 1000


def test_the_api_documentation_runs_under_the_content_security_policy(browser):
    """Swagger UI's start-up script is served from its own URL (no inline script)."""
    browser.go("/api/v1/docs/")
    browser.wait_until(lambda: browser.find_all(".swagger-ui .info .title"))
    assert browser.find(".swagger-ui .info .title").text.startswith("fairrecruit API")
    logs = browser.driver.get_log("browser")
    assert [e["message"] for e in logs if "Content Security Policy" in e["message"]] == []


def test_the_admin_sign_in_runs_under_the_content_security_policy(browser):
    browser.go("/admin/login/")
    assert browser.find("#id_username")
    logs = browser.driver.get_log("browser")
    assert [e["message"] for e in logs if "Content Security Policy" in e["message"]] == []


def no_sideways_scroll(browser) -> bool:
    return browser.driver.execute_script(
        "const page = document.documentElement; return page.scrollWidth <= page.clientWidth"
    )


def test_a_worker_complains_in_french_on_a_phone_and_reads_the_answer(browser):
    world = World()
    world.reviewer.set_password(PASSWORD)
    world.reviewer.save()
    case = world.case_in("certified")
    words = "L'agent a pris 900 dollars pour le visa et garde mon passeport."
    answer = "Votre plainte est fondée. Un audit spécial de l'agence est prévu."

    # A worker, anonymous, on a phone-sized window, in French.
    browser.driver.set_window_size(360, 740)
    browser.go("/complaints/new/")
    browser.find("#language").send_keys("Français")  # submits itself on change (site.js)
    browser.wait_until(lambda: browser.find("html").get_attribute("lang") == "fr")
    browser.find("#id_agency").send_keys(world.agency.name)
    browser.find("input[name='categories'][value='fee_paid']").click()
    browser.find("input[name='categories'][value='document_kept']").click()
    browser.find("#id_description").send_keys(words)
    browser.find("input[name='answer_language'][value='fr']").click()
    browser.submit(browser.find("main form button[type=submit]"))
    number = browser.text("#complaint-number")
    code = browser.text("#follow-up-code")
    assert no_sideways_scroll(browser)
    browser.screenshot("complaint-receipt-fr-phone", width=360)

    # A reviewer, in English, acknowledges, investigates, links, substantiates, orders the audit.
    browser.driver.set_window_size(1280, 900)
    browser.sign_in(world.reviewer.username, PASSWORD)
    browser.go("/review/complaints/")
    browser.find("#language").send_keys("English")
    browser.wait_until(lambda: browser.find("html").get_attribute("lang") == "en")
    browser.click(f"a[href='/review/complaints/{number}/']")
    assert words in browser.text()  # decrypted for the reviewer, the reading logged
    for name, message in (
        ("acknowledge", "Nous avons bien reçu votre plainte."),
        ("investigate", "Nous enquêtons sur ce que vous nous avez dit."),
    ):
        browser.find(f"#id_{name}-message").send_keys(message)
        browser.submit(browser.find(f"#complaint-{name} button[type=submit]"))
    browser.find("#id_link-case").send_keys(str(case.pk))
    browser.find("#id_link-shared_summary").send_keys("Visa fees reported by a worker.")
    browser.submit(browser.find("#complaint-link button[type=submit]"))
    browser.find("#id_substantiate-message").send_keys(answer)
    browser.submit(browser.find("#complaint-substantiate button[type=submit]"))
    assert "Done: Substantiated" in browser.text(".messages")
    browser.find(
        f"#complaint-special-audit input[value='{world.other_auditor_membership.pk}']"
    ).click()
    today = timezone.localdate().isoformat()
    for field in ("#id_special-audit-stage1_date", "#id_special-audit-stage2_date"):
        browser.driver.execute_script(
            "arguments[0].value = arguments[1]", browser.find(field), today
        )
    browser.screenshot("reviewer-complaint")
    browser.submit(browser.find("#complaint-special-audit button[type=submit]"))
    assert "The special audit is planned." in browser.text(".messages")
    assert case.audits.filter(kind="special", state="planned").count() == 1

    # The worker, signed out, follows the complaint with the receipt and reads the answer.
    browser.driver.delete_all_cookies()
    browser.driver.set_window_size(360, 740)
    browser.go("/complaints/follow/")
    browser.find("#language").send_keys("Français")
    browser.wait_until(lambda: browser.find("html").get_attribute("lang") == "fr")
    browser.find("#id_number").send_keys(number)
    browser.find("#id_code").send_keys(code)
    browser.submit(browser.find("main form button[type=submit]"))
    page = browser.text()
    assert "Fondée" in page
    assert answer in page and "Nous avons bien reçu votre plainte." in page
    assert "Visa fees reported" not in page  # what the audit is told is not the worker's page
    assert no_sideways_scroll(browser)
    browser.screenshot("complaint-follow-fr-phone", width=360)


def test_an_auditor_sees_a_survey_signal_addresses_it_and_completes_the_audit(browser):
    from tests.certification.survey_world import FINE, SIGNALLED, SurveyWorld

    world = SurveyWorld()
    world.auditor.set_password(PASSWORD)
    world.auditor.save()
    case = world.case_in("auditing")
    world.answered([SIGNALLED, FINE])  # one worker paid for the job, their passport held
    world.grade_without_notes(case)

    browser.sign_in(world.auditor.username, PASSWORD)
    browser.go(f"/cases/{case.pk}/audit/")
    signals = browser.text("#audit-survey-signals")
    assert "1 worker reported: Did you pay? — Yes" in signals
    assert "1 worker reported: Who has your passport? — The agency" in signals
    assert "C1.1, C2.1" in browser.text("#survey-signals-missing")
    browser.screenshot("auditor-audit-survey-signals")

    # Completing before the signals are addressed: refused, the criteria named.
    browser.find("#id_complete_audit-understood").click()
    browser.submit(browser.find("#complete button"))
    assert "C1.1, C2.1" in browser.text("#complete")
    case.refresh_from_db()
    assert case.state == CaseState.AUDITING

    # What the auditor checked, in the notes of each criterion signalled.
    browser.go(f"/cases/{case.pk}/audit/")
    browser.find("textarea[name='text-C1-1']").send_keys(
        "Receipts and two worker interviews: a visa fee was paid to a sub-agent, refunded."
    )
    browser.find("textarea[name='text-C2-1']").send_keys(
        "Every worker met holds their passport; the agency's safe holds none."
    )
    browser.submit(browser.find("#findings button[type=submit]"))
    assert "2 finding(s) saved." in browser.text(".messages")
    assert "noted in the finding" in browser.text("#audit-survey-signals")
    assert not browser.find_all("#survey-signals-missing")

    browser.find("#id_complete_audit-understood").click()
    browser.submit(browser.find("#complete button"))
    assert "The audit is complete." in browser.text(".messages")
    case.refresh_from_db()
    assert case.state == CaseState.IN_REVIEW


def _phone_screenshot(browser, name: str, at: str):
    """What a 360 x 740 phone shows with `at` at the top (the journeys' full-page
    screenshots of these pages are over 4,000 pixels tall)."""
    from tests.browser.conftest import ARTIFACTS

    browser.driver.set_window_size(360, 740)
    browser.driver.execute_script(
        "window.scrollTo(0, arguments[0].getBoundingClientRect().top + window.scrollY - 8)",
        browser.find(at),
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    browser.driver.save_screenshot(str(path))
    return path


def _survey_layout(browser) -> dict:
    """Where the page puts things, as the browser laid it out."""
    return browser.driver.execute_script(
        """
        const box = (el) => el.getBoundingClientRect();
        const page = document.documentElement;
        const amount = document.getElementById('a-WS-AMOUNT');
        const question = document.getElementById('q-WS-PASSPORT');
        const option = question.querySelector('label.opt');
        return {
            lang: page.lang, dir: page.dir,
            amountDirection: getComputedStyle(amount).direction,
            amountAlign: getComputedStyle(amount).textAlign,
            // right to left: an option's radio sits at its right end, the text to its left
            radioRight: box(option.querySelector('input')).right,
            optionRight: box(option).right, optionLeft: box(option).left,
            legendRight: box(question.querySelector('legend')).right,
            questionRight: box(question).right,
            sendHeight: box(document.getElementById('send')).height,
        };
        """
    )


def test_a_worker_answers_the_survey_in_nepali_and_in_arabic_on_a_phone(browser):
    from selenium.webdriver.support.ui import Select

    from monitoring.models import SurveyAnswer, SurveyResponse
    from tests.monitoring.survey_helpers import survey_world

    world = survey_world()
    _batch, (nepali_code, arabic_code) = world.issue(
        count=2, corridor=world.corridor, now=timezone.now()
    )

    # A worker scans the card on a cheap phone: the first screen names each language in itself.
    browser.driver.set_window_size(360, 740)
    browser.go(f"/s/{nepali_code}/")
    assert [b.text for b in browser.find_all(".languages button")][2:4] == ["नेपाली", "বাংলা"]
    _phone_screenshot(browser, "survey-languages", at="h1")
    browser.click(".languages button[value='ne']")
    assert browser.find("html").get_attribute("lang") == "ne"
    assert "यो काम पाउन तपाईंले कसैलाई पैसा तिर्नुभयो?" in browser.text()
    browser.find("input[name='WS-PAID'][value='yes']").click()
    browser.find("#a-WS-AMOUNT").send_keys("150000")
    Select(browser.find("#c-WS-AMOUNT")).select_by_value("NPR")
    browser.find("input[name='WS-PAID-TO'][value='sub_agent']").click()
    browser.find("input[name='WS-PAID-FOR'][value='recruitment_fee']").click()
    browser.find("input[name='WS-PASSPORT'][value='employer']").click()
    browser.find("input[name='WS-FREE-TO-LEAVE'][value='no']").click()
    layout = _survey_layout(browser)
    assert (layout["lang"], layout["dir"], layout["amountDirection"]) == ("ne", "ltr", "ltr")
    assert layout["sendHeight"] >= 48  # a big touch target
    assert no_sideways_scroll(browser)
    _phone_screenshot(browser, "survey-ne", at="h1")
    browser.submit(browser.find("#send"))
    assert "धन्यवाद" in browser.text("h1")
    assert "उजुरीको पाना अंग्रेजीमा छ।" in browser.text()  # the complaint page: English only
    assert no_sideways_scroll(browser)
    answered = SurveyResponse.objects.get()
    assert answered.language == "ne"
    assert SurveyAnswer.objects.get(response=answered, question_code="WS-AMOUNT").value == {
        "amount": "150000",
        "currency": "NPR",
    }

    # Another worker, at destination, in Arabic: right to left; a wrong amount is said in
    # Arabic beside its question, with what was chosen kept.
    browser.driver.delete_all_cookies()
    browser.go(f"/s/{arabic_code}/")
    browser.click(".languages button[value='ar']")
    layout = _survey_layout(browser)
    assert (layout["lang"], layout["dir"], layout["amountDirection"]) == ("ar", "rtl", "rtl")
    assert layout["amountAlign"] in ("start", "right")
    assert layout["radioRight"] > layout["optionRight"] - 40  # the radio at the right end
    assert abs(layout["legendRight"] - layout["questionRight"]) < 30  # text from the right
    browser.find("input[name='WS-PAID'][value='yes']").click()
    browser.find("#a-WS-AMOUNT").send_keys("ألف")
    Select(browser.find("#c-WS-AMOUNT")).select_by_value("QAR")
    browser.find("input[name='WS-PASSPORT'][value='agency']").click()
    browser.submit(browser.find("#send"))
    assert "اكتب المبلغ بالأرقام، مثلاً 250 أو 250.50." in browser.text("#e-WS-AMOUNT")
    assert browser.find("input[name='WS-PASSPORT'][value='agency']").is_selected()
    assert SurveyResponse.objects.count() == 1  # nothing saved
    field = browser.find("#a-WS-AMOUNT")
    field.clear()
    field.send_keys("3000")
    assert no_sideways_scroll(browser)
    browser.driver.set_window_size(320, 740)  # the narrowest phones
    assert browser.driver.execute_script("return window.innerWidth") <= 330
    assert no_sideways_scroll(browser)
    _phone_screenshot(browser, "survey-ar", at="#q-WS-AMOUNT")
    browser.submit(browser.find("#send"))
    assert browser.find("html").get_attribute("dir") == "rtl"
    assert "شكراً لك" in browser.text("h1")
    assert SurveyResponse.objects.filter(language="ar").count() == 1
    browser.driver.set_window_size(1280, 900)
