"""An agency's worker survey through the API, on the scheme's side (issue 15 §1 and §3):
batches of one-time codes, their cards as a PDF, and the answers put together.

- Reviewers and the agency's auditor (the auditor of one of its live cases) issue batches,
  list them, print the cards (a reviewer any batch's, an auditor the batches they issued)
  and read the summary with its signals.
- The agency's members list the batches as codes issued only (`answered`, the issuer and
  the cards null: 404 on a batch's cards), read their total of answers and the summary's
  aggregate only once it is shown (from k workers, updated every k answers) and never the
  signals; issuing is refused (403).
- Anyone else signed in: 404, the agency's survey is not theirs to know of.

The worker's side (`/api/v1/surveys/{code}/`) is certification/api/surveys.py."""

from dataclasses import asdict

from django.http import Http404, HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from certification import labels
from certification.selectors.surveys import (
    agency_signals_in_words,
    answer_label,
    survey_agency,
    survey_reader,
)
from certification.services import surveys as services
from monitoring.models import SurveyBatch
from monitoring.survey_selectors import (
    survey_aggregate,
    survey_batch_list,
    survey_counts,
)
from monitoring.surveys import survey_corridor_pair
from scoring.selectors import survey_text

# --- batches ---------------------------------------------------------------------------------


class SurveyBatchSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    corridor = serializers.SerializerMethodField(help_text="origin-destination, e.g. NP-QA")
    standard = serializers.CharField(source="standard.code")
    version = serializers.CharField(source="standard.version")
    count = serializers.IntegerField(help_text="codes issued")
    answered = serializers.SerializerMethodField(
        help_text="codes answered: the scheme's readers only (null for the agency, which reads "
        "its total in the summary: a batch's answers beside its date would tell when who "
        "answered)"
    )
    issued_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(help_text="the codes answer until then")
    issued_by = serializers.SerializerMethodField(help_text="the scheme's readers only")
    cards = serializers.SerializerMethodField(
        help_text="the cards' PDF, for whoever may print them; null otherwise"
    )

    def get_corridor(self, batch) -> str | None:
        return batch.corridor_label.replace(" → ", "-") if batch.has_corridor else None

    def get_answered(self, batch) -> int | None:
        return batch.answered if self.context.get("scheme") else None

    def get_issued_by(self, batch) -> str | None:
        return batch.issued_by.username if self.context.get("scheme") else None

    def get_cards(self, batch) -> str | None:
        user = self.context.get("user")
        reviewer = self.context.get("reviewer", False)
        scheme = self.context.get("scheme", False)
        # As services.survey_batch_may_print, without a query per batch.
        if scheme and user is not None and (reviewer or batch.issued_by_id == user.pk):
            return reverse("api:survey-batch-cards", args=[batch.public_id])
        return None


class SurveyBatchIssueSerializer(serializers.Serializer):
    count = serializers.IntegerField(
        help_text="how many codes (cards): 1 to SURVEY_BATCH_MAX (default 500)"
    )
    corridor = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="one of the agency's corridors, origin-destination, e.g. NP-QA",
    )


def _agency(request, public_id):
    """The agency and what the person may do with its survey; 404 for whoever may not know
    of it."""
    agency, reader = survey_agency(request.user, public_id)
    if agency is None or not reader.may_know:
        raise Http404
    return agency, reader


