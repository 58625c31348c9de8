"""Reads of the worker survey: a card's code, what the agency may see, the aggregates the
reviewers and auditors see from k answers, and the signals the auditor must check.

What each reader may see (issue 15 §3), for the pages and routes built on these:
- the agency: `survey_counts` (codes issued, answers received) and
  `survey_aggregate(..., stepped=True)` when it is `shown`: figures that move only in steps
  of k answers, so that comparing two readings never gives one worker's answers; never a
  code, a batch's answers, a signal or a single answer;
- reviewers and the agency's auditors: the same aggregates, `survey_batch_list` and `survey_signals`;
- nobody: a single response. No function here returns a response, its date or language
  next to its answers.

Every function costs a constant number of queries whatever the number of answers (two more
per standard version whose survey was answered, to read its questions).
"""

import secrets
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from django.conf import settings
from django.db.models import Count, Q

from monitoring.models import SurveyAnswer, SurveyBatch, SurveyCode, SurveyResponse
from monitoring.surveys import survey_code_hash, survey_code_normalise, survey_corridor_pair
from recruiters.models import Agency
from scoring.models import Standard
from scoring.selectors import worker_survey_get
from scoring.standard_file.spec import SurveyQuestionSpec, WorkerSurveySpec

_DUMMY_HASH = survey_code_hash("not a code")
SHARE_PLACES = Decimal("0.0001")


# --- a card's code -------------------------------------------------------------------------


def survey_code_open(code: str, *, now=None) -> SurveyBatch | None:
    """The batch of a code that may still answer (with its agency and standard), else None:
    the same None for an unknown, a used and an expired code. The stored hash is compared
    in constant time even when the code is unknown. Opening is no use of the code: only
    `surveys.survey_answer` uses it."""
    given = survey_code_hash(code)
    row = (
        SurveyCode.objects.select_related("batch__agency", "batch__standard")
        .filter(code_hash=given)
        .first()
        if survey_code_normalise(code)
        else None
    )
    expected = row.code_hash if row is not None else _DUMMY_HASH
    if not secrets.compare_digest(given, expected) or row is None:
        return None
    if row.used or row.batch.is_expired(now):
        return None
    return row.batch


# --- what the agency may see ---------------------------------------------------------------


@dataclass(frozen=True)
class SurveyCounts:
    """All the agency learns of its survey besides aggregates at or above k."""

    issued: int  # codes issued for it, in every batch
    answered: int  # responses received


def survey_counts(agency: Agency) -> SurveyCounts:
    """Codes issued for the agency and answers received. Two queries."""
    return SurveyCounts(
        issued=SurveyCode.objects.filter(batch__agency=agency).count(),
        answered=SurveyResponse.objects.filter(batch__agency=agency).count(),
    )


def survey_batch_list(agency: Agency):
    """The agency's batches for the reviewers' and auditors' pages, newest first, each with
    `answered` (its responses); never the codes. One query."""
    return (
        SurveyBatch.objects.filter(agency=agency)
        .select_related("standard", "issued_by")
        .annotate(answered=Count("responses"))
        .order_by("-issued_at", "-id")
    )


# --- the answers, from k workers -----------------------------------------------------------


@dataclass(frozen=True)
class AnswerCount:
    answer: str  # "yes"/"no", a choice code, or a fee category
    count: int  # workers who gave it


@dataclass(frozen=True)
class AmountSummary:
    """The amounts workers reported in one currency (never converted)."""

    currency: str
    reporting: int
    median: Decimal | None  # None below k workers reporting in this currency
    total: Decimal | None


@dataclass(frozen=True)
class IssueShare:
    """Workers giving an answer the standard marks as a signal, and their share of all the
    workers who answered the survey (a question skipped counts as not reporting)."""

    answer: str
    count: int
    share: Decimal  # count / answers, 4 places: 0.3333


@dataclass(frozen=True)
class QuestionAggregate:
    question: SurveyQuestionSpec  # as the newest version answered words it
    answered: int  # workers who answered it (not skipped)
    counts: tuple[AnswerCount, ...] = ()  # every answer, in the question's order, zeros too
    amounts: tuple[AmountSummary, ...] = ()  # an amount question: per currency
    fee_categories: tuple[AnswerCount, ...] = ()  # choices with a fee category, per category
    issues: tuple[IssueShare, ...] = ()  # a question with signal answers


@dataclass(frozen=True)
class SurveyAggregate:
    """An agency's answers put together. `shown` is False below `minimum` (k) workers, and
    then nothing but the number of answers is given; the pages say "fewer than k answers"."""

    answers: int
    minimum: int
    shown: bool
    questions: tuple[QuestionAggregate, ...] = ()
    stepped: bool = False  # the agency's reading: over the answers in steps of k only


