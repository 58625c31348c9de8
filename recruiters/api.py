"""Credentials over the API: personal tokens for people, API keys for employers."""

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from recruiters import permissions, services, two_factor
from recruiters.models import (
    Employer,
    EmployerAPIKey,
    Membership,
    PersonalToken,
    Preferences,
    Role,
)
from recruiters.organisation.services import language_set
from recruiters.time_zones import remember as remember_time_zone


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    name = serializers.CharField(required=False, default="API client", max_length=100)
    expires_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    otp_token = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=32,
        help_text="The code of your authenticator app, or a recovery code: needed when you "
        "have set up two-factor sign-in (reviewers, auditors and staff always have).",
    )


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
        with_code = self._second_factor(request, user, data["otp_token"])
        token, secret = services.personal_token_create(
            user=user, name=data["name"], expires_at=data["expires_at"], two_factor=with_code
        )
        token.token = secret
        return Response(NewTokenSerializer(token).data, status=status.HTTP_201_CREATED)

    @staticmethod
    def _second_factor(request, user, code: str) -> bool:
        """Who has an authenticator gives its code too; who must have one and has not
        sets it up on the web first. A wrong code counts as a failed sign-in (axes).
        True when a code was checked."""
        if two_factor.has_two_factor(user):
            if not code:
                raise serializers.ValidationError(
                    {"otp_token": "Give the code of your authenticator app (or a recovery code)."}
                )
            if two_factor.verify(user, code) is None:
                two_factor.count_failure(request, user)
                raise serializers.ValidationError(
                    {"otp_token": "Wrong or expired code; wait for the next one and try again."}
                )
            return True
        if two_factor.requires_two_factor(user):
            raise exceptions.PermissionDenied(
                "Your role needs two-factor sign-in: set it up on the web first "
                "(/accounts/two-factor/), then ask for a token with its code."
            )
        return False


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
            employer__memberships__is_administrator=True,
        ).select_related("employer")

    @extend_schema(request=EmployerKeyCreateSerializer, responses={201: NewEmployerKeySerializer})
    def create(self, request, *args, **kwargs):
        serializer = EmployerKeyCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        employer = Employer.objects.filter(public_id=data["employer"]).first()
        if employer is None or not permissions.is_employer_member(request.user, employer):
            raise Http404  # another employer's is not yours to know about
        if not permissions.is_employer_administrator(request.user, employer):
            raise exceptions.PermissionDenied(
                "Only the employer's administrators manage its API keys."
            )
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
    administrator = serializers.BooleanField(
        help_text="administers the agency or employer (invites colleagues, manages keys)"
    )


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    language = serializers.CharField(
        help_text="the language of your notices; empty: a case's own language"
    )
    two_factor = serializers.BooleanField(help_text="two-factor sign-in is set up")
    status_alerts = serializers.BooleanField(
        help_text="e-mails when a watched agency's public status changes (employers' members)"
    )
    time_zone = serializers.CharField(
        help_text="the IANA time zone of the times on your pages; empty: UTC"
    )
    memberships = MembershipSerializer(many=True)


class StrictBooleanField(serializers.BooleanField):
    """true or false only: the schema says boolean, and 0, "yes" or "on" are not."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class MeUpdateSerializer(serializers.Serializer):
    # By code alone, as the other endpoints' languages (one LanguageEnum in the schema).
    language = serializers.ChoiceField(
        choices=[(code, code) for code, _name in settings.LANGUAGES], required=False
    )
    status_alerts = StrictBooleanField(required=False)
    time_zone = serializers.CharField(required=False, allow_blank=True, max_length=64)


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
        preferences = Preferences.objects.filter(user=request.user).first()
        return Response(
            {
                "username": request.user.get_username(),
                "language": preferences.language if preferences else "",
                "status_alerts": preferences.status_alerts if preferences else True,
                "time_zone": preferences.time_zone if preferences else "",
                "two_factor": two_factor.has_two_factor(request.user),
                "memberships": [
                    {
                        "role": m.role,
                        "organisation": _organisation(m),
                        "administrator": m.is_administrator,
                    }
                    for m in memberships
                ],
            }
        )

    @extend_schema(request=MeUpdateSerializer, responses={200: MeSerializer})
    def patch(self, request):
        """Choose the language of your notices, the time zone of your pages, and whether
        watched agencies' status changes are e-mailed to you."""
        data = MeUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            language_set(
                user=request.user,
                language=data.validated_data.get("language"),
                status_alerts=data.validated_data.get("status_alerts"),
                time_zone=data.validated_data.get("time_zone"),
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        signed_in_here = isinstance(request.successful_authenticator, SessionAuthentication)
        if "time_zone" in data.validated_data and signed_in_here:  # the site's pages follow now
            remember_time_zone(request, data.validated_data["time_zone"])
        return self.get(request)
