"""The link check of an agency, for the scheme's reviewers only (issue 18 §3)."""

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from certification.api.complaints import ReviewersOnly
from certification.selectors.links import agency_links
from recruiters.links.services import link_review_record, linked_party
from recruiters.models import Agency, Application, LinkDecision


class LinkReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=LinkDecision.choices)
    note = serializers.CharField(allow_blank=True)
    decided_by = serializers.CharField(source="decided_by.username")
    decided_at = serializers.DateTimeField()


class LinkSerializer(serializers.Serializer):
    kind = serializers.CharField(source="match.kind")
    strength = serializers.ChoiceField(
        source="match.strength", choices=["exact", "strong", "possible"]
    )
    score = serializers.IntegerField(source="match.score", help_text="0 to 100")
    mine = serializers.CharField(source="match.mine", help_text="what of this agency matched")
    theirs = serializers.CharField(source="match.theirs", help_text="what of the other")
    other = inline_serializer(
        "LinkedParty",
        {
            "id": serializers.UUIDField(source="public_id"),
            "name": serializers.CharField(),
            "country": serializers.CharField(),
        },
    )
    other_is_application = serializers.BooleanField(
        help_text="true: an application (under way, or rejected), false: an agency"
    )
    outcome = serializers.ChoiceField(
        source="match.outcome", choices=["refused", "withdrawn", "suspended", "application"]
    )
    outcome_on = serializers.DateField(source="match.outcome_on")
    detail = serializers.CharField(source="match.detail")
    reason = serializers.CharField()
    review = LinkReviewSerializer(allow_null=True, help_text="the newest decision, if any")


class LinkCheckSerializer(serializers.Serializer):
    agency = serializers.UUIDField()
    window_years = serializers.IntegerField()
    links = LinkSerializer(many=True)


class LinkReviewInSerializer(serializers.Serializer):
    other = serializers.UUIDField(help_text="the other agency's or application's id")
    kind = serializers.CharField(max_length=20)
    mine = serializers.CharField(max_length=255)
    theirs = serializers.CharField(max_length=255)
    decision = serializers.ChoiceField(choices=LinkDecision.choices)
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


def _agency(public_id) -> Agency:
    agency = Agency.objects.filter(public_id=public_id).first()
    if agency is None:
        raise Http404
    return agency


class AgencyLinksView(APIView):
    """Reviewers only: what the agency's people and details share with agencies refused,
    withdrawn or suspended in the last LINK_CHECK_YEARS years, strongest first, each with
    its reason and the newest decision. One agency's check, returned whole (it is small:
    the matches of one agency). Without credentials 401; anyone else 404."""

    permission_classes = [ReviewersOnly]

    @extend_schema(responses={200: LinkCheckSerializer})
    def get(self, request, public_id):
        agency = _agency(public_id)
        answer = {
            "agency": agency.public_id,
            "window_years": settings.LINK_CHECK_YEARS,
            "links": agency_links(agency),
        }
        return Response(LinkCheckSerializer(answer).data)


class AgencyLinkReviewsView(APIView):
    """Reviewers only: record a decision on one match (`linked` or `not_the_same`), kept;
    the newest stands."""

    permission_classes = [ReviewersOnly]
    subject_model = Agency

    @extend_schema(request=LinkReviewInSerializer, responses={201: LinkReviewSerializer})
    def post(self, request, public_id):
        agency = self.subject_model.objects.filter(public_id=public_id).first()
        if agency is None:
            raise Http404
        given = LinkReviewInSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        other = linked_party(data.pop("other"))
        if other is None:
            raise serializers.ValidationError(
                {"other": [gettext("No agency or application has this id.")]}
            )
        review = link_review_record(actor=request.user, subject=agency, other=other, **data)
        return Response(LinkReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class ApplicationLinkReviewsView(AgencyLinkReviewsView):
    """Reviewers only: record a decision on one match of an application's link check."""

    subject_model = Application
