"""The optional screening of the people behind an agency or an application against an
outside list (issue 18, DOMAIN.md §10): off unless SCREENING_PROVIDER names a provider, and
then nothing is imported nor read; a provider is given the current people's names, years of
birth and nationalities, never an identity document; its hits come back with the list's
name; its failure is logged and shown as such, never raised; a path that names nothing is
told at once."""

import logging
from dataclasses import fields
from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string

from certification.selectors.screening import screening_hits
from recruiters.applying import services as applying
from recruiters.links import screening
from recruiters.links.screening import (
    ScreenedPerson,
    ScreeningHit,
    load_provider,
    screening_provider_check,
)
from recruiters.links.services import PersonEntry, document_hash, person_add
from recruiters.models import RelevantPerson
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

PROVIDER = "tests.recruiters.test_screening.FakeList"


class FakeList:
    """A list with one entry, Ram Bahadur Thapa; it keeps what it was given."""

    given: list = []

    def screen(self, people):
        FakeList.given.append(tuple(people))
        return [
            ScreeningHit(
                person=person,
                list_name="Test sanctions list",
                entry="THAPA, Ram Bahadur (1971, Nepal) <director of Himal Ltd.>",
                strength="strong",
                reference="TSL-0042",
            )
            for person in people
            if "Thapa" in person.name
        ]


class BrokenList:
    def screen(self, people):
        raise RuntimeError("the list's service did not answer")


class NoScreen:
    """A class with no screen method."""


class WrongList:
    """Answers about somebody it was not asked about."""

    def screen(self, people):
        stranger = ScreenedPerson("Somebody Else", 1950, "IN")
        return [ScreeningHit(stranger, "Test sanctions list", "ELSE, Somebody", "exact")]


@pytest.fixture(autouse=True)
def _fresh_list():
    FakeList.given = []


@pytest.fixture
def agency():
    """Three people now behind it (one with an identity document), one who left."""
    agency = AgencyFactory(name="Everest Fair Jobs", country="NP")
    person_add(
        agency,
        PersonEntry("Ram Bahadur Thapa", "director", 1971, "NP", identity_document="PA1234567"),
    )
    person_add(agency, PersonEntry("Gita Shrestha", "nominated_officer", 1985, "NP"))
    person_add(agency, PersonEntry("Hari Karki", "owner", until=date(2099, 1, 1)))
    person_add(agency, PersonEntry("Old Owner", "owner", 1950, "IN", until=date(2020, 1, 1)))
    # Somebody else's people are not screened with it.
    person_add(AgencyFactory(), PersonEntry("Not Ours", "director", 1960, "NP"))
    return agency


def test_off_by_default_gives_no_hit_imports_nothing_and_reads_nothing(
    agency, settings, monkeypatch, django_assert_num_queries
):
    assert settings.SCREENING_PROVIDER == ""  # the default: off

    def no_import(path):
        raise AssertionError(f"imported {path}")

    monkeypatch.setattr(screening, "import_string", no_import)

    with django_assert_num_queries(0):
        result = screening_hits(agency)

    assert (result.enabled, result.hits, result.failed) == (False, (), False)
    assert load_provider() is None
    assert screening_provider_check() == []
    assert (
        render_to_string("certification/screening_hits.html", {"screening": result}).strip() == ""
    )


def test_an_empty_setting_is_off(agency, settings):
    settings.SCREENING_PROVIDER = ""

    assert screening_hits(agency).enabled is False


def test_the_provider_is_given_exactly_the_current_people_in_one_query(
    agency, settings, django_assert_num_queries
):
    settings.SCREENING_PROVIDER = PROVIDER

    with django_assert_num_queries(1):
        screening_hits(agency, today=date(2025, 6, 1))

    assert FakeList.given == [
        (
            ScreenedPerson("Ram Bahadur Thapa", 1971, "NP"),
            ScreenedPerson("Gita Shrestha", 1985, "NP"),
            ScreenedPerson("Hari Karki", None, ""),
        )
    ]
    # Names, years and nationalities only: never an identity document, nor its hash.
    assert [field.name for field in fields(ScreenedPerson)] == [
        "name",
        "birth_year",
        "nationality",
    ]
    stored = RelevantPerson.objects.get(name="Ram Bahadur Thapa").identity_document_hash
    assert stored == document_hash("PA1234567", "NP")
    assert stored not in repr(FakeList.given) and "PA1234567" not in repr(FakeList.given)


def test_a_role_that_ended_is_not_screened_any_more(agency, settings):
    settings.SCREENING_PROVIDER = PROVIDER

    screening_hits(agency, today=date(2099, 1, 2))

    assert [person.name for person in FakeList.given[0]] == [
        "Ram Bahadur Thapa",
        "Gita Shrestha",
    ]


