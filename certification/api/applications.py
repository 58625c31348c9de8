"""Applications to join the scheme (issue 18 §1): anyone applies and follows their
application with the signed key of the link sent to them; reviewers read the queue, each
application with its link check, and decide."""

from django.http import Http404
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from certification.api.complaints import ReviewersOnly
from certification.api.links import LinkSerializer
from certification.api.lists import paginated, query_choice
from certification.selectors.links import application_links
from certification.services.objections import objections_of
from recruiters.applying import services
from recruiters.links.services import PersonEntry
from recruiters.models import (
    Application,
    ApplicationKind,
    ApplicationState,
    PersonRole,
    SectorCode,
    SizeBand,
)


class PersonInSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    role = serializers.ChoiceField(choices=PersonRole.choices)
    birth_year = serializers.IntegerField(required=False, allow_null=True)
    nationality = serializers.CharField(max_length=2, required=False, allow_blank=True)
    identity_document = serializers.CharField(
        max_length=60, required=False, allow_blank=True, help_text="kept only as a keyed hash"
    )
    since = serializers.DateField(required=False, allow_null=True)
    until = serializers.DateField(required=False, allow_null=True)


class ApplicationInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ApplicationKind.choices)
    name = serializers.CharField(max_length=200)
    legal_name = serializers.CharField(max_length=255, required=False, allow_blank=True)
    country = serializers.CharField(max_length=2)
    registration_number = serializers.CharField(max_length=100)
    licence_number = serializers.CharField(max_length=100, required=False, allow_blank=True)
    address = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True)
    website = serializers.URLField(required=False, allow_blank=True)
    size_band = serializers.ChoiceField(choices=SizeBand.choices, required=False, allow_blank=True)
    corridors = serializers.ListField(
        child=serializers.CharField(max_length=5), required=False, max_length=50
    )
    sectors = serializers.ListField(
        child=serializers.ChoiceField(choices=SectorCode.choices),
        required=False,
        max_length=20,
    )
    people = PersonInSerializer(many=True, required=False, max_length=30)
    contact_name = serializers.CharField(max_length=200)
    contact_email = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)
    language = serializers.ChoiceField(choices=[("en", "en"), ("fr", "fr")], required=False)


class ApplicationReceivedSerializer(serializers.Serializer):
    """The same answer for every accepted request, whatever the e-mail (no telling which
    e-mails have an account): the application is followed by the e-mailed link."""

    state = serializers.ChoiceField(choices=ApplicationState.choices)
    message = serializers.CharField()


class KeySerializer(serializers.Serializer):
    key = serializers.CharField(max_length=500, help_text="the key of the link e-mailed to you")


class EmailSerializer(serializers.Serializer):
    email = serializers.EmailField(help_text="the e-mail the application was made with")


class LinkSentSerializer(serializers.Serializer):
    message = serializers.CharField()


class AnswerInSerializer(KeySerializer):
    answer = serializers.CharField(max_length=5000)


class ApplicantViewSerializer(serializers.Serializer):
    """What the applicant sees of their application."""

    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField()
    state = serializers.ChoiceField(choices=ApplicationState.choices)
    question = serializers.CharField(help_text="the reviewer's question, when one is asked")
    answer = serializers.CharField()
    reason = serializers.CharField(help_text="why it was rejected, when it was")


class ApplicationEventSerializer(serializers.Serializer):
    transition = serializers.CharField()
    source = serializers.CharField()
    target = serializers.CharField()
    actor = serializers.CharField(source="actor.username", allow_null=True, default=None)
    reason = serializers.CharField()
    at = serializers.DateTimeField(source="created_at")


class PersonOutSerializer(serializers.Serializer):
    name = serializers.CharField()
    role = serializers.CharField()
    birth_year = serializers.IntegerField(allow_null=True)
    nationality = serializers.CharField(source="nationality.code", allow_null=True)
    since = serializers.DateField(allow_null=True)
    until = serializers.DateField(allow_null=True)


class ApplicationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id")
    country = serializers.CharField(source="country.code")
    people = PersonOutSerializer(many=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "kind",
            "state",
            "name",
            "legal_name",
            "country",
            "registration_number",
            "licence_number",
            "address",
            "phone",
            "email",
            "website",
            "size_band",
            "corridors",
            "sectors",
            "people",
            "contact_name",
            "contact_email",
            "language",
            "question",
            "answer",
            "reason",
            "created_at",
            "confirmed_at",
            "decided_at",
        ]


class ObjectionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reason = serializers.CharField()
    contact = serializers.CharField(help_text="empty when the objector stayed anonymous")
    created_at = serializers.DateTimeField()


class ApplicationDetailSerializer(ApplicationSerializer):
    links = LinkSerializer(many=True, help_text="the link check, strongest first")
    events = ApplicationEventSerializer(many=True)
    objections = ObjectionSerializer(
        many=True, help_text="from the public window (APPLICATION_OBJECTION_DAYS), oldest first"
    )
    objections_until = serializers.DateTimeField(
        allow_null=True, help_text="the end of the public window; null without one"
    )

    class Meta(ApplicationSerializer.Meta):
        fields = [
            *ApplicationSerializer.Meta.fields,
            "links",
            "events",
            "objections",
            "objections_until",
        ]


class QuestionSerializer(serializers.Serializer):
    question = serializers.CharField(max_length=5000)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)


def _entry(data: dict) -> services.ApplicationEntry:
    people = tuple(
        PersonEntry(
            name=person["name"],
            role=person["role"],
            birth_year=person.get("birth_year"),
            nationality=(person.get("nationality") or "").upper(),
            identity_document=person.get("identity_document") or "",
            since=person.get("since"),
            until=person.get("until"),
        )
        for person in data.pop("people", [])
    )
    data["country"] = data["country"].upper()
    return services.ApplicationEntry(
        corridors=tuple(c.upper() for c in data.pop("corridors", [])),
        sectors=tuple(data.pop("sectors", [])),
        people=people,
        **data,
    )


def _no_store(response: Response) -> Response:
    response["Cache-Control"] = "no-store"
    return response


class ApplicationsView(GenericAPIView):
    """`POST`: anyone applies for an agency or an employer, whole or not at all (400 names
    each field: `people.1.birth_year`); a link is e-mailed to `contact_email`, and nothing
    happens before it is opened. `GET`: reviewers only, the applications, newest first,
    `?state=` to choose (default: submitted)."""

    serializer_class = ApplicationSerializer
    throttle_scope = "application"

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [ReviewersOnly()]

    def get_throttles(self):
        # The general limits for the reviewers' reads; an address's applications are few.
        return super().get_throttles() if self.request.method == "POST" else []

    def get_queryset(self):
        return Application.objects.prefetch_related("people").order_by("-id")

    @extend_schema(
        parameters=[
            OpenApiParameter("state", str, enum=list(ApplicationState.values), required=False)
        ],
        responses={200: ApplicationSerializer(many=True)},
    )
    def get(self, request):
        state = query_choice(request, "state", ApplicationState.values, ApplicationState.SUBMITTED)
        return paginated(self, self.get_queryset().filter(state=state), ApplicationSerializer)

    @extend_schema(request=ApplicationInSerializer, responses={201: ApplicationReceivedSerializer})
    def post(self, request):
        given = ApplicationInSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.application_submit(_entry(dict(given.validated_data)))
        answer = {
            "state": ApplicationState.AWAITING_CONFIRMATION,
            "message": gettext(
                "We sent a link to your e-mail: open it to send your application to the reviewers."
            ),
        }
        return _no_store(
            Response(ApplicationReceivedSerializer(answer).data, status=status.HTTP_201_CREATED)
        )


class ApplicationConfirmView(APIView):
    """Anyone with the key of the link e-mailed to them: confirms the e-mail, and the
    application goes to the reviewers."""

    permission_classes = [AllowAny]
    throttle_scope = "application"

    @extend_schema(request=KeySerializer, responses={200: ApplicantViewSerializer})
    def post(self, request):
        given = KeySerializer(data=request.data)
        given.is_valid(raise_exception=True)
        application = services.application_confirm(given.validated_data["key"])
        return _no_store(Response(ApplicantViewSerializer(application).data))


