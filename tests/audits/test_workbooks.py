"""The self-assessment workbook: exported, filled offline, imported back, every problem
named with its place, nothing kept unless all is valid, no formula ever run."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from audits.models import Answer
from audits.workbooks import WorkbookError, export_workbook, import_workbook
from certification import services
from tests.certification.world import COMPLIANT, World, load_mini_standard

pytestmark = pytest.mark.django_db


@pytest.fixture
def standard():
    return load_mini_standard()


def filled(standard, answers=None, costs=(), edit=None) -> bytes:
    """A workbook as an agency sends it back: answers typed into column E."""
    workbook = load_workbook(io.BytesIO(export_workbook(standard=standard)))
    answers = answers if answers is not None else {**COMPLIANT, "C1.1-01": "declared"}
    for name in ("A", "C1", "C2"):
        sheet = workbook[name]
        for row in range(2, sheet.max_row + 1):
            code = sheet[f"A{row}"].value
            if code in answers:
                value = answers[code]
                sheet[f"E{row}"].value = "declared" if isinstance(value, list) else value
    for row, item in enumerate(costs, start=2):
        for column, value in zip("ABCDE", item, strict=True):
            workbook["Worker costs"][f"{column}{row}"].value = value
    if edit:
        edit(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def errors_of(data: bytes, standard) -> list[str]:
    with pytest.raises(WorkbookError) as caught:
        import_workbook(data=data, standard=standard)
    return caught.value.errors


def test_the_export_has_instructions_a_sheet_per_principle_drop_downs_and_hidden_codes(standard):
    workbook = load_workbook(io.BytesIO(export_workbook(standard=standard)))

    assert workbook.sheetnames == ["Instructions", "Lists", "A", "C1", "C2", "Worker costs"]
    assert (workbook.properties.identifier, workbook.properties.version) == ("mini", "1.0")
    principle = workbook["C1"]
    assert principle.column_dimensions["A"].hidden and principle.protection.sheet
    assert [principle[f"A{row}"].value for row in range(2, 6)] == [
        "C1.1-01",
        "C1.1-02",
        "C1.1-03",
        "C1.1-04",
    ]
    assert not principle["E2"].protection.locked
    lists = {
        next(iter(v.sqref.ranges)).coord: v.formula1
        for v in principle.data_validations.dataValidation
    }
    words = workbook["Lists"]
    column = lists["E3"].split("!")[1].split(":")[0].replace("$", "")[0]  # 'Lists'!$G$1:$G$2
    assert [words[f"{column}{row}"].value for row in (1, 2)] == ["None", "Some"]
    declared = lists["E2"].split("!")[1].split(":")[0].replace("$", "")[0]
    assert words[f"{declared}1"].value == "Listed on the Worker costs sheet"
    assert [workbook["Worker costs"][f"{c}1"].value for c in "ABCDE"] == [
        "Category",
        "Amount",
        "Currency",
        "Borne by",
        "How",
    ]
    assert "Instructions" in workbook.sheetnames and "Répondez" in " ".join(
        str(c.value) for c in workbook["Instructions"]["A"]
    )


def test_a_filled_workbook_gives_the_answers_back(standard):
    costs = [("medical", 50, "USD", "worker", "deducted_from_wages")]

    answers = import_workbook(data=filled(standard, costs=costs), standard=standard)

    assert answers["A1-01"] == "yes" and answers["C1.1-03"] == Decimal(100)
    assert answers["C1.1-01"] == [
        {
            "category": "medical",
            "amount": 50,
            "currency": "USD",
            "borne_by": "worker",
            "route": "deducted_from_wages",
        }
    ]


def test_an_export_with_answers_imports_to_the_same_answers(standard):
    world = World()
    case = world.open()
    fee = {
        "category": "medical",
        "amount": "12.5",
        "currency": "USD",
        "borne_by": "worker",
        "route": "paid",
    }
    stored = services.self_assessment_save_answers(
        actor=world.agency_member, case=case, answers={**COMPLIANT, "C1.1-01": [fee]}
    )

    again = import_workbook(
        data=export_workbook(standard=world.standard, answers=stored), standard=world.standard
    )

    assert again["C1.1-01"][0]["amount"] == Decimal("12.5")
    assert {k: v for k, v in again.items() if k != "C1.1-01"} == {
        k: v for k, v in stored.items() if k != "C1.1-01"
    }


def test_every_problem_is_named_with_its_place_and_nothing_is_kept(standard):
    costs = [("medical", 50, "USD", "worker", "paid"), ("visa", 10, "USS", "worker", "paid")]
    data = filled(
        standard,
        answers={
            **COMPLIANT,
            "A1-01": "maybe",
            "C1.1-02": "often",
            "C1.1-03": "lots",
            "C1.1-01": "declared",
        },
        costs=costs,
    )

    assert errors_of(data, standard) == [
        "A!E2: answer must be one of “Yes”, “No”",
        "C1!E3: answer must be one of “None”, “Some”",
        "C1!E4: answer must be a number",
        "Worker costs!A3: unknown category 'visa' (one of recruitment fee, medical examinations, insurance, skills and qualification tests, "
        "training and orientation, equipment, travel and lodging, administrative costs (passports, "
        "visas, permits), illegitimate costs (bribes, kickbacks))",
        "Worker costs!C3: unknown currency 'USS'",
    ]


def test_text_that_looks_like_a_formula_stays_text(standard):
    data = filled(
        standard,
        answers={**COMPLIANT, "C1.1-04": '=HYPERLINK("http://x","click")', "C1.1-01": "declared"},
    )

    answers = import_workbook(data=data, standard=standard)
    written = load_workbook(io.BytesIO(export_workbook(standard=standard, answers=answers)))["C1"]

    assert answers["C1.1-04"] == '=HYPERLINK("http://x","click")'
    assert written["E5"].data_type == "s" and written["E5"].quotePrefix


def test_a_workbook_of_another_version_is_refused(standard):
    def other_version(workbook):
        workbook.properties.version = "0.9"

    assert errors_of(filled(standard, edit=other_version), standard) == [
        "file: this workbook is for mini 0.9; the case is assessed against mini 1.0"
    ]


def test_a_file_that_is_not_a_workbook_is_refused(standard):
    assert errors_of(b"%PDF-1.7 not a workbook", standard) == [
        "file: not an Excel workbook (.xlsx)"
    ]


def test_a_file_over_the_size_limit_is_refused(standard, settings):
    settings.WORKBOOK_MAX_BYTES = 1000

    assert errors_of(filled(standard), standard) == ["file: larger than 1000 bytes"]


def test_a_zip_bomb_is_refused(standard, settings):
    settings.WORKBOOK_MAX_UNCOMPRESSED = 10_000_000
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr(
            "xl/worksheets/sheet1.xml", b"0" * 20_000_000
        )  # 20 MB that packs to ~20 kB

    assert len(buffer.getvalue()) < 100_000
    assert errors_of(buffer.getvalue(), standard) == [
        "file: unpacks too large to be a workbook of ours"
    ]


def test_too_many_sheets_are_refused(standard, settings):
    settings.WORKBOOK_MAX_SHEETS = 5

    assert errors_of(filled(standard), standard) == ["file: more than 5 sheets"]


def test_an_agency_uploads_its_filled_workbook_over_the_api(standard):
    from rest_framework.test import APIClient

    world = World()
    case = world.open()
    api = APIClient()
    api.force_authenticate(world.agency_member)
    blank = api.get(f"/api/v1/cases/{case.pk}/workbook/")
    assert blank["Content-Type"].startswith("application/vnd.openxmlformats")

    good = api.post(
        f"/api/v1/cases/{case.pk}/workbook/",
        {"file": io.BytesIO(filled(standard))},
        format="multipart",
    )
    bad = api.post(
        f"/api/v1/cases/{case.pk}/workbook/",
        {"file": io.BytesIO(filled(standard, answers={**COMPLIANT, "A1-01": "maybe"}))},
        format="multipart",
    )

    assert good.status_code == 200 and good.json()["answers"]["A1-01"] == "yes"
    assert bad.status_code == 400
    assert bad.json()["errors"] == [
        {"code": "invalid", "detail": "A!E2: answer must be one of “Yes”, “No”", "attr": "file"}
    ]
    assert services.case_submit(actor=world.agency_member, case=case).state == "submitted"


def _set(sheet, cell, value):
    def edit(workbook):
        workbook[sheet][cell].value = value

    return edit


def _drop_sheet(name):
    def edit(workbook):
        del workbook[name]

    return edit


def _costs(*item):
    return {"costs": [item]}


HOSTILE = [
    (
        "answer not yes or no",
        {"answers": {**COMPLIANT, "C1.1-01": "declared", "C2.1-01": "perhaps"}},
        ["C2!E2: answer must be one of “Yes”, “No”"],
    ),
    (
        "choice not offered",
        {"answers": {**COMPLIANT, "C1.1-01": "declared", "C1.1-02": "all"}},
        ["C1!E3: answer must be one of “None”, “Some”"],
    ),
    (
        "number as words",
        {"answers": {**COMPLIANT, "C1.1-01": "declared", "C1.1-03": "a hundred"}},
        ["C1!E4: answer must be a number"],
    ),
    (
        "not applicable where it is not",
        {"answers": {**COMPLIANT, "C1.1-01": "declared", "A1-01": "not_applicable"}},
        ["A!E2: this question cannot be answered “not applicable”"],
    ),
    (
        "worker costs not declared",
        {"answers": {**COMPLIANT, "C1.1-01": "none"}},
        ["C1!E2: answer must be one of “Listed on the Worker costs sheet”"],
    ),
    (
        "unknown question code",
        {"edit": _set("A", "A2", "Z9-99")},
        ["A!A2: unknown question 'Z9-99'"],
    ),
    ("sheet removed", {"edit": _drop_sheet("C2")}, ["file: sheets missing: C2"]),
    (
        "unknown currency",
        _costs("medical", 50, "USS", "worker", "paid"),
        ["Worker costs!C2: unknown currency 'USS'"],
    ),
    (
        "negative amount",
        _costs("medical", -5, "USD", "worker", "paid"),
        ["Worker costs!B2: must be a number of 0 or more"],
    ),
    (
        "wages deducted from an employer",
        _costs("medical", 5, "USD", "employer", "deducted_from_wages"),
        ["Worker costs!D2: a cost deducted from wages is borne by the worker, not by the employer"],
    ),
    (
        "formula in a cost cell",
        _costs("=1+1", 5, "USD", "worker", "paid"),
        [
            "Worker costs!A2: unknown category '=1+1' (one of recruitment fee, medical examinations, insurance, skills and qualification tests, "
            "training and orientation, equipment, travel and lodging, administrative costs (passports, "
            "visas, permits), illegitimate costs (bribes, kickbacks))"
        ],
    ),
]


@pytest.mark.parametrize(
    ("breakage", "expected"), [(h[1], h[2]) for h in HOSTILE], ids=[h[0] for h in HOSTILE]
)
def test_a_malformed_or_hostile_workbook_is_refused_with_its_place_and_nothing_is_saved(
    breakage, expected
):
    world = World()
    case = world.open()
    data = filled(
        world.standard,
        answers=breakage.get("answers"),
        costs=breakage.get("costs", ()),
        edit=breakage.get("edit"),
    )

    with pytest.raises(ValidationError) as caught:
        services.self_assessment_import_workbook(actor=world.agency_member, case=case, data=data)

    assert caught.value.message_dict == {"file": expected}
    assert not Answer.objects.exists()


def test_a_round_trip_gives_the_same_answers_and_score_as_the_api():
    from rest_framework.test import APIClient

    world = World()
    api = APIClient()
    api.force_authenticate(world.agency_member)
    by_api = services.case_open(
        actor=world.agency_member, agency=world.agency, standard=world.standard
    )
    answers = {**COMPLIANT, "C2.1-01": "yes", "C1.1-03": 90}
    api.patch(f"/api/v1/cases/{by_api.pk}/answers/", {"answers": answers}, format="json")
    exported = api.get(f"/api/v1/cases/{by_api.pk}/workbook/").content
    services.case_cancel(actor=world.agency_member, case=by_api)
    by_workbook = services.case_open(
        actor=world.agency_member, agency=world.agency, standard=world.standard
    )

    api.post(
        f"/api/v1/cases/{by_workbook.pk}/workbook/",
        {"file": io.BytesIO(exported)},
        format="multipart",
    )

    assert (
        api.get(f"/api/v1/cases/{by_workbook.pk}/answers/").json()["answers"]
        == api.get(f"/api/v1/cases/{by_api.pk}/answers/").json()["answers"]
    )
    assert (
        api.get(f"/api/v1/cases/{by_workbook.pk}/score/").json()
        == api.get(f"/api/v1/cases/{by_api.pk}/score/").json()
    )


def with_prolog(data: bytes, prolog: bytes, entity: bytes) -> bytes:
    """The workbook with a DTD before the first principle sheet's root and the entity used
    in one of its cells."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet3.xml":
                assert not content.startswith(b"<?xml") and b"<t>" in content
                content = prolog + content.replace(b"<t>", b"<t>" + entity, 1)
            archive.writestr(item, content)
    return buffer.getvalue()


