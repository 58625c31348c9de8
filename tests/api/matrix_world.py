"""The world every route of the permission matrix is tried in: a certified case with an
accepted corrective action and evidence, an employer watching with a webhook, a pending
change of the agency's identity, an earlier case refused by another reviewer and appealed
(with a file), and one actor per role."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from audits.models import Answer, CorrectiveAction
from certification import services
from certification.models import WatchedAgency, Webhook
from certification.services import identity
from certification.services import surveys as scheme_surveys
from monitoring.services import CheckedFile
from monitoring.surveys import survey_batch_codes
from recruiters import services as credentials
from recruiters.applying import services as applying
from recruiters.links.services import PersonEntry
from recruiters.models import EmployerAPIKey
from tests.certification.appeals_helpers import ANSWER, GROUNDS, add_reviewer, pdf
from tests.certification.survey_world import load_survey_standard
from tests.certification.world import RATIONALE, REFUSAL, World
from tests.monitoring.helpers import DESCRIPTION, PDF, file_complaint

ROLES = [
    "anonymous",
    "agency_member",
    "other_agency_member",
    "assigned_auditor",
    "other_auditor",
    "reviewer",
    "employer_key",
    "revoked_key",
    "expired_key",
]


def joining(email: str) -> applying.ApplicationEntry:
    """An agency's application, with its director."""
    return applying.ApplicationEntry(
        kind="agency",
        name=f"Joining {email.split('@')[0]}",
        country="NP",
        registration_number=f"JOIN-{email.split('@')[0]}",
        contact_name="Asha Rai",
        contact_email=email,
        password="a long pass phrase of mine",
        size_band="100_499",
        people=(PersonEntry("Asha Rai", "director", 1980),),
    )


