"""The link check's engine (recruiters/links/engine.py), pure: who and what an applicant
shares with a withdrawn agency, through transliterations, spellings, formats and word
orders; and what it must not link (issue 18 §3)."""

import json
import subprocess
import sys
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recruiters.links.engine import (
    EXACT,
    POSSIBLE,
    STRONG,
    Party,
    Person,
    check,
    name_score,
    organisation_name,
    person_keys,
    person_name,
    phone,
    reason,
)
from tests.conftest import PROJECT_DIR

pytestmark = pytest.mark.outside_the_database

WITHDRAWN_ON = date(2025, 3, 4)
SAGARMATHA = Party(
    ref="agency:17",
    name="Sagarmatha Overseas Pvt. Ltd.",
    country="NP",
    people=(
        Person("Ram Bahadur Thapa", 1971, "NP", "director", date(2019, 1, 1), WITHDRAWN_ON),
        Person("Gita Shrestha", 1985, "NP", "nominated officer"),
    ),
    identifiers=(("registration", "REG/2019-0456"), ("tax", "PAN 601234567")),
    addresses=("Flat 3, 12 Durbar Marg, Kathmandu",),
    phones=("+977 1-4411223",),
    email_domains=("info@sagarmatha-overseas.com.np",),
    bank_accounts=("sha256:ab12",),
    outcome="withdrawn",
    outcome_on=WITHDRAWN_ON,
)


def applicant(**fields) -> Party:
    base = {"ref": "application:1", "name": "Everest Fair Jobs", "country": "NP"}
    return Party(**{**base, **fields})


def kinds(matches) -> list[tuple[str, str]]:
    return [(match.kind, match.strength) for match in matches]


def test_a_director_spelt_otherwise_is_listed_with_the_reason():
    found = check(
        applicant(people=(Person("THAPPA, Raam Bahdur", 1971, "NP", "director"),)), [SAGARMATHA]
    )

    assert kinds(found) == [("person", STRONG)]
    assert reason(found[0]) == (
        "THAPPA, Raam Bahdur is like Ram Bahadur Thapa (director, born 1971, NP, "
        "2019-01-01 to 2025-03-04) of Sagarmatha Overseas Pvt. Ltd. (withdrawn 2025-03-04): "
        "strong, 95"
    )


@pytest.mark.parametrize(
    "written",
    [
        "राम बहादुर थापा",  # Devanagari
        "Thapa Ram Bahadur",  # family name first
        "Mr. Ram Bahadur THAPA",
        "Rām Bahādur Thāpā",  # with diacritics
    ],
)
def test_one_name_in_other_scripts_orders_and_titles_is_the_same_person(written):
    found = check(applicant(people=(Person(written, 1971),)), [SAGARMATHA])
    assert [match.theirs for match in found] == ["Ram Bahadur Thapa"]
    assert person_keys(written) == person_keys("Ram Bahadur Thapa") == {"rm", "bdr", "tp"}


def test_an_arabic_name_and_its_latin_spellings_share_their_keys():
    assert person_keys("محمد علي") == person_keys("Mohammed Ali") == person_keys("Muhammad Aly")
    assert name_score(person_name("Mohammed Ali"), person_name("محمد علي")) >= 90


def test_birth_years_and_nationalities_weaken_or_rule_out_a_name_match():
    def strength(person):
        return kinds(check(applicant(people=(person,)), [SAGARMATHA]))

    assert strength(Person("Ram Bahadur Thapa", 1971, "NP")) == [("person", STRONG)]
    assert strength(Person("Ram Bahadur Thapa", None)) == [("person", STRONG)]
    assert strength(Person("Ram Bahadur Thapa", 1972)) == [("person", POSSIBLE)]
    assert strength(Person("Ram Bahadur Thapa", 1990)) == []  # another Ram Bahadur Thapa
    assert strength(Person("Ram Bahadur Thapa", 1971, "IN")) == [("person", POSSIBLE)]
    assert strength(Person("Ram Bahadur Karki", 1971)) == []


