"""The cards of a survey batch as a PDF (reportlab): A4 sheets of eight cards to cut along
the dashed lines, each with the QR code of its survey page, the short address and the code
printed large, and the promise of anonymity in English and French. Auditors and partner
organisations hand them to workers; the agency never sees them.

The sheet's header (cut away) names the agency and the batch for whoever hands the cards
out; a card itself names nothing but the survey, so that a worker carrying one is not
marked by it."""

import io

from django.utils import timezone
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from monitoring.models import SurveyBatch
from monitoring.surveys import survey_code_printed, survey_url

COLUMNS, ROWS = 2, 4
CARDS_PER_PAGE = COLUMNS * ROWS
MARGIN = 12 * mm
HEADER = 8 * mm
PADDING = 4 * mm
QR_SIZE = 36 * mm
REGULAR, BOLD, CODE = "Helvetica", "Helvetica-Bold", "Courier-Bold"

TITLE = "Worker survey · Enquête auprès des travailleurs"
SCAN = "Scan the code, or go to: · Scannez le code, ou allez sur :"
YOUR_CODE = "Your code · Votre code :"
ANONYMOUS = (
    "Your answers are anonymous. The agency never sees them.",
    "Vos réponses sont anonymes. L'agence ne les voit jamais.",
)
ANSWER_BEFORE = "Answer before · Répondez avant le : {date}"


def short_url(code: str) -> str:
    """The card's address without `https://`, to type on a phone."""
    url = survey_url(code)
    return url.split("://", 1)[-1].rstrip("/")


def _qr(url: str, size: float) -> Drawing:
    """A QR code of `url`, `size` points square (quiet zone included)."""
    drawing = Drawing(size, size)
    drawing.add(QrCodeWidget(url, barWidth=size, barHeight=size, barBorder=2))
    return drawing


def _fitted(text: str, font: str, size: float, width: float) -> float:
    """The font size, at most `size`, at which `text` fits in `width`."""
    return min(size, size * width / max(stringWidth(text, font, size), 1))


def _card(page: canvas.Canvas, x: float, y: float, w: float, h: float, code, valid_until):
    page.setStrokeColor(colors.grey)
    page.setDash(3, 3)
    page.rect(x, y, w, h)
    page.setDash()
    inner = w - 2 * PADDING
    top = y + h - PADDING

    page.setFillColor(colors.black)
    page.setFont(BOLD, _fitted(TITLE, BOLD, 10, inner))
    page.drawString(x + PADDING, top - 9, TITLE)

    qr_top = top - 14
    renderPDF.draw(_qr(survey_url(code), QR_SIZE), page, x + PADDING, qr_top - QR_SIZE)

    left = x + PADDING + QR_SIZE + 3 * mm
    width = x + w - PADDING - left
    line = qr_top - 8
    for words in simpleSplit(SCAN, REGULAR, 7, width):
        page.setFont(REGULAR, 7)
        page.drawString(left, line, words)
        line -= 8.5
    address = short_url(code)
    size = _fitted(address, BOLD, 9, width)
    page.setFont(BOLD, size)
    page.drawString(left, line - 2, address)
    line -= size + 10
    page.setFont(REGULAR, 7)
    page.drawString(left, line, YOUR_CODE)
    printed = survey_code_printed(code)
    size = _fitted(printed, CODE, 17, width)
    page.setFont(CODE, size)
    page.drawString(left, line - size - 1, printed)

    line = qr_top - QR_SIZE - 11
    page.setFont(REGULAR, 7.5)
    for sentence in ANONYMOUS:
        for words in simpleSplit(sentence, REGULAR, 7.5, inner):
            page.drawString(x + PADDING, line, words)
            line -= 9
    page.setFont(REGULAR, 7)
    page.drawString(x + PADDING, line - 2, ANSWER_BEFORE.format(date=valid_until.isoformat()))


def survey_cards_pdf(batch: SurveyBatch, codes: list[str]) -> bytes:
    """The printable cards of `codes` (from `surveys.survey_batch_issue` or
    `surveys.survey_batch_codes`), in their order, eight to an A4 page. Each card's QR
    code opens `surveys.survey_url(code)`."""
    buffer = io.BytesIO()
    width, height = A4
    page = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    page.setTitle("Worker survey cards")
    page.setAuthor("fairrecruit")
    card_w = (width - 2 * MARGIN) / COLUMNS
    card_h = (height - 2 * MARGIN - HEADER) / ROWS
    valid_until = timezone.localdate(batch.expires_at)
    corridor = f" · {batch.corridor_label.replace('→', '-')}" if batch.has_corridor else ""
    pages = max(1, -(-len(codes) // CARDS_PER_PAGE))
    for number in range(pages):
        page.setFont(REGULAR, 7)
        page.setFillColor(colors.grey)
        page.drawString(
            MARGIN,
            height - MARGIN - 8,
            f"{batch.agency.name}{corridor} · batch {str(batch.public_id)[:8]} · "
            f"{batch.count} codes · valid until {valid_until.isoformat()} · "
            f"sheet {number + 1}/{pages} · cut along the dashed lines",
        )
        chunk = codes[number * CARDS_PER_PAGE : (number + 1) * CARDS_PER_PAGE]
        for index, code in enumerate(chunk):
            column, row = index % COLUMNS, index // COLUMNS
            x = MARGIN + column * card_w
            y = height - MARGIN - HEADER - (row + 1) * card_h
            _card(page, x, y, card_w, card_h, code, valid_until)
        page.showPage()
    page.save()
    return buffer.getvalue()
