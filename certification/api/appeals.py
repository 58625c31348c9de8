"""Appeals over the API (issue 14 §3): a case's appeals, read and lodged
(`/cases/{id}/appeals/`), and each appeal, read and answered (`/appeals/{id}/`,
`/appeals/{id}/decide/`). The case's agency's members see their own, reviewers all;
anyone else is answered 404, the case's auditors too.

Views are thin: the services refuse with PermissionDenied (403), TransitionNotAllowed
(409, the guard as code: `state`, `one_appeal`, `appeal_period`, `decision_current`) and
ValidationError (400)."""

from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.settings import api_settings

from certification import services
from certification.api.lists import paginated, query_choice
from certification.models import Appeal, AppealFile, AppealOutcome, AppealState
from certification.selectors import CaseAccess
from certification.selectors.appeals import appeals_visible, may_see_appeals
from certification.services.appeals import APPEAL_MAX_FILES


class SoonestDueFirst(api_settings.DEFAULT_PAGINATION_CLASS):
    """The project's pagination (settings), the appeal due soonest first."""

    ordering = ("due_by", "id")


class AppealFileSerializer(serializers.ModelSerializer):
    size = serializers.IntegerField(min_value=0, help_text="bytes")

    class Meta:
        model = AppealFile
        fields = ["id", "original_name", "content_type", "size", "sha256", "uploaded_at"]


class AppealDecisionSerializer(serializers.Serializer):
    """The case event appealed."""

    id = serializers.IntegerField()
    transition = serializers.ChoiceField(choices=["refuse", "suspend", "withdraw"])
    source = serializers.CharField(help_text="the case's state before the decision")
    actor = serializers.CharField(source="actor.username", allow_null=True, default=None)
    created_at = serializers.DateTimeField()
    reason = serializers.CharField()


class AppealSerializer(serializers.ModelSerializer):
    case = serializers.IntegerField(source="case_id")
    agency = serializers.UUIDField(source="case.agency.public_id")
    decision = AppealDecisionSerializer()
    lodged_by = serializers.CharField(source="lodged_by.username")
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True, default=None)
    files = AppealFileSerializer(many=True)

    class Meta:
        model = Appeal
        fields = [
            "id",
            "case",
            "agency",
            "decision",
            "state",
            "grounds",
            "lodged_by",
            "lodged_at",
            "due_by",
            "decided_by",
            "decided_at",
            "rationale",
            "files",
        ]
        read_only_fields = fields


class AppealLodgeSerializer(serializers.Serializer):
    grounds = serializers.CharField(
        max_length=20000, help_text="why the decision is wrong, in the agency's words"
    )
    files = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        max_length=APPEAL_MAX_FILES,
        help_text="multipart only: PDF, JPEG, PNG, XLSX or DOCX, judged by their content, "
        "each at most EVIDENCE_MAX_BYTES",
    )


class AppealDecideSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=AppealOutcome.values,
        help_text="upheld: the decision stands; overturned: the state before it is restored",
    )
    rationale = serializers.CharField(
        help_text="what the answer rests on, at least DECISION_RATIONALE_MIN_LENGTH (40) "
        "characters",
    )


class CaseAppealsView(GenericAPIView):
    """A case's appeals, newest decision last. POST lodges one (the case's agency's
    members): of the refusal, suspension or withdrawal that put the case where it is,
    within APPEAL_PERIOD_DAYS of it, once (409 `state`, `appeal_period`, `one_appeal`)."""

    serializer_class = AppealSerializer
    pagination_class = SoonestDueFirst
    parser_classes = [JSONParser, MultiPartParser]

    def get_queryset(self):
        return Appeal.objects.none()  # the case's, in get(); this is for the schema

    def _case(self, request, pk):
        access = CaseAccess(request.user)
        case = access.cases().filter(pk=pk).first() if str(pk).isdigit() else None
        if case is None or not may_see_appeals(access, case):
            raise Http404
        return access, case

    @extend_schema(responses={200: AppealSerializer(many=True)})
    def get(self, request, pk):
        access, case = self._case(request, pk)
        return paginated(self, appeals_visible(access).filter(case=case), AppealSerializer)

    @extend_schema(
        request={
            "application/json": AppealLodgeSerializer,
            "multipart/form-data": AppealLodgeSerializer,
        },
        responses={201: AppealSerializer},
    )
    def post(self, request, pk):
        access, case = self._case(request, pk)
        given = AppealLodgeSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        appeal = services.appeal_lodge(
            actor=request.user,
            case=case,
            grounds=given.validated_data["grounds"],
            files=given.validated_data.get("files", []),
        )
        appeal = appeals_visible(access).get(pk=appeal.pk)
        return Response(AppealSerializer(appeal).data, status=status.HTTP_201_CREATED)


class AppealViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Appeals you may see: your agency's, or all (reviewers), the one due soonest first.
    Reviewers answer them; the case's auditors and everyone else are answered 404."""

    serializer_class = AppealSerializer
    pagination_class = SoonestDueFirst

    def access(self) -> CaseAccess:
        if not hasattr(self, "_access"):
            self._access = CaseAccess(self.request.user)
        return self._access

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Appeal.objects.none()
        return appeals_visible(self.access())

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        access = self.access()
        if not (access.is_reviewer or access.agency_ids):
            raise Http404  # appeals are not theirs to know about

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "state", str, enum=list(AppealState.values), description="default: every state"
            )
        ],
        responses={200: AppealSerializer(many=True)},
    )
    def list(self, request):
        appeals = self.get_queryset()
        state = query_choice(request, "state", AppealState.values, None)
        if state:
            appeals = appeals.filter(state=state)
        return paginated(self, appeals, AppealSerializer)

    @extend_schema(request=AppealDecideSerializer, responses={200: AppealSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Answer the appeal: upheld (the decision stands) or overturned (the case's
        `overturn` restores the state before the decision, employers are told of the
        change). 403 for the reviewer who took the decision appealed and for anyone who
        audited the case; 409 `state` once answered, `decision_current` when the case has
        moved on since the decision."""
        appeal = self.get_object()
        if not self.access().is_reviewer:
            raise exceptions.PermissionDenied("only a reviewer answers an appeal")
        given = AppealDecideSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.appeal_decide(
            actor=request.user,
            appeal=appeal,
            outcome=given.validated_data["outcome"],
            rationale=given.validated_data["rationale"],
        )
        return Response(AppealSerializer(self.get_queryset().get(pk=appeal.pk)).data)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path=r"files/(?P<file_id>[0-9]+)")
    def file(self, request, pk=None, file_id=None):
        """One of the appeal's files, as it was sent."""
        stored = self.get_object().files.filter(pk=file_id).first()
        if stored is None:
            raise Http404
        handle = services.appeal_file_open(actor=request.user, appeal_file=stored)
        return FileResponse(
            handle,
            as_attachment=True,
            filename=stored.original_name,
            content_type=stored.content_type,
        )
