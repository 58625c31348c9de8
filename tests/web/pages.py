"""A world for the web pages: the workflow world, with one agency of the agency member per
case that a page needs, evidence, a corrective action, a webhook, and a second employer."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from audits.models import Answer, CorrectiveAction
from certification import services
from certification.models import StatusEvent, Webhook, WebhookDelivery
from monitoring import services as services_complaints
from monitoring.services import CheckedFile
from tests.certification.world import World
from tests.factories import AgencyFactory, EmployerFactory, MembershipFactory

ROLES = (
    "anonymous",
    "agency_member",
    "other_agency_member",
    "assigned_auditor",
    "other_auditor",
    "reviewer",
    "employer_member",
    "other_employer_member",
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name="proof.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


class PageWorld(World):
    def __init__(self):
        super().__init__()
        self.employer = self.employer_member.memberships.get(role="employer_member").employer
        self.other_employer_member = MembershipFactory(
            employer_member=True, employer=EmployerFactory()
        ).user
        self.cases = {}
        for state in ("draft", "submitted", "auditing", "corrective_action", "certified"):
            self.fresh_agency()
            self.cases[state] = self.case_in(state)
        draft = self.cases["draft"]
        services.self_assessment_save_answers(
            actor=self.agency_member, case=draft, answers={"A1-01": "yes"}
        )
        self.answer = Answer.objects.get(self_assessment__case=draft, question__code="A1-01")
        self.evidence = services.evidence_upload(
            actor=self.agency_member, upload=pdf_upload(), answer=self.answer
        )
        self.action = CorrectiveAction.objects.get(
            finding__audit__case=self.cases["corrective_action"]
        )
        self.webhook = Webhook.objects.create(
            employer=self.employer, url="https://93.184.216.34/hook", secret="s" * 40
        )
        self.complaint, _code = services_complaints.complaint_file(
            agency=draft.agency,
            categories=["fee_paid"],
            description="The agent took my passport.",
            files=[CheckedFile(content_type="application/pdf", data=PDF)],
        )
        certified = self.cases["certified"]
        event = StatusEvent.objects.create(
            agency=certified.agency,
            case=certified,
            old_status="in_progress",
            new_status="certified",
            payload={},
        )
        WebhookDelivery.objects.create(event=event, webhook=self.webhook)
        other_employer = self.other_employer_member.memberships.get().employer
        self.other_webhook = Webhook.objects.create(
            employer=other_employer, url="https://93.184.216.34/other", secret="t" * 40
        )

    def fresh_agency(self):
        self.agency = AgencyFactory()
        MembershipFactory(agency_member=True, agency=self.agency, user=self.agency_member)
        return self.agency

    def person(self, role: str):
        return {
            "anonymous": None,
            "agency_member": self.agency_member,
            "other_agency_member": self.other_agency_member,
            "assigned_auditor": self.auditor,
            "other_auditor": self.other_auditor,
            "reviewer": self.reviewer,
            "employer_member": self.employer_member,
            "other_employer_member": self.other_employer_member,
        }[role]

    def client_for(self, role: str) -> Client:
        client = Client()
        person = self.person(role)
        if person is not None:
            client.force_login(person)
        return client