class AgencySurveyBatchesView(GenericAPIView):
    """An agency's batches of survey codes, newest first, with the codes issued in each and,
    for the scheme's readers, the codes answered (never the codes themselves). POST issues a batch (reviewers and the
    agency's auditor; 403 for the agency's members): 201 with the batch, whose `cards`
    link gives the PDF of cards to print and hand out."""

    serializer_class = SurveyBatchSerializer

    def get_queryset(self):
        return SurveyBatch.objects.none()  # the agency's, in get(); this is for the schema

    def _context(self, reader):
        return {
            "user": self.request.user,
            "scheme": reader.is_scheme,
            "reviewer": reader.is_reviewer,
        }

    @extend_schema(responses={200: SurveyBatchSerializer(many=True)})
    def get(self, request, public_id):
        agency, reader = _agency(request, public_id)
        page = self.paginate_queryset(survey_batch_list(agency))
        data = SurveyBatchSerializer(page, many=True, context=self._context(reader)).data
        return self.get_paginated_response(data)

    @extend_schema(request=SurveyBatchIssueSerializer, responses={201: SurveyBatchSerializer})
    def post(self, request, public_id):
        agency, reader = _agency(request, public_id)
        if not reader.is_scheme:
            raise exceptions.PermissionDenied(
                "Only a reviewer or the agency's auditor issues survey codes."
            )
        given = SurveyBatchIssueSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        batch, _codes = services.survey_batch_issue(
            actor=request.user,
            agency=agency,
            count=given.validated_data["count"],
            corridor=given.validated_data["corridor"] or None,
        )
        batch = survey_batch_list(agency).get(pk=batch.pk)
        data = SurveyBatchSerializer(batch, context=self._context(reader)).data
        headers = {"Location": data["cards"]} if data["cards"] else {}
        return Response(data, status=status.HTTP_201_CREATED, headers=headers)


class SurveyBatchCardsView(GenericAPIView):
    """A batch's cards as a PDF, eight to an A4 sheet, every code of the batch (used or
    not: a reprint tells nothing of who answered). Reviewers, and the agency's auditor who
    issued the batch; the agency and anyone else 404."""

    serializer_class = None

    def get_queryset(self):
        return SurveyBatch.objects.none()

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    def get(self, request, public_id):
        batch = SurveyBatch.objects.select_related("agency").filter(public_id=public_id).first()
        if batch is None:
            raise Http404
        reader = survey_reader(request.user, batch.agency)
        if not reader.is_scheme:
            raise Http404  # the agency never learns a batch's codes, nor whether it exists
        if not services.survey_batch_may_print(request.user, batch, reader):
            raise exceptions.PermissionDenied(
                "Only a reviewer or the auditor who issued them prints the cards."
            )
        pdf = services.survey_batch_cards(actor=request.user, batch=batch)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="survey-cards-{str(batch.public_id)[:8]}.pdf"'
        )
        response["Cache-Control"] = "private, no-store"
        return response


# --- the answers put together ----------------------------------------------------------------


class AnswerCountSerializer(serializers.Serializer):
    answer = serializers.CharField(help_text="yes, no, or a choice's code")
    label = serializers.CharField(help_text="the answer in the reader's words")
    count = serializers.IntegerField(help_text="workers who gave it")


class FeeCategoryCountSerializer(serializers.Serializer):
    category = serializers.CharField(help_text="a fee category (DOMAIN.md §3)")
    label = serializers.CharField()
    count = serializers.IntegerField(help_text="workers who named it")


class AmountSummarySerializer(serializers.Serializer):
    currency = serializers.CharField()
    reporting = serializers.IntegerField(help_text="workers who gave an amount in it")
    median = serializers.CharField(
        allow_null=True, help_text="an exact decimal; null below k workers in the currency"
    )
    total = serializers.CharField(
        allow_null=True, help_text="an exact decimal; null below k workers in the currency"
    )


class IssueShareSerializer(AnswerCountSerializer):
    """An answer the standard marks for checking, and the share of workers giving it."""

    share = serializers.CharField(help_text="of the workers who answered, 4 places: 0.3333")


class QuestionAggregateSerializer(serializers.Serializer):
    code = serializers.CharField()
    criterion = serializers.CharField(allow_null=True)
    answer_type = serializers.CharField()
    text = serializers.CharField(help_text="the question in the reader's language")
    answered = serializers.IntegerField(help_text="workers who answered it (not skipped)")
    counts = AnswerCountSerializer(many=True)
    amounts = AmountSummarySerializer(many=True)
    fee_categories = FeeCategoryCountSerializer(many=True)
    issues = IssueShareSerializer(many=True)


class SignalSerializer(serializers.Serializer):
    question = serializers.CharField()
    answer = serializers.CharField()
    count = serializers.IntegerField(help_text="workers who gave this answer")
    question_text = serializers.CharField()
    answer_text = serializers.CharField()
    sentence = serializers.CharField(help_text='"3 workers reported: question — answer"')