class ApplicationFollowView(APIView):
    """Anyone with the key: the application's state, the reviewer's question, the reason."""

    permission_classes = [AllowAny]
    throttle_scope = "application"

    @extend_schema(request=KeySerializer, responses={200: ApplicantViewSerializer})
    def post(self, request):
        given = KeySerializer(data=request.data)
        given.is_valid(raise_exception=True)
        application = services.application_by_key(given.validated_data["key"])
        if application is None:
            raise serializers.ValidationError(
                {"key": [gettext("This link is not valid, or it has expired.")]}
            )
        return _no_store(Response(ApplicantViewSerializer(application).data))


class ApplicationAnswerView(APIView):
    """Anyone with the key answers the reviewer's question."""

    permission_classes = [AllowAny]
    throttle_scope = "application"

    @extend_schema(request=AnswerInSerializer, responses={200: ApplicantViewSerializer})
    def post(self, request):
        given = AnswerInSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        application = services.application_reply(
            given.validated_data["key"], given.validated_data["answer"]
        )
        return _no_store(Response(ApplicantViewSerializer(application).data))


class ApplicationLinkView(APIView):
    """Anyone: a new link to the application made with this e-mail, sent to it (a link
    expires after APPLICATION_LINK_DAYS days). 202 whatever the e-mail: it tells nobody
    whether an application was made with it."""

    permission_classes = [AllowAny]
    throttle_scope = "application"

    @extend_schema(request=EmailSerializer, responses={202: LinkSentSerializer})
    def post(self, request):
        given = EmailSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.application_link_resend(given.validated_data["email"])
        message = gettext(
            "If an application was made with this e-mail, a new link is on its way to it."
        )
        return _no_store(Response({"message": message}, status=status.HTTP_202_ACCEPTED))


def _application(public_id) -> Application:
    application = Application.objects.filter(public_id=public_id).prefetch_related("people").first()
    if application is None:
        raise Http404
    return application


class ApplicationDetailView(APIView):
    """Reviewers only: one application with its link check and its steps."""

    permission_classes = [ReviewersOnly]

    @extend_schema(responses={200: ApplicationDetailSerializer})
    def get(self, request, public_id):
        application = _application(public_id)
        answer = ApplicationSerializer(application).data
        answer["links"] = LinkSerializer(application_links(application), many=True).data
        answer["objections"] = ObjectionSerializer(objections_of(application), many=True).data
        closes = services.objection_window_closes(application)
        answer["objections_until"] = (
            serializers.DateTimeField().to_representation(closes) if closes else None
        )
        answer["events"] = ApplicationEventSerializer(
            application.events.select_related("actor"), many=True
        ).data
        return Response(answer)


class ApplicationStepView(APIView):
    """Reviewers only: accept (the organisation and its first member are made), ask for
    more information (`question`), or reject (`reason`)."""

    permission_classes = [ReviewersOnly]
    step = ""

    def post(self, request, public_id):
        application = _application(public_id)
        if self.step == "accept":
            application = services.application_accept(actor=request.user, application=application)
        elif self.step == "ask":
            given = QuestionSerializer(data=request.data)
            given.is_valid(raise_exception=True)
            application = services.application_ask(
                actor=request.user, application=application, **given.validated_data
            )
        else:
            given = ReasonSerializer(data=request.data)
            given.is_valid(raise_exception=True)
            application = services.application_reject(
                actor=request.user, application=application, **given.validated_data
            )
        application = _application(application.public_id)
        return Response(ApplicationSerializer(application).data)


class ApplicationAcceptView(ApplicationStepView):
    step = "accept"

    @extend_schema(request=None, responses={200: ApplicationSerializer})
    def post(self, request, public_id):
        return super().post(request, public_id)


class ApplicationAskView(ApplicationStepView):
    step = "ask"

    @extend_schema(request=QuestionSerializer, responses={200: ApplicationSerializer})
    def post(self, request, public_id):
        return super().post(request, public_id)


class ApplicationRejectView(ApplicationStepView):
    step = "reject"

    @extend_schema(request=ReasonSerializer, responses={200: ApplicationSerializer})
    def post(self, request, public_id):
        return super().post(request, public_id)
