"""Appeal pages (issue 14 §3): the agency appeals from its case page, a reviewer answers
from the list of open appeals; refusals show beside the form with what was typed kept."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from certification import services
from certification.models import Appeal
from tests.certification.appeals_helpers import ANSWER, GROUNDS, add_reviewer, decided, pdf
from tests.certification.world import World, refreshed
from tests.factories import AgencyFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = World()
    add_reviewer(world)
    return world


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_agency_appeals_from_its_case_page(world):
    case = decided(world, "suspended")
    client = signed_in(world.agency_member)

    case_page = client.get(f"/cases/{case.pk}/").content.decode()
    form_page = client.get(f"/cases/{case.pk}/appeals/")
    posted = client.post(
        f"/cases/{case.pk}/appeals/", {"grounds": GROUNDS, "files": [pdf(), pdf("second.pdf")]}
    )

    assert f'href="/cases/{case.pk}/appeals/"' in case_page
    assert form_page.status_code == 200
    assert 'id="appeal-form"' in form_page.content.decode()
    assert "You may appeal until" in form_page.content.decode()
    assert (posted.status_code, posted["Location"]) == (302, f"/cases/{case.pk}/appeals/")
    appeal = Appeal.objects.get()
    assert (appeal.grounds, appeal.files.count()) == (GROUNDS, 2)
    after = client.get(f"/cases/{case.pk}/appeals/").content.decode()
    assert "Your appeal is lodged." in after
    assert 'id="appeal-form"' not in after  # appealed once
    assert "is already appealed" in after
    assert GROUNDS in after
    assert f"/api/v1/appeals/{appeal.pk}/files/" in after


def test_a_refused_appeal_keeps_what_was_typed(world):
    case = decided(world, "refused")
    client = signed_in(world.agency_member)
    typed = "My grounds, typed with care."

    bad_file = client.post(
        f"/cases/{case.pk}/appeals/",
        {"grounds": typed, "files": [SimpleUploadedFile("receipt.pdf", b"text")]},
    )
    blank = client.post(f"/cases/{case.pk}/appeals/", {"grounds": ""})

    assert bad_file.status_code == 400
    page = bad_file.content.decode()
    assert typed in page
    assert "receipt.pdf was not accepted" in page
    assert blank.status_code == 400
    assert Appeal.objects.count() == 0


def test_a_case_that_cannot_be_appealed_says_why(world):
    case = world.case_in("certified")
    client = signed_in(world.agency_member)

    page = client.get(f"/cases/{case.pk}/appeals/")
    posted = client.post(f"/cases/{case.pk}/appeals/", {"grounds": GROUNDS})

    assert page.status_code == 200
    assert 'id="appeal-form"' not in page.content.decode()
    assert "only a refusal, a suspension or a withdrawal can be appealed" in page.content.decode()
    assert posted.status_code == 409
    assert GROUNDS in posted.content.decode()
    assert (
        f'href="/cases/{case.pk}/appeals/"' not in client.get(f"/cases/{case.pk}/").content.decode()
    )


def test_reviewers_see_open_appeals_the_soonest_due_first_from_the_dashboard(world):
    first = services.appeal_lodge(
        actor=world.agency_member, case=decided(world, "refused"), grounds=GROUNDS
    )
    Appeal.objects.filter(pk=first.pk).update(
        due_by=first.due_by.replace(year=first.due_by.year + 1)
    )
    world.agency = AgencyFactory(name="Second Agency")
    MembershipFactory(agency_member=True, agency=world.agency, user=world.agency_member)
    second = services.appeal_lodge(
        actor=world.agency_member, case=decided(world, "suspended"), grounds=GROUNDS
    )
    client = signed_in(world.appeal_reviewer)

    dashboard = client.get("/dashboard/").content.decode()
    listing = client.get("/review/appeals/").content.decode()

    assert 'href="/review/appeals/"' in dashboard
    assert listing.index(f'href="/review/appeals/{second.pk}/"') < listing.index(
        f'href="/review/appeals/{first.pk}/"'
    )


def test_a_reviewer_answers_an_appeal_on_its_page(world):
    case = decided(world, "suspended")
    appeal = services.appeal_lodge(actor=world.agency_member, case=case, grounds=GROUNDS)
    client = signed_in(world.appeal_reviewer)
    url = f"/review/appeals/{appeal.pk}/"

    page = client.get(url).content.decode()
    short = client.post(url, {"outcome": "overturned", "rationale": "Too short."})
    answered = client.post(url, {"outcome": "overturned", "rationale": ANSWER})

    assert 'id="answer-form"' in page
    assert GROUNDS in page
    assert short.status_code == 400
    assert "Too short." in short.content.decode()
    assert "in at least 40 characters (10 given)" in short.content.decode()
    assert (answered.status_code, answered["Location"]) == (302, url)
    assert refreshed(case).state == "certified"
    after = client.get(url).content.decode()
    assert "The appeal is answered: overturned." in after
    assert 'id="answer-form"' not in after
    assert ANSWER in after
    agency_view = signed_in(world.agency_member).get(f"/cases/{case.pk}/appeals/").content.decode()
    assert "Overturned: the state before the decision is restored." in agency_view
    assert ANSWER in agency_view


def test_the_reviewer_who_decided_is_told_why_not(world):
    appeal = services.appeal_lodge(
        actor=world.agency_member, case=decided(world, "refused"), grounds=GROUNDS
    )

    response = signed_in(world.reviewer).post(
        f"/review/appeals/{appeal.pk}/", {"outcome": "upheld", "rationale": ANSWER}
    )

    assert response.status_code == 403
    assert "reviewer took the decision appealed and cannot answer the appeal" in (
        response.content.decode()
    )
    assert ANSWER in response.content.decode()
    assert refreshed(appeal).state == "lodged"


def test_auditors_do_not_see_appeals(world):
    case = decided(world, "refused")
    appeal = services.appeal_lodge(actor=world.agency_member, case=case, grounds=GROUNDS)
    client = signed_in(world.auditor)

    assert client.get(f"/cases/{case.pk}/").status_code == 200  # the case: yes
    assert client.get(f"/cases/{case.pk}/appeals/").status_code == 404
    assert client.get(f"/review/appeals/{appeal.pk}/").status_code == 404
    assert client.get("/review/appeals/").status_code == 404
