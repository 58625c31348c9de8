"""Every action of the worker survey (issue 15, DOMAIN.md §8): issuing a batch of one-time
codes, reading them again for a reprint, and a worker's answers.

Nothing of who answers is taken: `survey_answer` receives no request, address, device or
user, and stores the answers with their batch, language and date only. A code is kept as
its SHA-256 for lookup and encrypted (monitoring/crypto.py) for reprints; once it has
answered, only `used` says so, never when or which response.

The questions are data of the batch's standard version (`scoring.selectors.worker_survey_get`);
`survey_answers_clean` checks answers against them and is what the pages call screen by
screen before `survey_answer` saves everything at once.
"""

import hashlib
import secrets
from collections.abc import Mapping
from datetime import timedelta
from decimal import Context, Decimal, InvalidOperation
from functools import cache

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring import crypto
from monitoring.models import SurveyAnswer, SurveyBatch, SurveyCode, SurveyResponse
from recruiters.models import Agency, Corridor
from recruiters.permissions import is_auditor, is_reviewer
from scoring.models import Standard
from scoring.selectors import worker_survey_get
from scoring.standard_file.spec import SurveyQuestionSpec, WorkerSurveySpec

# Crockford's base 32: digits and capitals without I, L, O and U, so that nothing on a card
# is read as something else; 12 of them carry 60 random bits. Typed in any case, with or
# without the dashes printed between groups of four, O read as 0 and I or L as 1.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = str.maketrans("", "", " -_.\u00a0")

# Amounts as the database of worker costs keeps them: 3 decimals (the dinars of the Gulf),
# less than 100 billion.
AMOUNT_DECIMAL_PLACES = 3
AMOUNT_LIMIT = Decimal("100000000000")
_EXACT = Context(prec=60)  # wider than any amount of 40 characters: nothing rounds


class SurveyCodeRefused(ValidationError):
    """The code cannot answer: unknown, already used or expired, and the message never says
    which (a page shows the same friendly words for all three; the API answers 400 on
    `code`)."""

    def __init__(self):
        super().__init__(
            {
                "code": [
                    ValidationError(
                        _("This code cannot be used. Check it, or ask for a new card."),
                        code="survey_code_refused",
                    )
                ]
            }
        )


# --- codes ---------------------------------------------------------------------------------


def new_survey_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def survey_code_normalise(text: str | None) -> str:
    """A code as typed or scanned (`abcd-efgh-jk1m`, with spaces) in its stored form."""
    return (text or "").translate(_SEPARATORS).upper().translate(_READ_AS)


def survey_code_hash(code: str) -> str:
    return hashlib.sha256(survey_code_normalise(code).encode("ascii", "replace")).hexdigest()


def survey_code_printed(code: str) -> str:
    """The code in groups of four for people: `ABCD-EFGH-JKMN`."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def survey_base_url() -> str:
    return (settings.SURVEY_BASE_URL or settings.PUBLIC_BASE_URL).rstrip("/")


def survey_url(code: str) -> str:
    """The survey page of a code, which the card's QR code opens."""
    return f"{survey_base_url()}/s/{code}/"


# --- issuing -------------------------------------------------------------------------------


def survey_may_issue(actor, *, auditor_of_agency: bool = False) -> bool:
    """A scheme reviewer; or an auditor whom the caller found to be the lead auditor of an
    audit of one of the agency's cases (`auditor_of_agency`: certification knows audits and
    cases, monitoring may not look at them). Never the agency."""
    return is_reviewer(actor) or (bool(auditor_of_agency) and is_auditor(actor))


def survey_may_read_codes(actor, batch: SurveyBatch) -> bool:
    """Who may print a batch's cards again: a scheme reviewer, or whoever issued it."""
    if is_reviewer(actor):
        return True
    return bool(
        actor is not None
        and actor.is_authenticated
        and actor.is_active
        and actor.pk == batch.issued_by_id
    )


def survey_default_standard() -> Standard | None:
    """The published standard version loaded last that has a worker survey."""
    published = Standard.objects.filter(status=Standard.Status.PUBLISHED).order_by(
        "-loaded_at", "-id"
    )
    return next((s for s in published.only("id", "survey_languages") if s.survey_languages), None)


def survey_corridor_pair(corridor) -> tuple[str, str]:
    """A corridor given as a `recruiters.Corridor`, a pair of country codes or `NP-QA`, as
    its (origin, destination); ('', '') for none. ValidationError on `corridor` otherwise."""
    if corridor is None or corridor == "":
        return "", ""
    if isinstance(corridor, Corridor):
        return corridor.origin.code, corridor.destination.code
    parts = corridor.split("-") if isinstance(corridor, str) else corridor
    pair = tuple(str(part).strip().upper() for part in parts)
    if len(pair) != 2 or not all(pair):
        raise ValidationError(
            {"corridor": [_("Give a corridor as origin-destination, e.g. NP-QA.")]}
        )
    return pair


