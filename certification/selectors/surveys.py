"""The worker survey as the scheme reads it (issue 15, DOMAIN.md §8): who among the
scheme's people may work with an agency's survey, since when an audit looks at the
signals, and the aggregates and signals in the reader's words.

monitoring keeps the survey and knows nothing of cases or audits; what needs them (is this
auditor the agency's? when was the agency last audited?) is worked out here and handed to
monitoring's functions.

Who sees what:
- reviewers, and the auditor of one of the agency's live cases (`survey_auditor_of_agency`):
  the batches, the aggregates from k answers, the signals;
- the agency's members: codes issued, answers received, the aggregate when it is shown;
  never a code, a signal or a single answer;
- anyone else: nothing (404).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext, ngettext

from audits.models import Audit, AuditState
from certification import labels
from certification.models import TERMINAL_STATES
from monitoring.survey_selectors import (
    CriterionSignals,
    QuestionAggregate,
    SurveyAggregate,
    survey_aggregate,
    survey_signals,
)
from recruiters import permissions
from recruiters.models import Agency, Role
from scoring.models import Criterion
from scoring.selectors import survey_text
from scoring.standard_file.spec import SurveyQuestionSpec

# --- who -----------------------------------------------------------------------------------


def survey_auditor_of_agency(user, agency) -> bool:
    """The user, an active auditor, leads an audit (not cancelled) of one of the agency's
    cases that is not over: the auditor of its current certification, who may issue survey
    codes for it and read its aggregates and signals. An auditor of a case long closed is
    not: the signals are not subject to k, and are only for whoever audits the agency now.
    One query (none for someone who is not signed in)."""
    if not (user is not None and user.is_authenticated and user.is_active):
        return False
    return (
        Audit.objects.filter(
            case__agency=agency,
            lead_auditor__user=user,
            lead_auditor__role=Role.AUDITOR,
            lead_auditor__is_active=True,
        )
        .exclude(state=AuditState.CANCELLED)
        .exclude(case__state__in=TERMINAL_STATES)
        .exists()
    )


@dataclass(frozen=True)
class SurveyReader:
    """What one person may do with one agency's survey, worked out once."""

    is_reviewer: bool
    is_agencys_auditor: bool
    is_agency_member: bool

    @property
    def is_scheme(self) -> bool:
        """Reviewers and the agency's auditor: batches, aggregates and signals."""
        return self.is_reviewer or self.is_agencys_auditor

    @property
    def may_know(self) -> bool:
        """Whether the agency's survey exists for this person at all (404 otherwise)."""
        return self.is_scheme or self.is_agency_member


def survey_reader(user, agency) -> SurveyReader:
    reviewer = permissions.is_reviewer(user)
    return SurveyReader(
        is_reviewer=reviewer,
        is_agencys_auditor=not reviewer
        and permissions.is_auditor(user)
        and survey_auditor_of_agency(user, agency),
        is_agency_member=permissions.is_agency_member(user, agency),
    )


def survey_agency(user, public_id):
    """The agency of `public_id` and what the person may do with its survey, or (None,
    None) when there is no such agency."""
    agency = Agency.objects.filter(public_id=public_id).first()
    return (agency, survey_reader(user, agency)) if agency is not None else (None, None)


# --- since when an audit looks ---------------------------------------------------------------


def survey_signals_since(audit: Audit) -> date | None:
    """The day the agency's audit before this one was completed: the audit checks what
    workers reported from that day on (that day included: an answer of the same day is
    checked twice rather than never). None when the agency had no completed audit before:
    every answer counts. One query."""
    previous = Audit.objects.filter(
        case__agency_id=audit.case.agency_id, state=AuditState.COMPLETED
    ).exclude(pk=audit.pk)
    if audit.completed_at is not None:
        previous = previous.filter(completed_at__lt=audit.completed_at)
    completed_at = (
        previous.exclude(completed_at=None)
        .order_by("-completed_at")
        .values_list("completed_at", flat=True)
        .first()
    )
    return timezone.localdate(completed_at) if completed_at is not None else None