def _responses(
    agency: Agency, pair=("", ""), standard: Standard | None = None, since=None, until=None
):
    responses = SurveyResponse.objects.filter(batch__agency=agency)
    if pair != ("", ""):
        responses = responses.filter(batch__origin=pair[0], batch__destination=pair[1])
    if standard is not None:
        responses = responses.filter(batch__standard=standard)
    if since is not None:
        responses = responses.filter(answered_on__gte=since)
    if until is not None:
        responses = responses.filter(answered_on__lte=until)
    return responses


def _surveys(standard_ids) -> list[tuple[int, WorkerSurveySpec]]:
    """The surveys of these versions, newest first. One query, and two per version."""
    standards = Standard.objects.filter(pk__in=set(standard_ids)).order_by("-loaded_at", "-id")
    found = [(s.pk, worker_survey_get(standard=s)) for s in standards]
    return [(pk, survey) for pk, survey in found if survey is not None]


def _answer_rows(responses):
    """(standard id, question code, value) of every answer of these responses: one query."""
    return list(
        SurveyAnswer.objects.filter(response__in=responses).values_list(
            "response__batch__standard_id", "question_code", "value"
        )
    )


def _questions_in_order(surveys) -> dict[str, SurveyQuestionSpec]:
    """Each question code once, as the newest survey asks it, in that survey's order, then
    those only older versions ask."""
    questions: dict[str, SurveyQuestionSpec] = {}
    for _pk, survey in surveys:
        for question in survey.questions:
            questions.setdefault(question.code, question)
    return questions


def _given(value) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(value)
    return (value,) if isinstance(value, str) else ()


def _amounts(values, minimum: int) -> tuple[AmountSummary, ...]:
    """Per currency the workers reporting an amount in it, and the median and total only
    from `minimum` (k) of them: one worker's amount (or two's, by their total) is never
    given, even inside an aggregate shown."""
    by_currency = defaultdict(list)
    for value in values:
        if isinstance(value, dict):
            by_currency[value["currency"]].append(Decimal(value["amount"]))
    return tuple(
        AmountSummary(
            currency=currency,
            reporting=len(amounts),
            median=statistics.median(amounts) if len(amounts) >= minimum else None,
            total=sum(amounts, start=Decimal(0)) if len(amounts) >= minimum else None,
        )
        for currency, amounts in sorted(by_currency.items())
    )


def _question_aggregate(question: SurveyQuestionSpec, values: list, workers: int, minimum: int):
    if question.answer_type == "amount":
        return QuestionAggregate(question, len(values), amounts=_amounts(values, minimum))
    counted = Counter(answer for value in values for answer in set(_given(value)))
    order = list(question.answers) + sorted(set(counted) - set(question.answers))
    category_of = {c.code: c.fee_category for c in question.choices if c.fee_category}
    categories = Counter(
        category
        for value in values
        for category in {category_of[a] for a in _given(value) if a in category_of}
    )
    category_order = dict.fromkeys(category_of.values())
    return QuestionAggregate(
        question,
        len(values),
        counts=tuple(AnswerCount(answer, counted[answer]) for answer in order),
        fee_categories=tuple(AnswerCount(c, categories[c]) for c in category_order),
        issues=tuple(
            IssueShare(
                answer,
                counted[answer],
                (Decimal(counted[answer]) / Decimal(workers)).quantize(
                    SHARE_PLACES, rounding=ROUND_HALF_EVEN
                ),
            )
            for answer in question.signal_answers
        ),
    )


def _groups_all_reach(agency: Agency, minimum: int) -> bool:
    """Every group of the agency's answers by corridor (answers to batches without one are
    a group too) has no answer or at least `minimum`: only then may a corridor's aggregate
    be shown, or it and the agency's together would tell a smaller group's answers by
    difference. One query."""
    counts = (
        SurveyResponse.objects.filter(batch__agency=agency)
        .order_by()
        .values("batch__origin", "batch__destination")
        .annotate(n=Count("id"))
        .values_list("n", flat=True)
    )
    return all(n >= minimum for n in counts)


def survey_min_answers() -> int:
    """k, never below 2 (the system check `monitoring.E004` refuses a setting below)."""
    return max(settings.SURVEY_MIN_ANSWERS, 2)


