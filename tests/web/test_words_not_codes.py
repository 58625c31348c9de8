"""Words, not codes (issue 19, first part): a case's history names its events and their
states in the reader's words, sectors are named, the summary's readiness is in words and a
transition's notice says where the case went. A scan of the visible text of the pages for
a case in each state, in English and in French, finds no code of the project (whole words
with an underscore) and, in French, none of the English words the codes are."""

import io
import re
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.test import Client
from pypdf import PdfReader

from audits.models import AuditState, CorrectiveActionState, Grade
from certification import services, transitions
from certification.models import CaseState
from certification.pdf import certificate_pdf
from certification.reports import self_assessment_summary_pdf
from certification.selectors import self_assessment_result
from certification.status import PublicStatus
from recruiters.models import Sector, SectorCode
from tests.certification.world import World
from tests.web.pages import PageWorld

pytestmark = pytest.mark.django_db

# The project's codes a person could be shown: those with an underscore are never words.
CODES = {
    *transitions.event_names(),
    *CaseState.values,
    *CorrectiveActionState.values,
    *AuditState.values,
    *PublicStatus.values,
    *SectorCode.values,
    *Grade.values,
    "not_ready",
}
UNDERSCORED = sorted(code for code in CODES if "_" in code)
# In French, the English words the codes are would be leftovers too.
ENGLISH_WORDS = sorted(
    {
        "accepted",
        "verified",
        "submitted",
        "suspended",
        "certified",
        "withdrawn",
        "ready",
        "minor",
        "major",
    }
)


class _Visible(HTMLParser):
    """The text a person sees: no tags, attributes, scripts or styles."""

    def __init__(self):
        super().__init__()
        self.parts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(parser.parts)


def codes_in(text: str, language: str) -> list[str]:
    words = UNDERSCORED + (ENGLISH_WORDS if language == "fr" else [])
    return sorted({w for w in words if re.search(rf"(?<![\w/.-]){re.escape(w)}(?![\w/.-])", text)})


def _in(language: str, person) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.cookies["django_language"] = language
    if person is not None:
        client.force_login(person)
    return client


def test_a_case_history_names_events_and_states_in_words_in_french():
    world = World()
    case = world.case_in("corrective_action")
    world.answer_corrective_actions(case)
    html = _in("fr", world.reviewer).get(f"/cases/{case.pk}/").content.decode()
    history = visible_text(html.split("<h2>Historique</h2>", 1)[1])
    assert "Action corrective acceptée" in history or "action corrective acceptée" in history
    assert "complete_audit" not in history and "corrective_action_accept" not in history
    assert codes_in(history, "fr") == []


def test_sectors_are_named_on_the_agency_page_the_verification_and_the_certificate():
    world = World()
    world.agency.sectors.set(Sector.objects.filter(code__in=["domestic_work", "construction"]))
    case = world.case_in("certified")
    certificate = case.certificate
    page = _in("en", None).get(f"/agencies/{world.agency.public_id}/").content.decode()
    assert "Domestic work" in page and "domestic_work" not in visible_text(page)
    verified = _in("fr", None).get(
        f"/verify/{certificate.number}/?code={certificate.verification_code}"
    )
    assert "Travail domestique" in verified.content.decode()
    text = "".join(
        p.extract_text()
        for p in PdfReader(io.BytesIO(certificate_pdf(certificate, language="fr"))).pages
    )
    assert "Travail domestique" in text and "domestic_work" not in text


def test_the_summary_pdf_says_its_readiness_in_words():
    world = World()
    case = world.case_in("draft")
    pdf = self_assessment_summary_pdf(case, self_assessment_result(case), language="fr")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    readiness = text.split("État de préparation", 1)[1][:40]
    assert "not_ready" not in readiness and "incomplete" not in readiness.lower()[:12]
    assert "Incomplète" in readiness or "Pas prête" in readiness or "Prête" in readiness


def test_a_transition_s_notice_says_where_the_case_went(django_capture_on_commit_callbacks):
    world = World()
    case = world.case_in("certified")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.case_suspend(actor=world.reviewer, case=case, reason="Fees taken.")
    (notice,) = [m for m in mail.outbox if "case" in m.subject]
    assert notice.subject.endswith("— suspended")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_no_code_shows_on_the_case_pages_in_each_state(language):
    pages = PageWorld()
    found = {}
    for state, case in pages.cases.items():
        for person in (pages.reviewer, pages.agency_member):
            html = _in(language, person).get(f"/cases/{case.pk}/").content.decode()
            leftovers = codes_in(visible_text(html), language)
            if leftovers:
                found[(state, person.username)] = leftovers
    assert found == {}


def test_the_scan_finds_a_code_put_back():
    """The scan itself: a code in the visible text is found, in an attribute it is not."""
    assert codes_in("Case moved to corrective_action today", "en") == ["corrective_action"]
    assert codes_in(visible_text('<span class="badge in_review">In review</span>'), "en") == []
    assert codes_in("Statut : suspended", "fr") == ["suspended"]