def _agency_corridor(agency: Agency, corridor) -> tuple[str, str]:
    pair = survey_corridor_pair(corridor)
    if isinstance(corridor, Corridor):
        known = corridor.agency_id == agency.pk
    else:
        known = pair == ("", "") or (
            agency.corridors.filter(origin=pair[0], destination=pair[1]).exists()
        )
    if not known:
        raise ValidationError({"corridor": [_("This is not one of the agency's corridors.")]})
    return pair


def _fresh_codes(count: int) -> list[str]:
    """`count` new codes, none already stored (a collision in 60 bits is unlikely, not
    impossible)."""
    codes: dict[str, str] = {}  # hash: code, in the order drawn
    while len(codes) < count:
        drawn = {
            survey_code_hash(c): c for c in (new_survey_code() for _ in range(count - len(codes)))
        }
        taken = set(
            SurveyCode.objects.filter(code_hash__in=list(drawn)).values_list("code_hash", flat=True)
        )
        codes.update((h, c) for h, c in drawn.items() if h not in taken and h not in codes)
    return list(codes.values())


def survey_batch_issue(
    *,
    actor,
    agency: Agency,
    count: int,
    corridor=None,
    standard: Standard | None = None,
    auditor_of_agency: bool = False,
    now=None,
) -> tuple[SurveyBatch, list[str]]:
    """Issue `count` one-time codes (1 to SURVEY_BATCH_MAX) for an agency, optionally for
    one of its corridors (a `Corridor` of the agency, `("NP", "QA")` or `"NP-QA"`), on the
    survey of `standard` (default: `survey_default_standard()`; callers pass the standard
    of the agency's case where it has a survey). Valid SURVEY_CODE_VALID_DAYS.

    Allowed by `survey_may_issue` (PermissionDenied otherwise). Returns the batch and its
    codes in clear, in the order of the cards, for `monitoring.pdf.survey_cards_pdf`;
    `survey_batch_codes` reads them again. ValidationError on `count`, `corridor` or
    `standard`."""
    if not survey_may_issue(actor, auditor_of_agency=auditor_of_agency):
        raise PermissionDenied(_("Only a reviewer or the agency's auditor issues survey codes."))
    limit = settings.SURVEY_BATCH_MAX
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= limit:
        raise ValidationError(
            {"count": [_("Give a number of codes from 1 to %(limit)s.") % {"limit": limit}]}
        )
    origin, destination = _agency_corridor(agency, corridor)
    standard = standard or survey_default_standard()
    if standard is None or not standard.survey_languages:
        raise ValidationError({"standard": [_("This standard version has no worker survey.")]})
    now = now or timezone.now()
    with transaction.atomic():
        batch = SurveyBatch.objects.create(
            agency=agency,
            origin=origin,
            destination=destination,
            standard=standard,
            count=count,
            issued_by=actor,
            issued_at=now,
            expires_at=now + timedelta(days=settings.SURVEY_CODE_VALID_DAYS),
        )
        codes = _fresh_codes(count)
        SurveyCode.objects.bulk_create(
            SurveyCode(batch=batch, code_hash=survey_code_hash(c), code_encrypted=crypto.encrypt(c))
            for c in codes
        )
    return batch, codes


def survey_batch_codes(*, actor, batch: SurveyBatch) -> list[str]:
    """A batch's codes in clear, in the order of its cards, to print them again: for
    `survey_may_read_codes` only (PermissionDenied otherwise). Used or not, every code is
    given, so that a reprint tells nothing of who answered."""
    if not survey_may_read_codes(actor, batch):
        raise PermissionDenied
    tokens = SurveyCode.objects.filter(batch=batch).order_by("id")
    return [crypto.decrypt(token) for token in tokens.values_list("code_encrypted", flat=True)]


# --- answers -------------------------------------------------------------------------------


@cache
def _currencies() -> frozenset[str]:
    import pycountry  # ISO 4217 as pycountry keeps it, loaded on first use

    return frozenset(currency.alpha_3 for currency in pycountry.currencies)


def _skipped(question: SurveyQuestionSpec, value) -> bool:
    if question.answer_type == "amount" and isinstance(value, Mapping):
        value = value.get("amount")
    if isinstance(value, str):
        value = value.strip()
    return value is None or value == "" or value == [] or value == ()


def _clean_amount(value) -> dict:
    if not isinstance(value, Mapping):
        raise ValidationError(_("Write the amount and choose the money (currency)."))
    raw = value.get("amount")
    text = str(raw).strip() if isinstance(raw, int | str | Decimal | float) else ""
    try:
        if isinstance(raw, bool) or not text:
            raise InvalidOperation
        amount = Decimal(text)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationError(_("Write the amount as a number, for example 250 or 250.50."))
    if amount < 0:
        raise ValidationError(_("The amount cannot be below zero."))
    if amount >= AMOUNT_LIMIT or len(text) > 40:
        raise ValidationError(_("This amount is too large."))
    # Exact whatever was typed: 250.50 is 250.5, 1E+2 is 100, -0 is 0.
    amount = _EXACT.add(amount.normalize(_EXACT), Decimal(0))
    if amount.as_tuple().exponent < -AMOUNT_DECIMAL_PLACES:
        raise ValidationError(_("Write at most three digits after the point."))
    currency = value.get("currency")
    currency = currency.strip().upper() if isinstance(currency, str) else ""
    if currency not in _currencies():
        raise ValidationError(_("Choose the money (currency) from the list."))
    return {"amount": format(amount, "f"), "currency": currency}


