"""Link-check benchmark (`make bench`): figures, never assertions.

The engine (recruiters/links/engine.py) against 100,000 agencies with 300,000 people
(BENCH_LINK_AGENCIES to change), names drawn from syllables of South Asian, South-East
Asian and Arabic names, each agency with a registration number, a phone, an address and
an e-mail domain. The candidates of an application are found as a store finds them: by
the blocking keys of its people's names (a person shares at least two keys, or one for a
one-word name, and was born within a year) and by its normalised numbers, phone, address and domain, from dictionaries
built once (what a database's indexed key table answers). Then every candidate is scored.

Prints the time to build the keys, and the median and 95th percentile of checking one
application (half of them sharing a transliterated director with a withdrawn agency) over
200 applications; then the same through the store on PostgreSQL (BENCH_LINK_DATABASE=0
to skip), checking 50 agencies.
"""

import os
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_DIR))

from recruiters.links import engine  # noqa: E402

GIVEN = [
    "ram",
    "sita",
    "gita",
    "hari",
    "krishna",
    "bahadur",
    "kumar",
    "maya",
    "binod",
    "sunil",
    "anil",
    "rajesh",
    "suresh",
    "ramesh",
    "dinesh",
    "mahesh",
    "ganesh",
    "prakash",
    "deepak",
    "santosh",
    "bikash",
    "sanjay",
    "ajay",
    "vijay",
    "arjun",
    "nabin",
    "sabin",
    "roshan",
    "rohan",
    "anjali",
    "pooja",
    "sunita",
    "kamala",
    "laxmi",
    "saraswati",
    "nguyen",
    "van",
    "thi",
    "minh",
    "anh",
    "hung",
    "lan",
    "mai",
    "tuan",
    "dung",
    "hoa",
    "mohammed",
    "ahmed",
    "ali",
    "hassan",
    "hussein",
    "omar",
    "fatima",
    "aisha",
    "khalid",
    "yusuf",
    "ibrahim",
    "abdul",
    "rahman",
    "karim",
    "jose",
    "maria",
    "juan",
    "ana",
    "rosa",
    "mark",
    "john",
    "paul",
    "grace",
    "joy",
]
FAMILY = [
    "thapa",
    "shrestha",
    "gurung",
    "tamang",
    "rai",
    "limbu",
    "magar",
    "karki",
    "khadka",
    "bhandari",
    "adhikari",
    "poudel",
    "sharma",
    "joshi",
    "basnet",
    "khatri",
    "bista",
    "pandey",
    "regmi",
    "ghimire",
    "nguyen",
    "tran",
    "le",
    "pham",
    "hoang",
    "phan",
    "vu",
    "dang",
    "bui",
    "do",
    "ho",
    "khan",
    "hussain",
    "rahman",
    "chowdhury",
    "islam",
    "ahmed",
    "malik",
    "qureshi",
    "santos",
    "reyes",
    "cruz",
    "bautista",
    "garcia",
    "mendoza",
    "dela",
    "torre",
    "perera",
    "silva",
    "fernando",
]
PLACES = [
    "kathmandu",
    "pokhara",
    "lalitpur",
    "biratnagar",
    "dhaka",
    "manila",
    "hanoi",
    "colombo",
    "lahore",
]


def person(rng: random.Random) -> engine.Person:
    name = f"{rng.choice(GIVEN)} {rng.choice(GIVEN)} {rng.choice(FAMILY)}"
    return engine.Person(name, rng.randint(1950, 2000), "NP", "director")


def agency(index: int, rng: random.Random) -> engine.Party:
    return engine.Party(
        ref=f"agency:{index}",
        name=f"{rng.choice(FAMILY).title()} {rng.choice(PLACES).title()} Overseas {index}",
        country="NP",
        people=tuple(person(rng) for _ in range(3)),
        identifiers=(("registration", f"REG-{index:07d}"),),
        addresses=(f"{rng.randint(1, 999)} {rng.choice(FAMILY)} road {rng.choice(PLACES)}",),
        phones=(f"+977 1 {index:08d}",),
        email_domains=(f"info@agency{index}.com.np",),
        outcome="withdrawn" if index % 20 == 0 else "certified",
    )


