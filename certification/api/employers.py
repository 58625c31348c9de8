"""Employer-facing endpoints: the public registry, an agency's status, certificate
verification and bulk supplier checks. Their paths are a public contract (docs/api.md)."""

import json
import re

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
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from certification import exports
from certification.api.lists import paginated, query_choice
from certification.filters import RegistryFilter
from certification.models import (
    WatchedAgency,
    Webhook,
    WebhookDelivery,
)
from certification.services import employers as employer_actions
from certification.status import (
    CERTIFIED,
    EXPIRED,
    PUBLIC_STATUS,
    SUSPENDED,
    WITHDRAWN,
    agency_ref,
    agency_status,
    cached_agency_status,
    certificate_summary,
    certificate_verify,
    current_certificates_queryset,
    supplier_check,
)
from recruiters.identifiers import parse_uuid
from recruiters.models import Agency, EmployerAPIKey
from recruiters.permissions import is_agency_member, is_reviewer

MAX_SUPPLIERS = 5000


class HasEmployerKey(BasePermission):
    message = "An employer API key is required."
    schema_security = ["employerKey"]  # config.schema: the only credential these take

    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, EmployerAPIKey)


# --- registry -------------------------------------------------------------------------


class RegistryEntrySerializer(serializers.Serializer):
    id = serializers.UUIDField(source="case.agency.public_id")
    name = serializers.CharField(source="case.agency.name")
    country = serializers.CharField(source="case.agency.country.code")
    corridors = serializers.ListField(child=serializers.CharField())
    sectors = serializers.ListField(child=serializers.CharField())
    status = serializers.SerializerMethodField()
    certificate_number = serializers.CharField(source="number")
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()

    @extend_schema_field(
        serializers.ChoiceField(choices=[CERTIFIED, SUSPENDED, WITHDRAWN, EXPIRED])
    )
    def get_status(self, certificate) -> str:
        return PUBLIC_STATUS[certificate.status_on(self.context["today"])]


class RegistryView(generics.ListAPIView):
    """Agencies that are or were certified, with their current certificate. Public."""

    permission_classes = [AllowAny]
    serializer_class = RegistryEntrySerializer
    filterset_class = RegistryFilter

    def get_queryset(self):
        return current_certificates_queryset(timezone.localdate()).distinct()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}


# --- one agency's status ------------------------------------------------------------------


class CertificateSummarySerializer(serializers.Serializer):
    number = serializers.CharField()
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


STATUSES = [CERTIFIED, SUSPENDED, WITHDRAWN, EXPIRED, "in_progress", "not_certified"]


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
        etag, body = found
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


class VerificationSerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.ChoiceField(
        choices=["valid", "not_yet_valid", "suspended", "withdrawn", "expired"]
    )
    agency = AgencyRefSerializer()
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
        return Response(
            {
                "number": certificate.number,
                "status": certificate.status,
                "agency": agency_ref(certificate.case.agency),
                "certificate": certificate_summary(certificate),
            }
        )


# --- bulk supplier checks --------------------------------------------------------------


@extend_schema_field(
    {
        "description": 'one supplier: `{"id": PUBLIC_ID}`, or '
        '`{"country": "NP", "registration_number": "…"}`. Any item is '
        "accepted: a malformed one gets a result with status `invalid` and its problems",
        "example": {"country": "NP", "registration_number": "NP-REG-2011-0456"},
    }
)
class SupplierItemField(serializers.JSONField):
    pass


class SupplierCheckRequestSerializer(serializers.Serializer):
    """The suppliers to check, each on its own."""

    suppliers = serializers.ListField(
        child=SupplierItemField(),
        min_length=1,
        max_length=MAX_SUPPLIERS,
        help_text="1 to 5,000 suppliers; a result for each, in order",
    )


_COUNTRY = re.compile(r"[A-Za-z]{2}")
_FIELDS = ("id", "country", "registration_number")
# What no text of ours may hold: control characters (a spreadsheet refuses them) and lone
# surrogates (JSON allows "\ud800"; UTF-8, the database and the answer itself cannot).
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _problem(attr: str | None, detail: str, code: str = "invalid") -> dict:
    return {"code": code, "detail": detail, "attr": attr}


def _shown(value):
    """A value echoed back as it was sent, made safe to write in JSON and in a workbook."""
    if isinstance(value, str):
        return _UNSAFE.sub("\ufffd", value[:200])
    if (
        value is None
        or isinstance(value, bool | int)
        or (isinstance(value, float) and value == value)
    ):
        return value
    return _UNSAFE.sub("\ufffd", json.dumps(value, ensure_ascii=True)[:200])


