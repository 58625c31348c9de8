"""Opening a case, the self-assessment, submitting it, and cancelling."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from audits import services as audit_records
from audits import workbooks
from audits.models import AuditState, SelfAssessment
from certification.errors import TransitionNotAllowed
from certification.labels import state_words
from certification.models import (
    TERMINAL_STATES,
    CaseKind,
    CaseState,
    CertificationCase,
    TransitionEvent,
)
from certification.selectors import score_case_self_assessment
from certification.services._base import (
    fire,
    lock_case,
    lock_rows,
    record,
    require,
    require_agency_member,
    require_reviewer,
    require_transition,
    transition_reason,
)
from recruiters import permissions
from recruiters.models import Agency
from scoring.catalogue import catalogue_get
from scoring.models import Standard


def newest_published(code: str | None = None) -> Standard:
    """The newest published version of a standard (by default the scheme's)."""
    code = code or settings.SCHEME_STANDARD_CODE
    standard = (
        Standard.objects.filter(code=code, status=Standard.Status.PUBLISHED)
        .order_by("-loaded_at", "-id")
        .first()
    )
    if standard is None:
        raise ValidationError({"standard": f"no published version of {code} is loaded"})
    return standard


def case_open(
    *,
    actor,
    agency: Agency,
    standard: Standard | None = None,
    kind=CaseKind.INITIAL,
    previous_case=None,
    language: str = "en",
) -> CertificationCase:
    """An agency member opens a case; the standard version is fixed from now on. `language`
    (en, fr) is the language of the case's documents."""
    require(
        permissions.is_agency_member(actor, agency),
        gettext("only a member of the agency may open its case"),
    )
    standard = standard or newest_published()
    if not standard.is_published:
        raise ValidationError(
            {"standard": f"{standard} is a draft; cases are assessed against published versions"}
        )
    with transaction.atomic():
        Agency.objects.select_for_update().get(pk=agency.pk)  # one open case at a time
        active = CertificationCase.objects.filter(agency=agency).exclude(state__in=TERMINAL_STATES)
        if kind == CaseKind.RENEWAL:
            active = active.exclude(pk=previous_case.pk)
        current = active.order_by("pk").first()
        if current is not None:
            raise TransitionNotAllowed(
                gettext("%(agency)s already has an open case (%(case)s, %(state)s)")
                % {"agency": agency.name, "case": current.pk, "state": state_words(current.state)},
                guard="one_open_case",
            )
        case = CertificationCase.objects.create(
            agency=agency,
            standard=standard,
            kind=kind,
            previous_case=previous_case,
            language=language if language in dict(settings.LANGUAGES) else "en",
        )
        SelfAssessment.objects.create(case=case)
        record(
            case,
            "open",
            "",
            case.state,
            actor=actor,
            snapshot={
                "standard": {"code": standard.code, "version": standard.version},
                "kind": kind,
            },
        )
    return case


def self_assessment_save_answers(*, actor, case: CertificationCase, answers: dict) -> dict:
    """Save some answers while the case is a draft; partial saves are fine. Returns all answers."""
    require_agency_member(actor, case)
    if not isinstance(answers, dict):
        raise ValidationError({"answers": "must map question codes to answers"})
    with transaction.atomic():
        case = lock_case(case)
        if case.state != CaseState.DRAFT:
            raise TransitionNotAllowed(
                gettext("answers can change only while the case is a draft; it is %(state)s")
                % {"state": state_words(case.state)},
                guard="state",
            )
        catalogue = catalogue_get(code=case.standard.code, version=case.standard.version)
        return audit_records.self_assessment_save_answers(
            self_assessment=case.self_assessment, catalogue=catalogue, answers=answers, actor=actor
        )


def case_submit(*, actor, case: CertificationCase) -> CertificationCase:
    """Submit the self-assessment for screening: every required question must be answered.
    The engine's result is stored with the self-assessment."""
    require_agency_member(actor, case)
    with transaction.atomic():
        case = lock_case(case)
        require_transition(case, "submit")
        result = score_case_self_assessment(case)
        missing = result.unanswered_required
        if missing:
            raise TransitionNotAllowed(
                ngettext(
                    "%(count)s question is unanswered: %(codes)s",
                    "%(count)s questions are unanswered: %(codes)s",
                    len(missing),
                )
                % {"count": len(missing), "codes": ", ".join(missing)},
                guard="answers_complete",
            )
        self_assessment = case.self_assessment
        self_assessment.result = result.to_dict()
        self_assessment.submitted_at = timezone.now()
        self_assessment.save(update_fields=["result", "submitted_at", "updated_at"])
        fire(
            case,
            "submit",
            actor=actor,
            snapshot={
                "overall_score": result.overall_score,
                "readiness": result.readiness,
                "zero_tolerance_breaches": list(result.zero_tolerance_breaches),
            },
        )
    return case


def case_return_to_agency(*, actor, case: CertificationCase, reason: str) -> CertificationCase:
    """A reviewer sends a submitted self-assessment back to the agency, saying why."""
    require_reviewer(actor)
    reason = transition_reason("return_to_agency", reason)
    with transaction.atomic():
        case = lock_case(case)
        fire(case, "return_to_agency", actor=actor, reason=reason)
    return case


def case_cancel(*, actor, case: CertificationCase, reason: str = "") -> CertificationCase:
    """The agency withdraws its application before the audit begins; a planned audit is cancelled."""
    require_agency_member(actor, case)
    with transaction.atomic():
        case = lock_case(case)
        fire(case, "cancel", actor=actor, reason=transition_reason("cancel", reason))
        for audit in lock_rows(case.audits.filter(state=AuditState.PLANNED)):
            audit.cancel()
            audit.save()
            record(
                case,
                "audit_cancel",
                AuditState.PLANNED,
                audit.state,
                actor=actor,
                subject=(TransitionEvent.Subject.AUDIT, audit.pk),
            )
    return case


def self_assessment_import_workbook(*, actor, case: CertificationCase, data: bytes) -> dict:
    """Answers from a workbook filled offline, saved only if every cell is valid."""
    require_agency_member(actor, case)
    try:
        answers = workbooks.import_workbook(data=data, standard=case.standard)
    except workbooks.WorkbookError as error:
        raise ValidationError({"file": error.errors}) from None
    return self_assessment_save_answers(actor=actor, case=case, answers=answers)
