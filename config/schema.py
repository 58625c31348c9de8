"""OpenAPI schema generation: every error the server can answer is documented, and only
those, in shapes a generated client can read.

drf-standardized-errors documents each error status from the view's classes. Where its
guesses differ from what our views do, they are corrected here:

- 403: services refuse with PermissionDenied behind IsAuthenticated (a role, not a login),
  so every operation that is not public can answer 403.
- 409 (a refused transition, a concurrent change), 413 (a body over its limit) and 415 are
  answers to writes; a parse error (400) too. A read answers 400 only for bad filters.
- 400 validation errors have one shape everywhere, `attr` a plain string: a per-field enum
  cannot hold the positions the server sends (`suppliers.0.country`, `corridors.3.origin`),
  and a client generated from such an enum fails on the first one it meets.
"""

from drf_spectacular.utils import PolymorphicProxySerializer
from drf_standardized_errors.handler import exception_handler as standardized_errors_handler
from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema
from drf_standardized_errors.openapi_serializers import (
    ClientErrorEnum,
    ParseErrorResponseSerializer,
    ValidationErrorEnum,
)
from rest_framework import serializers
from rest_framework.permissions import AllowAny

WRITES = ("POST", "PUT", "PATCH", "DELETE")
WRITES_WITH_BODY = ("POST", "PUT", "PATCH")


class Error409Serializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="the guard that refused, e.g. `state`, `answers_complete`, `conflict`"
    )
    detail = serializers.CharField(help_text="why, in a sentence")
    attr = serializers.CharField(allow_null=True)


class ErrorResponse409Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = Error409Serializer(many=True)


ERROR_CODE_413 = [("request_too_large", "request_too_large")]


class Error413Serializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=ERROR_CODE_413)
    detail = serializers.CharField(help_text="the limit, in words")
    attr = serializers.CharField(allow_null=True)


class ErrorResponse413Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = Error413Serializer(many=True)


class FieldErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="what is wrong, e.g. `required`, `invalid`")
    detail = serializers.CharField(help_text="the same, in a sentence")
    attr = serializers.CharField(
        allow_null=True,
        help_text="the field, with list positions as numbers (`suppliers.0.country`); "
        "`non_field_errors` or null for the request as a whole",
    )


class ValidationErrorResponseSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ValidationErrorEnum.choices)
    errors = FieldErrorSerializer(many=True)


class AutoSchema(StandardizedErrorsAutoSchema):
    def _is_public(self) -> bool:
        permissions = self.view.get_permissions()
        return bool(permissions) and all(type(p) is AllowAny for p in permissions)

    def get_auth(self):
        """The credentials each operation really takes. A permission class may name its own
        (`schema_security`: an employer key only); an operation for people takes a token or
        the session, never an employer key (it speaks for no person, and is answered 403);
        a public one requires none (a credential sent only chooses the rate limit), so its
        security is empty, as generated clients read it."""
        auths = super().get_auth()
        named = [
            getattr(permission, "schema_security", None)
            for permission in self.view.get_permissions()
        ]
        named = [names for names in named if names]
        if named:
            return [{name: []} for name in named[0]]
        if self._is_public():
            return []
        return [auth for auth in auths if auth and "employerKey" not in auth]

    def _should_add_error_response(self, responses: dict, status_code: str) -> bool:
        if (
            self.view.get_exception_handler() is not standardized_errors_handler
            or status_code in responses
        ):
            return False
        if status_code == "403":
            return not self._is_public()
        if status_code == "409":
            return self.method in WRITES
        if status_code == "413":
            return self.method in WRITES  # any body over its limit
        if status_code == "415":
            return self.method in WRITES_WITH_BODY
        return super()._should_add_error_response(responses, status_code)

    def _should_add_http401_error_response(self) -> bool:
        # A public operation takes no credential, but answers 401 to a wrong one.
        return bool(self.view.get_authenticators())

    def _should_add_parse_error_response(self) -> bool:
        return self.method in WRITES_WITH_BODY and super()._should_add_parse_error_response()

    def _should_add_validation_error_response(self) -> bool:
        # A read is refused with 400 when one of its query parameters is not as declared
        # (a page size, a filter, a language, a file format).
        has_query = any(p["in"] == "query" for p in self._get_parameters())
        return (
            self.method in WRITES_WITH_BODY
            or has_query
            or super()._should_add_validation_error_response()
        )

    def _get_http400_serializer(self):
        variants = {}
        if self._should_add_validation_error_response():
            variants[ValidationErrorEnum.VALIDATION_ERROR.value] = ValidationErrorResponseSerializer
        if self._should_add_parse_error_response():
            variants[ClientErrorEnum.CLIENT_ERROR.value] = ParseErrorResponseSerializer
        if len(variants) == 1:
            return next(iter(variants.values()))
        return PolymorphicProxySerializer(
            component_name="ErrorResponse400",
            serializers=variants,
            resource_type_field_name="type",
        )
