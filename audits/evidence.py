"""What an uploaded file really is, from its content, never from its name."""

import io
import os
import zipfile

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ALLOWED_TYPES = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", XLSX: "XLSX", DOCX: "DOCX"}

# What a file of each type may be named, and the types a client may declare it as.
EXTENSIONS = {
    PDF: (".pdf",),
    JPEG: (".jpg", ".jpeg", ".jpe", ".jfif"),
    PNG: (".png",),
    XLSX: (".xlsx",),
    DOCX: (".docx",),
}
_DECLARED = {
    PDF: {PDF, "application/x-pdf"},
    JPEG: {JPEG, "image/jpg", "image/pjpeg"},
    PNG: {PNG, "image/x-png"},
    XLSX: {XLSX, "application/zip", "application/x-zip-compressed"},
    DOCX: {DOCX, "application/zip", "application/x-zip-compressed"},
}
# What a client sends when it does not know what a file is: no claim to contradict.
_UNDECLARED = {"", "application/octet-stream", "binary/octet-stream"}

# An Office file is a zip; more entries than this is not a document but a trap.
_MAX_ZIP_ENTRIES = 10_000


def sniff_content_type(head: bytes, file) -> str | None:
    """The allowed type the content is, or None. `head` is the first bytes of `file`."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        return _office_type(file)
    return None


def _office_type(file) -> str | None:
    file.seek(0)
    try:
        with zipfile.ZipFile(file if hasattr(file, "seek") else io.BytesIO(file.read())) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        file.seek(0)
    if len(names) > _MAX_ZIP_ENTRIES or "[Content_Types].xml" not in names:
        return None
    if any(name.startswith("xl/") for name in names):
        return XLSX
    if any(name.startswith("word/") for name in names):
        return DOCX
    return None


def name_disagrees(name: str, content_type: str) -> str | None:
    """The file name's extension when it says another type than the content, else None
    (a name without an extension claims nothing)."""
    extension = os.path.splitext(name or "")[1].lower()
    if extension and extension not in EXTENSIONS[content_type]:
        return extension
    return None


def declared_disagrees(declared: str | None, content_type: str) -> str | None:
    """The type the client declared when it contradicts the content, else None."""
    declared = (declared or "").split(";")[0].strip().lower()
    if declared in _UNDECLARED or declared in _DECLARED[content_type]:
        return None
    return declared


def uploads_judged(uploads, *, max_files: int, max_bytes: int) -> list[tuple[object, str]]:
    """Several uploads judged together (complaints, appeals): at most `max_files`, each at
    most `max_bytes` and of an accepted type by its content, named and declared for it. The
    first refusal names the file, as a ValidationError on `files`; each upload comes back
    with its type, rewound."""
    uploads = list(uploads)
    if len(uploads) > max_files:
        raise ValidationError(
            {"files": _("At most %(count)s files at a time.") % {"count": max_files}}
        )
    judged = []
    for upload in uploads:
        name = upload.name or "file"
        if upload.size > max_bytes:
            raise ValidationError(
                {
                    "files": _("%(name)s is over the limit of %(limit)s a file.")
                    % {"name": name, "limit": filesizeformat(max_bytes)}
                }
            )
        upload.seek(0)
        content_type = sniff_content_type(upload.read(16), upload)
        upload.seek(0)
        if (
            content_type is None
            or name_disagrees(name, content_type)
            or declared_disagrees(getattr(upload, "content_type", ""), content_type)
        ):
            raise ValidationError(
                {
                    "files": _(
                        "%(name)s was not accepted: only %(types)s files are, judged by their "
                        "content and named for it."
                    )
                    % {"name": name, "types": ", ".join(ALLOWED_TYPES.values())}
                }
            )
        judged.append((upload, content_type))
    return judged