def _stepped(agency: Agency, minimum: int) -> Q:
    """The responses the agency's figures rest on: in each group of its answers by corridor
    (the answers to batches without one are a group too), the first ⌊n/k⌋·k by id. So each
    group, and the agency's whole, changes only by k answers at a time, and a group below k
    counts for nothing: two readings, or a corridor's and the whole's, never differ by fewer
    than k workers. One query (of ids, corridors)."""
    groups = defaultdict(list)
    rows = (
        SurveyResponse.objects.filter(batch__agency=agency)
        .order_by("id")
        .values_list("id", "batch__origin", "batch__destination")
    )
    for pk, origin, destination in rows:
        groups[origin, destination].append(pk)
    kept = Q(pk__in=[])
    for (origin, destination), ids in groups.items():
        if len(ids) >= minimum:
            kept |= Q(
                batch__origin=origin,
                batch__destination=destination,
                pk__lte=ids[len(ids) // minimum * minimum - 1],
            )
    return kept


def survey_aggregate(agency: Agency, corridor=None, *, stepped: bool = False) -> SurveyAggregate:
    """The agency's answers, or one corridor's (a `Corridor`, a pair, `NP-QA`), put together
    over every batch and standard version: per question the workers per answer, for an
    amount the number reporting per currency and, from k of them, the median and total, for
    choices with a fee category the workers per category, and the share of workers
    reporting each issue the standard marks. Shown from SURVEY_MIN_ANSWERS (k) workers; a
    corridor's only when every corridor of the agency, and its answers without a corridor,
    has none or at least k as well. Below that: the number of answers and `shown=False`,
    nothing else.

    `stepped` is the agency's reading (reviewers and auditors read the live figures): over
    `_stepped` only, so that the figures change only in steps of k answers and the
    agency cannot tell a new worker's answers by comparing two readings; `answers` is then
    the number of answers the figures rest on (below k, the live number, which the agency
    reads anyway). Who may see an aggregate is the caller's to decide (the agency only when
    `shown`). Four to six queries, and two per standard version."""
    minimum = survey_min_answers()
    pair = survey_corridor_pair(corridor)
    responses = _responses(agency, pair)
    if stepped:
        live = responses.count()
        responses = responses.filter(_stepped(agency, minimum))
        workers = responses.count()
        # every group of the stepped answers has none or a multiple of k: no group check
        if workers < minimum:
            return SurveyAggregate(answers=live, minimum=minimum, shown=False, stepped=True)
    else:
        workers = responses.count()
        if workers < minimum or (pair != ("", "") and not _groups_all_reach(agency, minimum)):
            return SurveyAggregate(answers=workers, minimum=minimum, shown=False)
    rows = _answer_rows(responses)
    versions = responses.values_list("batch__standard_id", flat=True).distinct()
    questions = _questions_in_order(_surveys(versions))
    values = defaultdict(list)
    for _standard_id, code, value in rows:
        values[code].append(value)
    return SurveyAggregate(
        answers=workers,
        minimum=minimum,
        shown=True,
        questions=tuple(
            _question_aggregate(question, values[code], workers, minimum)
            for code, question in questions.items()
        ),
        stepped=stepped,
    )


# --- signals for the auditor ---------------------------------------------------------------


@dataclass(frozen=True)
class SurveySignal:
    """N workers gave this answer to this question: all a signal ever says."""

    question: SurveyQuestionSpec
    answer: str
    count: int


@dataclass(frozen=True)
class CriterionSignals:
    criterion: str  # the criterion's code, e.g. C1.1
    signals: tuple[SurveySignal, ...]


def survey_signals(
    agency: Agency,
    standard: Standard | None = None,
    *,
    since: date | None = None,
    until: date | None = None,
) -> tuple[CriterionSignals, ...]:
    """The answers the standard marks as signals, given by at least SURVEY_SIGNAL_THRESHOLD
    workers of the agency (from batches on `standard` if given; answered on or after
    `since`, and on or before `until`, if given), per criterion in the order of the survey. Each answer counts under
    the signals of the version it was answered on.

    Not subject to k: one worker's report is for the auditor to check (records,
    interviews). So a signal says only "N workers reported X": no date, language, batch,
    corridor or other answer of the same workers, nothing that would single out an answer
    beyond that count. The audit page lists them under their criteria, and `complete_audit`
    asks for a finding note on each criterion listed. A signal is never by itself a breach.
    Two queries, and two per standard version."""
    threshold = max(settings.SURVEY_SIGNAL_THRESHOLD, 1)
    rows = _answer_rows(_responses(agency, standard=standard, since=since, until=until))
    surveys = _surveys(standard_id for standard_id, _c, _v in rows)
    by_version = dict(surveys)
    counted = Counter()
    for standard_id, code, value in rows:
        asked = by_version[standard_id].question(code) if standard_id in by_version else None
        if asked is None or asked.criterion is None:
            continue
        for answer in set(_given(value)):
            if answer in asked.signal_answers:
                counted[asked.criterion, code, answer] += 1
    by_criterion = defaultdict(list)
    for code, question in _questions_in_order(surveys).items():
        order = {answer: position for position, answer in enumerate(question.answers)}
        raised = sorted(
            (key for key, count in counted.items() if key[1] == code and count >= threshold),
            key=lambda key: (order.get(key[2], len(order)), key),
        )
        for criterion, _code, answer in raised:
            by_criterion[criterion].append(
                SurveySignal(question, answer, counted[criterion, code, answer])
            )
    return tuple(
        CriterionSignals(criterion, tuple(signals)) for criterion, signals in by_criterion.items()
    )


def survey_signal_criteria(
    agency: Agency,
    standard: Standard | None = None,
    *,
    since: date | None = None,
    until: date | None = None,
) -> list[str]:
    """The codes of the criteria with a signal (what `complete_audit` needs addressed)."""
    return [entry.criterion for entry in survey_signals(agency, standard, since=since, until=until)]
