"""Appeals over the API (issue 14 §3): lodged with grounds and files, refused in the error
format with a sentence naming the problem, read by the agency and reviewers only,
answered by a reviewer not involved; the generic transition route refuses `overturn`."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certification import services
from certification.models import Appeal
from tests.certification.appeals_helpers import ANSWER, GROUNDS, PDF, add_reviewer, decided, pdf
from tests.certification.world import REFUSAL, refreshed
from tests.dates import long_day
from tests.factories import AgencyFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def appeals_world(world):
    add_reviewer(world)
    return world


def lodge(api, world, case, **data):
    api.force_authenticate(world.agency_member)
    return api.post(f"/api/v1/cases/{case.pk}/appeals/", {"grounds": GROUNDS, **data})


def error(response) -> tuple:
    (only,) = response.json()["errors"]
    return response.status_code, only["code"], only["attr"], only["detail"]


def test_the_agency_lodges_an_appeal_with_a_file(api, appeals_world):
    world = appeals_world
    case = decided(world, "suspended")
    api.force_authenticate(world.agency_member)

    response = api.post(
        f"/api/v1/cases/{case.pk}/appeals/",
        {"grounds": GROUNDS, "files": [pdf()]},
        format="multipart",
    )

    assert response.status_code == 201
    body = response.json()
    appeal = Appeal.objects.get()
    assert body["id"] == appeal.pk
    assert (body["case"], body["state"], body["grounds"], body["lodged_by"]) == (
        case.pk,
        "lodged",
        GROUNDS,
        "agency",
    )
    assert body["decision"]["transition"] == "suspend"
    assert body["decision"]["source"] == "certified"
    assert body["due_by"] == (timezone.localdate() + timedelta(days=60)).isoformat()
    assert [(f["original_name"], f["size"]) for f in body["files"]] == [("receipts.pdf", len(PDF))]
    file_url = f"/api/v1/appeals/{appeal.pk}/files/{body['files'][0]['id']}/"
    api.force_authenticate(world.appeal_reviewer)
    downloaded = api.get(file_url)
    assert (downloaded.status_code, b"".join(downloaded.streaming_content)) == (200, PDF)


def test_a_second_appeal_of_the_same_decision_is_409(api, appeals_world):
    world = appeals_world
    case = decided(world, "refused")
    first = lodge(api, world, case).json()

    response = lodge(api, world, case)

    day = long_day(timezone.localdate())
    assert error(response) == (
        409,
        "one_appeal",
        None,
        f"the decision to refuse of {day} is already appealed (appeal {first['id']}, lodged on "
        f"{day}): a decision is appealed once",
    )
    assert Appeal.objects.count() == 1


def test_an_appeal_out_of_time_is_409_naming_the_period(api, appeals_world, monkeypatch):
    world = appeals_world
    case = decided(world, "withdrawn")
    decided_on = timezone.localdate()
    later = timezone.now() + timedelta(days=31)
    monkeypatch.setattr(timezone, "now", lambda: later)

    response = lodge(api, world, case)

    assert error(response) == (
        409,
        "appeal_period",
        None,
        f"an appeal is lodged within 30 days of the decision: the decision to withdraw of "
        f"{long_day(decided_on)} could be appealed until "
        f"{long_day(decided_on + timedelta(days=30))}",
    )


def test_a_case_that_is_not_refused_suspended_or_withdrawn_is_409(api, appeals_world):
    world = appeals_world
    case = world.case_in("in_review")

    response = lodge(api, world, case)

    assert error(response) == (
        409,
        "state",
        None,
        "only a refusal, a suspension or a withdrawal can be appealed: the case is in review",
    )


def test_bad_grounds_and_bad_files_are_400_and_nothing_is_kept(api, appeals_world):
    world = appeals_world
    case = decided(world, "refused")
    api.force_authenticate(world.agency_member)
    url = f"/api/v1/cases/{case.pk}/appeals/"

    blank = api.post(url, {"grounds": "  "})
    missing = api.post(url, {})
    bad_file = api.post(
        url,
        {"grounds": GROUNDS, "files": [SimpleUploadedFile("receipt.pdf", b"text")]},
        format="multipart",
    )

    assert error(blank)[:3] == (400, "blank", "grounds")
    assert error(missing)[:3] == (400, "required", "grounds")
    assert error(bad_file) == (
        400,
        "invalid",
        "files",
        "receipt.pdf was not accepted: only PDF, JPEG, PNG, XLSX, DOCX files are, judged by "
        "their content and named for it.",
    )
    assert Appeal.objects.count() == 0


def test_who_reads_appeals(api, appeals_world):
    world = appeals_world
    case = decided(world, "refused")
    appeal = services.appeal_lodge(actor=world.agency_member, case=case, grounds=GROUNDS)
    # Another agency's appeal, that the world's agency member does not see.
    other = AgencyFactory()
    MembershipFactory(agency_member=True, agency=other, user=world.other_agency_member)
    world.agency, world.agency_member = other, world.other_agency_member
    theirs = services.appeal_lodge(
        actor=world.other_agency_member, case=decided(world, "suspended"), grounds=GROUNDS
    )

    def ids(user):
        api.force_authenticate(user)
        response = api.get("/api/v1/appeals/")
        return response.status_code, [a["id"] for a in response.json().get("results", [])]

    assert ids(case.agency.memberships.get(role="agency_member").user) == (200, [appeal.pk])
    assert ids(world.other_agency_member) == (200, [theirs.pk])
    assert ids(world.appeal_reviewer) == (200, sorted([appeal.pk, theirs.pk]))
    assert ids(world.auditor)[0] == 404
    api.force_authenticate(world.other_agency_member)
    assert api.get(f"/api/v1/appeals/{appeal.pk}/").status_code == 404
    assert api.get(f"/api/v1/cases/{case.pk}/appeals/").status_code == 404


def test_the_list_shows_the_soonest_due_first_and_filters_by_state(api, appeals_world):
    world = appeals_world
    later = services.appeal_lodge(
        actor=world.agency_member, case=decided(world, "refused"), grounds=GROUNDS
    )
    Appeal.objects.filter(pk=later.pk).update(due_by=later.due_by + timedelta(days=5))
    world.agency = AgencyFactory()
    MembershipFactory(agency_member=True, agency=world.agency, user=world.agency_member)
    sooner = services.appeal_lodge(
        actor=world.agency_member, case=decided(world, "suspended"), grounds=GROUNDS
    )
    services.appeal_decide(
        actor=world.appeal_reviewer, appeal=sooner, outcome="upheld", rationale=ANSWER
    )
    api.force_authenticate(world.appeal_reviewer)

    every = api.get("/api/v1/appeals/").json()["results"]
    lodged = api.get("/api/v1/appeals/", {"state": "lodged"}).json()["results"]
    unknown = api.get("/api/v1/appeals/", {"state": "pending"})

    assert [a["id"] for a in every] == [sooner.pk, later.pk]
    assert [a["id"] for a in lodged] == [later.pk]
    assert error(unknown)[:3] == (400, "invalid", "state")


def test_a_list_costs_the_same_queries_for_1_and_20_appeals(api, appeals_world):
    world = appeals_world

    def lodge_one():
        world.agency = AgencyFactory()
        MembershipFactory(agency_member=True, agency=world.agency, user=world.agency_member)
        services.appeal_lodge(
            actor=world.agency_member,
            case=decided(world, "refused"),
            grounds=GROUNDS,
            files=[pdf()],
        )

    def queries():
        api.force_authenticate(world.appeal_reviewer)
        with CaptureQueriesContext(connection) as captured:
            assert api.get("/api/v1/appeals/").status_code == 200
        return len(captured)

    lodge_one()
    one = queries()
    for _ in range(19):
        lodge_one()
    assert queries() == one


def test_a_reviewer_overturns_a_refusal(api, appeals_world):
    world = appeals_world
    case = decided(world, "refused")
    appeal = services.appeal_lodge(actor=world.agency_member, case=case, grounds=GROUNDS)
    api.force_authenticate(world.appeal_reviewer)

    response = api.post(
        f"/api/v1/appeals/{appeal.pk}/decide/", {"outcome": "overturned", "rationale": ANSWER}
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["state"], body["decided_by"], body["rationale"]) == (
        "overturned",
        "appeals",
        ANSWER,
    )
    assert refreshed(case).state == "in_review"
    case_body = api.get(f"/api/v1/cases/{case.pk}/").json()
    assert (case_body["state"], case_body["available_transitions"]) == (
        "in_review",
        ["certify", "refuse"],
    )
    assert [e["transition"] for e in api.get(f"/api/v1/cases/{case.pk}/events/").json()["results"]][
        -3:
    ] == ["appeal_lodge", "overturn", "appeal_overturn"]


def test_the_reviewer_who_refused_is_403_with_the_reason(api, appeals_world):
    world = appeals_world
    case = decided(world, "refused")
    appeal = services.appeal_lodge(actor=world.agency_member, case=case, grounds=GROUNDS)
    api.force_authenticate(world.reviewer)

    response = api.post(
        f"/api/v1/appeals/{appeal.pk}/decide/", {"outcome": "upheld", "rationale": ANSWER}
    )

    assert error(response) == (
        403,
        "permission_denied",
        None,
        "reviewer took the decision appealed and cannot answer the appeal",
    )
    assert refreshed(appeal).state == "lodged"


def test_answering_twice_is_409_and_a_short_rationale_400(api, appeals_world):
    world = appeals_world
    appeal = services.appeal_lodge(
        actor=world.agency_member, case=decided(world, "suspended"), grounds=GROUNDS
    )
    api.force_authenticate(world.appeal_reviewer)
    url = f"/api/v1/appeals/{appeal.pk}/decide/"

    short = api.post(url, {"outcome": "upheld", "rationale": "No."})
    bad = api.post(url, {"outcome": "maybe", "rationale": ANSWER})
    first = api.post(url, {"outcome": "upheld", "rationale": ANSWER})
    second = api.post(url, {"outcome": "overturned", "rationale": ANSWER})

    assert error(short)[:3] == (400, "invalid", "reason")
    assert error(bad)[:3] == (400, "invalid_choice", "outcome")
    assert first.status_code == 200
    assert error(second) == (
        409,
        "state",
        None,
        f"this appeal is already answered: upheld on {long_day(timezone.localdate())}",
    )
    assert refreshed(appeal.case).state == "suspended"


def test_the_generic_transition_route_refuses_overturn(api, appeals_world):
    world = appeals_world
    case = decided(world, "refused")
    services.appeal_lodge(actor=world.agency_member, case=case, grounds=GROUNDS)
    api.force_authenticate(world.appeal_reviewer)

    response = api.post(f"/api/v1/cases/{case.pk}/transitions/overturn/", {"reason": ANSWER})

    assert error(response)[:2] == (409, "appeal")
    assert refreshed(case).state == "refused"


def test_the_public_status_endpoint_says_under_appeal_only_when_shown(api, appeals_world, settings):
    world = appeals_world
    case = world.case_in("certified")
    services.case_suspend(actor=world.reviewer, case=case, reason=REFUSAL)
    services.appeal_lodge(actor=world.agency_member, case=case, grounds=GROUNDS)
    url = f"/api/v1/agencies/{world.agency.public_id}/status/"

    hidden = api.get(url).json()
    settings.APPEAL_SHOWN_ON_PUBLIC_STATUS = True
    cache.clear()  # the status answer is cached for the day
    shown = api.get(url).json()

    assert (hidden["status"], "under_appeal" in hidden) == ("suspended", False)
    assert (shown["status"], shown["under_appeal"]) == ("suspended", True)