def test_hits_come_back_with_their_list_and_read_as_a_sentence(agency, settings):
    settings.SCREENING_PROVIDER = PROVIDER

    result = screening_hits(agency)

    assert (result.enabled, result.failed) == (True, False)
    assert [(hit.person.name, hit.list_name, hit.strength) for hit in result.hits] == [
        ("Ram Bahadur Thapa", "Test sanctions list", "strong")
    ]
    hit = result.hits[0]
    assert hit.strength_words == "Strong match"
    assert hit.reason == (
        "Ram Bahadur Thapa (born 1971, Nepal) is like THAPA, Ram Bahadur (1971, Nepal) "
        "<director of Himal Ltd.> on Test sanctions list (TSL-0042)"
    )
    page = render_to_string("certification/screening_hits.html", {"screening": result})
    assert "<h2>Screening against outside lists</h2>" in page
    assert (
        '<strong class="strength strong">Strong match</strong> — Ram Bahadur Thapa (born 1971, '
        "Nepal) is like THAPA, Ram Bahadur (1971, Nepal) &lt;director of Himal Ltd.&gt; on "
        "Test sanctions list (TSL-0042)"
    ) in page


def test_an_application_s_people_are_screened_too(settings):
    settings.SCREENING_PROVIDER = PROVIDER
    application = applying.application_submit(
        applying.ApplicationEntry(
            kind="agency",
            name="Kanchenjunga Manpower",
            country="NP",
            registration_number="REG-KANCH",
            contact_name="Asha Rai",
            contact_email="asha@kanchenjunga.example",
            password="a long pass phrase of mine",
            size_band="100_499",
            people=(
                PersonEntry("THAPPA, Raam Bahdur", "director", 1971, "NP", identity_document="X99"),
            ),
        )
    )

    result = screening_hits(application)

    assert FakeList.given == [(ScreenedPerson("THAPPA, Raam Bahdur", 1971, "NP"),)]
    assert result.hits == ()  # the fake list is spelt otherwise: its own matching decides


def test_nobody_behind_it_asks_the_provider_nothing(settings):
    settings.SCREENING_PROVIDER = PROVIDER

    result = screening_hits(AgencyFactory())

    assert (result.enabled, result.hits, FakeList.given) == (True, (), [])
    page = render_to_string("certification/screening_hits.html", {"screening": result})
    assert "<p>No hit.</p>" in page


def test_a_provider_that_fails_is_logged_and_the_page_says_so(agency, settings, caplog):
    settings.SCREENING_PROVIDER = "tests.recruiters.test_screening.BrokenList"

    with caplog.at_level(logging.ERROR, logger="recruiters.links.screening"):
        result = screening_hits(agency)

    assert (result.enabled, result.hits, result.failed) == (True, (), True)
    [record] = caplog.records
    assert record.getMessage() == (
        "The screening provider tests.recruiters.test_screening.BrokenList failed."
    )
    assert record.exc_info[0] is RuntimeError
    page = render_to_string("certification/screening_hits.html", {"screening": result})
    assert (
        '<p class="error">The screening could not run. Try again later; the link check is '
        "not affected.</p>"
    ) in page


def test_hits_on_people_it_was_not_given_are_not_shown(agency, settings, caplog):
    settings.SCREENING_PROVIDER = "tests.recruiters.test_screening.WrongList"

    with caplog.at_level(logging.ERROR, logger="recruiters.links.screening"):
        result = screening_hits(agency)

    assert (result.hits, result.failed) == ((), True)
    assert "returned something other than hits" in caplog.records[0].getMessage()


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("tests.recruiters.no_such_module.List", "cannot be imported"),
        ("tests.recruiters.test_screening.NoSuchList", "cannot be imported"),
        ("tests.recruiters.test_screening.PROVIDER", "names str, not a class"),
        ("tests.recruiters.test_screening.NoScreen", "has no screen(people) method"),
    ],
)
def test_a_bad_path_is_told_at_load(agency, settings, path, words):
    settings.SCREENING_PROVIDER = path

    with pytest.raises(ImproperlyConfigured, match=words.replace("(", r"\(").replace(")", r"\)")):
        load_provider()
    with pytest.raises(ImproperlyConfigured):
        screening_hits(agency)  # a misconfiguration is never taken for "no hit"


def test_the_system_check_names_a_path_that_cannot_be_imported(settings):
    settings.SCREENING_PROVIDER = "tests.recruiters.no_such_module.List"

    [error] = screening_provider_check()

    assert error.id == "recruiters.E001"
    assert "SCREENING_PROVIDER = 'tests.recruiters.no_such_module.List' cannot be imported" in (
        error.msg
    )