XXE = b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS = (
    b'<!DOCTYPE worksheet [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
        for n in range(1, 10)
    )
    + b"]>"
)
REFUSED = (
    "file: the workbook declares XML entities or refers to outside documents; "
    "such files are refused (save it again from a spreadsheet program)"
)


@pytest.mark.parametrize(
    ("prolog", "entity"), [(XXE, b"&xxe;"), (LAUGHS, b"&lol9;")], ids=["external", "laughs"]
)
def test_a_workbook_declaring_entities_is_refused_by_name(standard, prolog, entity):
    data = with_prolog(filled(standard), prolog, entity)

    assert errors_of(data, standard) == [REFUSED]


def test_a_workbook_declaring_entities_answers_400_over_the_api(standard):
    from rest_framework.test import APIClient

    world = World()
    case = world.open()
    api = APIClient()
    api.force_authenticate(world.agency_member)

    response = api.post(
        f"/api/v1/cases/{case.pk}/workbook/",
        {"file": io.BytesIO(with_prolog(filled(standard), XXE, b"&xxe;"))},
        format="multipart",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [{"code": "invalid", "detail": REFUSED, "attr": "file"}]
    assert not Answer.objects.exists()


def test_workbooks_are_parsed_through_defusedxml():
    import openpyxl

    assert openpyxl.DEFUSEDXML is True


def test_the_workbook_speaks_the_readers_language_and_reads_words_of_either(standard):
    """Made in French: answers and lists in French words, no code to type; read back, the
    French words, the English ones and the codes of older files all give the codes."""
    from django.utils import translation

    with translation.override("fr"):
        workbook = load_workbook(io.BytesIO(export_workbook(standard=standard)))
    words = {str(value) for row in workbook["Lists"].iter_rows(values_only=True) for value in row}
    assert {"Oui", "Non", "Examens médicaux", "Retenu sur le salaire"} <= words
    assert {"yes", "no", "medical", "deducted_from_wages", "declared"}.isdisjoint(words)

    costs = [
        ("Examens médicaux", 50, "USD", "Travailleur", "Retenu sur le salaire"),
        ("Insurance", 5, "USD", "worker", "paid"),
    ]
    answers = {
        **COMPLIANT,
        "A1-01": "Oui",
        "C1.1-02": "none",
        "C1.1-01": "Listed on the Worker costs sheet",
    }
    got = import_workbook(data=filled(standard, answers=answers, costs=costs), standard=standard)

    assert got["A1-01"] == "yes" and got["C1.1-02"] == "none"
    assert [(c["category"], c["borne_by"], c["route"]) for c in got["C1.1-01"]] == [
        ("medical", "worker", "deducted_from_wages"),
        ("insurance", "worker", "paid"),
    ]


def test_the_workbook_problems_are_in_the_readers_language(standard):
    from django.utils import translation

    data = filled(
        standard,
        answers={**COMPLIANT, "A1-01": "peut-être", "C1.1-01": "declared"},
        costs=[("visa", 10, "USS", "worker", "paid")],
    )
    with translation.override("fr"):
        errors = errors_of(data, standard)

    assert errors[0] == "A!E2: la réponse doit être l’une de celles-ci : « Oui », « Non »"  # noqa: RUF001 - French apostrophe
    assert "Worker costs!C2: devise inconnue « USS »" in errors
    with translation.override("fr"):
        assert errors_of(b"not a zip", standard) == ["fichier : pas un classeur Excel (.xlsx)"]


def test_not_applicable_is_read_where_allowed_and_a_text_keeps_those_words(standard):
    """C1.1-03 (a number) allows it: the words of either language give it; C1.1-04 (a text)
    keeps "Not applicable" as the agency wrote it; A1-01 (yes/no) refuses it."""
    for words in ("Sans objet", "not applicable", "not_applicable"):
        answers = {
            **COMPLIANT,
            "C1.1-03": words,
            "C1.1-04": "Not applicable",
            "C1.1-01": "declared",
        }
        got = import_workbook(data=filled(standard, answers=answers), standard=standard)
        assert (got["C1.1-03"], got["C1.1-04"]) == ("not_applicable", "Not applicable"), words
    refused = filled(standard, answers={**COMPLIANT, "A1-01": "Sans objet", "C1.1-01": "declared"})
    assert errors_of(refused, standard) == [
        "A!E2: this question cannot be answered “not applicable”"
    ]
    exported = load_workbook(
        io.BytesIO(export_workbook(standard=standard, answers={"C1.1-03": "not_applicable"}))
    )
    assert exported["C1"]["E4"].value == "Not applicable"


def test_a_word_is_read_in_the_files_language_first_and_never_guessed(standard):
    """Two choices whose words cross languages ("Complete" is one's English and the other's
    French) are read in the file's language; two that read the same in it are offered by
    their codes, and a word naming two choices is refused."""
    from django.utils import translation

    from scoring.models import Question

    Question.objects.filter(standard=standard, code="C1.1-02").update(
        choices=[
            {"code": "none", "label": {"en": "Complete", "fr": "Total"}},
            {"code": "some", "label": {"en": "Total", "fr": "Complete"}},
        ]
    )
    with translation.override("fr"):
        french = export_workbook(standard=standard)
    workbook = load_workbook(io.BytesIO(french))
    workbook["C1"]["E3"].value = "Complete"  # French here: the choice `some`
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert import_workbook(data=buffer.getvalue(), standard=standard)["C1.1-02"] == "some"
    english = filled(standard, answers={**COMPLIANT, "C1.1-02": "Complete", "C1.1-01": "declared"})
    assert import_workbook(data=english, standard=standard)["C1.1-02"] == "none"

    Question.objects.filter(standard=standard, code="C1.1-02").update(
        choices=[
            {"code": "none", "label": {"en": "Same", "fr": "Pareil"}},
            {"code": "some", "label": {"en": "same", "fr": "pareil"}},
        ]
    )
    workbook = load_workbook(io.BytesIO(export_workbook(standard=standard)))
    lists = {
        next(iter(v.sqref.ranges)).coord: v.formula1
        for v in workbook["C1"].data_validations.dataValidation
    }
    column = lists["E3"].split("!")[1].split(":")[0].replace("$", "")[0]
    assert [workbook["Lists"][f"{column}{row}"].value for row in (1, 2)] == ["none", "some"]
    assert (
        import_workbook(
            data=filled(standard, answers={**COMPLIANT, "C1.1-02": "some", "C1.1-01": "declared"}),
            standard=standard,
        )["C1.1-02"]
        == "some"
    )
    ambiguous = filled(standard, answers={**COMPLIANT, "C1.1-02": "Pareil", "C1.1-01": "declared"})
    assert errors_of(ambiguous, standard) == ["C1!E3: answer must be one of “none”, “some”"]
