"""The agencies an employer watches and the webhooks their status changes reach (employer
key); and, for the agency's own members, which employers watch it."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from certification.api.employers import AgencyRefSerializer, HasEmployerKey
from certification.api.lists import paginated
from certification.models import WatchedAgency, Webhook, WebhookDelivery
from certification.services import employers as employer_actions
from certification.status import agency_ref
from recruiters.models import Agency
from recruiters.permissions import is_agency_member, is_reviewer


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
    new_status = serializers.CharField(
        source="event.new_status", help_text="empty for a test event"
    )
    test = serializers.BooleanField(source="event.is_test", help_text="a test event's delivery")

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "event",
            "new_status",
            "test",
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

    @extend_schema(request=None, responses={202: DeliverySerializer})
    @action(detail=True, methods=["post"])
    def test(self, request, pk=None):
        """Send the webhook a test event (type `certification.test`, naming no agency),
        signed and retried as any; its delivery shows in the log."""
        webhook = self.get_object()
        delivery = employer_actions.webhook_test(
            employer=request.auth.employer, webhook_id=webhook.pk
        )
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)

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