def _text(value) -> str | None:
    """A field's text without its surrounding spaces, or None when it is not a clean text."""
    if not isinstance(value, str) or _UNSAFE.search(value):
        return None
    return value.strip()


def supplier_item(raw) -> tuple[dict | None, dict, list[dict]]:
    """(the supplier to look up or None, the input to show back, the problems). `attr`
    names a field of the item; null is the item as a whole."""
    if not isinstance(raw, dict):
        return (
            None,
            {},
            [
                _problem(
                    None,
                    'Each supplier is an object: {"id": …} or '
                    '{"country": …, "registration_number": …}.',
                )
            ],
        )
    shown = {name: _shown(raw[name]) for name in _FIELDS if name in raw}
    problems = []
    supplier = {}
    if "id" in raw:
        value = _text(raw["id"])
        public_id = parse_uuid(value) if value else None
        if public_id is None:
            problems.append(_problem("id", "Must be an agency id (a UUID in a string)."))
        supplier["id"] = public_id
    if "country" in raw:
        value = _text(raw["country"])
        if value is None or not _COUNTRY.fullmatch(value):
            problems.append(_problem("country", "Must be a two-letter country code."))
        supplier["country"] = value
    if "registration_number" in raw:
        value = _text(raw["registration_number"])
        if not value:
            problems.append(_problem("registration_number", "Must be a registration number."))
        elif len(value) > 100:
            problems.append(
                _problem("registration_number", "At most 100 characters.", code="max_length")
            )
        supplier["registration_number"] = value
    by_id = "id" in raw
    by_registration = "country" in raw and "registration_number" in raw
    if by_id == by_registration or (by_id and ("country" in raw or "registration_number" in raw)):
        problems.append(_problem(None, "Give either id, or country and registration_number."))
    return (None if problems else supplier), shown, problems


def check_suppliers(items: list) -> list[dict]:
    """A result per item, in order: malformed items carry their problems, the rest are
    looked up together (a constant number of queries)."""
    parsed = [supplier_item(raw) for raw in items]
    found = iter(supplier_check([supplier for supplier, _shown, _ in parsed if supplier]))
    results = []
    for supplier, shown, problems in parsed:
        if supplier:
            results.append(next(found))
        else:
            results.append(
                {
                    "input": shown,
                    "status": "invalid",
                    "agency": None,
                    "certificate": None,
                    "errors": problems,
                }
            )
    return results


class SupplierProblemSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="`invalid` or `max_length`")
    detail = serializers.CharField()
    attr = serializers.CharField(
        allow_null=True, help_text="the item's field (`id`, `country`, …), or null for the item"
    )


class SupplierResultSerializer(serializers.Serializer):
    input = serializers.DictField(help_text="the item's id, country and registration_number")
    status = serializers.ChoiceField(choices=[*STATUSES, "not_found", "invalid"])
    agency = AgencyRefSerializer(allow_null=True)
    certificate = CertificateSummarySerializer(allow_null=True)
    errors = SupplierProblemSerializer(
        many=True, required=False, help_text="only for `invalid`: what is wrong with the item"
    )


class SupplierCheckResponseSerializer(serializers.Serializer):
    results = SupplierResultSerializer(many=True)


def _suppliers_of(request) -> list:
    data = SupplierCheckRequestSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data["suppliers"]


class SupplierCheckView(APIView):
    """Check up to 5,000 suppliers at once (employer key)."""

    permission_classes = [HasEmployerKey]

    @extend_schema(
        request=SupplierCheckRequestSerializer, responses={200: SupplierCheckResponseSerializer}
    )
    def post(self, request):
        return Response({"results": check_suppliers(_suppliers_of(request))})


# --- watchlist and webhooks (employer key) -------------------------------------------------


class WatchedAgencySerializer(serializers.Serializer):
    agency = AgencyRefSerializer()
    watched_since = serializers.DateTimeField()


class WatchRequestSerializer(serializers.Serializer):
    agency = serializers.UUIDField(help_text="public id of the agency to watch")


