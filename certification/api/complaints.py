"""Complaints through the API: anyone files and follows one; reviewers read and handle
them (transitions, messages, the link to a case, consequences through the case's workflow).

Number and code travel in the body, never in the URL (URLs end up in logs). A wrong number
and a wrong code get the same 404. Everyone but a reviewer gets 404 on the reviewers' routes.
"""

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, NotFound, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from certification.api.pagination import NumberedPages
from certification.complaint_intake import agency_resolve, file_response, files_check
from certification.models import CertificationCase
from certification.services import complaints as handling
from monitoring import selectors, services
from monitoring.models import (
    AnswerLanguage,
    Category,
    Complaint,
    ComplaintFile,
    Deadline,
    Direction,
    State,
)
from recruiters.models import Membership
from recruiters.permissions import is_reviewer

COMPLAINT_TRANSITION_NAMES = list(services.COMPLAINT_TRANSITIONS)


class ReviewersOnly(BasePermission):
    """The scheme's reviewers. Without credentials: 401, before anything is looked up, so
    that it says nothing of any complaint. Signed in as anyone else: told nothing exists
    (404, not 403)."""

    def has_permission(self, request, view) -> bool:
        if request.auth is None and not request.user.is_authenticated:
            raise NotAuthenticated
        if not is_reviewer(request.user):
            raise NotFound
        return True


class ComplaintIntakeSerializer(serializers.Serializer):
    agency = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        help_text="The agency's name, registration number or certificate number.",
    )
    agency_unknown = serializers.BooleanField(
        required=False, default=False, help_text="I don't know its name: `agency` kept as text."
    )
    categories = serializers.ListField(child=serializers.ChoiceField(Category.choices))
    happened_when = serializers.CharField(max_length=100, required=False, allow_blank=True)
    happened_on = serializers.DateField(required=False, allow_null=True)
    happened_where = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(max_length=services.DESCRIPTION_MAX_LENGTH)
    contact = serializers.CharField(
        max_length=services.CONTACT_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text="E-mail or phone, optional; read only by the scheme's reviewers.",
    )
    answer_language = serializers.ChoiceField(
        AnswerLanguage.choices, required=False, default=AnswerLanguage.EN
    )
    files = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        max_length=settings.COMPLAINT_MAX_FILES,
        help_text="multipart only",
    )


class ReceiptSerializer(serializers.Serializer):
    number = serializers.CharField()
    follow_up_code = serializers.CharField(help_text="shown this once; never stored in clear")
    state = serializers.ChoiceField(State.choices)


class FollowSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=20)
    code = serializers.CharField(max_length=64)


class FollowMessageSerializer(FollowSerializer):
    text = serializers.CharField(
        max_length=services.DESCRIPTION_MAX_LENGTH, required=False, allow_blank=True
    )
    files = serializers.ListField(
        child=serializers.FileField(), required=False, max_length=settings.COMPLAINT_MAX_FILES
    )


class MessageSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(Direction.choices)
    text = serializers.CharField()
    created_at = serializers.DateTimeField()


class FollowAnswerSerializer(serializers.Serializer):
    number = serializers.CharField()
    state = serializers.ChoiceField(State.choices)
    created_at = serializers.DateTimeField()
    messages = MessageSerializer(many=True, help_text="to the complainant, newest last")


def _files(request):
    return request.FILES.getlist("files") if hasattr(request, "FILES") else []


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


def _followed(request):
    given = FollowSerializer(data=request.data)
    given.is_valid(raise_exception=True)
    complaint = selectors.complaint_follow(
        given.validated_data["number"], given.validated_data["code"]
    )
    if complaint is None:
        raise Http404  # the same whichever of number and code is wrong
    return complaint


def _follow_answer(complaint):
    messages = [
        {"direction": m.direction, "text": text, "created_at": m.created_at}
        for m, text in selectors.complaint_messages_for_complainant(complaint)
    ]
    return FollowAnswerSerializer(
        {
            "number": complaint.number,
            "state": complaint.state,
            "created_at": complaint.created_at,
            "messages": messages,
        }
    ).data


class ComplaintFollowView(APIView):
    """Anyone with a complaint's number and code: its state and the messages to them."""

    permission_classes = [AllowAny]
    throttle_scope = "complaint_follow"

    @extend_schema(request=FollowSerializer, responses={200: FollowAnswerSerializer})
    def post(self, request):
        return _no_store(Response(_follow_answer(_followed(request))))


