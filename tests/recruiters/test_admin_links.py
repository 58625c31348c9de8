"""Who is behind an agency, on its admin page (issue 18): the link check's matches read
only, with their reason, strength and newest decision, and a configured screening's hits;
an identity document's number taken write-only, kept as the same hash as person_add keeps,
never shown back, a blank field keeping the hash stored."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.selectors.links import agency_links
from recruiters.admin import AgencyAdmin
from recruiters.links.screening import ScreeningHit
from recruiters.links.services import (
    PersonEntry,
    document_hash,
    link_review_record,
    person_add,
    record_people_and_details,
)
from recruiters.models import RelevantPerson
from tests.certification.world import World
from tests.dates import long_day
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


class OneEntryList:
    """An outside list whose one entry is Gita Shrestha."""

    def screen(self, people):
        return [
            ScreeningHit(person, "Test PEP list", "SHRESTHA, Gita", "possible")
            for person in people
            if person.name == "Gita Shrestha"
        ]


@pytest.fixture(autouse=True)
def link_check_plugged_in(monkeypatch):
    """The link check plugged into the agency's admin page, as certification/admin.py
    does (recruiters, the lower layer, imports nothing of certification)."""
    monkeypatch.setattr(AgencyAdmin, "links_of", staticmethod(agency_links))


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(username="admin", admin=True))
    return client


@pytest.fixture
def world():
    """Sagarmatha Overseas, withdrawn today, with its director."""
    world = World()
    world.agency.name = "Sagarmatha Overseas"
    world.agency.legal_name = "Sagarmatha Overseas Pvt. Ltd."
    world.agency.save()
    record_people_and_details(
        world.agency,
        [PersonEntry("Ram Bahadur Thapa", "director", 1971, "NP", since=date(2019, 1, 1))],
    )
    world.withdrawn = world.case_in("withdrawn")
    return world


def newcomer(*people):
    agency = AgencyFactory(
        name="Everest Fair Jobs", legal_name="Everest Fair Jobs Pvt. Ltd.", country="NP"
    )
    record_people_and_details(agency, people)
    return agency


def change_page(client, agency):
    return client.get(reverse("admin:recruiters_agency_change", args=[agency.pk]))


def form_data(response) -> dict:
    """The change form as the browser would send it back unchanged."""
    data = {}

    def put(form, name):
        value = form[name].value()
        key = form.add_prefix(name)
        if value is None or value is False:
            return
        if value is True:
            data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [str(getattr(item, "pk", item)) for item in value]
        else:
            data[key] = str(getattr(value, "pk", value))

    form = response.context["adminform"].form
    for name in form.fields:
        put(form, name)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            put(formset.management_form, name)
        for each in formset.forms:
            for name in each.fields:
                put(each, name)
    return data


def save(client, agency, **changes):
    response = change_page(client, agency)
    data = {**form_data(response), **changes}
    return client.post(reverse("admin:recruiters_agency_change", args=[agency.pk]), data)


# --- The matches ---------------------------------------------------------------------------


def test_a_director_shared_with_a_withdrawn_agency_is_shown_with_the_reason(world, staff_client):
    agency = newcomer(PersonEntry("THAPPA, Raam Bahdur", "director", 1971, "NP"))

    page = change_page(staff_client, agency).content.decode()

    today = long_day(timezone.localdate())
    assert (
        '<ul class="link-check"><li><strong>Strong match</strong> — THAPPA, Raam Bahdur is '
        "like Ram Bahadur Thapa (Director, born 1971, Nepal, 1 January 2019 to now) of Sagarmatha "
        f"Overseas (withdrawn {today}): strong match, 95 out of 100</li></ul>"
    ) in page
    assert 'class="fieldset-heading">Link check</h2>' in page


def test_the_newest_decision_is_shown_beside_its_match(world, staff_client):
    agency = newcomer(PersonEntry("THAPPA, Raam Bahdur", "director", 1971, "NP"))
    [link] = agency_links(agency)
    for decision, note in (("not_the_same", ""), ("linked", "Same man, <same> address.")):
        link_review_record(
            actor=world.reviewer,
            subject=agency,
            other=link.other,
            kind=link.match.kind,
            mine=link.match.mine,
            theirs=link.match.theirs,
            decision=decision,
            note=note,
        )

    page = change_page(staff_client, agency).content.decode()

    today = long_day(timezone.localdate())
    assert (
        "95 out of 100. Decided: Linked: the same people or business (reviewer, "
        f"{today}): Same man, &lt;same&gt; address.</li>"
    ) in page
    assert "Decided: Not the same" not in page


def test_an_agency_with_no_match_says_so(world, staff_client):
    agency = newcomer(PersonEntry("Sita Gurung", "director", 1980, "NP"))

    page = change_page(staff_client, agency).content.decode()

    assert '<div class="readonly"><p>No match.</p></div>' in page
    assert "Screening against outside lists" not in page  # off by default


def test_the_add_page_has_no_link_check(staff_client):
    page = staff_client.get(reverse("admin:recruiters_agency_add")).content.decode()

    assert "Link check" not in page


def test_without_the_link_check_plugged_in_the_block_says_so(monkeypatch, staff_client):
    monkeypatch.setattr(AgencyAdmin, "links_of", None)

    page = change_page(staff_client, newcomer()).content.decode()

    assert "<p>The link check is not connected to this page.</p>" in page


def test_screening_hits_are_shown_beside_the_matches_when_a_provider_is_on(
    world, staff_client, settings
):
    settings.SCREENING_PROVIDER = "tests.recruiters.test_admin_links.OneEntryList"
    agency = newcomer(PersonEntry("Gita Shrestha", "nominated_officer", 1985, "NP"))

    page = change_page(staff_client, agency).content.decode()

    assert (
        "<p>No match.</p><h3>Screening against outside lists</h3><ul><li><strong>Possible "
        "match</strong> — Gita Shrestha (born 1985, Nepal) is like SHRESTHA, Gita on Test PEP "
        "list</li></ul>"
    ) in page


def test_a_screening_that_fails_does_not_break_the_page(world, staff_client, settings):
    settings.SCREENING_PROVIDER = "tests.recruiters.test_screening.BrokenList"
    agency = newcomer(PersonEntry("Gita Shrestha", "nominated_officer", 1985, "NP"))

    response = change_page(staff_client, agency)

    assert response.status_code == 200
    assert (
        '<p class="errornote">The screening could not run. Try again later; the link check '
        "is not affected.</p>"
    ) in response.content.decode()


# --- Identity documents --------------------------------------------------------------------


@pytest.fixture
def director():
    agency = AgencyFactory(name="Everest Fair Jobs", country="NP")
    return person_add(agency, PersonEntry("Ram Bahadur Thapa", "director", 1971, "NP"))


def test_a_number_given_in_the_admin_is_kept_as_person_add_keeps_it(director, staff_client):
    response = save(staff_client, director.agency, **{"people-0-identity_document": "PA 1234567"})

    assert response.status_code == 302, response.context and response.context["errors"]
    director.refresh_from_db()
    assert director.identity_document_hash == document_hash("PA 1234567", "NP")
    assert director.identity_document_hash == (
        person_add(
            AgencyFactory(),
            PersonEntry("Other", "director", nationality="NP", identity_document="PA 1234567"),
        ).identity_document_hash
    )
    page = change_page(staff_client, director.agency).content.decode()
    assert "1234567" not in page and director.identity_document_hash not in page
    assert 'placeholder="A number is kept"' in page


def test_a_blank_field_keeps_the_hash_stored(director, staff_client):
    save(staff_client, director.agency, **{"people-0-identity_document": "PA 1234567"})

    response = save(staff_client, director.agency, **{"people-0-birth_year": "1972"})

    assert response.status_code == 302
    director.refresh_from_db()
    assert director.birth_year == 1972
    assert director.identity_document_hash == document_hash("PA 1234567", "NP")


def test_a_number_with_a_new_name_refreshes_the_keys(director, staff_client):
    response = save(
        staff_client,
        director.agency,
        **{"people-0-name": "Gita Shrestha", "people-0-identity_document": "B-778899"},
    )

    assert response.status_code == 302
    director.refresh_from_db()
    assert director.identity_document_hash == document_hash("B-778899", "NP")
    assert sorted(director.keys.values_list("key", "birth_year")) == [
        ("gt", 1971),
        ("srst", 1971),
    ]


def test_a_person_added_in_the_admin_with_a_number(staff_client):
    agency = AgencyFactory(country="NP")
    response = change_page(staff_client, agency)
    data = {
        **form_data(response),
        "people-TOTAL_FORMS": "1",
        "people-0-name": "Hari Karki",
        "people-0-role": "owner",
        "people-0-nationality": "IN",
        "people-0-identity_document": "Z 5551234",
    }

    assert staff_client.post(response.request["PATH_INFO"], data).status_code == 302

    person = RelevantPerson.objects.get(agency=agency)
    assert person.identity_document_hash == document_hash("Z 5551234", "IN")
    assert person.keys.exists()


def test_a_number_is_not_echoed_when_the_page_comes_back_with_an_error(director, staff_client):
    response = save(
        staff_client,
        director.agency,
        **{"people-0-identity_document": "PA 1234567", "people-0-birth_year": "1850"},
    )

    assert response.status_code == 200
    assert "1234567" not in response.content.decode()
    director.refresh_from_db()
    assert director.identity_document_hash == ""


def test_a_number_with_nothing_to_compare_is_refused(director, staff_client):
    response = save(staff_client, director.agency, **{"people-0-identity_document": "--- /"})

    assert response.status_code == 200
    assert "An identity document&#x27;s number has letters or digits." in (
        response.content.decode()
    )


def test_a_new_nationality_needs_the_number_again(director, staff_client):
    save(staff_client, director.agency, **{"people-0-identity_document": "PA 1234567"})

    refused = save(staff_client, director.agency, **{"people-0-nationality": "IN"})
    accepted = save(
        staff_client,
        director.agency,
        **{"people-0-nationality": "IN", "people-0-identity_document": "PA 1234567"},
    )

    assert refused.status_code == 200
    assert "Type the identity-document number again to change the nationality." in (
        refused.content.decode()
    )
    assert accepted.status_code == 302
    director.refresh_from_db()
    assert director.identity_document_hash == document_hash("PA 1234567", "IN")
