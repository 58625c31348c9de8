"""The decision is taken on the whole record: reviewers and the case's auditors read the
agency's self-assessment pages, without being able to change them (issue 13 §1, in part)."""

import pytest

from audits.models import Answer
from tests.factories import MembershipFactory
from tests.web.conftest import signed_in

pytestmark = pytest.mark.django_db

PAGES = ("/cases/{pk}/self-assessment/", "/cases/{pk}/self-assessment/A/")


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("agency_member", 200),
        ("reviewer", 200),
        ("auditor", 200),  # the case's auditor
        ("other_auditor", 404),
        ("other_agency_member", 404),
        ("employer_member", 404),
    ],
)
def test_who_reads_the_self_assessment_pages(world, role, expected):
    case = world.case_in("audit_planned")
    people = {
        "agency_member": world.agency_member,
        "reviewer": world.reviewer,
        "auditor": world.auditor,
        "other_auditor": world.other_auditor,
        "other_agency_member": MembershipFactory(agency_member=True).user,
        "employer_member": world.employer_member,
    }
    client = signed_in(people[role])

    assert [client.get(page.format(pk=case.pk)).status_code for page in PAGES] == [expected] * 2


def test_a_reviewer_reads_a_draft_without_controls_and_cannot_save(world):
    case = world.open()
    client = signed_in(world.reviewer)

    page = client.get(f"/cases/{case.pk}/self-assessment/A/")
    overview = client.get(f"/cases/{case.pk}/self-assessment/").content.decode()
    saved = client.post(f"/cases/{case.pk}/self-assessment/A/", {"A1-01": "yes"})

    assert page.status_code == 200
    assert all(field.disabled for field in page.context["form"].fields.values())
    assert "Save as draft" not in page.content.decode()
    assert "only its members change them" in overview and "Work offline" not in overview
    assert saved.status_code == 404
    assert not Answer.objects.filter(self_assessment__case=case).exists()