def survey_signals_until(audit: Audit) -> date | None:
    """The last day a completed audit looked at (the day it was completed); None while it
    is not completed: an answer given after an audit is the next audit's to check."""
    if audit.state != AuditState.COMPLETED or audit.completed_at is None:
        return None
    return timezone.localdate(audit.completed_at)


def audit_survey_signals(audit: Audit) -> tuple[CriterionSignals, ...]:
    """The signals an audit must address: the agency's, raised since its previous audit
    (and, for a completed audit, up to its completion), on every standard version its
    workers answered."""
    return survey_signals(
        audit.case.agency, since=survey_signals_since(audit), until=survey_signals_until(audit)
    )


def survey_signals_reader(user, agency) -> bool:
    """Whether the user may read the agency's signals now: a reviewer, or the agency's
    current auditor (`survey_auditor_of_agency`); the auditor of a case long closed reads
    its audit page without them."""
    return permissions.is_reviewer(user) or (
        permissions.is_auditor(user) and survey_auditor_of_agency(user, agency)
    )


# --- in words ------------------------------------------------------------------------------


def answer_label(question: SurveyQuestionSpec, answer: str, language: str | None = None) -> str:
    """An answer to a survey question in the reader's words (yes or no, a choice's label)."""
    language = language or labels.reader_language()
    if question.answer_type == "yes_no":
        return labels.label("yes_no", answer)
    choice = question.choice(answer)
    return survey_text(choice.label, language) if choice is not None else answer


@dataclass(frozen=True)
class SignalLine:
    question: str  # the question's code
    answer: str  # the answer's code
    count: int
    question_text: str
    answer_text: str
    sentence: str  # "3 workers reported: Who holds your passport now? — The employer"


@dataclass(frozen=True)
class CriterionSignalLines:
    criterion: str
    criterion_text: str  # "" when the criterion is not in the reader's standard version
    lines: tuple[SignalLine, ...]
    addressed: bool | None = None  # on an audit in progress: a finding with a note


def signal_sentence(count: int, question_text: str, answer_text: str) -> str:
    return ngettext(
        "%(count)s worker reported: %(question)s — %(answer)s",
        "%(count)s workers reported: %(question)s — %(answer)s",
        count,
    ) % {"count": count, "question": question_text, "answer": answer_text}


def signals_in_words(
    signals, *, standard=None, addressed: set[str] | None = None, language: str | None = None
) -> list[CriterionSignalLines]:
    """The signals as a page shows them, in the reader's language, each criterion with its
    text in `standard` (one query) and, given the criteria `addressed`, whether it is."""
    language = language or labels.reader_language()
    texts = {}
    if standard is not None and signals:
        texts = {
            c.code: labels.localized(c, "text")
            for c in Criterion.objects.filter(
                standard=standard, code__in=[s.criterion for s in signals]
            )
        }
    out = []
    for entry in signals:
        lines = []
        for signal in entry.signals:
            question = survey_text(signal.question.text, language)
            answer = answer_label(signal.question, signal.answer, language)
            lines.append(
                SignalLine(
                    signal.question.code,
                    signal.answer,
                    signal.count,
                    question,
                    answer,
                    signal_sentence(signal.count, question, answer),
                )
            )
        out.append(
            CriterionSignalLines(
                entry.criterion,
                texts.get(entry.criterion, ""),
                tuple(lines),
                None if addressed is None else entry.criterion in addressed,
            )
        )
    return out


def agency_signals_in_words(agency, language: str | None = None) -> list[CriterionSignalLines]:
    """Every signal of the agency, its criteria worded as the standard of its latest case
    words them."""
    latest = agency.cases.order_by("-created_at", "-pk").select_related("standard").first()
    return signals_in_words(
        survey_signals(agency), standard=latest.standard if latest else None, language=language
    )


