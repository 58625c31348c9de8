"""One agency from its account to a certificate and a suspension, through HTTP only, while
an employer watches through status, bulk checks and a webhook."""

import io

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from audits.models import CorrectiveAction
from certification import services
from tests.api.receiver import Receiver, run_worker
from tests.certification.world import COMPLIANT, World

PASSWORD = "correct horse battery staple"
SECRET = "w" * 40


def client_for(username: str) -> APIClient:
    anonymous = APIClient()
    response = anonymous.post(
        "/api/v1/auth/token/", {"username": username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 201, response.content
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
    return client


def ok(response, code=200):
    assert response.status_code == code, (response.status_code, response.content[:500])
    return response.json() if response.content else None


@pytest.mark.django_db(transaction=True)
def test_an_agency_goes_from_account_to_certificate_and_suspension_over_http(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0
    world = World()
    agency_id = str(world.agency.public_id)
    agency, auditor, reviewer = client_for("agency"), client_for("auditor"), client_for("reviewer")
    employer_person = client_for("employer")
    employer_id = str(world.employer_member.memberships.get().employer.public_id)

    # The employer makes a key, watches the agency and registers its webhook.
    key = ok(
        employer_person.post(
            "/api/v1/employer-keys/", {"employer": employer_id, "name": "ERP"}, format="json"
        ),
        201,
    )["key"]
    employer = APIClient()
    employer.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    ok(employer.post("/api/v1/watchlist/", {"agency": agency_id}, format="json"), 201)

    def seen_by_employer():
        status = ok(employer.get(f"/api/v1/agencies/{agency_id}/status/"))["status"]
        checked = ok(
            employer.post(
                "/api/v1/supplier-checks/", {"suppliers": [{"id": agency_id}]}, format="json"
            )
        )
        assert checked["results"][0]["status"] == status
        return status

    assert seen_by_employer() == "not_certified"

    with Receiver(SECRET) as receiver:
        ok(
            employer.post(
                "/api/v1/webhooks/", {"url": receiver.url, "secret": SECRET}, format="json"
            ),
            201,
        )

        # The agency opens its case and answers its self-assessment.
        case = ok(
            agency.post(
                "/api/v1/cases/",
                {"agency": agency_id, "standard": "mini", "version": "1.0"},
                format="json",
            ),
            201,
        )
        url = f"/api/v1/cases/{case['id']}"
        assert case["available_transitions"] == ["cancel", "submit"]
        ok(
            agency.patch(
                f"{url}/answers/",
                {"standard": "mini", "version": "1.0", "answers": COMPLIANT},
                format="json",
            )
        )
        assert ok(agency.get(f"{url}/score/"))["result"]["readiness"] == "ready"
        assert (
            ok(agency.post(f"{url}/transitions/submit/", {}, format="json"))["state"] == "submitted"
        )
        assert seen_by_employer() == "in_progress"

        # Screening and audit.
        [auditor_row] = [
            a
            for a in ok(reviewer.get("/api/v1/auditors/"))["results"]
            if a["username"] == "auditor"
        ]
        today = timezone.localdate()
        plan = {
            "auditor": auditor_row["id"],
            "stage1_date": str(today),
            "stage2_date": str(today),  # on site today: completed from that day
        }
        assert (
            ok(reviewer.post(f"{url}/transitions/plan_audit/", plan, format="json"))["state"]
            == "audit_planned"
        )
        ok(auditor.post(f"{url}/transitions/start_audit/", {}, format="json"))
        for criterion, grade in (("A1", "conforming"), ("C1.1", "minor"), ("C2.1", "conforming")):
            ok(
                auditor.post(
                    f"{url}/findings/",
                    {"criterion": criterion, "grade": grade, "text": "Seen."},
                    format="json",
                ),
                201,
            )
        assert (
            ok(auditor.post(f"{url}/transitions/complete_audit/", {}, format="json"))["state"]
            == "corrective_action"
        )
        refused = agency.post(f"{url}/transitions/submit/", {}, format="json")
        assert refused.status_code == 409 and refused.json()["errors"][0]["code"] == "state"

        # The zero-tolerance finding counts as major; the agency answers it with evidence.
        [action] = ok(agency.get(f"{url}/corrective-actions/"))["results"]
        assert (action["criterion"], action["severity"], action["state"]) == (
            "C1.1",
            "major",
            "open",
        )
        ok(
            agency.post(
                f"/api/v1/corrective-actions/{action['id']}/submit/",
                {"root_cause": "Fee via sub-agent.", "action": "Refunded."},
                format="json",
            )
        )
        upload = agency.post(
            f"{url}/evidence/",
            {"file": io.BytesIO(b"%PDF-1.7\n%%EOF\n"), "corrective_action": action["id"]},
            format="multipart",
        )
        evidence = ok(upload, 201)
        assert ok(auditor.get(f"/api/v1/evidence/{evidence['id']}/")) == evidence
        action_url = f"/api/v1/corrective-actions/{action['id']}"
        ok(auditor.post(f"{action_url}/accept/", {"note": "Answers the cause."}, format="json"))
        ok(auditor.post(f"{action_url}/verify/", {"note": "Records checked."}, format="json"))
        assert (
            ok(auditor.post(f"{url}/transitions/close_corrective_actions/", {}, format="json"))[
                "state"
            ]
            == "in_review"
        )

        # The decision, then a suspension, each seen by the employer three ways.
        assert [c["id"] for c in ok(reviewer.get("/api/v1/review-queue/"))["results"]] == [
            case["id"]
        ]
        record = ok(reviewer.get(f"{url}/record/"))
        assert [(i["kind"], i["what"]) for i in record["to_confirm"]] == [
            ("zero_tolerance", "C1.1, a zero-tolerance criterion: minor non-conformity")
        ]
        assert record["audits"][0]["findings"][1]["corrective_action"]["verification_note"] == (
            "Records checked."
        )
        unconfirmed = reviewer.post(
            f"{url}/transitions/certify/",
            {"reason": "Closed and verified: the refunds were checked on site."},
            format="json",
        )
        assert unconfirmed.status_code == 400
        certified = ok(
            reviewer.post(
                f"{url}/transitions/certify/",
                {
                    "reason": "Closed and verified: the refunds were checked on site.",
                    "confirmations": [i["key"] for i in record["to_confirm"]],
                },
                format="json",
            )
        )
        assert certified["state"] == "certified" and certified["certificate"]["number"].startswith(
            "FR-"
        )
        assert seen_by_employer() == "certified"
        ok(
            reviewer.post(
                f"{url}/transitions/suspend/", {"reason": "Complaint from workers."}, format="json"
            )
        )
        assert seen_by_employer() == "suspended"
        run_worker()

    assert [
        (e["old_status"], e["new_status"])
        for e in sorted(receiver.events.values(), key=lambda e: e["occurred_at"])
    ] == [
        ("in_progress", "certified"),
        ("certified", "suspended"),
    ]
    history = ok(agency.get(f"{url}/events/"))["results"]
    case_events = [(e["transition"], e["target"]) for e in history if e["subject_type"] == "case"]
    assert case_events == [
        ("open", "draft"),
        ("submit", "submitted"),
        ("plan_audit", "audit_planned"),
        ("start_audit", "auditing"),
        ("complete_audit", "corrective_action"),
        ("close_corrective_actions", "in_review"),
        ("certify", "certified"),
        ("suspend", "suspended"),
    ]
    watchers = ok(agency.get(f"/api/v1/agencies/{agency_id}/watchers/"))["results"]
    assert [w["employer"] for w in watchers] == [
        world.employer_member.memberships.get().employer.name
    ]


def test_accepting_a_plan_without_a_note_is_a_400_naming_the_field(world):
    case = world.case_in("corrective_action")
    action = CorrectiveAction.objects.get(finding__audit__case=case)
    services.corrective_action_submit(
        actor=world.agency_member, corrective_action=action, root_cause="Cause.", action="Action."
    )
    auditor = APIClient()
    auditor.force_authenticate(world.auditor)

    response = auditor.post(f"/api/v1/corrective-actions/{action.pk}/accept/", {}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "code": "invalid",
            "detail": "Say why the plan answers the non-conformity.",
            "attr": "note",
        }
    ]
    action.refresh_from_db()
    assert action.state == "submitted"
