"""Audit report and self-assessment summary PDFs, read back."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from audits.models import Finding
from certification import services
from certification.reports import audit_report_pdf, self_assessment_summary_pdf
from certification.selectors import score_case_self_assessment
from tests.certification.world import COMPLIANT, World
from tests.dates import long_day

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    """The words of every page, wrapped lines joined."""
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )


@pytest.fixture
def audited():
    world = World()
    case = world.case_in("auditing")
    world.record_findings(case, C2_1="minor", A1=("conforming", ("deception",)))
    finding = Finding.objects.get(criterion__code="C2.1")
    services.evidence_upload(
        actor=world.auditor,
        upload=SimpleUploadedFile(
            "safe-photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 32, content_type="image/png"
        ),
        finding=finding,
    )
    services.case_complete_audit(actor=world.auditor, case=case)
    case.refresh_from_db()
    return world, case, case.audits.get()


def test_the_audit_report_puts_zero_tolerance_and_forced_labour_first(audited):
    _world, _case, audit = audited

    text = text_of(audit_report_pdf(audit))

    assert text.index("Zero-tolerance criteria not conforming") < text.index(
        "Findings showing forced-labour indicators"
    )
    assert text.index("Findings showing forced-labour indicators") < text.index(
        "Findings by principle"
    )
    assert (
        "Minor non-conformity; treated as major non-conformity because C2.1 is zero-tolerance"
        in text
    )
    assert "[deception]" in text
    assert "safe-photo.png" in text
    assert "Keeps no passport." in text  # the criterion's own text
    assert "Conformity per principle (%)" in text
    assert "Page 1" in text and "Generated" in text


def test_the_audit_report_lists_corrective_actions_and_discrepancies(audited):
    _world, _case, audit = audited

    text = text_of(audit_report_pdf(audit))

    assert "Corrective actions" in text
    for action in audit.findings.filter(corrective_action__isnull=False):
        assert long_day(action.corrective_action.plan_due) in text
    assert "Discrepancies with the self-assessment" in text
    assert "66.7 %" in text  # A1 and C2.1 declared compliant, found major: 2 of 3


def test_the_audit_report_speaks_french(audited):
    text = text_of(audit_report_pdf(audited[2], language="fr"))

    assert (
        "Rapport d'audit" in text
        and "Constats par principe" in text
        and "Détient ses licences." in text
    )


def test_the_self_assessment_summary_lists_gaps_with_their_reasons():
    world = World()
    case = world.open()
    services.self_assessment_save_answers(
        actor=world.agency_member, case=case, answers={**COMPLIANT, "C2.1-01": "yes", "A1-01": None}
    )
    result = score_case_self_assessment(case).to_dict()

    text = text_of(self_assessment_summary_pdf(case, result))

    assert "Self-assessment summary" in text
    assert text.index("C2.1 Keeps no passport.") < text.index(
        "A1 Holds its licences."
    )  # zero tolerance first
    assert (
        "C2.1-01: Yes — expected answer: No — Not compliant: zero-tolerance criterion C2.1 is "
        "breached, which blocks certification whatever the score." in text
    )  # the engine's reason worded here, from its code and parameters
    assert "Not compliant" in text and "non_compliant" not in text  # the gap's status too
    assert "Not ready" in text and "not_ready" not in text  # readiness in words


def test_the_reports_are_served_to_the_people_of_the_case(api, audited):
    world, case, _audit = audited
    api.force_authenticate(world.agency_member)

    report = api.get(f"/api/v1/cases/{case.pk}/audit-report/", {"language": "fr"})
    summary = api.get(f"/api/v1/cases/{case.pk}/self-assessment-summary/")

    assert (report.status_code, report["Content-Type"]) == (200, "application/pdf")
    assert "Rapport d'audit" in text_of(report.content)
    assert (summary.status_code, summary["Content-Type"]) == (200, "application/pdf")
    assert api.get(f"/api/v1/cases/{case.pk}/audit-report/", {"audit": 999999}).status_code == 404
