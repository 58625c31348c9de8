"""OpenAPI schema generation: every error response documented, 409 included."""

from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema
from rest_framework import serializers


class Error409Serializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="the guard that refused, e.g. `state`, `answers_complete`, `conflict`"
    )
    detail = serializers.CharField(help_text="why, in a sentence")
    attr = serializers.CharField(allow_null=True)


class ErrorResponse409Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=[("client_error", "client_error")])
    errors = Error409Serializer(many=True)


class AutoSchema(StandardizedErrorsAutoSchema):
    def _should_add_http409_error_response(self) -> bool:
        # A write can meet a refused transition or a concurrent change.
        return self.method in ("POST", "PUT", "PATCH", "DELETE")
