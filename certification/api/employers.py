"""Employer-facing endpoints: the public registry, an agency's status and certificate
verification; bulk supplier checks (supplier_checks.py) and the watchlist and webhooks
(watchlists.py) take an employer key, whose permission and the shapes of an agency and its
certificate they share from here. Their paths are a public contract (docs/api.md)."""

from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from certification import exports
from certification.api.lists import query_choice
from certification.filters import RegistryFilter
from certification.models import CertificateStatus, certificate_status
from certification.status import (
    CERTIFIED,
    EXPIRED,
    PUBLIC_STATUS,
    SUSPENDED,
    WITHDRAWN,
    PublicStatus,
    agency_ref,
    agency_status,
    cached_agency_status,
    certificate_summary,
    certificate_verify,
    certified_as,
    current_certificates_queryset,
    shown_former_name,
)
from recruiters.models import Agency, EmployerAPIKey


class HasEmployerKey(BasePermission):
    message = "An employer API key is required."
    schema_security = ["employerKey"]  # config.schema: the only credential these take

    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, EmployerAPIKey)


# --- registry -------------------------------------------------------------------------


# A row of REGISTRY_VALUES: the registry is read as values, no model object per row.
class RegistryEntrySerializer(serializers.Serializer):
    id = serializers.UUIDField(source="case__agency__public_id")
    name = serializers.CharField(source="agency_name")  # as certified
    country = serializers.CharField(source="agency_country")
    corridors = serializers.ListField(child=serializers.CharField())
    sectors = serializers.ListField(child=serializers.CharField())
    status = serializers.SerializerMethodField()
    former_name = serializers.SerializerMethodField(
        help_text="the name before an approved rename, while the certificate is valid or "
        "suspended; else null"
    )
    certificate_number = serializers.CharField(source="number")
    revision = serializers.IntegerField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()

    def _status(self, row) -> str:
        return certificate_status(
            row["case__state"], row["valid_from"], row["valid_until"], self.context["today"]
        )

    @extend_schema_field(
        serializers.ChoiceField(choices=[CERTIFIED, SUSPENDED, WITHDRAWN, EXPIRED])
    )
    def get_status(self, row) -> str:
        return PUBLIC_STATUS[self._status(row)]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_former_name(self, row) -> str | None:
        return shown_former_name(row["revision"], row["former_name"], self._status(row))


REGISTRY_VALUES = (
    "id",  # the cursor's order
    "case__agency__public_id",
    "case__state",
    "agency_name",
    "agency_country",
    "corridors",
    "sectors",
    "former_name",
    "number",
    "revision",
    "valid_from",
    "valid_until",
)


class RegistryView(generics.ListAPIView):
    """Agencies that are or were certified, with their current certificate. Public."""

    permission_classes = [AllowAny]
    serializer_class = RegistryEntrySerializer
    filterset_class = RegistryFilter

    def get_queryset(self):
        return current_certificates_queryset(timezone.localdate())

    def paginate_queryset(self, queryset):
        return super().paginate_queryset(queryset.values(*REGISTRY_VALUES))

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}


# --- one agency's status ------------------------------------------------------------------


class CertificateSummarySerializer(serializers.Serializer):
    number = serializers.CharField()
    revision = serializers.IntegerField(
        help_text="1 at issue; the next one each time an approved change of the agency's "
        "identity reissued it (same number, same verification code)"
    )
    former_name = serializers.CharField(
        allow_null=True,
        help_text="the agency's name before an approved rename, while the certificate is "
        "valid or suspended; else null",
    )
    issued = serializers.DateField()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()
    scope = inline_serializer(
        "CertificateScope",
        {
            "countries": serializers.ListField(child=serializers.CharField()),
            "corridors": serializers.ListField(child=serializers.CharField()),
            "sectors": serializers.ListField(child=serializers.CharField()),
        },
    )
    standard = inline_serializer(
        "StandardVersion", {"code": serializers.CharField(), "version": serializers.CharField()}
    )


STATUSES = PublicStatus.values


class AgencyRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    country = serializers.CharField()