class Keys:
    """The dictionaries a store's indexed tables stand for."""

    def __init__(self, parties):
        self.parties = parties
        self.names = defaultdict(list)
        self.exact = defaultdict(list)
        for position, party in enumerate(parties):
            for someone in party.people:
                for key in engine.person_keys(someone.name):
                    self.names[key].append((position, someone.birth_year))
            for kind, value in party.identifiers:
                self.exact["id:" + kind + engine.identifier(value)].append(position)
            for value in party.phones:
                self.exact["phone:" + engine.phone(value)].append(position)
            for value in party.addresses:
                self.exact["address:" + engine.address(value)].append(position)

    def candidates(self, applicant: engine.Party) -> list[engine.Party]:
        found = set()
        for someone in applicant.people:
            keys = engine.person_keys(someone.name)
            needed = min(2, len(keys))
            shared = defaultdict(int)
            year = someone.birth_year
            for key in keys:
                for position, born in self.names.get(key, ()):
                    # Born more than a year apart: not the same person (the engine's rule),
                    # so not worth scoring; a store indexes (key, birth year) alike.
                    if year is None or born is None or abs(born - year) <= 1:
                        shared[position] += 1
            found.update(position for position, count in shared.items() if count >= needed)
        for kind, value in applicant.identifiers:
            found.update(self.exact.get("id:" + kind + engine.identifier(value), ()))
        for value in applicant.phones:
            found.update(self.exact.get("phone:" + engine.phone(value), ()))
        for value in applicant.addresses:
            found.update(self.exact.get("address:" + engine.address(value), ()))
        return [self.parties[position] for position in found]


def main() -> None:
    count = int(os.environ.get("BENCH_LINK_AGENCIES", "100000"))
    rng = random.Random(17)
    parties = [agency(index, rng) for index in range(count)]
    people = sum(len(party.people) for party in parties)
    start = time.perf_counter()
    keys = Keys(parties)
    built = time.perf_counter() - start

    withdrawn = [party for party in parties if party.outcome == "withdrawn"]
    timings, candidates, matched = [], [], 0
    for number in range(200):
        people_of_application = [person(rng), person(rng)]
        if number % 2 == 0:  # a director of a withdrawn agency, spelt otherwise
            theirs = rng.choice(withdrawn).people[0]
            spelt = theirs.name.replace("a", "aa", 1).upper()
            people_of_application[0] = engine.Person(spelt, theirs.birth_year, "NP")
        application = engine.Party(
            ref=f"application:{number}",
            name=f"Application {number}",
            country="NP",
            people=tuple(people_of_application),
            phones=(f"+977 98{number:08d}",),
            addresses=(f"{number} new road kathmandu",),
        )
        start = time.perf_counter()
        found = keys.candidates(application)
        matches = engine.check(application, found)
        timings.append(time.perf_counter() - start)
        candidates.append(len(found))
        matched += any(
            m.kind == "person" and m.outcome == "withdrawn" and m.strength != engine.POSSIBLE
            for m in matches
        )

    timings.sort()
    print("Link-check benchmark (engine, keys in memory)")
    print(f"  agencies, people               : {count:,}, {people:,}")
    print(f"  building the keys              : {built:8.2f} s")
    print(
        f"  checking one application       : median {statistics.median(timings) * 1000:7.1f} ms, "
        f"p95 {timings[int(len(timings) * 0.95)] * 1000:7.1f} ms   (goal < 1 s)"
    )
    print(
        f"  candidates scored per check    : median {statistics.median(candidates):,.0f}, "
        f"max {max(candidates):,}"
    )
    print(
        f"  strong matches with a withdrawn agency: {matched} of 200 applications "
        "(100 planted; the others by chance: common names born the same year)"
    )

    if os.environ.get("BENCH_LINK_DATABASE", "1") != "0":
        database(count, rng)


BASE = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DATABASE = "fairrecruit_bench_links"


