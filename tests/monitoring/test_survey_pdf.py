"""The cards of a batch as a PDF: eight to an A4 page, each with the QR code of its survey
page, the short address and the code printed large, and the promise of anonymity in English
and French; opened with poppler as a reader would."""

import shutil
import subprocess

import pytest
from django.test import override_settings

from monitoring import pdf, surveys
from tests.monitoring.survey_helpers import survey_world

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed"),
]


def poppler(tool: str, *args, cwd=None) -> str:
    return subprocess.run([tool, *args], capture_output=True, check=True, text=True, cwd=cwd).stdout


@pytest.fixture
def cards(tmp_path):
    world = survey_world()
    batch, codes = world.issue(count=11, corridor="NP-QA")
    path = tmp_path / "cards.pdf"
    with override_settings(SURVEY_BASE_URL="https://fr.example.org/"):
        path.write_bytes(pdf.survey_cards_pdf(batch, codes))
    return path, batch, codes


def test_the_cards_open_eight_to_an_a4_page(cards, tmp_path):
    path, _batch, _codes = cards

    info = poppler("pdfinfo", str(path))
    poppler("pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / "page"))

    fields = {
        k.strip(): v.strip() for k, _, v in (line.partition(":") for line in info.splitlines())
    }
    assert fields["Pages"] == "2"
    assert fields["Page size"].startswith("595.276 x 841.89 pts")
    assert sorted(p.name for p in tmp_path.glob("page-*.png")) == ["page-1.png", "page-2.png"]


def test_each_card_prints_its_code_its_short_address_and_the_promise(cards):
    path, batch, codes = cards

    text = poppler("pdftotext", "-layout", str(path), "-")
    flat = " ".join(text.split())

    for code in codes:
        assert surveys.survey_code_printed(code) in text
        assert f"fr.example.org/s/{code}" in text
    assert flat.count("Your answers are anonymous. The agency never sees them.") == 11
    assert flat.count("Vos réponses sont anonymes. L'agence ne les voit jamais.") == 11
    assert f"{batch.expires_at:%Y-%m-%d}" in text
    assert batch.agency.name in text  # on the sheet's header, cut away


def test_each_qr_code_opens_the_survey_page_of_its_code(monkeypatch):
    world = survey_world()
    batch, codes = world.issue(count=3)
    encoded = []
    real = pdf.QrCodeWidget

    def recording(value, **kwargs):
        encoded.append(value)
        return real(value, **kwargs)

    monkeypatch.setattr(pdf, "QrCodeWidget", recording)
    with override_settings(SURVEY_BASE_URL="", PUBLIC_BASE_URL="https://fairrecruit.example"):
        pdf.survey_cards_pdf(batch, codes)

    assert encoded == [f"https://fairrecruit.example/s/{code}/" for code in codes]
    assert surveys.survey_url(codes[0]) == f"http://127.0.0.1:8000/s/{codes[0]}/"
