"""The workflow over HTTP: cases, their self-assessment, scores, history and transitions.

Views are thin: they find the case among those the caller may see (404 otherwise) and
call the services, whose PermissionDenied is 403 and TransitionNotAllowed 409.
"""

import re

import django_filters
from django.http import FileResponse, Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from audits import services as audit_records
from certification import exports, services
from certification.api.audits import CaseAuditActions
from certification.api.lists import OldestFirstPagination, paginated, query_choice
from certification.models import CaseState, CertificationCase, TransitionEvent
from certification.pdf import LANGUAGES as PDF_LANGUAGES
from certification.pdf import certificate_pdf
from certification.reports import audit_report_pdf, self_assessment_summary_pdf
from certification.selectors import CaseAccess, self_assessment_result
from certification.services import dispatch
from recruiters.identifiers import id_or_404
from recruiters.models import Agency, Membership
from scoring.models import Standard
from scoring.worker_costs import plain

TRANSITION_NAMES = list(dispatch.TRANSITION_NAMES)


class CaseSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    agency = inline_serializer(
        "CaseAgency",
        {
            "id": serializers.UUIDField(),
            "name": serializers.CharField(),
            "country": serializers.CharField(),
        },
    )
    standard = inline_serializer(
        "CaseStandard", {"code": serializers.CharField(), "version": serializers.CharField()}
    )
    assigned_auditor = serializers.CharField(allow_null=True)
    certificate = inline_serializer(
        "CaseCertificate",
        {
            "number": serializers.CharField(),
            "valid_from": serializers.DateField(),
            "valid_until": serializers.DateField(),
        },
        allow_null=True,
    )
    available_transitions = serializers.ListField(
        child=serializers.ChoiceField(choices=TRANSITION_NAMES)
    )

    class Meta:
        model = CertificationCase
        fields = [
            "id",
            "agency",
            "standard",
            "kind",
            "state",
            "assigned_auditor",
            "certificate",
            "available_transitions",
            "previous_case",
            "created_at",
            "updated_at",
        ]

    def to_representation(self, case):
        certificate = getattr(case, "certificate", None) if case.state in _CERTIFIED_ONCE else None
        return {
            "id": case.pk,
            "agency": {
                "id": str(case.agency.public_id),
                "name": case.agency.name,
                "country": case.agency.country.code,
            },
            "standard": {"code": case.standard.code, "version": case.standard.version},
            "kind": case.kind,
            "language": case.language,
            "state": case.state,
            "assigned_auditor": case.assigned_auditor.user.username
            if case.assigned_auditor
            else None,
            "certificate": {
                "number": certificate.number,
                "valid_from": certificate.valid_from.isoformat(),
                "valid_until": certificate.valid_until.isoformat(),
            }
            if certificate
            else None,
            "available_transitions": self.context["access"].available_transitions(case),
            "previous_case": case.previous_case_id,
            "created_at": serializers.DateTimeField().to_representation(case.created_at),
            "updated_at": serializers.DateTimeField().to_representation(case.updated_at),
        }


_CERTIFIED_ONCE = {CaseState.CERTIFIED, CaseState.SUSPENDED, CaseState.WITHDRAWN, CaseState.EXPIRED}


class CaseOpenSerializer(serializers.Serializer):
    agency = serializers.UUIDField(help_text="public id of your agency")
    standard = serializers.CharField(
        required=False, help_text="standard code (default: the scheme's)"
    )
    version = serializers.CharField(
        required=False, help_text="standard version (default: the newest published)"
    )
    language = serializers.ChoiceField(
        choices=["en", "fr"], default="en", help_text="language of the case's documents"
    )


class TransitionSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="why (required to return, refuse, suspend, withdraw)",
    )
    auditor = serializers.IntegerField(
        required=False, help_text="plan_audit: the auditor's membership id (GET /api/v1/auditors/)"
    )
    stage1_date = serializers.DateField(required=False, help_text="plan_audit: document review")
    stage2_date = serializers.DateField(required=False, help_text="plan_audit: on site")


class AnswerSheetSerializer(serializers.Serializer):
    standard = serializers.CharField(required=False)
    version = serializers.CharField(required=False)
    answers = serializers.DictField(
        help_text="question code -> answer: 'yes'/'no', a choice code, a number, 'not_applicable', "
        "a text, or for worker costs a list of items; null removes an answer"
    )

    def validate_answers(self, answers: dict) -> dict:
        # A key is a question code, named back in any error: a short, printable text.
        for code in answers:
            if len(code) > 64 or not code.isprintable() or re.search("[\ud800-\udfff]", code):
                raise serializers.ValidationError("Question codes are short printable texts.")
        return answers


class WorkbookUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="the workbook, filled")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", allow_null=True, default=None)
    subject_id = serializers.IntegerField(allow_null=True)  # bounds not from the database

    class Meta:
        model = TransitionEvent
        fields = [
            "id",
            "transition",
            "subject_type",
            "subject_id",
            "source",
            "target",
            "actor",
            "created_at",
            "reason",
            "snapshot",
        ]


class CaseFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=CaseState.choices)
    agency = django_filters.UUIDFilter(field_name="agency__public_id")

    class Meta:
        model = CertificationCase
        fields = ["state", "kind"]


def _answers_out(answers: dict) -> dict:
    out = {}
    for code, value in answers.items():
        if isinstance(value, list):
            value = [{**item, "amount": plain(item["amount"])} for item in value]
        elif hasattr(value, "as_tuple"):
            value = float(value) if value != value.to_integral_value() else int(value)
        out[code] = value
    return out


class CaseViewSet(
    CaseAuditActions, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Cases you may see: yours (agency), those you audit, or all (reviewers)."""

    serializer_class = CaseSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = CaseFilter

    def access(self) -> CaseAccess:
        if not hasattr(self, "_access"):
            self._access = CaseAccess(self.request.user)
        return self._access

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CertificationCase.objects.none()
        return self.access().cases()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "access": self.access()}

    def filter_queryset(self, queryset):
        # The case filters select cases in the list; they never hide the case of a detail
        # route (GET /cases/7/events/?state=draft is case 7's history).
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def represent(self, case, status_code=status.HTTP_200_OK):
        case = self.get_queryset().get(pk=case.pk)
        return Response(self.get_serializer(case).data, status=status_code)

    @extend_schema(request=CaseOpenSerializer, responses={201: CaseSerializer})
    def create(self, request):
        data = CaseOpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        agency = Agency.objects.filter(public_id=data.validated_data["agency"]).first()
        if agency is None:
            raise Http404
        standard = None
        if "standard" in data.validated_data or "version" in data.validated_data:
            standard = Standard.objects.filter(
                code=data.validated_data.get("standard", ""),
                version=data.validated_data.get("version", ""),
            ).first()
            if standard is None:
                raise serializers.ValidationError({"version": "no such standard version is loaded"})
        case = services.case_open(
            actor=request.user,
            agency=agency,
            standard=standard,
            language=data.validated_data["language"],
        )
        return self.represent(case, status.HTTP_201_CREATED)

    @extend_schema(
        request=TransitionSerializer,
        responses={200: CaseSerializer},
        parameters=[OpenApiParameter("name", str, OpenApiParameter.PATH, enum=TRANSITION_NAMES)],
    )
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<name>[a-z_]+)")
    def transition(self, request, pk=None, name=None):
        """Fire a transition; 409 with the failed guard when it is refused."""
        if name not in TRANSITION_NAMES:
            raise Http404
        case = self.get_object()
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        self._fire(case, name, data.validated_data)
        return self.represent(case)

    def _fire(self, case, name: str, data: dict) -> None:
        extra = {}
        if name == "plan_audit":
            missing = [f for f in ("auditor", "stage1_date", "stage2_date") if f not in data]
            if missing:
                raise serializers.ValidationError(
                    {field: "required to plan an audit" for field in missing}
                )
            auditor = Membership.objects.filter(pk=data["auditor"], role="auditor").first()
            if auditor is None:
                raise serializers.ValidationError({"auditor": "no such auditor"})
            extra = {
                "auditor": auditor,
                "stage1_date": data["stage1_date"],
                "stage2_date": data["stage2_date"],
            }
        dispatch.case_fire(
            actor=self.request.user, case=case, name=name, reason=data["reason"], **extra
        )

    @extend_schema(methods=["GET"], responses={200: AnswerSheetSerializer})
    @extend_schema(
        methods=["PATCH"], request=AnswerSheetSerializer, responses={200: AnswerSheetSerializer}
    )
    @action(detail=True, methods=["get", "patch"])
    def answers(self, request, pk=None):
        """The self-assessment as an answer sheet (docs/scoring.md); PATCH saves some answers."""
        case = self.get_object()
        if request.method == "PATCH":
            sheet = AnswerSheetSerializer(data=request.data)
            sheet.is_valid(raise_exception=True)
            given = sheet.validated_data
            if (
                given.get("standard", case.standard.code) != case.standard.code
                or given.get("version", case.standard.version) != case.standard.version
            ):
                raise serializers.ValidationError(
                    {
                        "version": f"this case is assessed against {case.standard.code} {case.standard.version}"
                    }
                )
            stored = services.self_assessment_save_answers(
                actor=request.user, case=case, answers=given["answers"]
            )
        else:
            stored = audit_records.engine_answers(case.self_assessment)
        return Response(
            {
                "standard": case.standard.code,
                "version": case.standard.version,
                "answers": _answers_out(stored),
            }
        )

    @extend_schema(
        responses={
            200: inline_serializer("SelfAssessmentScore", {"result": serializers.DictField()})
        }
    )
    @action(detail=True, methods=["get"])
    def score(self, request, pk=None):
        """The scoring engine's result with its reasons: as stored at submission, or live for a draft."""
        case = self.get_object()
        return Response({"result": self_assessment_result(case)})

    @extend_schema(responses={200: EventSerializer(many=True)})
    @action(
        detail=True, methods=["get"], pagination_class=OldestFirstPagination, filter_backends=[]
    )
    def events(self, request, pk=None):
        """The case's history: every transition, oldest first, a page at a time."""
        case = self.get_object()
        return paginated(self, case.events.select_related("actor"), EventSerializer)

    @extend_schema(
        parameters=[OpenApiParameter("language", str, enum=list(PDF_LANGUAGES), required=False)],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def certificate(self, request, pk=None):
        """The certificate as a PDF, in English or French; a certificate that is not valid
        prints its status across the page."""
        case = self.get_object()
        certificate = getattr(case, "certificate", None)
        if certificate is None:
            raise Http404
        language = query_choice(request, "language", PDF_LANGUAGES, case.language)
        return _pdf_response(
            certificate_pdf(certificate, language=language), f"{certificate.number}.pdf"
        )

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "audit",
                int,
                required=False,
                description="which audit (default: the last completed)",
            ),
            OpenApiParameter("language", str, enum=list(PDF_LANGUAGES), required=False),
        ],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], url_path="audit-report")
    def audit_report(self, request, pk=None):
        """A completed audit's report as a PDF: chart of conformity, findings by principle
        (zero-tolerance and forced-labour first), corrective actions, discrepancies."""
        case = self.get_object()
        audit = _completed_audit(case, request)
        pdf = audit_report_pdf(
            audit, language=query_choice(request, "language", PDF_LANGUAGES, case.language)
        )
        return _pdf_response(pdf, f"audit-report-{audit.pk}.pdf")

    @extend_schema(
        parameters=[OpenApiParameter("language", str, enum=list(PDF_LANGUAGES), required=False)],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], url_path="self-assessment-summary")
    def self_assessment_summary(self, request, pk=None):
        """The self-assessment's scores per principle and its gaps with their reasons, as a PDF."""
        case = self.get_object()
        result = self_assessment_result(case)
        pdf = self_assessment_summary_pdf(
            case, result, language=query_choice(request, "language", PDF_LANGUAGES, case.language)
        )
        return _pdf_response(pdf, f"self-assessment-{case.pk}.pdf")

    @extend_schema(
        methods=["GET"],
        parameters=[
            OpenApiParameter(
                "empty", bool, required=False, description="without the current answers"
            )
        ],
        responses={(200, XLSX): OpenApiTypes.BINARY},
    )
    @extend_schema(
        methods=["POST"], request=WorkbookUploadSerializer, responses={200: AnswerSheetSerializer}
    )
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser])
    def workbook(self, request, pk=None):
        """The self-assessment as an Excel workbook to fill offline; POST it back filled."""
        case = self.get_object()
        if request.method == "POST":
            upload = WorkbookUploadSerializer(data=request.data)
            upload.is_valid(raise_exception=True)
            stored = services.self_assessment_import_workbook(
                actor=request.user, case=case, data=upload.validated_data["file"].read()
            )
            return Response(
                {
                    "standard": case.standard.code,
                    "version": case.standard.version,
                    "answers": _answers_out(stored),
                }
            )
        empty = query_choice(request, "empty", ("true", "false"), "false") == "true"
        return exports.self_assessment_workbook_response(case, empty=empty)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "audit",
                int,
                required=False,
                description="which audit (default: the last completed)",
            )
        ],
        responses={(200, XLSX): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], url_path="findings-export")
    def findings_export(self, request, pk=None):
        """An audit's findings and corrective actions as an xlsx file."""
        audit = _completed_audit(self.get_object(), request)
        handle = exports.workbook_file(exports.audit_sheets(audit))
        return FileResponse(
            handle,
            as_attachment=True,
            filename=f"audit-{audit.pk}-findings.xlsx",
            content_type=XLSX,
        )

    @extend_schema(request=None, responses={201: CaseSerializer})
    @action(detail=True, methods=["post"])
    def renewal(self, request, pk=None):
        """Open the renewal of a certified case (from 180 days before expiry)."""
        renewal = services.case_open_renewal(actor=request.user, case=self.get_object())
        return self.represent(renewal, status.HTTP_201_CREATED)


def _completed_audit(case, request):
    """The audit named by `?audit=`, or the case's last completed one; 404 if none, or if
    `audit` is not an audit's id."""
    audits = case.audits.filter(state="completed").select_related("lead_auditor__user")
    if "audit" in request.query_params:
        audit = audits.filter(pk=id_or_404(request.query_params["audit"])).first()
    else:
        audit = audits.order_by("-completed_at").first()
    if audit is None:
        raise Http404
    return audit


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


class ReviewQueueViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Reviewers: cases waiting for screening (submitted) or a decision (in review)."""

    serializer_class = CaseSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CertificationCase.objects.none()
        access = CaseAccess(self.request.user)
        self._access = access
        if not access.is_reviewer:
            raise PermissionDenied("only reviewers have a queue")
        return access.cases().filter(state__in=[CaseState.SUBMITTED, CaseState.IN_REVIEW])

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "access": getattr(self, "_access", None)}