@pytest.mark.parametrize(
    ("field", "mine", "kind"),
    [
        ("phones", ("01 4411223",), "phone"),
        ("phones", ("+977-1-441-1223",), "phone"),
        ("addresses", ("12 Durbar Rd, Flat 3 Kathmandu",), "address"),
        ("email_domains", ("jobs@Sagarmatha-Overseas.com.np",), "email_domain"),
        ("bank_accounts", ("sha256:ab12",), "bank_account"),
        ("identifiers", (("registration", "reg 2019 0456"),), "identifier"),
        ("identifiers", (("tax", "pan-601234567"),), "identifier"),
    ],
)
def test_shared_lines_addresses_domains_accounts_and_numbers_match_exactly(field, mine, kind):
    found = check(applicant(**{field: mine}), [SAGARMATHA])
    assert kinds(found) == [(kind, EXACT)]
    assert found[0].other == "agency:17" and found[0].outcome == "withdrawn"


def test_a_company_renamed_only_in_its_form_is_the_same_organisation():
    found = check(applicant(name="SAGARMATHA OVERSEAS LIMITED"), [SAGARMATHA])
    assert kinds(found) == [("organisation", EXACT)]
    assert organisation_name("Sagarmatha Overseas Pvt. Ltd.") == "overseas sagarmatha"


def test_an_applicant_that_shares_nothing_is_not_listed():
    unrelated = applicant(
        name="Himalaya Fair Jobs",
        people=(Person("Sita Gurung", 1980, "NP", "director"),),
        identifiers=(("registration", "REG/2024-0001"), ("tax", "PAN 609999999")),
        addresses=("44 Lakeside, Pokhara",),
        phones=("+977 61-465000",),
        email_domains=("sita@gmail.com", "info@himalaya-fair.org"),
        bank_accounts=("sha256:ff00",),
    )
    assert check(unrelated, [SAGARMATHA]) == []


def test_a_webmail_domain_links_nobody_and_the_same_numbers_of_another_kind_do_not_match():
    shared_webmail = Party(ref="agency:2", name="Other", email_domains=("a@gmail.com",))
    assert check(applicant(email_domains=("b@gmail.com",)), [shared_webmail]) == []
    assert check(applicant(identifiers=(("licence", "REG/2019-0456"),)), [SAGARMATHA]) == []


def test_a_party_is_never_linked_to_itself_and_matches_come_strongest_first():
    both = applicant(
        ref="agency:17",
        people=(Person("Ram Bahadur Thapa", 1971),),
    )
    assert check(both, [SAGARMATHA]) == []
    found = check(
        applicant(people=(Person("Ram Bahadur Thapa", 1972),), phones=("014411223",)),
        [SAGARMATHA],
    )
    assert kinds(found) == [("phone", EXACT), ("person", POSSIBLE)]


names = st.lists(
    st.sampled_from(["ram", "bahadur", "thapa", "sita", "gurung", "mohammed", "ali", "nguyen"]),
    min_size=1,
    max_size=4,
)


@given(names, st.randoms())
def test_word_order_and_case_never_change_a_name_or_its_keys(parts, random):
    shuffled = list(parts)
    random.shuffle(shuffled)
    first, second = " ".join(parts), " ".join(shuffled).upper()
    assert person_name(first) == person_name(second)
    assert person_keys(first) == person_keys(second)
    assert name_score(person_name(first), person_name(second)) == 100


@given(st.text(max_size=40), st.text(max_size=40))
def test_name_scores_are_symmetric_and_bounded(first, second):
    one, other = person_name(first), person_name(second)
    assert name_score(one, other) == name_score(other, one)
    assert 0 <= name_score(one, other) <= 100


@given(st.text(max_size=30))
def test_any_text_normalises_without_error(text):
    person_keys(text), organisation_name(text), phone(text)
    check(applicant(people=(Person(text),), phones=(text,), addresses=(text,)), [SAGARMATHA])


def test_the_engine_imports_no_django():
    probe = (
        "import json, sys, recruiters.links.engine; "
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('django', 'rest_framework'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=PROJECT_DIR,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT_DIR)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


def test_skeletons_alone_make_a_possible_match_at_most():
    khan = Party(
        ref="agency:3", name="X", people=(Person("Leila Khan", 1980),), outcome="withdrawn"
    )
    found = check(applicant(people=(Person("Ali Khan", 1980),)), [khan])
    assert kinds(found) in ([], [("person", POSSIBLE)])


def test_one_identity_document_links_two_names():
    theirs = Party(
        ref="agency:4",
        name="Y",
        people=(Person("Gita Shrestha", document="h1"),),
        outcome="refused",
    )
    found = check(applicant(people=(Person("G. Sharma", document="h1"),)), [theirs])
    assert kinds(found) == [("identity_document", EXACT)]
