"""Complaints through the API (issue 14 §1): anyone files and follows one; reviewers read.

Number and code travel in the body, never in the URL (URLs end up in logs). A wrong number
and a wrong code get the same 404. Everyone but a reviewer gets 404 on the reviewers' routes.
"""

import re

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import pagination, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from certification.complaint_intake import agency_resolve, files_check
from monitoring import selectors, services
from monitoring.models import AnswerLanguage, Category, Complaint, Direction, State
from recruiters.permissions import is_reviewer


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
        ]

    def get_agency(self, complaint) -> str | None:
        return str(complaint.agency.public_id) if complaint.agency else None


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


class ComplaintPagination(pagination.PageNumberPagination):
    # Zero tolerance first, then newest: an order a cursor cannot follow.
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        # Strict like every list of the API (config/pagination.py): refused, not defaulted.
        for name in (self.page_size_query_param, self.page_query_param):
            if len(request.query_params.getlist(name)) > 1:
                raise ValidationError({name: ["Give it once."]})
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not re.fullmatch(r"[0-9]{1,3}", raw) or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [f"A whole number from 1 to {self.max_page_size}."]}
            )
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                }
        return parameters

    def get_paginated_response(self, data):
        # The shape of every list of the API: next, previous, results.
        return Response(
            {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )

    def get_paginated_response_schema(self, schema):
        shape = super().get_paginated_response_schema(schema)
        shape["properties"].pop("count", None)
        shape["required"] = [name for name in shape.get("required", []) if name != "count"]
        return shape


class ComplaintViewSet(viewsets.GenericViewSet):
    """POST: anyone files a complaint (no account; nothing of the sender is stored).
    GET: scheme reviewers only (404 for anyone else); reading one is logged."""

    permission_classes = [AllowAny]
    lookup_field = "number"
    pagination_class = ComplaintPagination
    serializer_class = ComplaintListSerializer

    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @property
    def throttle_scope(self):
        return "complaint" if getattr(self, "action", None) == "create" else None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Complaint.objects.none()
        if not is_reviewer(self.request.user):
            raise Http404
        return selectors.complaint_review_list(self.request.user)

    @extend_schema(request=ComplaintIntakeSerializer, responses={201: ReceiptSerializer})
    def create(self, request):
        given = ComplaintIntakeSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        text = data.get("agency", "").strip()
        complaint, code = services.complaint_file(
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
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ComplaintListSerializer(page, many=True).data)

    @extend_schema(responses={200: ComplaintDetailSerializer})
    def retrieve(self, request, number=None):
        complaint = selectors.complaint_review_get(request.user, number)
        if complaint is None:
            raise Http404
        try:
            contents = services.complaint_read(actor=request.user, complaint=complaint)
        except DjangoPermissionDenied:
            raise Http404 from None
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