class AgencyStatusSerializer(serializers.Serializer):
    agency = AgencyRefSerializer()
    status = serializers.ChoiceField(choices=STATUSES)
    certificate = CertificateSummarySerializer(allow_null=True)
    since = serializers.DateTimeField(allow_null=True)
    last_audit = inline_serializer(
        "LastAudit",
        {"kind": serializers.CharField(), "completed_at": serializers.DateTimeField()},
        allow_null=True,
    )
    under_appeal = serializers.BooleanField(
        required=False,
        help_text="only where the scheme shows appeals (APPEAL_SHOWN_ON_PUBLIC_STATUS): a "
        "decision about the agency is under appeal; the status stays in force meanwhile",
    )


class AgencyStatusView(APIView):
    """An agency's certification status. Public; answers 304 to a matching If-None-Match."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "If-None-Match",
                str,
                OpenApiParameter.HEADER,
                description="the ETag of an answer you hold: 304 while the status is unchanged",
            ),
            OpenApiParameter(
                "ETag",
                str,
                OpenApiParameter.HEADER,
                response=[200, 304],
                description="the answer's version, to send back in If-None-Match",
            ),
        ],
        responses={
            200: AgencyStatusSerializer,
            304: OpenApiResponse(description="unchanged since the ETag sent; no body"),
        },
    )
    def get(self, request, public_id):
        found = cached_agency_status(public_id, _compute_status)
        if found is None:
            raise Http404
        return status_response(request, *found)


def status_response(request, etag: str, body: bytes) -> HttpResponse:
    """The status answer, or 304 to a matching If-None-Match: from the view and from its
    lean path for cache hits (config/public_reads.py)."""
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponse(status=status.HTTP_304_NOT_MODIFIED)
    else:
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    return response


def _compute_status(public_id) -> dict | None:
    agency = Agency.objects.filter(public_id=public_id).first()
    return agency_status(agency) if agency is not None else None


# --- certificate verification --------------------------------------------------------------


class CertifiedAgencySerializer(AgencyRefSerializer):
    former_name = serializers.CharField(
        allow_null=True, help_text='the name before an approved rename ("formerly"), or null'
    )


class VerificationSerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.ChoiceField(choices=CertificateStatus.values)
    agency = CertifiedAgencySerializer()
    certificate = CertificateSummarySerializer()


class CertificateVerifyView(APIView):
    """Public: the certificate's current status when number and code match; the same 404
    whichever of the two is wrong."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("code", str, required=True, description="the verification code")
        ],
        responses={200: VerificationSerializer},
    )
    def get(self, request, number):
        certificate = certificate_verify(number, request.query_params.get("code", ""))
        if certificate is None:
            raise Http404
        return Response(verification_answer(certificate))


def verification_answer(certificate) -> dict:
    """What verification answers of a certificate whose number and code matched."""
    return {
        "number": certificate.number,
        "status": certificate.status,
        "agency": {**agency_ref(certificate.case.agency), **certified_as(certificate)},
        "certificate": certificate_summary(certificate),
    }


# --- exports -----------------------------------------------------------------------------


class RegistryExportView(RegistryView):
    """The registry, with the same filters, as a file: `?file=csv` (streamed) or `xlsx`."""

    pagination_class = None

    @extend_schema(
        filters=True,
        parameters=[OpenApiParameter("file", str, enum=["csv", "xlsx"], required=False)],
        responses={(200, "text/csv"): OpenApiTypes.STR, (200, exports.XLSX): OpenApiTypes.BINARY},
    )
    def get(self, request, *args, **kwargs):
        today = timezone.localdate()
        certificates = self.filter_queryset(current_certificates_queryset(today))
        rows = exports.registry_rows(certificates, today)
        if query_choice(request, "file", ("csv", "xlsx"), "csv") == "xlsx":
            handle = exports.workbook_file([("Registry", exports.REGISTRY_HEADER, rows)])
            return FileResponse(
                handle, as_attachment=True, filename="registry.xlsx", content_type=exports.XLSX
            )
        response = StreamingHttpResponse(
            exports.csv_rows(exports.REGISTRY_HEADER, rows), content_type="text/csv"
        )
        response["Content-Disposition"] = 'attachment; filename="registry.csv"'
        return response
