"""The signed credential of a certificate, and the PDF it names (docs/credentials.md)."""

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from certification.credentials import current_credential
from certification.models import Credential
from certification.status import certificate_verify

VC_JWT = "application/vc+jwt"


class CertificateCredentialView(APIView):
    """Public, like verification: the certificate's newest signed credential (compact JWS,
    `application/vc+jwt`) when number and code match; the same 404 whichever is wrong. A
    withdrawn certificate's credential is still given: its status list says revoked."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("code", str, required=True, description="the verification code")
        ],
        responses={
            (200, VC_JWT): OpenApiResponse(OpenApiTypes.STR, description="the signed credential"),
            404: OpenApiResponse(description="no certificate has this number and code"),
        },
    )
    def get(self, request, number):
        certificate = certificate_verify(number, request.query_params.get("code", ""))
        credential = current_credential(certificate) if certificate else None
        if credential is None:
            raise Http404
        response = HttpResponse(credential.token, content_type=VC_JWT)
        response["Content-Disposition"] = f'attachment; filename="{certificate.number}.jwt"'
        response["Cache-Control"] = "no-store"
        response["Access-Control-Allow-Origin"] = "*"  # wallets and verifiers in browsers
        return response


class CredentialPdfView(APIView):
    """Public: the certificate's PDF as it was when the credential was issued, byte for
    byte (the credential carries its SHA-256). Its address is in the credential only."""

    permission_classes = [AllowAny]

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            404: OpenApiResponse(description="no credential has this identifier"),
        },
    )
    def get(self, request, public_id):
        credential = (
            Credential.objects.filter(public_id=public_id)
            .select_related("certificate")
            .only("pdf", "certificate__number")
            .first()
        )
        if credential is None:
            raise Http404
        response = HttpResponse(bytes(credential.pdf), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="{credential.certificate.number}-as-issued.pdf"'
        )
        # Never changes: the credential's digest names these bytes.
        response["Cache-Control"] = "public, max-age=31536000, immutable"
        response["Access-Control-Allow-Origin"] = "*"
        return response