class CriterionSignalsSerializer(serializers.Serializer):
    criterion = serializers.CharField()
    criterion_text = serializers.CharField(allow_blank=True)
    lines = SignalSerializer(many=True)


class SurveySummarySerializer(serializers.Serializer):
    agency = serializers.UUIDField()
    corridor = serializers.CharField(allow_null=True)
    issued = serializers.IntegerField(help_text="codes issued for the agency, every batch")
    answered = serializers.IntegerField(help_text="answers received by the agency")
    answers = serializers.IntegerField(help_text="answers of the corridor asked (or all)")
    minimum = serializers.IntegerField(help_text="k: answers needed before any is shown")
    shown = serializers.BooleanField()
    stepped = serializers.BooleanField(
        help_text="the agency's reading: over its answers in steps of k (updated every k "
        "answers); false for the scheme's readers, who read the live figures"
    )
    questions = QuestionAggregateSerializer(many=True, help_text="empty unless shown")
    signals = CriterionSignalsSerializer(
        many=True, allow_null=True, help_text="reviewers and the agency's auditor; null else"
    )


def _answer(question, answer: str, count: int, language: str) -> dict:
    return {"answer": answer, "label": answer_label(question, answer, language), "count": count}


def _question_data(item, language: str) -> dict:
    question = item.question
    return {
        "code": question.code,
        "criterion": question.criterion,
        "answer_type": question.answer_type,
        "text": survey_text(question.text, language),
        "answered": item.answered,
        "counts": [_answer(question, c.answer, c.count, language) for c in item.counts],
        "amounts": [
            {
                "currency": a.currency,
                "reporting": a.reporting,
                "median": None if a.median is None else format(a.median, "f"),
                "total": None if a.total is None else format(a.total, "f"),
            }
            for a in item.amounts
        ],
        "fee_categories": [
            {"category": c.answer, "label": labels.label("cost", c.answer), "count": c.count}
            for c in item.fee_categories
        ],
        "issues": [
            {**_answer(question, i.answer, i.count, language), "share": format(i.share, "f")}
            for i in item.issues
        ],
    }


class AgencySurveySummaryView(GenericAPIView):
    """What the agency's placed workers answered, put together: per question the workers
    per answer, amounts per currency (median and total from k workers in the currency), fee
    categories, and the share reporting each issue. Shown from SURVEY_MIN_ANSWERS (k)
    workers; the agency's members read it over their answers in steps of k (`stepped`: the
    figures change only every k answers), the scheme's readers live; below k (or for a corridor while another group of the agency's answers is below
    k) `shown` is false and only the number of answers is given. The signals (not subject
    to k) are for reviewers and the agency's auditor only: null for the agency."""

    serializer_class = SurveySummarySerializer

    def get_queryset(self):
        return SurveyBatch.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "corridor", str, required=False, description="origin-destination, e.g. NP-QA"
            )
        ],
        responses={200: SurveySummarySerializer},
    )
    def get(self, request, public_id):
        agency, reader = _agency(request, public_id)
        values = request.query_params.getlist("corridor")
        if len(values) > 1:
            raise exceptions.ValidationError({"corridor": ["Give one corridor."]})
        pair = survey_corridor_pair(values[0] if values else None)
        corridor = "-".join(pair) if pair != ("", "") else None
        aggregate = survey_aggregate(agency, corridor, stepped=not reader.is_scheme)
        counts = survey_counts(agency)
        language = labels.reader_language()
        signals = None
        if reader.is_scheme:
            signals = [
                {
                    "criterion": entry.criterion,
                    "criterion_text": entry.criterion_text,
                    "lines": [asdict(line) for line in entry.lines],
                }
                for entry in agency_signals_in_words(agency, language)
            ]
        data = {
            "agency": agency.public_id,
            "corridor": corridor,
            "issued": counts.issued,
            "answered": counts.answered,
            "answers": aggregate.answers,
            "minimum": aggregate.minimum,
            "shown": aggregate.shown,
            "stepped": aggregate.stepped,
            "questions": [_question_data(q, language) for q in aggregate.questions]
            if aggregate.shown
            else [],
            "signals": signals,
        }
        return Response(SurveySummarySerializer(data).data)