class WatchlistViewSet(viewsets.GenericViewSet):
    """The suppliers an employer watches; their status changes reach its webhooks."""

    permission_classes = [HasEmployerKey]
    serializer_class = WatchedAgencySerializer
    lookup_field = "agency"
    lookup_value_regex = "[0-9a-f-]{36}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return WatchedAgency.objects.none()
        return WatchedAgency.objects.filter(employer=self.request.auth.employer).select_related(
            "agency"
        )

    def represent(self, watch):
        return {"agency": agency_ref(watch.agency), "watched_since": watch.created_at.isoformat()}

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([self.represent(w) for w in page])

    @extend_schema(request=WatchRequestSerializer, responses={201: WatchedAgencySerializer})
    def create(self, request):
        data = WatchRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        agency = Agency.objects.filter(public_id=data.validated_data["agency"]).first()
        if agency is None:
            raise Http404
        watch = employer_actions.watch_add(employer=request.auth.employer, agency=agency)
        return Response(self.represent(watch), status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("agency", OpenApiTypes.UUID, OpenApiParameter.PATH)]
    )
    def destroy(self, request, agency=None):
        if not employer_actions.watch_remove(
            employer=request.auth.employer, agency_public_id=agency
        ):
            raise Http404
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookSerializer(serializers.ModelSerializer):
    class Meta:
        model = Webhook
        fields = ["id", "url", "created_at"]


class WebhookCreateSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=500)
    secret = serializers.CharField(
        required=False,
        min_length=32,
        max_length=128,
        help_text="your signing secret; one is made if you give none",
    )


class NewWebhookSerializer(WebhookSerializer):
    secret = serializers.CharField(
        help_text="Shown once: verify each delivery's signature with it."
    )

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]


class DeliverySerializer(serializers.ModelSerializer):
    # Integer bounds declared here, not taken from the database, so that the schema is the
    # same whatever database generated it.
    event = serializers.UUIDField(source="event_id")
    attempts = serializers.IntegerField(min_value=0)
    last_status_code = serializers.IntegerField(allow_null=True)
    new_status = serializers.CharField(source="event.new_status")

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event",
            "new_status",
            "state",
            "attempts",
            "last_attempt_at",
            "next_attempt_at",
            "delivered_at",
            "last_status_code",
            "last_error",
        ]


class WebhookViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """An employer's webhooks: HTTPS endpoints that receive signed status changes."""

    permission_classes = [HasEmployerKey]
    serializer_class = WebhookSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Webhook.objects.none()
        return Webhook.objects.filter(employer=self.request.auth.employer)

    @extend_schema(request=WebhookCreateSerializer, responses={201: NewWebhookSerializer})
    def create(self, request):
        data = WebhookCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        webhook = employer_actions.webhook_create(
            employer=request.auth.employer,
            url=data.validated_data["url"],
            secret=data.validated_data.get("secret", ""),
        )
        return Response(NewWebhookSerializer(webhook).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: DeliverySerializer(many=True)})
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        """The webhook's deliveries with their outcome, most recent first."""
        webhook = self.get_object()
        return paginated(self, webhook.deliveries.select_related("event"), DeliverySerializer)


class WatcherSerializer(serializers.Serializer):
    employer = serializers.CharField()
    country = serializers.CharField()
    watching_since = serializers.DateTimeField()


class AgencyWatchersView(generics.ListAPIView):
    """Which employers watch this agency: transparency towards the assessed party (its members)."""

    serializer_class = WatcherSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return WatchedAgency.objects.none()
        agency = Agency.objects.filter(public_id=self.kwargs["public_id"]).first()
        if agency is None or not (
            is_agency_member(self.request.user, agency) or is_reviewer(self.request.user)
        ):
            raise Http404
        return WatchedAgency.objects.filter(agency=agency).select_related("employer")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        rows = [
            {
                "employer": w.employer.name,
                "country": w.employer.country.code,
                "watching_since": w.created_at.isoformat(),
            }
            for w in page
        ]
        return self.get_paginated_response(rows)


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
        certificates = self.filter_queryset(self.get_queryset())
        rows = exports.registry_rows(certificates, timezone.localdate())
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


class SupplierCheckExportView(APIView):
    """The same check as POST /api/v1/supplier-checks/, answered as an xlsx file."""

    permission_classes = [HasEmployerKey]

    @extend_schema(
        request=SupplierCheckRequestSerializer, responses={(200, exports.XLSX): OpenApiTypes.BINARY}
    )
    def post(self, request):
        results = check_suppliers(_suppliers_of(request))
        handle = exports.workbook_file(
            [("Suppliers", exports.SUPPLIER_HEADER, exports.supplier_rows(results))]
        )
        return FileResponse(
            handle, as_attachment=True, filename="supplier-check.xlsx", content_type=exports.XLSX
        )
