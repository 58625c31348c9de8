"""The worker survey through the API (issue 15 §2), for apps that put the questions to
workers themselves: anyone with a card's code reads the questions in a language and sends
the answers once. No account; nothing of the request is kept (monitoring.surveys).

An unknown, used or expired code is the same 404. Messages of a refused answer come in the
language sent (where the survey pages have it), ready to show to the worker. Counted per
address under the `survey` throttle, reads and answers together. No response is logged with
its code (`_has_been_logged`; config/logging_filters.py).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import translation
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from certification.forms.surveys import survey_page_languages
from monitoring.survey_selectors import survey_code_open
from monitoring.surveys import SurveyCodeRefused, survey_answer, survey_language
from scoring.selectors import survey_text, worker_survey_get

ANSWER_TYPES = ["yes_no", "choice", "multi_choice", "amount"]
CODE = OpenApiParameter(
    "code",
    str,
    OpenApiParameter.PATH,
    description="the card's code, as printed (`ABCD-EFGH-JKMN`) or typed, in any case",
)


class SurveyAnswersSerializer(serializers.Serializer):
    language = serializers.CharField(
        max_length=16, help_text="the language the worker answered in, one of the survey's"
    )
    answers = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        help_text=(
            "{question code: answer}: `yes`/`no`, a choice code, a list of choice codes "
            '(multi_choice), or {"amount": "250.50", "currency": "NPR"} (amount). A question '
            "left out, null or empty is skipped; every question may be."
        ),
    )


class SurveyAnsweredSerializer(serializers.Serializer):
    answered = serializers.BooleanField()


class SurveyChoiceSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class SurveyAskIfSerializer(serializers.Serializer):
    question = serializers.CharField(help_text="an earlier question's code")
    answer = serializers.CharField(help_text="the answer to it that puts this question")


class SurveyQuestionSerializer(serializers.Serializer):
    code = serializers.CharField()
    answer_type = serializers.ChoiceField(ANSWER_TYPES)
    text = serializers.CharField()
    help = serializers.CharField(help_text="a short hint; empty when there is none")
    choices = SurveyChoiceSerializer(many=True, help_text="yes_no: yes and no; amount: none")
    ask_if = SurveyAskIfSerializer(allow_null=True, help_text="asked only after that answer")
    optional_personal = serializers.BooleanField(
        help_text="about the worker (age band, gender), only to count answers"
    )


class SurveyLanguageSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(help_text="the language's name in itself")


class SurveyQuestionsSerializer(serializers.Serializer):
    language = serializers.CharField()
    languages = SurveyLanguageSerializer(many=True, help_text="those the survey is written in")
    questions = SurveyQuestionSerializer(many=True)


def _opened(code: str):
    batch = survey_code_open(code)
    survey = worker_survey_get(standard=batch.standard) if batch is not None else None
    if survey is None:
        raise Http404  # the same for an unknown, a used and an expired code
    return survey


def _choices(question, language):
    if question.answer_type == "yes_no":
        return [
            {"code": "yes", "label": translation.gettext("Yes")},
            {"code": "no", "label": translation.gettext("No")},
        ]
    return [{"code": c.code, "label": survey_text(c.label, language)} for c in question.choices]


def _languages(survey) -> list[dict]:
    named = dict(survey_page_languages(survey))
    return [{"code": code, "name": named.get(code, code)} for code in survey.languages]


def _message_language(survey, given) -> str:
    try:
        return survey_language(survey, given)
    except DjangoValidationError:
        return "en"


class SurveyView(APIView):
    """A survey card's code: its questions, and the worker's answers (once)."""

    permission_classes = [AllowAny]
    throttle_scope = "survey"

    def finalize_response(self, request, response, *args, **kwargs):
        # A code, and a worker's answers or refusals: no cache keeps any of it, errors too;
        # and Django's request logger does not log a refusal ("Not Found: /api/v1/surveys/
        # <code>/" with its time; config/logging_filters.py drops it too).
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        if response.status_code < 500:  # an error is logged, its code masked
            response._has_been_logged = True
        return response

    @extend_schema(
        parameters=[
            CODE,
            OpenApiParameter(
                "language",
                str,
                required=False,
                description="one of the survey's languages (`ne`, `ne-NP`); default `en`",
            ),
        ],
        responses={200: SurveyQuestionsSerializer},
        description="The questions of the code's survey in a language, in their order. "
        "404 for an unknown, used or expired code alike.",
    )
    def get(self, request, code: str):
        survey = _opened(code)
        with translation.override(_message_language(survey, request.query_params.get("language"))):
            language = survey_language(survey, request.query_params.get("language") or "en")
            questions = [
                {
                    "code": q.code,
                    "answer_type": q.answer_type,
                    "text": survey_text(q.text, language),
                    "help": survey_text(q.help, language),
                    "choices": _choices(q, language),
                    "ask_if": q.ask_if.to_dict() if q.ask_if is not None else None,
                    "optional_personal": q.optional_personal,
                }
                for q in survey.questions
            ]
        data = {"language": language, "languages": _languages(survey), "questions": questions}
        return Response(SurveyQuestionsSerializer(data).data)

    @extend_schema(
        parameters=[CODE],
        request=SurveyAnswersSerializer,
        responses={201: SurveyAnsweredSerializer},
        description="The worker's answers, saved whole or not at all; the code is then used. "
        "400 names `language` or `answers.<question code>`, in the language sent; 404 for an "
        "unknown, used or expired code alike.",
    )
    def post(self, request, code: str):
        given = SurveyAnswersSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        language = given.validated_data["language"]
        survey = _opened(code)
        with translation.override(_message_language(survey, language)):
            try:
                survey_answer(code=code, answers=given.validated_data["answers"], language=language)
            except SurveyCodeRefused:
                raise Http404 from None
            except DjangoValidationError as error:
                detail = error.message_dict
                raise ValidationError(
                    {
                        **({"language": detail.pop("language")} if "language" in detail else {}),
                        **({"answers": detail} if detail else {}),
                    }
                ) from None
        return Response({"answered": True}, status=status.HTTP_201_CREATED)
