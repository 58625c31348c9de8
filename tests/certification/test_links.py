"""The link check against the register (issue 18 §3): an agency that shares a director
(spelt otherwise), a phone, an address or a bank account with an agency withdrawn in the
last five years is listed with the reason; one that shares nothing is not; reviewers
record a decision on each; the queries do not grow with the matches."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certification.selectors.links import agency_links, outcomes
from recruiters.links.services import (
    PersonEntry,
    agency_details_refresh,
    detail_add,
    document_hash,
    keyed_hash,
    link_review_record,
    record_people_and_details,
)
from recruiters.models import Agency, AgencyDetail, LinkReview, RelevantPerson
from tests.certification.world import World
from tests.dates import long_day
from tests.factories import AgencyFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Sagarmatha Overseas, withdrawn today, with its director, phone and address."""
    world = World()
    world.agency.name = "Sagarmatha Overseas"
    world.agency.legal_name = "Sagarmatha Overseas Pvt. Ltd."
    world.agency.address = "Flat 3, 12 Durbar Marg, Kathmandu"
    world.agency.save()
    record_people_and_details(
        world.agency,
        [
            PersonEntry("Ram Bahadur Thapa", "director", 1971, "NP", since=date(2019, 1, 1)),
            PersonEntry("Gita Shrestha", "nominated_officer", 1985, "NP"),
        ],
        [("phone", "+977 1-4411223"), ("bank_account", "NP12 3456 7890 1234")],
    )
    world.withdrawn = world.case_in("withdrawn")
    return world


def newcomer(name="Everest Fair Jobs", **fields):
    return AgencyFactory(name=name, legal_name=f"{name} Pvt. Ltd.", country="NP", **fields)


def test_a_director_spelt_otherwise_is_listed_with_the_reason(world):
    agency = newcomer()
    record_people_and_details(agency, [PersonEntry("THAPPA, Raam Bahdur", "director", 1971, "NP")])

    links = agency_links(agency)

    assert [(link.match.kind, link.match.strength, link.other) for link in links] == [
        ("person", "strong", world.agency)
    ]
    today = long_day(timezone.localdate())
    assert links[0].reason == (
        "THAPPA, Raam Bahdur is like Ram Bahadur Thapa (Director, born 1971, Nepal, "
        f"1 January 2019 to now) of Sagarmatha Overseas (withdrawn {today}): strong match, 95 "
        "out of 100"
    )
    assert links[0].review is None


@pytest.mark.parametrize(
    ("details", "agency_fields", "kind", "mine", "theirs"),
    [
        ([("phone", "01 4411223")], {}, "phone", "01 4411223", "+977 1-4411223"),
        (
            [],
            {"address": "12 Durbar Rd, Flat 3, Kathmandu"},
            "address",
            "12 Durbar Rd, Flat 3, Kathmandu",
            "Flat 3, 12 Durbar Marg, Kathmandu",
        ),
        ([("bank_account", "np12-3456-7890-1234")], {}, "bank_account", "…1234", "…1234"),
    ],
)
def test_a_shared_phone_address_or_bank_account_is_listed(
    world, details, agency_fields, kind, mine, theirs
):
    agency = newcomer(**agency_fields)
    record_people_and_details(agency, [PersonEntry("Sita Gurung", "director", 1980)], details)

    links = agency_links(agency)

    assert [(link.match.kind, link.match.mine, link.match.theirs) for link in links] == [
        (kind, mine, theirs)
    ]
    assert links[0].match.strength == "exact" and links[0].match.outcome == "withdrawn"


def test_an_agency_that_shares_nothing_is_not_listed(world):
    agency = newcomer("Himalaya Fair Jobs", address="44 Lakeside, Pokhara")
    record_people_and_details(
        agency,
        [PersonEntry("Sita Gurung", "director", 1980, "NP")],
        [("phone", "+977 61-465000"), ("email_domain", "info@gmail.com")],
    )
    assert agency_links(agency) == []


def test_only_agencies_refused_withdrawn_or_suspended_within_the_window_count(world):
    agency = newcomer()
    record_people_and_details(agency, [PersonEntry("Ram Bahadur Thapa", "director", 1971)])
    assert len(agency_links(agency)) == 1
    in_six_years = timezone.localdate() + timedelta(days=6 * 366)
    assert agency_links(agency, today=in_six_years) == []
    # Another agency with the same director but nothing against it is no warning.
    clean = newcomer("Clean Fair Jobs")
    record_people_and_details(clean, [PersonEntry("Ram Bahadur Thapa", "director", 1971)])
    assert [link.other for link in agency_links(agency)] == [world.agency]
    assert set(outcomes()) == {world.agency.pk}


