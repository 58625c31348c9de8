"""A small world for workflow tests: the mini standard, one agency, one person per role,
and a way to bring a case to any state through the services only."""

from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audits.models import CorrectiveAction
from certification import services
from certification.models import CaseState
from recruiters.models import Sector
from scoring.services import standard_load
from scoring.standard_file import validate_standard
from tests.factories import (
    AgencyFactory,
    CertificationBodyFactory,
    CorridorFactory,
    MembershipFactory,
    UserFactory,
)
from tests.scoring.standard_data import valid_standard

COMPLIANT = {
    "A1-01": "yes",
    "C1.1-01": [],
    "C1.1-02": "none",
    "C1.1-03": 100,
    "C1.1-04": "No fee.",
    "C2.1-01": "no",
}
CRITERIA = ("A1", "C1.1", "C2.1")
ALL_STATES = [state.value for state in CaseState]


def load_mini_standard(version: str = "1.0"):
    data = valid_standard()
    data["status"] = "published"
    data["version"] = version
    return standard_load(spec=validate_standard(data)).standard


class World:
    def __init__(self):
        self.standard = load_mini_standard()
        self.agency = AgencyFactory(name="Kathmandu Fair Jobs", country="NP")
        self.agency.sectors.set(Sector.objects.filter(code__in=["construction"]))
        CorridorFactory(agency=self.agency, origin="NP", destination="QA")
        self.agency_member = MembershipFactory(
            agency_member=True, agency=self.agency, user=UserFactory(username="agency")
        ).user
        self.other_agency_member = MembershipFactory(
            agency_member=True, user=UserFactory(username="other_agency")
        ).user
        body = CertificationBodyFactory(
            accredited_from=date(2020, 1, 1), accredited_until=date(2099, 12, 31)
        )
        self.auditor_membership = MembershipFactory(
            auditor=True, certification_body=body, user=UserFactory(username="auditor")
        )
        self.auditor = self.auditor_membership.user
        self.other_auditor_membership = MembershipFactory(
            auditor=True, certification_body=body, user=UserFactory(username="other_auditor")
        )
        self.other_auditor = self.other_auditor_membership.user
        self.reviewer = MembershipFactory(user=UserFactory(username="reviewer")).user
        self.employer_member = MembershipFactory(
            employer_member=True, user=UserFactory(username="employer")
        ).user
        self.superuser = UserFactory(username="admin", admin=True)

    # The roles of certification/transitions.py, plus people with no role on the case.
    def actor(self, role: str):
        return {
            "agency_member": self.agency_member,
            "other_agency_member": self.other_agency_member,
            "assigned_auditor": self.auditor,
            "other_auditor": self.other_auditor,
            "reviewer": self.reviewer,
            "employer_member": self.employer_member,
            "superuser": self.superuser,
            "scheduler": None,
        }[role]

    def open(self):
        return services.case_open(
            actor=self.agency_member, agency=self.agency, standard=self.standard
        )

    def record_findings(self, case, **grades):
        """Every criterion conforming unless a grade, or (grade, indicators), is given."""
        for code in CRITERIA:
            grade = grades.get(code.replace(".", "_"), "conforming")
            indicators = ()
            if isinstance(grade, tuple):
                grade, indicators = grade
            services.finding_record(
                actor=case.assigned_auditor.user,
                case=case,
                criterion=code,
                grade=grade,
                text="Seen on site.",
                indicators=indicators,
            )

    def answer_corrective_actions(self, case, verify_minors=False):
        for action in CorrectiveAction.objects.filter(finding__audit__case=case).order_by("pk"):
            auditor = action.finding.audit.lead_auditor.user
            if action.state in ("open", "rejected"):
                services.corrective_action_submit(
                    actor=self.agency_member,
                    corrective_action=action,
                    root_cause="No check in place.",
                    action="A check is now made for every worker.",
                )
                action.refresh_from_db()
            if action.state == "submitted":
                services.corrective_action_accept(
                    actor=auditor, corrective_action=action, note=ACCEPTED
                )
                action.refresh_from_db()
            if action.state == "accepted" and (action.severity == "major" or verify_minors):
                if action.severity == "major":
                    attach_closure_evidence(self, action)
                services.corrective_action_verify(
                    actor=auditor, corrective_action=action, note=VERIFIED
                )

    def case_in(self, state: str):
        """A case brought to `state` by the services, as people would."""
        case = self.open()
        if state == CaseState.DRAFT:
            return case
        if state == CaseState.CANCELLED:
            services.case_cancel(actor=self.agency_member, case=case)
            return refreshed(case)
        services.self_assessment_save_answers(
            actor=self.agency_member, case=case, answers=dict(COMPLIANT)
        )
        services.case_submit(actor=self.agency_member, case=case)
        if state == CaseState.SUBMITTED:
            return refreshed(case)
        today = timezone.localdate()
        services.case_plan_audit(
            actor=self.reviewer,
            case=case,
            auditor=self.auditor_membership,
            # on site today: an audit is completed from its on-site date
            stage1_date=today,
            stage2_date=today,
        )
        if state == CaseState.AUDIT_PLANNED:
            return refreshed(case)
        case = refreshed(case)
        services.case_start_audit(actor=self.auditor, case=case)
        if state == CaseState.AUDITING:
            return refreshed(case)
        case = refreshed(case)
        if state == CaseState.CORRECTIVE_ACTION:
            self.record_findings(case, A1="minor")
            services.case_complete_audit(actor=self.auditor, case=case)
            return refreshed(case)
        self.record_findings(case)
        services.case_complete_audit(actor=self.auditor, case=case)
        if state == CaseState.IN_REVIEW:
            return refreshed(case)
        if state == CaseState.REFUSED:
            services.case_refuse(actor=self.reviewer, case=case, rationale=REFUSAL)
            return refreshed(case)
        services.case_certify(actor=self.reviewer, case=case, rationale=RATIONALE)
        if state == CaseState.CERTIFIED:
            return refreshed(case)
        if state == CaseState.SUSPENDED:
            services.case_suspend(
                actor=self.reviewer, case=case, reason="Complaint under investigation."
            )
        elif state == CaseState.WITHDRAWN:
            services.case_withdraw(
                actor=self.reviewer, case=case, reason="Complaint substantiated."
            )
        elif state == CaseState.EXPIRED:
            services.case_expire(actor=None, case=case, now=after_validity(case))
        return refreshed(case)


RATIONALE = "Every criterion conforms; the audit found nothing to correct."
REFUSAL = "The evidence was contradicted on site by the workers met."
ACCEPTED = "The plan answers the cause found."
VERIFIED = "Checked the records of every worker placed since."


def attach_closure_evidence(world, action):
    """What a major non-conformity is verified on: a file the agency attaches after its answer."""
    return services.evidence_upload(
        actor=world.agency_member,
        upload=SimpleUploadedFile(
            "refunds.pdf", b"%PDF-1.7\n%%EOF\n", content_type="application/pdf"
        ),
        corrective_action=action,
    )


def refreshed(case):
    case.refresh_from_db()
    return case


def at(day: date, hour: int = 9):
    """That day at that hour, in the project's time zone."""
    return timezone.make_aware(datetime.combine(day, time(hour)))


def after_validity(case):
    return at(case.certificate.valid_until + timedelta(days=1))
