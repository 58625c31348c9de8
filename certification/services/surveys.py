"""Survey codes as the scheme hands them out (issue 15 §1): a reviewer, or the auditor of
one of the agency's live cases, issues a batch of one-time codes and prints its cards.

monitoring/surveys.py does the work and may not look at cases or audits; this wraps it with
what only certification knows: whether the actor is the agency's auditor, and the standard
version of the agency's case. The agency never issues codes and never prints cards.

Every batch is its own record: the batch row (monitoring.SurveyBatch, read-only in the
admin) keeps who issued it, when, how many codes, for which corridor and standard version,
and the reviewers' page lists them all. Not an AgencyEvent: those are the history of the
agency's profile, which its members read, and a batch is no change of the profile. Each
issue and each printing of the cards is also a log line, naming the batch and the person,
never a code."""

import logging

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from certification.models import TERMINAL_STATES, CertificationCase
from certification.selectors.surveys import survey_reader
from monitoring import surveys as core
from monitoring.models import SurveyBatch
from monitoring.pdf import survey_cards_pdf
from scoring.models import Standard

logger = logging.getLogger(__name__)


def survey_standard_for(agency) -> Standard | None:
    """The standard version the agency's codes are issued on: its latest case's that is not
    over, when that version has a worker survey; else the latest published one with a
    survey (`monitoring.surveys.survey_default_standard`)."""
    case = (
        CertificationCase.objects.filter(agency=agency)
        .exclude(state__in=TERMINAL_STATES)
        .select_related("standard")
        .order_by("-created_at", "-pk")
        .first()
    )
    if case is not None and case.standard.survey_languages:
        return case.standard
    return core.survey_default_standard()


def survey_batch_issue(
    *, actor, agency, count: int, corridor=None, now=None
) -> tuple[SurveyBatch, list[str]]:
    """A reviewer, or the agency's auditor (`survey_auditor_of_agency`), issues `count`
    one-time codes for the agency, optionally for one of its corridors (`NP-QA`). Returns
    the batch and its codes in clear, for the cards. PermissionDenied for anyone else (the
    agency above all); ValidationError on `count` (1 to SURVEY_BATCH_MAX), `corridor` (not
    one of the agency's) or `standard` (no version with a survey)."""
    reader = survey_reader(actor, agency)
    if not reader.is_scheme:
        raise PermissionDenied(
            gettext("Only a reviewer or the agency's auditor issues survey codes.")
        )
    batch, codes = core.survey_batch_issue(
        actor=actor,
        agency=agency,
        count=count,
        corridor=corridor or None,
        standard=survey_standard_for(agency),
        auditor_of_agency=reader.is_agencys_auditor,
        now=now,
    )
    logger.info(
        "survey batch %s issued: agency %s, %s codes, corridor %s, by user %s",
        batch.public_id,
        agency.public_id,
        batch.count,
        batch.corridor_label.replace(" → ", "-") or "none",
        actor.pk,
    )
    return batch, codes


def survey_batch_may_print(actor, batch: SurveyBatch, reader=None) -> bool:
    """Whether the actor may print the batch's cards: a reviewer, or the agency's auditor
    who issued the batch (monitoring gives the codes back only to reviewers and to whoever
    issued them)."""
    reader = reader or survey_reader(actor, batch.agency)
    return reader.is_scheme and core.survey_may_read_codes(actor, batch)


def survey_batch_cards(*, actor, batch: SurveyBatch) -> bytes:
    """The batch's cards as a PDF (eight to an A4 sheet), every code of the batch, used or
    not, so that a reprint tells nothing of who answered. PermissionDenied unless
    `survey_batch_may_print`."""
    if not survey_batch_may_print(actor, batch):
        raise PermissionDenied(
            gettext("Only a reviewer or the auditor who issued them prints the cards.")
        )
    codes = core.survey_batch_codes(actor=actor, batch=batch)
    logger.info("survey batch %s cards printed by user %s", batch.public_id, actor.pk)
    return survey_cards_pdf(batch, codes)
