"""Audits, findings, corrective actions and evidence over HTTP."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from audits.models import Answer, Audit, AuditKind, CorrectiveAction, Evidence, Finding, Grade
from certification import services
from certification.api.lists import OldestFirstPagination, paginated
from certification.selectors import CaseAccess
from recruiters import permissions
from recruiters.models import Membership, Role
from scoring.engine.vocabulary import FORCED_LABOUR_INDICATORS


class FindingSerializer(serializers.ModelSerializer):
    criterion = serializers.CharField(source="criterion.code")

    class Meta:
        model = Finding
        fields = [
            "id",
            "criterion",
            "grade",
            "effective_grade",
            "text",
            "indicators",
            "recorded_at",
        ]


@extend_schema_field({"type": "object", "additionalProperties": {}, "nullable": True})
class StoredResultField(serializers.JSONField):
    """The scoring engine's result as stored at completion (docs/scoring.md), or null."""


class AuditSerializer(serializers.ModelSerializer):
    lead_auditor = serializers.CharField(source="lead_auditor.user.username")
    findings = FindingSerializer(many=True)
    result = StoredResultField(allow_null=True, help_text="the engine's result, once completed")

    class Meta:
        model = Audit
        fields = [
            "id",
            "kind",
            "state",
            "lead_auditor",
            "stage1_date",
            "stage2_date",
            "started_at",
            "completed_at",
            "result",
            "findings",
        ]


class FindingRecordSerializer(serializers.Serializer):
    criterion = serializers.CharField()
    grade = serializers.ChoiceField(choices=Grade.choices)
    text = serializers.CharField(required=False, allow_blank=True, default="")
    indicators = serializers.ListField(
        child=serializers.ChoiceField(choices=FORCED_LABOUR_INDICATORS),
        required=False,
        default=list,
    )


class SurveillancePlanSerializer(serializers.Serializer):
    auditor = serializers.IntegerField(help_text="the auditor's membership id")
    stage1_date = serializers.DateField()
    stage2_date = serializers.DateField()
    kind = serializers.ChoiceField(
        choices=[AuditKind.SURVEILLANCE, AuditKind.SPECIAL], default=AuditKind.SURVEILLANCE
    )


class CorrectiveActionSerializer(serializers.ModelSerializer):
    criterion = serializers.CharField(source="finding.criterion.code")
    audit = serializers.IntegerField(source="finding.audit_id")

    class Meta:
        model = CorrectiveAction
        fields = [
            "id",
            "audit",
            "criterion",
            "severity",
            "state",
            "root_cause",
            "action",
            "plan_due",
            "closure_due",
            "rejection_reason",
            "acceptance_note",
            "verification_note",
            "submitted_at",
            "accepted_at",
            "verified_at",
        ]


class CorrectiveActionAnswerSerializer(serializers.Serializer):
    root_cause = serializers.CharField(required=False, allow_blank=True, default="")
    action = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="reject: why"
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="accept: why the plan answers the non-conformity; verify: what was checked "
        "(required for both)",
    )


class EvidenceSerializer(serializers.ModelSerializer):
    size = serializers.IntegerField(min_value=0, help_text="bytes")  # bounds not from the database

    class Meta:
        model = Evidence
        fields = [
            "id",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "answer",
            "finding",
            "corrective_action",
            "uploaded_at",
        ]


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    question = serializers.CharField(
        required=False, help_text="attach to the answer to this question"
    )
    criterion = serializers.CharField(
        required=False, help_text="attach to the finding on this criterion (current audit)"
    )
    corrective_action = serializers.IntegerField(required=False)


class AuditorSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")
    certification_body = serializers.CharField(source="certification_body.name")
    countries = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["id", "username", "certification_body", "countries", "languages"]

    def get_countries(self, membership) -> list[str]:
        return [country.code for country in membership.countries]


