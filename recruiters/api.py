"""Credentials over the API: personal tokens for people, API keys for employers."""

from django.contrib.auth import authenticate
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from recruiters import permissions, services
from recruiters.models import (
    Employer,
    EmployerAPIKey,
    Membership,
    PersonalToken,
    Role,
)


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    name = serializers.CharField(required=False, default="API client", max_length=100)
    expires_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class PersonalTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonalToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at"]


class NewTokenSerializer(PersonalTokenSerializer):
    token = serializers.CharField(help_text="Shown once: keep it safe.")

    class Meta(PersonalTokenSerializer.Meta):
        fields = [*PersonalTokenSerializer.Meta.fields, "token"]


class TokenCreateView(APIView):
    """Exchange a username and password for a personal token (shown once)."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_scope = "login"  # per address, instead of the general limits (settings)

    @extend_schema(request=TokenRequestSerializer, responses={201: NewTokenSerializer})
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = authenticate(request, username=data["username"], password=data["password"])
        if getattr(request, "axes_locked_out", False):
            # django-axes refused even to check the password (settings.AXES_*).
            raise exceptions.Throttled(
                detail="Too many failed sign-ins for this username from your address; "
                "try again later."
            )
        if user is None or not user.is_active:
            raise serializers.ValidationError({"password": "Wrong username or password."})
        token, secret = services.personal_token_create(
            user=user, name=data["name"], expires_at=data["expires_at"]
        )
        token.token = secret
        return Response(NewTokenSerializer(token).data, status=status.HTTP_201_CREATED)


class PersonalTokenViewSet(
    mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """Your tokens, listed without their secrets; DELETE revokes one."""

    serializer_class = PersonalTokenSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return PersonalToken.objects.none()
        return PersonalToken.objects.filter(user=self.request.user)

    def perform_destroy(self, instance):
        services.personal_token_revoke(user=self.request.user, token=instance)


class EmployerKeySerializer(serializers.ModelSerializer):
    employer = serializers.UUIDField(source="employer.public_id", read_only=True)

    class Meta:
        model = EmployerAPIKey
        fields = [
            "id",
            "employer",
            "name",
            "prefix",
            "created_at",
            "expires_at",
            "revoked_at",
            "last_used_at",
        ]
        read_only_fields = ["prefix", "created_at", "revoked_at", "last_used_at"]


class EmployerKeyCreateSerializer(serializers.Serializer):
    employer = serializers.UUIDField(help_text="public id of your employer")
    name = serializers.CharField(max_length=100)
    expires_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class NewEmployerKeySerializer(EmployerKeySerializer):
    key = serializers.CharField(help_text="Shown once: keep it safe.")

    class Meta(EmployerKeySerializer.Meta):
        fields = [*EmployerKeySerializer.Meta.fields, "key"]


class EmployerKeyViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """API keys of the employers you are a member of; POST makes one (shown once), DELETE revokes."""

    serializer_class = EmployerKeySerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return EmployerAPIKey.objects.none()
        return EmployerAPIKey.objects.filter(
            employer__memberships__user=self.request.user,
            employer__memberships__role="employer_member",
            employer__memberships__is_active=True,
        ).select_related("employer")

    @extend_schema(request=EmployerKeyCreateSerializer, responses={201: NewEmployerKeySerializer})
    def create(self, request, *args, **kwargs):
        serializer = EmployerKeyCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        employer = Employer.objects.filter(public_id=data["employer"]).first()
        if employer is None or not permissions.is_employer_member(request.user, employer):
            raise Http404  # another employer's is not yours to know about
        key, secret = services.employer_key_create(
            actor=request.user, employer=employer, name=data["name"], expires_at=data["expires_at"]
        )
        key.key = secret
        return Response(NewEmployerKeySerializer(key).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        services.employer_key_revoke(actor=self.request.user, key=instance)


# --- who the caller is ---------------------------------------------------------------------


class OrganisationSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["agency", "employer", "certification_body"])
    id = serializers.UUIDField(help_text="its public id: the one the other endpoints take")
    name = serializers.CharField()
    country = serializers.CharField(allow_null=True)


class MembershipSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)
    organisation = OrganisationSerializer(allow_null=True, help_text="null for scheme staff")


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    memberships = MembershipSerializer(many=True)


def _organisation(membership: Membership) -> dict | None:
    for kind in ("agency", "employer", "certification_body"):
        party = getattr(membership, kind)
        if party is not None:
            country = getattr(party, "country", None)
            return {
                "kind": kind,
                "id": str(party.public_id),
                "name": party.name,
                "country": country.code if country else None,
            }
    return None


class MeView(APIView):
    """The signed-in person and the organisations they act for, with their public ids (an
    employer's is what POST /api/v1/employer-keys/ takes)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: MeSerializer})
    def get(self, request):
        memberships = (
            Membership.objects.filter(user=request.user, is_active=True)
            .select_related("agency", "employer", "certification_body")
            .order_by("pk")
        )
        return Response(
            {
                "username": request.user.get_username(),
                "memberships": [
                    {"role": m.role, "organisation": _organisation(m)} for m in memberships
                ],
            }
        )