class MatrixWorld:
    def __init__(self):
        world = self.world = World()
        # Refused by another reviewer, so that the matrix's reviewer may answer the appeal.
        refused = world.case_in("in_review")
        services.case_refuse(
            actor=add_reviewer(world, "refusing_reviewer"), case=refused, rationale=REFUSAL
        )
        self.appeal = services.appeal_lodge(
            actor=world.agency_member, case=refused, grounds=GROUNDS, files=[pdf()]
        )
        case = world.case_in("corrective_action")
        world.answer_corrective_actions(case)
        services.case_close_corrective_actions(actor=world.auditor, case=case)
        services.case_certify(actor=world.reviewer, case=case, rationale=RATIONALE)
        case.refresh_from_db()
        self.case = case
        self.corrective_action = CorrectiveAction.objects.get(finding__audit__case=case)
        answer = Answer.objects.filter(self_assessment__case=case).first()
        self.evidence = services.evidence_upload(
            actor=world.agency_member,
            upload=SimpleUploadedFile(
                "licence.pdf", b"%PDF-1.7\n%%EOF\n", content_type="application/pdf"
            ),
            answer=answer,
        )
        employer = world.employer_member.memberships.get(role="employer_member").employer
        self.employer = employer
        WatchedAgency.objects.create(employer=employer, agency=world.agency)
        self.webhook = Webhook.objects.create(
            employer=employer, url="https://93.184.216.34/hook", secret="x" * 40
        )
        self.keys = {}
        for role in ("employer_key", "revoked_key", "expired_key"):
            key, secret = credentials.employer_key_create(
                actor=world.employer_member, employer=employer, name=role
            )
            self.keys[role] = (key, secret)
        EmployerAPIKey.objects.filter(pk=self.keys["revoked_key"][0].pk).update(
            revoked_at=timezone.now()
        )
        EmployerAPIKey.objects.filter(pk=self.keys["expired_key"][0].pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )
        self.agency_token, _secret = credentials.personal_token_create(
            user=world.agency_member, name="laptop"
        )
        self.complaint, self.complaint_code = file_complaint(
            agency=world.agency, files=[CheckedFile("application/pdf", PDF)]
        )
        self.identity_change = identity.identity_change_request(
            actor=world.agency_member,
            agency=world.agency,
            values={"legal_name": "Kathmandu Fair Jobs Pvt Ltd"},
        )
        # A batch of survey codes, issued by the auditor of the agency's certified case.
        load_survey_standard()
        self.survey_batch, _codes = scheme_surveys.survey_batch_issue(
            actor=world.auditor, agency=world.agency, count=2
        )
        # One of its cards' codes, for the worker survey's routes (anyone with a code).
        self.survey_code = survey_batch_codes(actor=world.auditor, batch=self.survey_batch)[0]
        # Applications to join: one awaiting its e-mail's confirmation, one submitted (for
        # the reviewers' routes), one with a question to answer.
        self.application_waiting = applying.application_submit(joining("waiting@join.example"))
        self.application = applying.application_submit(joining("submitted@join.example"))
        applying.application_confirm(applying.link_key(self.application))
        self.application_asked = applying.application_submit(joining("asked@join.example"))
        applying.application_confirm(applying.link_key(self.application_asked))
        applying.application_ask(
            actor=world.reviewer, application=self.application_asked, question="Who owns it?"
        )

    def client(self, role: str) -> APIClient:
        client = APIClient()
        if role in self.keys:
            client.credentials(HTTP_AUTHORIZATION=f"Api-Key {self.keys[role][1]}")
        elif role != "anonymous":
            client.force_authenticate(self.world.actor(role))
        return client

    def path(self, route: str) -> str:
        if route.startswith("/api/v1/complaints/"):
            route = (
                route.replace("{number}", self.complaint.number)
                .replace("{name}", "acknowledge")
                .replace("{file_id}", str(self.complaint.files.get().pk))
            )
        if route.startswith("/api/v1/appeals/"):
            route = route.replace("{file_id}", str(self.appeal.files.get().pk))
        if route.startswith("/api/v1/surveys/"):
            route = route.replace("{code}", self.survey_code)
        if route.startswith("/api/v1/survey-batches/"):
            route = route.replace("{public_id}", str(self.survey_batch.public_id))
        if route.startswith("/api/v1/applications/"):
            route = route.replace("{public_id}", str(self.application.public_id))
        if route.startswith("/api/v1/credentials/"):
            credential = self.case.certificate.credentials.get()
            route = route.replace("{public_id}", str(credential.public_id))
        return (
            route.replace("{pk}", self._pk(route))
            .replace("{public_id}", str(self.world.agency.public_id))
            .replace("{agency}", str(self.world.agency.public_id))
            .replace("{number}", self.case.certificate.number)
            .replace("{name}", "suspend")
        )

    def _pk(self, route: str) -> str:
        for prefix, obj in (
            ("/api/v1/cases/", self.case),
            ("/api/v1/corrective-actions/", self.corrective_action),
            ("/api/v1/evidence/", self.evidence),
            ("/api/v1/webhooks/", self.webhook),
            ("/api/v1/employer-keys/", self.keys["employer_key"][0]),
            ("/api/v1/auth/tokens/", self.agency_token),
            ("/api/v1/identity-changes/", self.identity_change),
            ("/api/v1/appeals/", self.appeal),
        ):
            if route.startswith(prefix):
                return str(obj.pk)
        return "0"

    def body(self, method: str, route: str):
        today = timezone.localdate()
        bodies = {
            "POST /api/v1/auth/token/": {
                "username": "agency",
                "password": "correct horse battery staple",
            },
            "POST /api/v1/cases/": {
                "agency": str(self.world.agency.public_id),
                "standard": "mini",
                "version": "1.0",
            },
            "GET /api/v1/certificates/{number}/verify/": {
                "code": self.case.certificate.verification_code
            },
            "POST /api/v1/agencies/{public_id}/links/reviews/": {
                "other": str(
                    type(self.world.agency)
                    .objects.exclude(pk=self.world.agency.pk)
                    .first()
                    .public_id
                ),
                "kind": "phone",
                "mine": "01 4411223",
                "theirs": "+977 1-4411223",
                "decision": "not_the_same",
            },
            "POST /api/v1/applications/": {
                "kind": "employer",
                "name": "Matrix Employer",
                "country": "QA",
                "registration_number": "CR-1",
                "contact_name": "Someone",
                "contact_email": "someone@matrix.example",
                "password": "a long pass phrase of mine",
            },
            "POST /api/v1/applications/confirm/": {
                "key": applying.link_key(self.application_waiting)
            },
            "POST /api/v1/applications/follow/": {"key": applying.link_key(self.application)},
            "POST /api/v1/applications/link/": {"email": "submitted@join.example"},
            "POST /api/v1/applications/follow/answer/": {
                "key": applying.link_key(self.application_asked),
                "answer": "The director named.",
            },
            "POST /api/v1/applications/{public_id}/ask/": {"question": "Who owns it?"},
            "POST /api/v1/applications/{public_id}/reject/": {"reason": "Not a recruiter."},
            "POST /api/v1/applications/{public_id}/links/reviews/": {
                "other": str(self.world.agency.public_id),
                "kind": "phone",
                "mine": "01 4411223",
                "theirs": "+977 1-4411223",
                "decision": "not_the_same",
            },
            "GET /api/v1/certificates/{number}/credential/": {
                "code": self.case.certificate.verification_code
            },
            "POST /api/v1/cases/{pk}/findings/": {"criterion": "A1", "grade": "conforming"},
            "POST /api/v1/cases/{pk}/surveillance-audits/": {
                "auditor": self.world.auditor_membership.pk,
                "stage1_date": str(today),
                "stage2_date": str(today),
            },
            "POST /api/v1/cases/{pk}/transitions/{name}/": {
                "reason": "Complaint from workers, checked by the scheme."
            },
            "POST /api/v1/corrective-actions/{pk}/submit/": {
                "root_cause": "Cause.",
                "action": "Action.",
            },
            "POST /api/v1/corrective-actions/{pk}/reject/": {"reason": "Not enough."},
            "POST /api/v1/corrective-actions/{pk}/accept/": {"note": "Answers the cause."},
            "POST /api/v1/corrective-actions/{pk}/verify/": {"note": "Records checked."},
            "POST /api/v1/employer-keys/": {
                "employer": str(self.employer.public_id),
                "name": "second",
            },
            "POST /api/v1/supplier-checks/": {
                "suppliers": [{"id": str(self.world.agency.public_id)}]
            },
            "POST /api/v1/watchlist/": {"agency": str(self.world.agency.public_id)},
            "POST /api/v1/webhooks/": {"url": "https://93.184.216.34/other"},
            "PATCH /api/v1/agencies/{public_id}/": {"address": "New address"},
            "PATCH /api/v1/me/": {"language": "fr"},
            "POST /api/v1/agencies/{public_id}/identity-changes/": {"name": "Everest Fair Jobs"},
            "POST /api/v1/identity-changes/{pk}/reject/": {"reason": "No deed of the new name."},
            "PATCH /api/v1/cases/{pk}/answers/": {"answers": {"A1-01": "yes"}},
            "POST /api/v1/complaints/": {"categories": ["fee_paid"], "description": DESCRIPTION},
            "POST /api/v1/complaints/follow/": {
                "number": self.complaint.number,
                "code": self.complaint_code,
            },
            "POST /api/v1/complaints/follow/messages/": {
                "number": self.complaint.number,
                "code": self.complaint_code,
                "text": "More.",
            },
            "POST /api/v1/complaints/{number}/transitions/{name}/": {
                "message": "We received your complaint."
            },
            "POST /api/v1/complaints/{number}/messages/": {
                "direction": "to_complainant",
                "text": "Can you send the receipt?",
            },
            "POST /api/v1/complaints/{number}/link/": {"case": self.case.pk},
            # The matrix world's complaint is only received: consequences are refused (409).
            "POST /api/v1/complaints/{number}/special-audit/": {
                "auditor": self.world.other_auditor_membership.pk,
                "stage1_date": str(today),
                "stage2_date": str(today),
            },
            "POST /api/v1/complaints/{number}/suspend/": {"reason": "Fees taken."},
            # The matrix world's case is certified: an appeal of it is refused (409).
            "POST /api/v1/cases/{pk}/appeals/": {"grounds": GROUNDS},
            "POST /api/v1/appeals/{pk}/decide/": {"outcome": "upheld", "rationale": ANSWER},
            "POST /api/v1/complaints/{number}/withdraw-certificate/": {"reason": "Fees taken."},
            "POST /api/v1/agencies/{public_id}/survey-batches/": {"count": 2, "corridor": "NP-QA"},
            "POST /api/v1/surveys/{code}/": {"language": "en", "answers": {"WS-PAID": "no"}},
        }
        bodies["POST /api/v1/supplier-checks/export/"] = bodies["POST /api/v1/supplier-checks/"]
        return bodies.get(f"{method} {route}", {})

    def call(self, role: str, entry: str):
        method, route = entry.split(" ", 1)
        client = self.client(role)
        path = self.path(route)
        if entry == "POST /api/v1/cases/{pk}/workbook/":
            from audits.workbooks import export_workbook

            upload = SimpleUploadedFile("filled.xlsx", export_workbook(standard=self.case.standard))
            return client.post(path, {"file": upload}, format="multipart")
        if entry == "POST /api/v1/cases/{pk}/evidence/":
            upload = SimpleUploadedFile(
                "more.pdf", b"%PDF-1.7\n%%EOF\n", content_type="application/pdf"
            )
            return client.post(path, {"file": upload, "question": "A1-01"}, format="multipart")
        return getattr(client, method.lower())(path, self.body(method, route), format="json")
