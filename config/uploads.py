"""Request bodies bounded while they arrive, not after they were received whole.

The views that take a file are named in UPLOAD_LIMITS with the setting of their limit
(config wires the apps, so the table lives here; a test posts a file too large to each);
every other view takes bodies up to DATA_UPLOAD_MAX_MEMORY_SIZE (forms and JSON). Two
guards:

- `RequestSizeMiddleware`, before any middleware or view reads the body: a Content-Length
  over the limit (plus a small allowance for the multipart envelope and the form's other
  fields) is answered 413 without reading a byte of it; a multipart body within it is
  parsed here, so that the second guard's refusal is a 413 too.
- `BoundedUploadHandler`, first of FILE_UPLOAD_HANDLERS: counts the file bytes as they
  stream in and stops the upload at the limit, whatever the Content-Length said (a body
  that lies, or one sent without a length to a server that passes it on). The handlers
  after it keep a file in memory up to FILE_UPLOAD_MAX_MEMORY_SIZE, else in a temporary
  file, which therefore never grows past the limit.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.core.files.uploadhandler import FileUploadHandler
from django.http import JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext

# Boundaries, part headers and the form's other fields around the file.
ENVELOPE_BYTES = 64 * 1024


class UploadTooLarge(RequestDataTooBig):
    """Where no 413 is answered for it (see the middleware), Django answers 400."""

    def __init__(self, limit: int):
        super().__init__(f"the request body is over its limit of {limit} bytes")
        self.limit = limit


# URL name -> the setting that bounds its files.
UPLOAD_LIMITS = {
    "api:case-evidence": "EVIDENCE_MAX_BYTES",
    "api:case-workbook": "WORKBOOK_MAX_BYTES",
    "web:self-assessment-evidence": "EVIDENCE_MAX_BYTES",
    "web:finding-evidence": "EVIDENCE_MAX_BYTES",
    "web:corrective-action": "EVIDENCE_MAX_BYTES",
    "web:workbook": "WORKBOOK_MAX_BYTES",
    "web:supplier-check": "SUPPLIER_LIST_MAX_BYTES",
    # A complaint's files together (each is bounded by COMPLAINT_FILE_MAX_BYTES on intake).
    "api:complaint-list": "COMPLAINT_UPLOAD_MAX_BYTES",
    "api:complaint-follow-messages": "COMPLAINT_UPLOAD_MAX_BYTES",
    "web:complaint-new": "COMPLAINT_UPLOAD_MAX_BYTES",
    "web:complaint-follow-message": "COMPLAINT_UPLOAD_MAX_BYTES",
}


def _content_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0  # Django reads nothing of a body whose length it cannot read


def too_large(request, limit: int, *, files: bool):
    """413, as JSON under /api/ and as a page elsewhere."""
    if files:
        detail = gettext("The request is too large: files of up to %(size)s are accepted.")
    else:
        detail = gettext("The request is too large: at most %(size)s are accepted.")
    detail %= {"size": filesizeformat(limit)}
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "type": "client_error",
                "errors": [{"code": "request_too_large", "detail": detail, "attr": None}],
            },
            status=413,
        )
    referer = urlsplit(request.META.get("HTTP_REFERER", ""))
    back = referer.path if referer.netloc == request.get_host() and referer.path else None
    return render(request, "413.html", {"detail": detail, "back": back}, status=413)


def too_many_files(request):
    """More files than DATA_UPLOAD_MAX_NUMBER_FILES in one request: said in the API's error
    format or on a page, not Django's bare 400."""
    detail = gettext("Too many files in one request: at most %(count)s are accepted.") % {
        "count": settings.DATA_UPLOAD_MAX_NUMBER_FILES
    }
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "type": "validation_error",
                "errors": [{"code": "too_many_files", "detail": detail, "attr": "files"}],
            },
            status=400,
        )
    return render(request, "413.html", {"detail": detail, "back": None}, status=400)


class RequestSizeMiddleware:
    """Put before any middleware that reads the body (CsrfViewMiddleware reads forms)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        match = request.resolver_match
        setting = UPLOAD_LIMITS.get(match.view_name) if match else None
        if setting:
            file_limit = getattr(settings, setting)
            allowed = file_limit + ENVELOPE_BYTES
        else:
            file_limit = allowed = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        request.upload_max_bytes = file_limit
        if _content_length(request) > allowed:
            return too_large(request, file_limit, files=bool(setting))
        if setting and request.content_type == "multipart/form-data":
            try:
                request.FILES  # noqa: B018 - parsed now, under the handler's count
            except UploadTooLarge:
                _discard_partial_files(request)
                return too_large(request, file_limit, files=True)
            except TooManyFilesSent:
                _discard_partial_files(request)
                return too_many_files(request)
        return None


def _discard_partial_files(request) -> None:
    """The part of a file received before the cut, closed (a temporary one is deleted)."""
    for handler in request.upload_handlers:
        partial = getattr(handler, "file", None)
        if partial is not None:
            partial.close()


class BoundedUploadHandler(FileUploadHandler):
    """Stops an upload as soon as its files pass the request's limit."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0

    def _limit(self) -> int:
        return getattr(self.request, "upload_max_bytes", settings.DATA_UPLOAD_MAX_MEMORY_SIZE)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self._limit():
            raise UploadTooLarge(self._limit())
        return raw_data

    def file_complete(self, file_size):
        return None
