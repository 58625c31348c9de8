"""A case's documents over HTTP: the certificate, the audit report and the self-assessment
summary as PDFs, the self-assessment workbook (to fill offline, and sent back filled) and an
audit's findings as xlsx."""

from django.http import FileResponse, Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from audits.models import AuditState
from certification import exports, services
from certification.api.answer_sheets import AnswerSheetSerializer, answers_out
from certification.api.lists import query_choice
from certification.credentials import current_credential
from certification.pdf import LANGUAGES as PDF_LANGUAGES
from certification.pdf import certificate_pdf, with_credential
from certification.reports import audit_report_pdf, self_assessment_summary_pdf
from certification.selectors import case_certificate, self_assessment_result
from recruiters.identifiers import id_or_404


class WorkbookUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="the workbook, filled")


class CaseDocumentActions:
    """The documents of a case, mixed into the case view set (same routes, same visibility)."""

    @extend_schema(
        parameters=[OpenApiParameter("language", str, enum=list(PDF_LANGUAGES), required=False)],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"])
    def certificate(self, request, pk=None):
        """The certificate as a PDF, in English or French; a certificate that is not valid
        prints its status across the page."""
        case = self.get_object()
        certificate = case_certificate(case)
        if certificate is None:
            raise Http404
        language = query_choice(request, "language", PDF_LANGUAGES, case.language)
        pdf = certificate_pdf(certificate, language=language)
        credential = current_credential(certificate)
        if credential is not None:  # the signed credential travels inside the PDF
            pdf = with_credential(pdf, credential.token)
        return _pdf_response(pdf, f"{certificate.number}.pdf")

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
        responses={(200, exports.XLSX): OpenApiTypes.BINARY},
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
                    "answers": answers_out(stored),
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
        responses={(200, exports.XLSX): OpenApiTypes.BINARY},
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
            content_type=exports.XLSX,
        )


def _completed_audit(case, request):
    """The audit named by `?audit=`, or the case's last completed one; 404 if none, or if
    `audit` is not an audit's id."""
    audits = case.audits.filter(state=AuditState.COMPLETED).select_related("lead_auditor__user")
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