class ComplaintFollowMessageView(APIView):
    """Anyone with a complaint's number and code adds information or files."""

    permission_classes = [AllowAny]
    throttle_scope = "complaint_follow"
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(request=FollowMessageSerializer, responses={201: FollowAnswerSerializer})
    def post(self, request):
        complaint = _followed(request)
        given = FollowMessageSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.complaint_add_message(
            complaint=complaint,
            text=given.validated_data.get("text", ""),
            files=files_check(_files(request)),
        )
        return _no_store(Response(_follow_answer(complaint), status=status.HTTP_201_CREATED))


# --- reviewers -----------------------------------------------------------------------------


class DeadlineSerializer(serializers.Serializer):
    deadline = serializers.ChoiceField(Deadline.choices)
    due = serializers.DateField()


class ComplaintListSerializer(serializers.ModelSerializer):
    agency = serializers.SerializerMethodField()
    file_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Complaint
        fields = [
            "number",
            "created_at",
            "state",
            "categories",
            "zero_tolerance",
            "criteria",
            "agency",
            "agency_text",
            "happened_when",
            "happened_on",
            "happened_where",
            "answer_language",
            "file_count",
            "case",
            "referral",
            "shared_summary",
            "deadlines",
            "overdue",
            "available_transitions",
        ]

    deadlines = serializers.SerializerMethodField(
        help_text="the deadlines not yet met, with their dates"
    )
    overdue = serializers.SerializerMethodField(help_text="the deadlines passed")
    available_transitions = serializers.SerializerMethodField()

    def get_agency(self, complaint) -> str | None:
        return str(complaint.agency.public_id) if complaint.agency else None

    @extend_schema_field(DeadlineSerializer(many=True))
    def get_deadlines(self, complaint) -> list[dict]:
        return [{"deadline": d, "due": due} for d, due in complaint.deadlines_pending()]

    def get_overdue(self, complaint) -> list[str]:
        return complaint.overdue_on(timezone.localdate())

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(COMPLAINT_TRANSITION_NAMES))
    )
    def get_available_transitions(self, complaint) -> list[str]:
        return [t.name for t in services.complaint_transitions_available(complaint)]


class ComplaintFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()


class ComplaintDetailSerializer(ComplaintListSerializer):
    description = serializers.CharField()
    contact = serializers.CharField()
    messages = MessageSerializer(many=True)
    files = ComplaintFileSerializer(many=True)

    class Meta(ComplaintListSerializer.Meta):
        fields = [
            *ComplaintListSerializer.Meta.fields,
            "description",
            "contact",
            "messages",
            "files",
        ]


class ComplaintTransitionSerializer(serializers.Serializer):
    message = serializers.CharField(
        max_length=services.DESCRIPTION_MAX_LENGTH,
        help_text="to the complainant, shown on the follow-up page; in their language",
    )
    note = serializers.CharField(
        max_length=services.DESCRIPTION_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text="internal, read by reviewers only",
    )
    referral = serializers.CharField(
        max_length=services.REFERRAL_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text="`refer` only: the authority or support service, named",
    )
    shared_summary = serializers.CharField(
        max_length=services.SHARED_SUMMARY_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text="when given, replaces what the agency's audit may be told (your words, "
        "nothing that identifies the complainant)",
    )


class ComplaintWriteSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(
        [Direction.TO_COMPLAINANT, Direction.INTERNAL],
        help_text="`to_complainant`: read on the follow-up page; `internal`: reviewers only",
    )
    text = serializers.CharField(max_length=services.DESCRIPTION_MAX_LENGTH)


class ComplaintLinkSerializer(serializers.Serializer):
    case = serializers.IntegerField(
        allow_null=True, help_text="the certification case it concerns; null to unlink"
    )
    shared_summary = serializers.CharField(
        max_length=services.SHARED_SUMMARY_MAX_LENGTH, required=False, allow_blank=True
    )
    move_agency = serializers.BooleanField(
        required=False,
        default=False,
        help_text="the case is of another agency than the complaint names: move it there",
    )