@dataclass(frozen=True)
class CountLine:
    label: str
    count: int
    share: str = ""  # "33.3 %" for an issue


@dataclass(frozen=True)
class AmountLine:
    currency: str
    reporting: int
    median: str  # "" below k workers reporting in the currency
    total: str


@dataclass(frozen=True)
class QuestionLines:
    code: str
    criterion: str | None
    text: str
    answered: int
    counts: tuple[CountLine, ...]
    amounts: tuple[AmountLine, ...]
    fee_categories: tuple[CountLine, ...]
    issues: tuple[CountLine, ...]


@dataclass(frozen=True)
class AggregateInWords:
    answers: int
    minimum: int
    shown: bool
    hidden_sentence: str  # below k: "Fewer than 5 answers: ..."
    questions: tuple[QuestionLines, ...]
    stepped: bool = False  # the agency's reading, updated every k answers


def _decimal_text(value: Decimal) -> str:
    """An amount without trailing zeros: 1200.5, 300."""
    return format(Decimal(value).normalize(), "f")


def _share(share: Decimal) -> str:
    """A share as a percentage for people: 0.3333 is 33.3 %."""
    return f"{(share * 100).quantize(Decimal('0.1'))} %"


def _question_lines(item: QuestionAggregate, language: str) -> QuestionLines:
    question = item.question
    return QuestionLines(
        code=question.code,
        criterion=question.criterion,
        text=survey_text(question.text, language),
        answered=item.answered,
        counts=tuple(
            CountLine(answer_label(question, c.answer, language), c.count) for c in item.counts
        ),
        amounts=tuple(
            AmountLine(
                a.currency,
                a.reporting,
                "" if a.median is None else _decimal_text(a.median),
                "" if a.total is None else _decimal_text(a.total),
            )
            for a in item.amounts
        ),
        fee_categories=tuple(
            CountLine(labels.label("cost", c.answer), c.count) for c in item.fee_categories
        ),
        issues=tuple(
            CountLine(answer_label(question, i.answer, language), i.count, _share(i.share))
            for i in item.issues
        ),
    )


def hidden_sentence(aggregate: SurveyAggregate) -> str:
    return ngettext(
        "Fewer than %(minimum)s answers (%(answers)s so far): the answers are shown from "
        "%(minimum)s workers on, so that no worker can be recognised.",
        "Fewer than %(minimum)s answers (%(answers)s so far): the answers are shown from "
        "%(minimum)s workers on, so that no worker can be recognised.",
        aggregate.minimum,
    ) % {"minimum": aggregate.minimum, "answers": aggregate.answers}


def aggregate_in_words(aggregate: SurveyAggregate, language: str | None = None) -> AggregateInWords:
    language = language or labels.reader_language()
    return AggregateInWords(
        answers=aggregate.answers,
        minimum=aggregate.minimum,
        shown=aggregate.shown,
        hidden_sentence="" if aggregate.shown else hidden_sentence(aggregate),
        questions=tuple(_question_lines(q, language) for q in aggregate.questions)
        if aggregate.shown
        else (),
        stepped=aggregate.stepped,
    )


def agency_survey_aggregate(
    agency, corridor=None, language: str | None = None, *, stepped: bool = False
):
    """The agency's aggregate (or a corridor's) in the reader's words; `stepped` for the
    agency's own members (`survey_aggregate`)."""
    return aggregate_in_words(survey_aggregate(agency, corridor, stepped=stepped), language)


def corridor_code(corridor) -> str:
    """A `recruiters.Corridor` as the API and forms name it: NP-QA."""
    return f"{corridor.origin.code}-{corridor.destination.code}"


def corridor_words(corridor) -> str:
    return gettext("%(origin)s to %(destination)s") % {
        "origin": corridor.origin.name,
        "destination": corridor.destination.name,
    }
