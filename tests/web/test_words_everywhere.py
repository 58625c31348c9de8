"""Words, not codes, everywhere (issue 19): every page of docs/web.md (the rows of
tests/web/test_page_access.py) that a role may open, the pages of a case in each of its
states, each PDF and each workbook for people, in English and in French, show no code of
the project and, in French, none of the English words the codes are; pages and PDFs show
each day in the one long form of the reader's language (never 2026-12-04 or 12/04/2026).
Exports keep their dates in ISO 8601."""

import io
import re
from pprint import pformat

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from certification.models import CaseState
from certification.pdf import certificate_pdf
from certification.reports import audit_report_pdf, self_assessment_summary_pdf
from certification.selectors import self_assessment_result
from tests.certification.world import World
from tests.web.pages import ROLES, PageWorld
from tests.web.test_page_access import MATRIX
from tests.web.test_words_not_codes import _in as client_in
from tests.web.test_words_not_codes import codes_in, visible_text

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "fr")
# The pages of one case, opened for a case in every state by the people of the case.
CASE_PAGES = (
    "/cases/{pk}/",
    "/cases/{pk}/self-assessment/",
    "/cases/{pk}/self-assessment/preview/",
    "/cases/{pk}/appeals/",
)
CASE_PEOPLE = ("agency_member", "reviewer", "assigned_auditor")
NUMERIC_DAY = re.compile(r"(?<![\w/-])(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4})(?![\w/-])")
ABBREVIATED_MONTH = re.compile(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.")


def numeric_days(text: str) -> list[str]:
    return sorted(set(NUMERIC_DAY.findall(text)) | set(ABBREVIATED_MONTH.findall(text)))


def leftovers(text: str, language: str) -> list[str]:
    return codes_in(text, language) + numeric_days(text)


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def workbook_text(data: bytes) -> str:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    return " ".join(
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def world_in_every_state() -> PageWorld:
    """PageWorld's cases, and one in each other state."""
    pages = PageWorld()
    for state in CaseState.values:
        if state not in pages.cases:
            pages.fresh_agency()
            pages.cases[state] = pages.case_in(state)
    return pages


def pages_found(world, language: str) -> dict:
    found = {}
    for name, (builder, statuses) in sorted(MATRIX.items()):
        for role, status in zip(ROLES, statuses, strict=True):
            if status != 200:
                continue
            response = client_in(language, world.person(role)).get(builder(world, name))
            if not response["Content-Type"].startswith("text/html"):
                continue  # the DID document, status lists and files: data, not words
            left = leftovers(visible_text(response.content.decode()), language)
            if left:
                found[(name, role)] = left
    return found


def case_pages_found(world, language: str) -> dict:
    found = {}
    for state, case in world.cases.items():
        for page in CASE_PAGES:
            for role in CASE_PEOPLE:
                response = client_in(language, world.person(role)).get(page.format(pk=case.pk))
                if response.status_code != 200:
                    continue
                left = leftovers(visible_text(response.content.decode()), language)
                if left:
                    found[(state, page, role)] = left
    return found


def pdfs_found(world, language: str) -> dict:
    found = {}
    for state, case in world.cases.items():
        result = self_assessment_result(case)
        documents = {"summary": self_assessment_summary_pdf(case, result, language=language)}
        for audit in case.audits.exclude(result=None):
            documents[f"audit {audit.pk}"] = audit_report_pdf(audit, language=language)
        certificate = getattr(case, "certificate", None)
        if certificate is not None:
            documents["certificate"] = certificate_pdf(certificate, language=language)
        for document, data in documents.items():
            left = leftovers(pdf_text(data), language)
            if left:
                found[(state, document)] = left
    return found


def workbooks_found(world, language: str) -> dict:
    found = {}
    auditor = client_in(language, world.auditor)
    for state, case in world.cases.items():
        for audit in case.audits.exclude(result=None):
            response = auditor.get(f"/api/v1/cases/{case.pk}/findings-export/?audit={audit.pk}")
            assert response.status_code == 200, response.content
            left = codes_in(workbook_text(b"".join(response.streaming_content)), language)
            if left:
                found[(state, "findings", audit.pk)] = left
        response = client_in(language, world.agency_member).get(
            reverse("web:workbook", args=[case.pk]) + "?download=filled"
        )
        if response.status_code == 200:  # the agency's own offline form, answers included
            left = codes_in(workbook_text(response.content), language)
            if left:
                found[(state, "self-assessment")] = left
    lines = [str(case.agency.public_id) for case in world.cases.values()]
    download = client_in(language, world.employer_member).post(
        "/employer/supplier-check/",
        {"suppliers": "\n".join([*lines, "PH nobody", "not an id at all"]), "download": "xlsx"},
    )
    assert download.status_code == 200, download.content[:500]
    left = codes_in(workbook_text(b"".join(download.streaming_content)), language)
    if left:
        found["supplier check"] = left
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_pdfs_and_workbooks_show_words_and_one_form_of_day(language):
    world = world_in_every_state()
    assert set(world.cases) == set(CaseState.values)

    found = {
        "pages": pages_found(world, language),
        "case pages": case_pages_found(world, language),
        "pdfs": pdfs_found(world, language),
        "workbooks": workbooks_found(world, language),
    }

    assert found == {"pages": {}, "case pages": {}, "pdfs": {}, "workbooks": {}}, pformat(found)


def test_the_scan_finds_a_numeric_day_and_a_code_put_back():
    assert leftovers("Valid until 2029-11-30", "en") == ["2029-11-30"]
    assert leftovers("Opened 12/01/2026, due Nov. 30, 2029", "en") == ["12/01/2026", "Nov"]
    assert leftovers("Ouvert le 3 décembre 2026 — in_review", "fr") == ["in_review"]
    assert leftovers("Certificate FR-2026-000001, 4 December 2026", "en") == []


def test_the_scan_fails_when_a_label_gives_its_code_back(monkeypatch):
    """Put one code back (the state 'in_review' shown as itself): the case page scan finds
    it, in English and in French."""
    from certification import labels
    from certification.models import CaseState as States

    world = World()
    case = world.case_in("in_review")
    monkeypatch.setitem(labels.LABELS["state"], States.IN_REVIEW, "in_review")
    for language in LANGUAGES:
        html = client_in(language, world.reviewer).get(f"/cases/{case.pk}/").content.decode()
        assert "in_review" in leftovers(visible_text(html), language), language