class SpecialAuditSerializer(serializers.Serializer):
    auditor = serializers.IntegerField(help_text="the auditor's membership id")
    stage1_date = serializers.DateField()
    stage2_date = serializers.DateField()
    note = serializers.CharField(
        max_length=services.DESCRIPTION_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class ConsequenceReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ConsequenceSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    case_state = serializers.CharField()
    audit = serializers.IntegerField(allow_null=True)


class ComplaintEventSerializer(serializers.Serializer):
    name = serializers.CharField()
    source = serializers.CharField()
    target = serializers.CharField()
    actor = serializers.CharField(allow_null=True, source="actor.username", default=None)
    created_at = serializers.DateTimeField()
    detail = serializers.DictField(help_text="references only: a referral, a case, an audit")


NUMBER = OpenApiParameter("number", str, OpenApiParameter.PATH)


class ComplaintViewSet(viewsets.GenericViewSet):
    """POST: anyone files a complaint (no account; nothing of the sender is stored).
    Everything else: scheme reviewers only (404 for anyone else); reading one is logged."""

    lookup_field = "number"
    pagination_class = NumberedPages
    serializer_class = ComplaintListSerializer

    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_permissions(self):
        return [AllowAny()] if self.action == "create" else [ReviewersOnly()]

    @property
    def throttle_scope(self):
        return "complaint" if getattr(self, "action", None) == "create" else None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Complaint.objects.none()
        return selectors.complaint_review_list(self.request.user)

    def complaint(self, number) -> Complaint:
        complaint = selectors.complaint_review_get(self.request.user, number)
        if complaint is None:
            raise Http404
        return complaint

    def summary(self, complaint, status_code=status.HTTP_200_OK) -> Response:
        """The complaint without its contents (nothing decrypted, no reading logged)."""
        complaint = self.complaint(complaint.number)
        complaint.file_count = len(complaint.files.all())
        return Response(ComplaintListSerializer(complaint).data, status=status_code)

    @extend_schema(request=ComplaintIntakeSerializer, responses={201: ReceiptSerializer})
    def create(self, request):
        given = ComplaintIntakeSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        text = data.get("agency", "").strip()
        complaint, code = handling.complaint_receive(
            agency=None if data["agency_unknown"] else agency_resolve(text),
            agency_text=text,
            categories=data["categories"],
            description=data["description"],
            happened_when=data.get("happened_when", ""),
            happened_on=data.get("happened_on"),
            happened_where=data.get("happened_where", ""),
            contact=data.get("contact", ""),
            answer_language=data["answer_language"],
            files=files_check(_files(request)),
        )
        receipt = {"number": complaint.number, "follow_up_code": code, "state": complaint.state}
        return _no_store(Response(ReceiptSerializer(receipt).data, status=status.HTTP_201_CREATED))

    def list(self, request):
        """The reviewers' queue: open first, overdue first, zero tolerance first, oldest first."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ComplaintListSerializer(page, many=True).data)

    @extend_schema(responses={200: ComplaintDetailSerializer})
    def retrieve(self, request, number=None):
        complaint = self.complaint(number)
        contents = services.complaint_read(actor=request.user, complaint=complaint)
        complaint.file_count = len(complaint.files.all())
        data = ComplaintListSerializer(complaint).data
        data.update(
            description=contents.description,
            contact=contents.contact,
            messages=[
                {"direction": m.direction, "text": text, "created_at": m.created_at}
                for m, text in contents.messages
            ],
            files=ComplaintFileSerializer(complaint.files.all(), many=True).data,
        )
        return _no_store(Response(data))

    @extend_schema(
        request=ComplaintTransitionSerializer,
        responses={200: ComplaintListSerializer},
        parameters=[
            NUMBER,
            OpenApiParameter("name", str, OpenApiParameter.PATH, enum=COMPLAINT_TRANSITION_NAMES),
        ],
    )
    @action(detail=True, methods=["post"], url_path=r"transitions/(?P<name>[a-z_]+)")
    def transition(self, request, number=None, name=None):
        """Move the complaint on, with a message to the complainant; 409 when its state does
        not allow it, 403 for a reviewer who audited the case it concerns."""
        if name not in COMPLAINT_TRANSITION_NAMES:
            raise Http404
        complaint = self.complaint(number)
        given = ComplaintTransitionSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        handling.complaint_handle(
            actor=request.user, complaint=complaint, name=name, **given.validated_data
        )
        return self.summary(complaint)

    @extend_schema(
        request=ComplaintWriteSerializer, responses={201: MessageSerializer}, parameters=[NUMBER]
    )
    @action(detail=True, methods=["post"])
    def messages(self, request, number=None):
        """Write to the complainant, or an internal note, without changing the state."""
        complaint = self.complaint(number)
        given = ComplaintWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        message = handling.complaint_message(
            actor=request.user, complaint=complaint, **given.validated_data
        )
        data = {
            "direction": message.direction,
            "text": given.validated_data["text"].strip(),
            "created_at": message.created_at,
        }
        return _no_store(Response(MessageSerializer(data).data, status=status.HTTP_201_CREATED))

    @extend_schema(responses={200: ComplaintEventSerializer(many=True)}, parameters=[NUMBER])
    @action(detail=True, methods=["get"], pagination_class=None)
    def events(self, request, number=None):
        """The complaint's log: who did what, when (what was written is not repeated here)."""
        complaint = self.complaint(number)
        events = complaint.events.select_related("actor")
        return Response(ComplaintEventSerializer(events, many=True).data)

    @extend_schema(
        request=ComplaintLinkSerializer,
        responses={200: ComplaintListSerializer},
        parameters=[NUMBER],
    )
    @action(detail=True, methods=["post"])
    def link(self, request, number=None):
        """Link the complaint to the certification case (and agency) it concerns."""
        complaint = self.complaint(number)
        given = ComplaintLinkSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        case = None
        if given.validated_data["case"] is not None:
            case = CertificationCase.objects.filter(pk=given.validated_data["case"]).first()
            if case is None:
                raise ValidationError({"case": ["No such certification case."]})
        handling.complaint_link_case(
            actor=request.user,
            complaint=complaint,
            case=case,
            shared_summary=given.validated_data.get("shared_summary"),
            move_agency=given.validated_data["move_agency"],
        )
        return self.summary(complaint)

    def _consequence(self, case, audit=None, status_code=status.HTTP_200_OK) -> Response:
        data = {"case": case.pk, "case_state": case.state, "audit": audit.pk if audit else None}
        return Response(ConsequenceSerializer(data).data, status=status_code)

    @extend_schema(
        request=SpecialAuditSerializer, responses={201: ConsequenceSerializer}, parameters=[NUMBER]
    )
    @action(detail=True, methods=["post"], url_path="special-audit")
    def special_audit(self, request, number=None):
        """Order a special audit of the agency's certified case (substantiated complaints)."""
        complaint = self.complaint(number)
        given = SpecialAuditSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        auditor = Membership.objects.filter(pk=data["auditor"], role="auditor").first()
        if auditor is None:
            raise ValidationError({"auditor": ["No such auditor."]})
        audit = handling.complaint_order_special_audit(
            actor=request.user,
            complaint=complaint,
            auditor=auditor,
            stage1_date=data["stage1_date"],
            stage2_date=data["stage2_date"],
            note=data["note"],
        )
        return self._consequence(audit.case, audit, status.HTTP_201_CREATED)

    @extend_schema(
        request=ConsequenceReasonSerializer,
        responses={200: ConsequenceSerializer},
        parameters=[NUMBER],
    )
    @action(detail=True, methods=["post"])
    def suspend(self, request, number=None):
        """Suspend the agency's certificate (substantiated complaints), the complaint named."""
        complaint = self.complaint(number)
        given = ConsequenceReasonSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        case = handling.complaint_suspend(
            actor=request.user, complaint=complaint, reason=given.validated_data["reason"]
        )
        return self._consequence(case)

    @extend_schema(
        request=ConsequenceReasonSerializer,
        responses={200: ConsequenceSerializer},
        parameters=[NUMBER],
    )
    @action(detail=True, methods=["post"], url_path="withdraw-certificate")
    def withdraw_certificate(self, request, number=None):
        """Withdraw the agency's certificate (substantiated complaints), the complaint named."""
        complaint = self.complaint(number)
        given = ConsequenceReasonSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        case = handling.complaint_withdraw_certificate(
            actor=request.user, complaint=complaint, reason=given.validated_data["reason"]
        )
        return self._consequence(case)

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)},
        parameters=[NUMBER, OpenApiParameter("file_id", int, OpenApiParameter.PATH)],
    )
    @action(detail=True, methods=["get"], url_path=r"files/(?P<file_id>[0-9]+)")
    def file(self, request, number=None, file_id=None):
        """One of the complaint's files, decrypted; the reading is logged."""
        complaint = self.complaint(number)
        stored = ComplaintFile.objects.filter(complaint=complaint, pk=file_id).first()
        if stored is None:
            raise Http404
        data = services.complaint_file_read(actor=request.user, complaint_file=stored)
        return _no_store(file_response(complaint, stored, data))
