"""The certificate as a PDF (reportlab): its facts, the scope, a QR code of the public
verification URL (also printed), fonts embedded for every Latin-script language, Greek and
Cyrillic, in English or French. A certificate that is not valid never prints as valid: its
status is written across the page. A certificate reissued under a new name prints its
revision and the name before ("formerly ...") while it is valid or suspended. Its words
are this module's own (LABELS), in the certificate's language."""

import io
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone, translation
from pypdf import PdfWriter
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from certification.labels import day, sectors_in_words
from certification.models import Certificate, CertificateStatus
from certification.status import former_name

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR, BOLD = "FairrecruitSans", "FairrecruitSans-Bold"
LANGUAGES = ("en", "fr")

LABELS = {
    "en": {
        "title": "Certificate of ethical recruitment",
        "intro": "This certifies that the labour recruiter",
        "meets": "meets the standard {standard} version {version}",
        "registration": "Registration number",
        "country": "Country",
        "corridors": "Corridors",
        "sectors": "Sectors",
        "number": "Certificate number",
        "revision": "Revision",
        "formerly": "formerly {name}",
        "issued": "Issued on",
        "valid": "Valid from {start} until {end}",
        "decision": "Certification decision of",
        "verify": "Check that this certificate is valid:",
        "status_label": "Status",
        "status_names": {
            CertificateStatus.VALID: "valid",
            CertificateStatus.SUSPENDED: "suspended",
            CertificateStatus.WITHDRAWN: "withdrawn",
            CertificateStatus.EXPIRED: "expired",
            CertificateStatus.NOT_YET_VALID: "not yet valid",
        },
        "status": {
            CertificateStatus.SUSPENDED: "SUSPENDED",
            CertificateStatus.WITHDRAWN: "WITHDRAWN",
            CertificateStatus.EXPIRED: "EXPIRED",
            CertificateStatus.NOT_YET_VALID: "NOT YET VALID",
        },
    },
    "fr": {
        "title": "Certificat de recrutement éthique",
        "intro": "Nous certifions que l'agence de recrutement",
        "meets": "satisfait au référentiel {standard} version {version}",
        "registration": "Numéro d'enregistrement",
        "country": "Pays",
        "corridors": "Corridors",
        "sectors": "Secteurs",
        "number": "Numéro du certificat",
        "revision": "Révision",
        "formerly": "anciennement {name}",
        "issued": "Délivré le",
        "valid": "Valide du {start} au {end}",
        "decision": "Décision de certification du",
        "verify": "Vérifiez la validité de ce certificat :",
        "status_label": "Statut",
        "status_names": {
            CertificateStatus.VALID: "valide",
            CertificateStatus.SUSPENDED: "suspendu",
            CertificateStatus.WITHDRAWN: "retiré",
            CertificateStatus.EXPIRED: "expiré",
            CertificateStatus.NOT_YET_VALID: "pas encore valide",
        },
        "status": {
            CertificateStatus.SUSPENDED: "SUSPENDU",
            CertificateStatus.WITHDRAWN: "RETIRÉ",
            CertificateStatus.EXPIRED: "EXPIRÉ",
            CertificateStatus.NOT_YET_VALID: "PAS ENCORE VALIDE",
        },
    },
}


@cache
def register_fonts() -> None:
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))


def verification_url(certificate: Certificate) -> str:
    """The public verification page (no sign-in), which the QR code opens."""
    return (
        f"{settings.PUBLIC_BASE_URL}/verify/{certificate.number}/"
        f"?code={certificate.verification_code}"
    )


def _qr(url: str, size: float) -> Drawing:
    widget = QrCodeWidget(url)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    return drawing


def certificate_pdf(certificate: Certificate, *, language: str = "en", today=None) -> bytes:
    """The certificate, as it stands today."""
    language = language if language in LANGUAGES else "en"
    with translation.override(language):  # country names in the certificate's language
        return _certificate_pdf(certificate, language, today)


CREDENTIAL_FILE = "credential.jwt"


def with_credential(pdf: bytes, token: str) -> bytes:
    """The PDF with the signed credential inside, as an embedded file (a PDF reader lists
    it among the attachments; `pdfdetach` extracts it)."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    writer.add_attachment(CREDENTIAL_FILE, token.encode())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _certificate_pdf(certificate: Certificate, language: str, today) -> bytes:
    register_fonts()
    labels = LABELS[language]
    today = today or timezone.localdate()
    status = certificate.status_on(today)
    url = verification_url(certificate)

    buffer = io.BytesIO()
    width, height = landscape(A4)
    page = canvas.Canvas(buffer, pagesize=(width, height))
    page.setTitle(f"{labels['title']} {certificate.number}")
    page.setAuthor("fairrecruit")
    page.setStrokeColor(colors.HexColor("#1f4e79"))
    page.setLineWidth(3)
    page.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)

    def centred(text: str, y: float, font: str = REGULAR, size: int = 12) -> None:
        page.setFont(font, size)
        page.drawCentredString(width / 2, y, text)

    top = height - 38 * mm
    centred(labels["title"], top, BOLD, 24)
    centred(labels["intro"], top - 16 * mm, size=13)
    centred(certificate.agency_name, top - 30 * mm, BOLD, 22)
    centred(certificate.agency_legal_name, top - 38 * mm, size=12)
    former = former_name(certificate, today)
    if former:  # renamed by an approved change of identity, while the certificate is in force
        centred(labels["formerly"].format(name=former), top - 44 * mm, size=10)
    centred(
        labels["meets"].format(
            standard=certificate.standard.code, version=certificate.standard.version
        ),
        top - 50 * mm,
        size=13,
    )
    rows = [
        (labels["country"], certificate.agency_country.name),
        (labels["registration"], certificate.agency_registration_number),
        (labels["corridors"], ", ".join(certificate.corridors) or "—"),
        (labels["sectors"], sectors_in_words(certificate.sectors) or "—"),
        (labels["number"], certificate.number),
        *([(labels["revision"], str(certificate.revision))] if certificate.revision > 1 else []),
        (labels["issued"], day(certificate.issued_on)),
        (
            "",
            labels["valid"].format(
                start=day(certificate.valid_from), end=day(certificate.valid_until)
            ),
        ),
        (labels["decision"], day(timezone.localdate(certificate.decision.decided_at))),
        (labels["status_label"], f"{labels['status_names'][status]} ({day(today)})"),
    ]
    y = top - 66 * mm
    for label, value in rows:
        page.setFont(BOLD, 11)
        page.drawRightString(width / 2 - 40 * mm, y, label)
        page.setFont(REGULAR, 11)
        page.drawString(width / 2 - 36 * mm, y, value)
        y -= 7 * mm

    renderPDF.draw(_qr(url, 32 * mm), page, width - 58 * mm, 20 * mm)
    page.setFont(REGULAR, 8)
    page.drawString(20 * mm, 26 * mm, labels["verify"])
    page.drawString(20 * mm, 21 * mm, url)

    if status != CertificateStatus.VALID:
        page.saveState()
        page.setFillColor(colors.Color(0.8, 0, 0, alpha=0.35))
        page.setFont(BOLD, 72)
        page.translate(width / 2, height / 2)
        page.rotate(25)
        page.drawCentredString(0, 0, labels["status"][status])
        page.restoreState()

    page.showPage()
    page.save()
    return buffer.getvalue()
