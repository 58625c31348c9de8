"""What every page needs: who the person is (`roles_of`, from recruiters), the case they may see, and service errors
turned into messages beside the form they concern."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from certification.selectors import CaseAccess
from recruiters.roles import roles_of


def access_of(request) -> CaseAccess:
    """What the person may see of cases, worked out once per request."""
    if not hasattr(request, "_fairrecruit_access"):
        request._fairrecruit_access = CaseAccess(request.user)
    return request._fairrecruit_access


def field_slug(code: str) -> str:
    """A standard's code as it may stand in a form field's name or an HTML id."""
    return re.sub(r"[^A-Za-z0-9]", "-", code)


def case_or_404(request, pk: int):
    """The case, if the person may see it; the same 404 whether it exists or not."""
    case = access_of(request).cases().filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def employer_or_404(request):
    employer = roles_of(request).employer
    if employer is None:
        raise Http404
    return employer


def employer_administrator_or_403(request):
    """The employer, for its administrators: they manage its webhooks and API keys."""
    employer = employer_or_404(request)
    if not roles_of(request).employer_administrator:
        raise PermissionDenied(
            _("Only your organisation's administrators manage its webhooks and API keys.")
        )
    return employer


def apply_service_errors(form, error: Exception) -> int:
    """Put a service's refusal on the form, next to the field it concerns when it names one;
    returns the HTTP status the page answers with."""
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                target = name if name in form.fields else None
                for message in messages:
                    form.add_error(target, message)
        else:
            for message in error.messages:
                form.add_error(None, message)
        return 400
    if isinstance(error, TransitionNotAllowed):
        form.add_error(None, str(error))
        return 409
    if isinstance(error, ConcurrentTransition):
        form.add_error(
            None, _("Someone changed this case meanwhile. Reload the page and try again.")
        )
        return 409
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error) or "not allowed")
        return 403
    raise error


SERVICE_ERRORS = (ValidationError, TransitionNotAllowed, ConcurrentTransition, PermissionDenied)