def _clean_value(question: SurveyQuestionSpec, value):
    if question.answer_type == "amount":
        return _clean_amount(value)
    if question.answer_type == "multi_choice":
        given = [value] if isinstance(value, str) else value
        if not isinstance(given, list | tuple) or not all(isinstance(v, str) for v in given):
            raise ValidationError(_("Choose among the answers given."))
        given = list(dict.fromkeys(given))
        if any(v not in question.answers for v in given):
            raise ValidationError(_("Choose among the answers given."))
        return [code for code in question.answers if code in given]  # in the survey's order
    if not isinstance(value, str) or value not in question.answers:
        if question.answer_type == "yes_no":
            raise ValidationError(_("Answer yes or no."))
        raise ValidationError(_("Choose one of the answers given."))
    return value


def survey_question_asked(question: SurveyQuestionSpec, answers: Mapping) -> bool:
    """Whether a question is put, given the cleaned answers to the earlier ones: always
    without `ask_if`; else only when its earlier question got that answer (among the answers
    of a multi_choice one). An earlier question skipped, or not asked, is a condition not met."""
    condition = question.ask_if
    if condition is None:
        return True
    given = answers.get(condition.question)
    if isinstance(given, list):
        return condition.answer in given
    return given == condition.answer


def survey_answers_clean(*, survey: WorkerSurveySpec, answers: Mapping) -> dict:
    """The answers checked against the survey and put in their stored form, in the order of
    the survey: {question code: value}. Any question may be skipped (no key, None, "", [] or
    an amount left empty). An answer to a question whose `ask_if` is not met is dropped, not
    refused: on a page without JavaScript the follow-up questions are on screen for everyone,
    and a worker who said they paid nothing must not be stopped by an amount typed before.

    ValidationError keyed by question code: an unknown question, an answer outside the
    question's answers, an amount that is not a number, negative, over three decimals or too
    large, a currency not in ISO 4217 (pycountry's list); `answers` itself when it is not a
    mapping. Pages call it screen by screen with the answers so far."""
    if not isinstance(answers, Mapping):
        raise ValidationError({"answers": [_("Send the answers by question.")]})
    errors: dict[str, list] = {}
    for code in answers:
        if survey.question(code) is None:
            errors[str(code)] = [_("This question is not in the survey.")]
    cleaned: dict = {}
    for question in survey.questions:
        value = answers.get(question.code)
        if _skipped(question, value) or not survey_question_asked(question, cleaned):
            continue
        try:
            cleaned[question.code] = _clean_value(question, value)
        except ValidationError as error:
            errors[question.code] = error.error_list
    if errors:
        raise ValidationError(errors)
    return cleaned


def survey_language(survey: WorkerSurveySpec, language: str | None) -> str:
    """The survey language a worker answers in (`ne-NP` is `ne`); ValidationError on
    `language` for a language the survey is not written in."""
    wanted = (language or "").strip().lower().replace("_", "-")
    for candidate in (wanted, wanted.split("-")[0]):
        if candidate and candidate in survey.languages:
            return candidate
    raise ValidationError({"language": [_("Choose one of the survey's languages.")]})


def _lock_code(code: str) -> SurveyCode | None:
    return (
        SurveyCode.objects.select_for_update()
        .select_related("batch__standard")
        .filter(code_hash=survey_code_hash(code))
        .first()
    )


def survey_answer(*, code: str, answers: Mapping, language: str, now=None) -> SurveyResponse:
    """A worker's answers with their card's code, saved whole or not at all.

    The code's row is locked (select_for_update) for the whole transaction, so that two
    submissions at once save one response and the other is refused. An unknown, used or
    expired code raises `SurveyCodeRefused`, the same for all three; answers that do not fit
    the batch's survey raise ValidationError keyed by question code (see
    `survey_answers_clean`), and `language` likewise; in every case nothing is saved and the
    code stays unused. Returns the response, which holds its batch, language, date and
    answers, and nothing else."""
    now = now or timezone.now()
    with transaction.atomic():
        row = _lock_code(code)
        if row is None or row.used or row.batch.is_expired(now):
            raise SurveyCodeRefused
        survey = worker_survey_get(standard=row.batch.standard)
        if survey is None:  # a batch is only issued on a version with a survey
            raise SurveyCodeRefused
        errors = {}
        try:
            language = survey_language(survey, language)
        except ValidationError as error:
            errors.update(error.error_dict)
        try:
            cleaned = survey_answers_clean(survey=survey, answers=answers)
        except ValidationError as error:
            errors.update(error.error_dict)
        if errors:
            raise ValidationError(errors)
        SurveyCode.objects.filter(pk=row.pk).update(used=True)
        response = SurveyResponse.objects.create(
            batch=row.batch, language=language, answered_on=timezone.localdate(now)
        )
        SurveyAnswer.objects.bulk_create(
            SurveyAnswer(response=response, question_code=question_code, value=value)
            for question_code, value in cleaned.items()
        )
    return response