def test_a_reviewer_records_a_decision_on_each_match_the_newest_stands(world):
    agency = newcomer()
    record_people_and_details(agency, [PersonEntry("Ram Bahadur Thapa", "director", 1971)])
    match = agency_links(agency)[0].match
    arguments = {
        "subject": agency,
        "other": world.agency,
        "kind": match.kind,
        "mine": match.mine,
        "theirs": match.theirs,
    }
    with pytest.raises(PermissionDenied):
        link_review_record(actor=world.agency_member, decision="linked", **arguments)
    with pytest.raises(ValidationError):
        link_review_record(actor=world.reviewer, decision="maybe", **arguments)
    link_review_record(actor=world.reviewer, decision="linked", note="Same man.", **arguments)
    link_review_record(
        actor=world.reviewer, decision="not_the_same", note="Passport differs.", **arguments
    )

    link = agency_links(agency)[0]
    assert (link.review.decision, link.review.note) == ("not_the_same", "Passport differs.")
    assert LinkReview.objects.count() == 2


def test_people_and_details_are_recorded_whole_or_not_at_all(world):
    agency = newcomer()
    with pytest.raises(ValidationError) as refused:
        record_people_and_details(
            agency,
            [PersonEntry("Sita Gurung", "director", 1980), PersonEntry("Hari", "owner", 1850)],
        )
    assert list(refused.value.message_dict) == ["people.1.birth_year"]
    assert not RelevantPerson.objects.filter(agency=agency).exists()
    with pytest.raises(ValidationError) as refused:
        record_people_and_details(agency, [PersonEntry("  ", "chairman")])
    assert sorted(refused.value.message_dict) == ["people.0.name", "people.0.role"]


def test_numbers_kept_to_compare_are_never_stored_in_clear(world):
    agency = newcomer()
    record_people_and_details(
        agency, [PersonEntry("Sita Gurung", "director", 1980, identity_document="PA 1234567")]
    )
    detail = detail_add(agency, "bank_account", "NP99 0000 1111 2222")
    person = RelevantPerson.objects.get(agency=agency)
    assert person.identity_document_hash == keyed_hash("identity_document", "pa1234567")
    assert "1234567" not in person.identity_document_hash
    assert (detail.value, detail.normalised) == (
        "…2222",
        keyed_hash("bank_account", "NP9900001111 2222"),
    )
    assert detail_add(agency, "email_domain", "someone@gmail.com") is None
    assert not AgencyDetail.objects.filter(agency=agency, kind="email_domain").exists()


def test_the_queries_do_not_grow_with_the_matches(world):
    def queries_for(agency):
        with CaptureQueriesContext(connection) as captured:
            links = agency_links(agency)
        return len(captured), len(links)

    one = newcomer("One Fair Jobs")
    record_people_and_details(
        one,
        [
            PersonEntry("Ram Bahadur Thapa", "director", 1971),
            PersonEntry("Sita Gurung", "owner", 1980),
        ],
    )
    many = newcomer("Many Fair Jobs", address="12 Durbar Marg, Flat 3, Kathmandu")
    record_people_and_details(
        many,
        [
            PersonEntry("Ram Bahadur Thapa", "director", 1971),
            PersonEntry("Gita Shrestha", "owner", 1985),
        ],
        [("phone", "014411223"), ("bank_account", "NP12 3456 7890 1234")],
    )
    few_queries, few = queries_for(one)
    many_queries, lots = queries_for(many)
    assert (few, lots) == (1, 5)
    assert few_queries == many_queries  # the same people given: the same queries


def newcomer_with_case(world):
    """A newcomer sharing the withdrawn agency's director, with a case submitted."""
    agency = newcomer()
    record_people_and_details(agency, [PersonEntry("THAPPA, Raam Bahdur", "director", 1971)])
    MembershipFactory(agency_member=True, agency=agency, user=world.agency_member)
    world.agency = agency
    return agency, world.case_in("submitted")


def test_the_reviewer_sees_the_matches_on_the_case_page_and_decides(world, client):
    agency, case = newcomer_with_case(world)
    client.force_login(world.reviewer)
    page = client.get(reverse("web:case", args=[case.pk])).content.decode()
    assert 'id="agency-links"' in page
    assert "Strong match" in page and "is like Ram Bahadur Thapa" in page

    answer = client.post(
        reverse("web:agency-link-review", args=[agency.public_id]),
        {
            "case": case.pk,
            "other": str(Agency.objects.get(name="Sagarmatha Overseas").public_id),
            "kind": "person",
            "mine": "THAPPA, Raam Bahdur",
            "theirs": "Ram Bahadur Thapa",
            "decision": "linked",
            "note": "Same man, same address.",
        },
    )
    assert answer.status_code == 302 and answer["Location"] == reverse("web:case", args=[case.pk])
    review = LinkReview.objects.get()
    assert (review.decision, review.decided_by, review.note) == (
        "linked",
        world.reviewer,
        "Same man, same address.",
    )
    page = client.get(reverse("web:case", args=[case.pk])).content.decode()
    assert "Decided: Linked: the same people or business (reviewer" in page


