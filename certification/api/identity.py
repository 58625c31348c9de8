"""An agency's profile and its certified identity over the API: the profile (read, and
corrected by the agency's members), requests to change the identity, a reviewer's
decision on them, and the agency's history. The profile lives here, not in `recruiters`,
because whether a change of identity needs a reviewer depends on the agency's cases."""

from django.db.models import Q
from django.http import Http404
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from certification.api.lists import paginated, query_choice
from certification.models import AgencyEvent, IdentityChange, IdentityChangeState
from certification.selectors.identity import agency_history, identity_change_list
from certification.services import identity as services
from recruiters import permissions
from recruiters.models import Agency, SectorCode

# --- the profile -----------------------------------------------------------------------------


class CorridorSerializer(serializers.Serializer):
    origin = serializers.CharField(max_length=2)
    destination = serializers.CharField(max_length=2)


@extend_schema_field(
    {"type": "array", "items": {"type": "string", "enum": list(SectorCode.values)}}
)
class SectorsField(serializers.ListField):
    child = serializers.ChoiceField(choices=SectorCode.choices)

    def to_representation(self, manager):
        return sorted(sector.code for sector in manager.all())


class CorridorsField(serializers.ListField):
    child = CorridorSerializer()

    def to_representation(self, manager):
        return [{"origin": c.origin.code, "destination": c.destination.code} for c in manager.all()]


class AgencyProfileSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    country = serializers.CharField(source="country.code", read_only=True)
    sectors = SectorsField(required=False)
    corridors = CorridorsField(required=False)

    class Meta:
        model = Agency
        fields = [
            "id",
            "name",
            "legal_name",
            "country",
            "registration_number",
            "licence_number",
            "address",
            "website",
            "size_band",
            "sectors",
            "corridors",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["registration_number", "created_at", "updated_at"]


class IdentityChangeSerializer(serializers.ModelSerializer):
    agency = serializers.UUIDField(source="agency.public_id", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    requested = serializers.DictField(
        child=serializers.CharField(), help_text="the changed fields and their requested values"
    )
    before = serializers.DictField(
        child=serializers.CharField(allow_blank=True), help_text="the same fields, as they were"
    )
    requested_by = serializers.CharField(source="requested_by.username")
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True, default=None)

    class Meta:
        model = IdentityChange
        fields = [
            "id",
            "agency",
            "agency_name",
            "state",
            "requested",
            "before",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision_reason",
        ]
        read_only_fields = fields


class AgencyProfileViewSet(
    mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """An agency's full profile: its members read and correct it; reviewers read it.

    PATCH saves the profile fields at once. A change of the name, legal name or licence
    number of an agency under certification (a case past draft, or a valid or suspended
    certificate) is not applied: it becomes a request for a reviewer, answered 202 with
    the request (GET /api/v1/identity-changes/{id}/); the other fields sent with it are
    saved. 409 while another request of the agency is pending."""

    serializer_class = AgencyProfileSerializer
    lookup_field = "public_id"
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Agency.objects.none()
        return Agency.objects.prefetch_related("sectors", "corridors")

    def get_object(self):
        agency = super().get_object()
        if not permissions.can_view_agency_profile(self.request.user, agency):
            raise Http404  # an agency's profile is not yours to know about
        return agency

    @extend_schema(
        responses={
            200: AgencyProfileSerializer,
            202: OpenApiResponse(
                IdentityChangeSerializer,
                description="a change of identity was requested; the other fields are saved",
            ),
        }
    )
    def partial_update(self, request, *args, **kwargs):
        agency = self.get_object()
        serializer = self.get_serializer(agency, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        agency, change = services.agency_profile_update(
            actor=request.user, agency=agency, data=dict(serializer.validated_data)
        )
        if change is not None:
            return Response(
                IdentityChangeSerializer(change).data,
                status=status.HTTP_202_ACCEPTED,
                headers={"Location": f"/api/v1/identity-changes/{change.pk}/"},
            )
        agency = self.get_queryset().get(pk=agency.pk)  # sectors and corridors afresh
        return Response(self.get_serializer(agency).data)


# --- requests to change the identity ---------------------------------------------------------


class IdentityChangeRequestSerializer(serializers.Serializer):
    """Any of the identity's fields; those equal to the agency's are left out."""

    name = serializers.CharField(max_length=200, required=False)
    legal_name = serializers.CharField(max_length=255, required=False)
    registration_number = serializers.CharField(max_length=100, required=False)
    licence_number = serializers.CharField(max_length=100, required=False, allow_blank=True)
    country = serializers.CharField(
        max_length=2, required=False, help_text="two-letter code, e.g. NP"
    )

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError("Name at least one field to change.")
        return attrs


class DecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="required to reject; optional to approve",
    )


def _agency_profile(request, public_id) -> Agency:
    agency = Agency.objects.filter(public_id=public_id).first()
    if agency is None or not permissions.can_view_agency_profile(request.user, agency):
        raise Http404
    return agency


class AgencyIdentityChangesView(GenericAPIView):
    """An agency's requests to change its identity, newest first: its members and
    reviewers read them; its members make one (any of name, legal name, registration
    number, licence number, country), decided by a reviewer. 409 names the one pending."""

    serializer_class = IdentityChangeSerializer

    def get_queryset(self):
        return IdentityChange.objects.none()  # the agency's, in get(); this is for the schema

    @extend_schema(responses={200: IdentityChangeSerializer(many=True)})
    def get(self, request, public_id):
        agency = _agency_profile(request, public_id)
        return paginated(self, identity_change_list(agency=agency), IdentityChangeSerializer)

    @extend_schema(
        request=IdentityChangeRequestSerializer, responses={201: IdentityChangeSerializer}
    )
    def post(self, request, public_id):
        agency = _agency_profile(request, public_id)
        if not permissions.can_edit_agency_profile(request.user, agency):
            raise exceptions.PermissionDenied("only the agency's members request a change")
        given = IdentityChangeRequestSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        change = services.identity_change_request(
            actor=request.user, agency=agency, values=dict(given.validated_data)
        )
        return Response(IdentityChangeSerializer(change).data, status=status.HTTP_201_CREATED)


class IdentityChangeViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Requests to change an agency's identity. Reviewers list them (the pending ones
    unless `?state=` says otherwise) and approve or reject them; an agency's members read
    their own."""

    serializer_class = IdentityChangeSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return IdentityChange.objects.none()
        changes = identity_change_list()
        if permissions.is_reviewer(self.request.user):
            return changes
        return changes.filter(
            Q(agency__memberships__user=self.request.user)
            & Q(agency__memberships__role="agency_member")
            & Q(agency__memberships__is_active=True)
        )

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "state", str, enum=list(IdentityChangeState.values), description="default pending"
            )
        ],
        responses={200: IdentityChangeSerializer(many=True)},
    )
    def list(self, request):
        if not permissions.is_reviewer(request.user):
            raise exceptions.PermissionDenied("only reviewers decide changes of identity")
        state = query_choice(
            request, "state", IdentityChangeState.values, IdentityChangeState.PENDING
        )
        return paginated(self, identity_change_list(state=state), IdentityChangeSerializer)

    @extend_schema(request=DecisionSerializer, responses={200: IdentityChangeSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Apply the change to the agency and reissue its certificate in force (same number,
        next revision). 409 `identity_taken` when another agency took the name meanwhile."""
        return self._decide(request, services.identity_change_approve)

    @extend_schema(request=DecisionSerializer, responses={200: IdentityChangeSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Refuse the change, with a reason; the agency keeps its identity."""
        return self._decide(request, services.identity_change_reject)

    def _decide(self, request, decide):
        change = self.get_object()
        given = DecisionSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        change = decide(actor=request.user, change=change, reason=given.validated_data["reason"])
        change = identity_change_list().get(pk=change.pk)
        return Response(IdentityChangeSerializer(change).data)


# --- the agency's history --------------------------------------------------------------------


class AgencyEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", allow_null=True, default=None)
    identity_change = serializers.IntegerField(source="identity_change_id", allow_null=True)
    changes = serializers.DictField(
        child=serializers.DictField(), help_text='{field: {"before": ..., "after": ...}}'
    )

    class Meta:
        model = AgencyEvent
        fields = ["id", "kind", "actor", "identity_change", "changes", "reason", "created_at"]


class AgencyHistoryView(GenericAPIView):
    """An agency's history, newest first: every edit of its profile (who, when, which
    fields, before and after), every request to change its identity and its decision.
    Its members and reviewers read it."""

    serializer_class = AgencyEventSerializer

    def get_queryset(self):
        return AgencyEvent.objects.none()  # the agency's, in get(); this is for the schema

    @extend_schema(responses={200: AgencyEventSerializer(many=True)})
    def get(self, request, public_id):
        agency = _agency_profile(request, public_id)
        return paginated(self, agency_history(agency), AgencyEventSerializer)
