"""When a finding counts as more serious than the auditor graded it, the pages and the
report say so in words, and why (issue 13 §2)."""

import pytest

from audits.models import CorrectiveAction
from certification import services
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db

ZERO_TOLERANCE = (
    "Minor non-conformity; treated as major non-conformity because C2.1 is zero-tolerance"
)
INDICATORS = (
    "Observation; treated as major non-conformity because it shows forced-labour "
    "indicators: debt bondage, deception"
)


@pytest.fixture
def audited(world):
    case = world.case_in("auditing")
    world.record_findings(case, C2_1="minor", A1=("observation", ("debt_bondage", "deception")))
    services.case_complete_audit(actor=world.auditor, case=case)
    return case


def test_the_case_page_says_why_a_finding_counts_as_major(world, audited):
    page = signed_in(world.reviewer).get(f"/cases/{audited.pk}/").content.decode()

    assert ZERO_TOLERANCE in page
    assert INDICATORS in page
    assert "Conforming" in page  # a finding that counts as graded says its grade alone


def test_the_corrective_action_says_why_it_is_major(world, audited):
    action = CorrectiveAction.objects.get(finding__criterion__code="C2.1")

    page = signed_in(world.agency_member).get(f"/corrective-actions/{action.pk}/")

    assert (action.severity, page.status_code) == ("major", 200)
    assert ZERO_TOLERANCE in page.content.decode()


def test_the_words_are_french_for_a_french_reader(world, audited):
    client = signed_in(world.reviewer)

    page = client.get(f"/cases/{audited.pk}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert (
        "Non-conformité mineure ; traitée comme non-conformité majeure car C2.1 est à "
        "tolérance zéro" in page
    )
