"""The workflow over HTTP: cases, their self-assessment, scores, history and transitions;
a case's audits (api/audits.py) and documents (api/documents.py) are mixed into its view set.

Views are thin: they find the case among those the caller may see (404 otherwise) and
call the services, whose PermissionDenied is 403 and TransitionNotAllowed 409.
"""

import django_filters
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from audits.selectors import engine_answers
from certification import services, transitions
from certification.api.answer_sheets import AnswerSheetSerializer, answers_out
from certification.api.audits import CaseAuditActions
from certification.api.documents import CaseDocumentActions
from certification.api.lists import OldestFirstPagination, paginated
from certification.api.record import CaseRecordActions
from certification.models import CaseState, CertificationCase, TransitionEvent
from certification.selectors import CaseAccess, case_certificate, self_assessment_result
from certification.services import dispatch
from recruiters.models import Agency, Membership
from scoring.models import Standard

TRANSITION_NAMES = list(transitions.CASE_TRANSITIONS)


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
        certificate = case_certificate(case)
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
        help_text="why (required to return, certify, refuse, suspend, withdraw; a decision's "
        "rationale has at least DECISION_RATIONALE_MIN_LENGTH characters, 40 by default)",
    )
    confirmations = serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        default=list,
        max_length=1000,
        help_text="certify: the key of every item of the case's record `to_confirm` "
        "(GET /api/v1/cases/{id}/record/), each confirmed as remediated",
    )
    auditor = serializers.IntegerField(
        required=False, help_text="plan_audit: the auditor's membership id (GET /api/v1/auditors/)"
    )
    stage1_date = serializers.DateField(required=False, help_text="plan_audit: document review")
    stage2_date = serializers.DateField(required=False, help_text="plan_audit: on site")


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


class CaseViewSet(
    CaseRecordActions,
    CaseAuditActions,
    CaseDocumentActions,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
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
            missing = [f for f in transitions.case_transition(name).arguments if f not in data]
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
        elif name == "certify":
            extra = {"confirmations": data["confirmations"]}
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
            stored = engine_answers(case.self_assessment)
        return Response(
            {
                "standard": case.standard.code,
                "version": case.standard.version,
                "answers": answers_out(stored),
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

    @extend_schema(request=None, responses={201: CaseSerializer})
    @action(detail=True, methods=["post"])
    def renewal(self, request, pk=None):
        """Open the renewal of a certified case (from 180 days before expiry)."""
        renewal = services.case_open_renewal(actor=request.user, case=self.get_object())
        return self.represent(renewal, status.HTTP_201_CREATED)


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