class CaseAuditActions:
    """The audit side of a case, mixed into the case view set (same routes, same visibility)."""

    @extend_schema(responses={200: AuditSerializer(many=True)})
    @action(
        detail=True, methods=["get"], pagination_class=OldestFirstPagination, filter_backends=[]
    )
    def audits(self, request, pk=None):
        """The case's audits with their findings and stored results, oldest first."""
        case = self.get_object()
        audits = case.audits.select_related("lead_auditor__user").prefetch_related(
            "findings__criterion"
        )
        return paginated(self, audits, AuditSerializer)

    @extend_schema(request=FindingRecordSerializer, responses={201: FindingSerializer})
    @action(detail=True, methods=["post"])
    def findings(self, request, pk=None):
        """The lead auditor records the finding on one criterion of the audit in progress."""
        case = self.get_object()
        data = FindingRecordSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        finding = services.finding_record(actor=request.user, case=case, **data.validated_data)
        return Response(FindingSerializer(finding).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SurveillancePlanSerializer, responses={201: AuditSerializer})
    @action(detail=True, methods=["post"], url_path="surveillance-audits")
    def surveillance_audits(self, request, pk=None):
        """Reviewers plan a surveillance or special audit of a certified case."""
        case = self.get_object()
        data = SurveillancePlanSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        auditor = Membership.objects.filter(
            pk=data.validated_data.pop("auditor"), role=Role.AUDITOR
        ).first()
        if auditor is None:
            raise serializers.ValidationError({"auditor": "no such auditor"})
        audit = services.surveillance_audit_plan(
            actor=request.user, case=case, auditor=auditor, **data.validated_data
        )
        return Response(AuditSerializer(audit).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: CorrectiveActionSerializer(many=True)})
    @action(
        detail=True,
        methods=["get"],
        url_path="corrective-actions",
        pagination_class=OldestFirstPagination,
        filter_backends=[],
    )
    def corrective_actions(self, request, pk=None):
        """The corrective actions of the case's audits, oldest first."""
        case = self.get_object()
        actions = CorrectiveAction.objects.filter(finding__audit__case=case).select_related(
            "finding__criterion"
        )
        return paginated(self, actions, CorrectiveActionSerializer)

    @extend_schema(request=EvidenceUploadSerializer, responses={201: EvidenceSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def evidence(self, request, pk=None):
        """Upload a file behind an answer, a finding or a corrective action of this case."""
        case = self.get_object()
        data = EvidenceUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        given = data.validated_data
        targets = [name for name in ("question", "criterion", "corrective_action") if name in given]
        if len(targets) != 1:
            raise serializers.ValidationError(
                {"non_field_errors": "name exactly one of question, criterion, corrective_action"}
            )
        record = {}
        if "question" in given:
            record["answer"] = Answer.objects.filter(
                self_assessment__case=case, question__code=given["question"]
            ).first()
        elif "criterion" in given:
            record["finding"] = (
                Finding.objects.filter(audit__case=case, criterion__code=given["criterion"])
                .order_by("-audit_id")
                .first()
            )
        else:
            record["corrective_action"] = CorrectiveAction.objects.filter(
                finding__audit__case=case, pk=given["corrective_action"]
            ).first()
        if next(iter(record.values())) is None:
            raise serializers.ValidationError(
                {targets[0]: "nothing of this case to attach the file to"}
            )
        evidence = services.evidence_upload(actor=request.user, upload=given["file"], **record)
        return Response(EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)


class CorrectiveActionViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A corrective action: the agency submits, the audit's lead auditor accepts, rejects, verifies."""

    serializer_class = CorrectiveActionSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CorrectiveAction.objects.none()
        cases = CaseAccess(self.request.user).cases()
        return CorrectiveAction.objects.filter(
            finding__audit__case__in=cases.values("pk")
        ).select_related(
            "finding__criterion",
            "finding__audit__lead_auditor__user",
            "finding__audit__case__agency",
        )

    def _step(self, request, name: str):
        action_ = self.get_object()
        data = CorrectiveActionAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        given = data.validated_data
        calls = {
            "submit": lambda: services.corrective_action_submit(
                actor=request.user,
                corrective_action=action_,
                root_cause=given["root_cause"],
                action=given["action"],
            ),
            "accept": lambda: services.corrective_action_accept(
                actor=request.user, corrective_action=action_, note=given["note"]
            ),
            "reject": lambda: services.corrective_action_reject(
                actor=request.user, corrective_action=action_, reason=given["reason"]
            ),
            "verify": lambda: services.corrective_action_verify(
                actor=request.user, corrective_action=action_, note=given["note"]
            ),
        }
        calls[name]()
        return Response(self.get_serializer(self.get_queryset().get(pk=action_.pk)).data)

    @extend_schema(
        request=CorrectiveActionAnswerSerializer, responses={200: CorrectiveActionSerializer}
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._step(request, "submit")

    @extend_schema(request=None, responses={200: CorrectiveActionSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._step(request, "accept")

    @extend_schema(
        request=CorrectiveActionAnswerSerializer, responses={200: CorrectiveActionSerializer}
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._step(request, "reject")

    @extend_schema(request=None, responses={200: CorrectiveActionSerializer})
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        return self._step(request, "verify")


class EvidenceViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Evidence of the cases you may see; its file only through this check, never a public URL."""

    serializer_class = EvidenceSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Evidence.objects.none()
        cases = CaseAccess(self.request.user).cases().values("pk")
        return Evidence.objects.filter(
            Q(answer__self_assessment__case__in=cases)
            | Q(finding__audit__case__in=cases)
            | Q(corrective_action__finding__audit__case__in=cases)
        )

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        evidence = self.get_object()
        try:
            handle = services.evidence_open(actor=request.user, evidence=evidence)
        except DjangoPermissionDenied:
            raise Http404 from None  # not yours to know about
        return FileResponse(
            handle,
            as_attachment=True,
            filename=evidence.original_name,
            content_type=evidence.content_type,
        )


class AuditorViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Reviewers: the auditors they may assign (membership ids for plan_audit)."""

    serializer_class = AuditorSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Membership.objects.none()
        if not permissions.is_reviewer(self.request.user):
            raise PermissionDenied("only reviewers assign auditors")
        return Membership.objects.filter(role=Role.AUDITOR, is_active=True).select_related(
            "user", "certification_body"
        )
