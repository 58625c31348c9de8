"""Domain errors of the workflow. The API maps TransitionNotAllowed to 409, PermissionDenied
to 403 or 404, ValidationError to 400."""

import django_fsm
from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["PermissionDenied", "TransitionNotAllowed", "ValidationError"]


class TransitionNotAllowed(django_fsm.TransitionNotAllowed):
    """A transition refused by its source state or a guard; `guard` names which, and the
    message says why in a sentence."""

    def __init__(self, message: str, *, guard: str):
        self.guard = guard
        super().__init__(message)
