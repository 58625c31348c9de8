"""What a complaint's intake needs from above monitoring (DESIGN.md §1): the agency found by
its name, registration or certificate number (certificates live here), and files judged by
their content with the evidence checks of audits/evidence.py, which monitoring may not
import. Both web page and API call these, then `monitoring.services.complaint_file`; and a
stored file handed back to a reviewer as a download."""

from django.conf import settings
from django.db.models import Q
from django.http import HttpResponse

from audits.evidence import EXTENSIONS, uploads_judged
from certification.models import Certificate
from monitoring.models import Complaint, ComplaintFile
from monitoring.services import CheckedFile
from recruiters.models import Agency
from recruiters.models.parties import name_key


def agency_resolve(text: str) -> Agency | None:
    """The one agency the text names (name, legal name, registration, licence or certificate
    number, without case), else None: two agencies of one name are not guessed between."""
    text = (text or "").strip()
    if not text:
        return None
    key = name_key(text)
    by_certificate = Certificate.objects.filter(number__iexact=text).values("case__agency")
    found = list(
        Agency.objects.filter(
            Q(name_key=key)
            | Q(legal_name__iexact=text)
            | Q(registration_number__iexact=text)
            | Q(licence_number__iexact=text)
            | Q(pk__in=by_certificate)
        )
        .distinct()
        .order_by("pk")[:2]
    )
    return found[0] if len(found) == 1 else None


def files_check(uploads) -> list[CheckedFile]:
    """Each upload's content judged (PDF, JPEG, PNG, XLSX, DOCX) and its size bounded
    (audits.evidence.uploads_judged); the first refusal names the file."""
    checked = []
    for upload, content_type in uploads_judged(
        uploads,
        max_files=settings.COMPLAINT_MAX_FILES,
        max_bytes=settings.COMPLAINT_FILE_MAX_BYTES,
    ):
        checked.append(CheckedFile(content_type=content_type, data=upload.read()))
        upload.seek(0)
    return checked


def file_response(complaint: Complaint, stored: ComplaintFile, data: bytes) -> HttpResponse:
    """A complaint's file as a download: a name of our own (never the original), no sniffing."""
    response = HttpResponse(data, content_type=stored.content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{complaint.number}-{stored.pk}{EXTENSIONS[stored.content_type][0]}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
