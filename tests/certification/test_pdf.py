"""The certificate PDF: faithful to the data, fonts embedded, the verification URL in a QR
code and in text, in English or French, never printed as valid when it is not."""

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from certification import services
from certification.pdf import certificate_pdf, verification_url
from tests.certification.world import World
from tests.dates import long_day

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    """The words of every page, with single spaces between them."""
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )


def fonts_of(pdf: bytes) -> dict[str, bool]:
    """Each font of the page, and whether its glyphs are embedded in the file."""
    fonts = {}
    for font in PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        descriptor = font.get("/FontDescriptor")
        fonts[str(font["/BaseFont"])] = (
            descriptor is not None and "/FontFile2" in descriptor.get_object()
        )
    return fonts


@pytest.fixture
def world():
    return World()


def test_the_certificate_states_its_facts_and_how_to_verify_it(world):
    certificate = world.case_in("certified").certificate

    pdf = certificate_pdf(certificate)
    text = text_of(pdf)

    assert pdf.startswith(b"%PDF")
    for fact in (
        "Certificate of ethical recruitment",
        "Kathmandu Fair Jobs",
        world.agency.registration_number,
        "Nepal",
        "NP-QA",
        "Construction",  # the sector by its name, not its code
        certificate.number,
        f"Valid from {long_day(certificate.valid_from)} until {long_day(certificate.valid_until)}",
        "meets the standard mini version 1.0",
        verification_url(certificate),
        "Status valid",
    ):
        assert fact in text, fact
    assert "SUSPENDED" not in text
    # DejaVu Sans, regular and bold, subset and embedded (reportlab also lists its default
    # Helvetica, which draws nothing here).
    ours = {
        name.split("+")[-1]: embedded
        for name, embedded in fonts_of(pdf).items()
        if "DejaVu" in name
    }
    assert ours == {"DejaVuSans": True, "DejaVuSans-Bold": True}


def test_the_certificate_speaks_french(world):
    certificate = world.case_in("certified").certificate

    text = text_of(certificate_pdf(certificate, language="fr"))

    assert "Certificat de recrutement éthique" in text
    assert "Népal" in text
    assert (
        f"Valide du {long_day(certificate.valid_from, 'fr')} au {long_day(certificate.valid_until, 'fr')}"
        in text
    )


@pytest.mark.parametrize(
    "name",
    [
        "Công ty Tuyển dụng Đông Nam",
        "Ελληνική Εργασία",
        "Кадровое агентство",
        "Çalışma İşçi Ajansı",  # noqa: RUF001 - Turkish dotless i, on purpose
        "Agencja Pracy Łódź",
    ],
)
def test_names_in_other_scripts_are_kept(world, name):
    world.agency.name = name
    world.agency.save()
    certificate = world.case_in("certified").certificate

    assert name in text_of(certificate_pdf(certificate))


@pytest.mark.parametrize(
    ("state", "banner"),
    [("suspended", "SUSPENDED"), ("withdrawn", "WITHDRAWN"), ("expired", "EXPIRED")],
)
def test_a_certificate_that_is_not_valid_says_so_across_the_page(world, state, banner):
    certificate = world.case_in(state).certificate

    text = text_of(certificate_pdf(certificate))

    assert banner in text
    assert f"Status {banner.lower()}" in text
    assert "Status valid" not in text


def test_a_renewal_not_yet_in_force_says_so(world):
    certificate = world.case_in("certified").certificate

    before = certificate.valid_from - timedelta(days=1)

    assert "NOT YET VALID" in text_of(certificate_pdf(certificate, today=before))


def test_the_case_people_download_it_over_the_api(api, world):
    case = world.case_in("certified")
    api.force_authenticate(world.agency_member)

    response = api.get(f"/api/v1/cases/{case.pk}/certificate/", {"language": "fr"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Certificat de recrutement éthique" in text_of(response.content)
    services.case_suspend(actor=world.reviewer, case=case, reason="Complaint.")
    assert "SUSPENDU" in text_of(
        api.get(f"/api/v1/cases/{case.pk}/certificate/", {"language": "fr"}).content
    )


def test_a_case_without_certificate_has_no_pdf(api, world):
    case = world.case_in("in_review")
    api.force_authenticate(world.agency_member)

    assert api.get(f"/api/v1/cases/{case.pk}/certificate/").status_code == 404


def test_the_documents_speak_the_case_language_unless_asked_otherwise(api, world):
    french = services.case_open(
        actor=world.agency_member, agency=world.agency, standard=world.standard, language="fr"
    )
    services.case_cancel(actor=world.agency_member, case=french)
    case = world.case_in("certified")
    case.language = "fr"
    case.save(update_fields=["language"])
    api.force_authenticate(world.agency_member)

    assert french.language == "fr"
    assert "Certificat de recrutement éthique" in text_of(
        api.get(f"/api/v1/cases/{case.pk}/certificate/").content
    )
    assert "Certificate of ethical recruitment" in text_of(
        api.get(f"/api/v1/cases/{case.pk}/certificate/", {"language": "en"}).content
    )
