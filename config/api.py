"""What every endpoint of /api/v1/ shares: the error format, pagination and throttling.

Errors follow drf-standardized-errors: `{"type": "client_error" | "validation_error" |
"server_error", "errors": [{"code", "detail", "attr"}]}`, where `attr` names the field.
A refused transition is 409 with the guard as code and its sentence as detail.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import JsonResponse
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt
from django_fsm import ConcurrentTransition
from django_fsm import TransitionNotAllowed as FSMTransitionNotAllowed
from drf_standardized_errors.handler import ExceptionHandler
from rest_framework import exceptions

from config.uploads import UploadTooLarge


class Conflict(exceptions.APIException):
    status_code = 409
    default_detail = "The resource changed meanwhile; read it again and retry."
    default_code = "conflict"


class RequestTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = "The request is too large."
    default_code = "request_too_large"


class ErrorHandler(ExceptionHandler):
    def convert_known_exceptions(self, exc: Exception) -> Exception:
        if isinstance(exc, UploadTooLarge):
            return RequestTooLarge()
        if isinstance(exc, FSMTransitionNotAllowed):
            return Conflict(detail=str(exc), code=getattr(exc, "guard", "transition_not_allowed"))
        if isinstance(exc, ConcurrentTransition | IntegrityError):
            return Conflict()
        if isinstance(exc, DjangoValidationError):
            detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
            return exceptions.ValidationError(detail=detail)
        if isinstance(exc, DjangoPermissionDenied):
            return exceptions.PermissionDenied(detail=str(exc) or None)
        return super().convert_known_exceptions(exc)


def _json_error(status: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse(
        {
            "type": "client_error" if status < 500 else "server_error",
            "errors": [{"code": code, "detail": detail, "attr": None}],
        },
        status=status,
    )


@csrf_exempt  # nothing here to protect, and the answer stays JSON
def unknown_api_url(request, *args, **kwargs):
    """Any URL under /api/ that no route takes: the JSON 404 of the API, DEBUG or not."""
    detail = "Not found."
    if not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not unknown_api_url:
            detail = "Not found. The API's paths end with a slash: " + request.path + "/"
    return _json_error(404, "not_found", detail)


def not_found(request, exception=None):
    """URL-level 404: JSON under /api/, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return _json_error(404, "not_found", "Not found.")
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def forbidden(request, exception=None):
    """URL-level 403: JSON under /api/, our page elsewhere."""
    if request.path.startswith("/api/"):
        return _json_error(
            403, "permission_denied", "You do not have permission to perform this action."
        )
    from django.views.defaults import permission_denied

    return permission_denied(request, exception)


def server_error(request):
    if request.path.startswith("/api/"):
        return _json_error(500, "error", "A server error occurred.")
    from django.views.defaults import server_error as page

    return page(request)