def test_the_agency_never_sees_its_matches(world, client):
    _agency, case = newcomer_with_case(world)
    client.force_login(world.agency_member)
    page = client.get(reverse("web:case", args=[case.pk])).content.decode()
    assert "agency-links" not in page and "Ram Bahadur Thapa" not in page


def test_the_api_gives_reviewers_the_matches_and_takes_their_decisions(world, client):
    agency, _case = newcomer_with_case(world)
    client.force_login(world.reviewer)
    url = reverse("api:agency-links", args=[agency.public_id])
    body = client.get(url).json()
    assert body["agency"] == str(agency.public_id) and body["window_years"] == 5
    [link] = body["links"]
    assert {
        key: link[key] for key in ("kind", "strength", "score", "mine", "theirs", "outcome")
    } == {
        "kind": "person",
        "strength": "strong",
        "score": 95,
        "mine": "THAPPA, Raam Bahdur",
        "theirs": "Ram Bahadur Thapa",
        "outcome": "withdrawn",
    }
    assert link["other"]["name"] == "Sagarmatha Overseas" and link["review"] is None
    reviews = reverse("api:agency-link-reviews", args=[agency.public_id])
    decision = {
        "other": link["other"]["id"],
        "kind": "person",
        "mine": link["mine"],
        "theirs": link["theirs"],
        "decision": "not_the_same",
        "note": "Born in another district.",
    }
    created = client.post(reviews, decision, content_type="application/json")
    assert created.status_code == 201 and created.json()["decision"] == "not_the_same"
    assert client.get(url).json()["links"][0]["review"]["note"] == "Born in another district."
    itself = client.post(
        reviews, {**decision, "other": str(agency.public_id)}, content_type="application/json"
    )
    assert itself.status_code == 400
    client.force_login(world.agency_member)
    assert client.get(url).status_code == 404


def test_a_name_spelt_otherwise_in_another_company_form_is_listed(world):
    agency = newcomer("Sagarmata Overseas Limited")
    record_people_and_details(agency, [PersonEntry("Sita Gurung", "director", 1980)])
    [link] = agency_links(agency)
    assert (link.match.kind, link.match.strength, link.match.theirs) == (
        "organisation",
        "strong",
        "Sagarmatha Overseas",
    )


def test_a_change_of_the_agency_s_own_fields_is_what_the_check_reads(world):
    agency = newcomer(address="44 Lakeside, Pokhara")
    record_people_and_details(agency, [PersonEntry("Sita Gurung", "director", 1980)])
    assert agency_links(agency) == []
    agency.address = "12 Durbar Marg, Flat 3, Kathmandu"
    agency.save()
    agency_details_refresh(agency)
    assert [link.match.kind for link in agency_links(agency)] == ["address"]
    closed = AgencyDetail.objects.get(agency=agency, kind="address", until__isnull=False)
    assert closed.value == "44 Lakeside, Pokhara"


def test_the_same_identity_document_is_listed_whatever_the_name(world):
    RelevantPerson.objects.filter(agency=world.agency, name="Gita Shrestha").update(
        identity_document_hash=document_hash("PA 7654321", "NP")
    )
    agency = newcomer()
    record_people_and_details(
        agency,
        [PersonEntry("G. Sharma", "owner", 1985, "NP", identity_document="pa-7654321")],
    )
    [link] = agency_links(agency)
    assert (link.match.kind, link.match.strength, link.match.theirs) == (
        "identity_document",
        "exact",
        "Gita Shrestha",
    )
    assert link.reason.startswith("G. Sharma has the identity document of Gita Shrestha")


def test_an_applicant_rejected_at_the_door_is_in_the_pool_as_refused(world):
    from recruiters.applying import services as applying
    from tests.api.matrix_world import joining

    rejected = applying.application_submit(joining("first@door.example"))
    applying.application_confirm(applying.link_key(rejected))
    applying.application_reject(actor=world.reviewer, application=rejected, reason="Not fit.")
    agency = newcomer()
    record_people_and_details(agency, [PersonEntry("Asha Rai", "director", 1980)])
    [link] = agency_links(agency)
    assert (link.other, link.match.outcome) == (rejected, "refused")
    assert "(refused " in link.reason


def test_a_shared_number_reads_as_a_number_of_its_kind(world):
    detail_add(world.agency, "tax", "PAN 601234567")
    agency = newcomer()
    record_people_and_details(
        agency, [PersonEntry("Sita Gurung", "director", 1980)], [("tax", "pan-601234567")]
    )
    [link] = agency_links(agency)
    today = long_day(timezone.localdate())
    assert link.reason == (
        f"The tax number pan-601234567 is that of Sagarmatha Overseas (withdrawn {today})"
    )


def test_a_long_address_is_recorded_by_its_beginning(world):
    agency = newcomer(address="Ward 4, " * 60)
    agency_details_refresh(agency)
    detail = AgencyDetail.objects.get(agency=agency, kind="address")
    assert len(detail.value) == 255 and len(detail.normalised) <= 255
