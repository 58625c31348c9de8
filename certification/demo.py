"""Demo cases, one in each state a newcomer should see, reached through the services as
people would. An agency that already has a case is left alone: running it again changes
nothing."""

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from audits.models import CorrectiveAction
from certification import services
from certification.models import CertificationCase
from recruiters.demo import AGENCY_MEMBERS
from recruiters.models import Agency, Membership, Role
from scoring.catalogue import catalogue_get
from scoring.models import Standard
from scoring.services import standard_load
from scoring.standard_file import read_standard_file

REFERENCE_FILE = (
    Path(settings.BASE_DIR) / "scoring" / "standards" / "fairrecruit-reference-1.1.yaml"
)

# agency -> the state its demo case is brought to
CASES = {
    "Mekong Skills Export": "draft",
    "Dhaka Overseas Careers": "submitted",
    "Colombo Care Placements": "auditing",
    "Jakarta Maritime Crew": "corrective_action",
    "Luzon Care Staffing": "in_review",
    "Himalaya Fair Jobs": "certified",
    "Nairobi Gulf Staffing": "suspended",
    # Its director and phone turn up in an application to join (recruiters/demo.py): the
    # link check on the reviewer's application page lists them.
    "Gorkha Manpower Services": "withdrawn",
}
ORDER = [
    "draft",
    "submitted",
    "audit_planned",
    "auditing",
    "corrective_action",
    "in_review",
    "certified",
    "suspended",
    "withdrawn",
]


def _reference_standard() -> Standard:
    standard = (
        Standard.objects.filter(code=settings.SCHEME_STANDARD_CODE, status="published")
        .order_by("-loaded_at")
        .first()
    )
    return standard or standard_load(spec=read_standard_file(REFERENCE_FILE)).standard


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _bring(
    agency: Agency, target: str, member, auditor_membership, reviewer, standard: Standard
) -> None:
    """Open the agency's case and move it, step by step, to `target`."""
    reached = ORDER.index(target)
    catalogue = catalogue_get(code=standard.code, version=standard.version)
    answers = {q.code: q.compliant_example() for q in catalogue.questions}
    case = services.case_open(actor=member, agency=agency, standard=standard)
    if reached == 0:
        half = dict(list(answers.items())[: len(answers) // 2])
        services.self_assessment_save_answers(actor=member, case=case, answers=half)
        return
    services.self_assessment_save_answers(actor=member, case=case, answers=answers)
    services.case_submit(actor=member, case=case)
    if reached == 1:
        return
    today = timezone.localdate()
    services.case_plan_audit(
        actor=reviewer,
        case=case,
        auditor=auditor_membership,
        # planned a fortnight ago, on site last week: it is completed from that day
        stage1_date=today - timedelta(days=14),
        stage2_date=today - timedelta(days=7),
        now=timezone.now() - timedelta(days=14),
    )
    services.case_start_audit(actor=auditor_membership.user, case=case)
    if reached == ORDER.index("auditing"):
        return
    auditor = auditor_membership.user
    grades = {"A4": "minor"} if target == "corrective_action" else {}
    for criterion in catalogue.criteria:
        services.finding_record(
            actor=auditor,
            case=case,
            criterion=criterion.code,
            grade=grades.get(criterion.code, "conforming"),
            text="Checked against records and worker interviews.",
        )
    services.case_complete_audit(actor=auditor, case=case)
    if target in ("corrective_action", "in_review"):
        return
    services.case_certify(
        actor=reviewer,
        case=case,
        rationale="Every criterion conforms; the audit found nothing to correct.",
    )
    if target == "certified":
        return
    if target == "withdrawn":
        # A special audit after workers' complaints: they paid the sub-agent for their jobs.
        services.case_withdraw(
            actor=reviewer,
            case=case,
            reason="Workers paid recruitment fees to the agency's sub-agent; the agency "
            "neither stopped it nor repaid them.",
        )
        return
    # Suspended: a surveillance audit finds passports kept by the agency's sub-agent.
    services.surveillance_audit_plan(
        actor=reviewer, case=case, auditor=auditor_membership, stage1_date=today, stage2_date=today
    )
    services.case_start_audit(actor=auditor, case=case)
    for criterion in catalogue.criteria:
        retained = criterion.code == "C2.1"
        services.finding_record(
            actor=auditor,
            case=case,
            criterion=criterion.code,
            grade="major" if retained else "conforming",
            text="Workers' passports found in the sub-agent's safe." if retained else "Checked.",
            indicators=["retention_of_identity_documents"] if retained else [],
        )
    services.case_complete_audit(actor=auditor, case=case)
    action = CorrectiveAction.objects.get(
        finding__audit__case=case, finding__criterion__code="C2.1"
    )
    services.corrective_action_submit(
        actor=member,
        corrective_action=action,
        root_cause="The sub-agent kept passports for safekeeping.",
        action="Passports returned to every worker; sub-agent contract amended.",
    )


def seed_cases() -> int:
    """Create the demo cases that are missing; return how many."""
    standard = _reference_standard()
    reviewer = _user("reviewer")
    auditor = Membership.objects.get(user__username="auditor", role=Role.AUDITOR)
    members = {"Himalaya Fair Jobs": "agency", **AGENCY_MEMBERS}
    created = 0
    for agency_name, target in CASES.items():
        agency = Agency.objects.get(name=agency_name)
        if CertificationCase.objects.filter(agency=agency).exists():
            continue
        with transaction.atomic():
            _bring(agency, target, _user(members[agency_name]), auditor, reviewer, standard)
        created += 1
    return created
