"""Evidence: uploaded by the party whose record it supports, read only by the people of the case."""

from django.db import transaction
from django.utils.translation import gettext

from audits import services as audit_records
from audits.models import Answer, CorrectiveAction, Evidence, EvidenceRemoval, Finding
from certification.errors import TransitionNotAllowed
from certification.models import CaseState, CertificationCase
from certification.services._base import require
from recruiters import permissions


def evidence_upload(
    *,
    actor,
    upload,
    answer: Answer | None = None,
    finding: Finding | None = None,
    corrective_action: CorrectiveAction | None = None,
) -> Evidence:
    """Attach a file to exactly one answer, finding or corrective action."""
    attached = [record for record in (answer, finding, corrective_action) if record is not None]
    require(
        len(attached) == 1,
        "evidence is attached to exactly one answer, finding or corrective action",
    )
    if answer is not None:
        require(
            permissions.is_agency_member(actor, answer.self_assessment.case.agency),
            "only the agency adds evidence to its answers",
        )
    elif finding is not None:
        require(
            permissions.is_lead_auditor(actor, finding.audit.lead_auditor),
            "only the audit's lead auditor adds evidence to a finding",
        )
    else:
        require(
            permissions.is_agency_member(actor, corrective_action.finding.audit.case.agency),
            "only the agency adds evidence to its corrective actions",
        )
    with transaction.atomic():
        return audit_records.evidence_store(
            upload=upload,
            actor=actor,
            answer=answer,
            finding=finding,
            corrective_action=corrective_action,
        )


def _case_of(evidence: Evidence) -> CertificationCase:
    if evidence.answer_id:
        return evidence.answer.self_assessment.case
    if evidence.finding_id:
        return evidence.finding.audit.case
    return evidence.corrective_action.finding.audit.case


def evidence_open(*, actor, evidence: Evidence):
    """The file, opened for reading, for the agency, the case's auditors and reviewers only."""
    case = _case_of(evidence)
    allowed = (
        permissions.is_agency_member(actor, case.agency)
        or permissions.is_reviewer(actor)
        or any(
            permissions.is_lead_auditor(actor, audit.lead_auditor)
            for audit in case.audits.select_related("lead_auditor")
        )
    )
    require(allowed, "this evidence is not yours to see")
    return evidence.file.open("rb")


def evidence_take_back(*, actor, evidence: Evidence, replacement=None) -> Evidence | None:
    """The agency removes a file from an answer of its draft self-assessment, or replaces it
    by another (returned); logged (EvidenceRemoval) with the file's name and SHA-256, since
    the file itself is deleted once the change commits. After submission the evidence stays
    as submitted."""
    require(evidence.answer_id is not None, "only an answer's evidence is taken back here")
    case = evidence.answer.self_assessment.case
    require(
        permissions.is_agency_member(actor, case.agency),
        "only the agency takes back evidence of its answers",
    )
    with transaction.atomic():
        # The case's row locked: a submission at the same moment waits, and sees it.
        case = CertificationCase.objects.select_for_update().get(pk=case.pk)
        if case.state != CaseState.DRAFT:
            raise TransitionNotAllowed(
                gettext("the self-assessment is submitted: its evidence stays as it was submitted"),
                guard="state",
            )
        evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
        new = None
        if replacement is not None:
            new = audit_records.evidence_store(
                upload=replacement, actor=actor, answer=evidence.answer
            )
        EvidenceRemoval.objects.create(
            case=case,
            question_code=evidence.answer.question.code,
            kind=EvidenceRemoval.Kind.REPLACED if new else EvidenceRemoval.Kind.REMOVED,
            original_name=evidence.original_name,
            sha256=evidence.sha256,
            replacement_name=new.original_name if new else "",
            replacement_sha256=new.sha256 if new else "",
            actor=actor,
        )
        stored = evidence.file.name
        storage = evidence.file.storage
        evidence.delete()
        transaction.on_commit(lambda: storage.delete(stored))
    return new
