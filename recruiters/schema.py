"""How the API's authentication schemes appear in the OpenAPI schema."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    target_class = "recruiters.authentication.PersonalTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal token from POST /api/v1/auth/token/: `Authorization: Bearer frp_…`",
        }


class EmployerKeyScheme(OpenApiAuthenticationExtension):
    target_class = "recruiters.authentication.EmployerKeyAuthentication"
    name = "employerKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "An employer API key: `Authorization: Api-Key fre_…`",
        }