def database(count: int, rng: random.Random) -> None:
    """The same check through the store (certification/selectors/links.agency_links) on
    PostgreSQL: agencies, people with their name keys, phones and addresses written in
    bulk, 5% of the agencies withdrawn (a case and its event each)."""
    import psycopg

    try:
        with psycopg.connect(f"{BASE}/postgres", autocommit=True, connect_timeout=3) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
            admin.execute(f"CREATE DATABASE {DATABASE}")
    except psycopg.OperationalError:
        print("  (the store's figure skipped: PostgreSQL does not answer)")
        return
    os.environ["DATABASE_URL"] = f"{BASE}/{DATABASE}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.benchmarks.bench_settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from certification.models import CaseState, CertificationCase, TransitionEvent
    from certification.selectors.links import agency_links
    from recruiters.links.services import PersonEntry, record_people_and_details
    from recruiters.models import Agency, AgencyDetail, PersonKey, RelevantPerson, SizeBand
    from tests.certification.world import load_mini_standard

    call_command("migrate", verbosity=0)
    standard = load_mini_standard()
    start = time.perf_counter()
    batch = 10_000
    for first in range(0, count, batch):
        agencies = Agency.objects.bulk_create(
            Agency(
                name=f"{rng.choice(FAMILY).title()} {rng.choice(PLACES).title()} {index}",
                name_key=f"agency {index}",
                legal_name=f"Agency {index} Pvt. Ltd.",
                country="NP",
                registration_number=f"REG-{index:07d}",
                address=f"{rng.randint(1, 999)} {rng.choice(FAMILY)} road {rng.choice(PLACES)}",
                size_band=SizeBand.FROM_100,
            )
            for index in range(first, min(first + batch, count))
        )
        people = RelevantPerson.objects.bulk_create(
            RelevantPerson(agency=agency, **vars_of(person(rng)))
            for agency in agencies
            for _ in range(3)
        )
        PersonKey.objects.bulk_create(
            (
                PersonKey(person=someone, key=key, birth_year=someone.birth_year)
                for someone in people
                for key in engine.person_keys(someone.name)
            ),
            batch_size=5000,
        )
        AgencyDetail.objects.bulk_create(
            AgencyDetail(
                agency=agency,
                kind=kind,
                value=value,
                normalised=normal(value),
            )
            for agency in agencies
            for kind, value, normal in (
                ("name", agency.name, engine.organisation_key),
                ("name", agency.legal_name, engine.organisation_key),
                ("phone", f"+977 1 {agency.pk:08d}", engine.phone),
                ("registration", agency.registration_number, engine.identifier),
                ("address", agency.address, engine.address),
            )
        )
        withdrawn = [agency for agency in agencies if agency.pk % 20 == 0]
        cases = CertificationCase.objects.bulk_create(
            CertificationCase(agency=agency, standard=standard, state=CaseState.WITHDRAWN)
            for agency in withdrawn
        )
        TransitionEvent.objects.bulk_create(
            TransitionEvent(
                case=case,
                transition="withdraw",
                source="certified",
                target="withdrawn",
                created_at=timezone.now(),
            )
            for case in cases
        )
    seeded = time.perf_counter() - start
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    people_count = RelevantPerson.objects.count()
    withdrawn_ids = list(
        CertificationCase.objects.values_list("agency_id", flat=True).order_by("?")[:100]
    )
    timings, found = [], 0
    for number in range(50):
        applicant = Agency.objects.create(
            name=f"Applicant {number}",
            legal_name=f"Applicant {number} Ltd",
            country="NP",
            registration_number=f"APP-{number}",
            address=f"{number} new road kathmandu",
            size_band=SizeBand.FROM_100,
        )
        entries = [PersonEntry(**vars_of(person(rng), entry=True)) for _ in range(2)]
        if number % 2 == 0:
            theirs = RelevantPerson.objects.filter(agency_id=withdrawn_ids[number]).first()
            entries[0] = PersonEntry(
                theirs.name.replace("a", "aa", 1).upper(), "director", theirs.birth_year, "NP"
            )
        record_people_and_details(applicant, entries, [("phone", f"+977 98{number:08d}")])
        start = time.perf_counter()
        links = agency_links(applicant)
        timings.append(time.perf_counter() - start)
        found += any(link.match.kind == "person" for link in links)
    timings.sort()
    print("Link-check benchmark (the store, PostgreSQL)")
    print(
        f"  agencies, people               : {count:,}, {people_count:,} ({seeded:.0f} s to seed)"
    )
    print(
        f"  checking one agency            : median {statistics.median(timings) * 1000:7.1f} ms, "
        f"p95 {timings[int(len(timings) * 0.95)] * 1000:7.1f} ms   (goal < 1 s)"
    )
    print(f"  person matches found           : {found} of 50 agencies (25 planted)")


def vars_of(someone: engine.Person, entry: bool = False) -> dict:
    fields = {"name": someone.name, "birth_year": someone.birth_year, "role": "director"}
    if not entry:
        fields["nationality"] = "NP"
    return fields


if __name__ == "__main__":
    main()
