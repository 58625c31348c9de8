"""The standard loader's problems in the reader's language (scoring/loader_messages.py)."""

import ast
import io

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.utils import translation

from scoring.loader_messages import LOADER_PROBLEMS, problem_text, problems_text
from scoring.standard_file import (
    StandardFileError,
    parse_standard,
    read_standard_file,
    validate_standard,
)
from scoring.standard_file.checking import ENGLISH
from tests.conftest import PROJECT_DIR
from tests.scoring.standard_data import valid_standard, valid_survey_standard
from tests.scoring.test_standard_file import MALFORMED as STANDARD_MALFORMED
from tests.scoring.test_worker_survey_file import MALFORMED as SURVEY_MALFORMED

pytestmark = pytest.mark.outside_the_database  # no database: the file is refused first

PACKAGE = PROJECT_DIR / "scoring" / "standard_file"


def refusal(read, *args) -> StandardFileError:
    with pytest.raises(StandardFileError) as caught:
        read(*args)
    return caught.value


def rendered(error: StandardFileError, language: str) -> list[str]:
    with translation.override(language):
        return problems_text(error)


def codes_reported_in_the_package() -> set[str]:
    """Every problem code the package's source passes: to `problem`/`Problem` and
    `CodeRegistry` (second argument), or as a `string` check's `invalid` code (given, or
    its default)."""
    found = set()
    for source in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            given = []
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", getattr(node.func, "id", None))
                if name in ("problem", "Problem", "CodeRegistry") and len(node.args) > 1:
                    given.append(node.args[1])
                given += [keyword.value for keyword in node.keywords if keyword.arg == "invalid"]
            elif isinstance(node, ast.FunctionDef):
                arguments = node.args.args[len(node.args.args) - len(node.args.defaults) :]
                given += [
                    default
                    for argument, default in zip(arguments, node.args.defaults, strict=True)
                    if argument.arg == "invalid"
                ]
            for value in given:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    found.add(value.value)
    return found


# --- every code has its wording ---------------------------------------------------------


def test_every_code_of_the_package_has_a_message_and_no_message_is_left_over():
    assert set(LOADER_PROBLEMS) == set(ENGLISH)


def test_the_package_reports_exactly_the_codes_it_registers():
    assert codes_reported_in_the_package() == set(ENGLISH)


# --- the English stays what the package says ---------------------------------------------


@pytest.mark.parametrize(
    ("valid", "case"),
    [
        *((valid_standard, case) for case in STANDARD_MALFORMED),
        *((valid_survey_standard, case) for case in SURVEY_MALFORMED),
    ],
    ids=[
        *(f"standard: {case[0]}" for case in STANDARD_MALFORMED),
        *(f"survey: {case[0]}" for case in SURVEY_MALFORMED),
    ],
)
def test_in_english_every_known_malformation_reads_as_the_package_says(valid, case):
    """The cases of the package's own tests: the command's English output is unchanged."""
    _what, breakage, expected = case
    data = valid()
    breakage(data)

    error = refusal(validate_standard, data)

    assert error.errors == expected
    assert [problem.text for problem in error.problems] == error.errors
    assert rendered(error, "en") == error.errors


def test_a_problem_is_its_place_code_and_parameters():
    data = valid_standard()
    data["principles"][1]["kind"] = "core"

    [problem] = refusal(validate_standard, data).problems

    path, code, params = problem
    assert (path, code, dict(params)) == (
        "principles[1].kind",
        "not_one_of",
        {"choices": ("overarching", "specific")},
    )


# --- a malformed file, in French and in English ------------------------------------------


def malformed_standard() -> dict:
    data = valid_standard()
    data["status"] = "final"
    first = data["principles"][0]["criteria"][0]
    first["weigth"] = first.pop("weight")
    first["questions"][0]["code"] = "A1 01"
    data["principles"][1]["criteria"][0]["weight"] = 1.255
    data["principles"][2]["code"] = "C1"
    data["principles"][2]["criteria"][0]["weight"] = 0
    return data


MALFORMED_ENGLISH = [
    "status: must be one of draft, published",
    "principles[0].criteria[0].weigth: unknown field",
    "principles[0].criteria[0].weight: required",
    "principles[0].criteria[0].questions[0].code: 'A1 01' is not a valid code "
    "(letters, digits, dots, dashes, underscores)",
    "principles[1].criteria[0].weight: must have at most 2 decimal places",
    "principles[2].code: duplicate principle code 'C1' (first at principles[1])",
    "principles[2].criteria[0].weight: must be greater than 0",
]
MALFORMED_FRENCH = [
    "status: doit être l'une des valeurs suivantes : draft, published",
    "principles[0].criteria[0].weigth: champ inconnu",
    "principles[0].criteria[0].weight: obligatoire",
    "principles[0].criteria[0].questions[0].code: « A1 01 » n'est pas un code valide "
    "(lettres, chiffres, points, tirets, tirets bas)",
    "principles[1].criteria[0].weight: doit avoir au plus 2 décimales",
    "principles[2].code: code de principe « C1 » en double (première occurrence : principles[1])",
    "principles[2].criteria[0].weight: doit être supérieur à 0",
]


def test_a_malformed_file_gives_its_problems_in_english():
    error = refusal(validate_standard, malformed_standard())

    assert rendered(error, "en") == MALFORMED_ENGLISH == error.errors


def test_a_malformed_file_gives_its_problems_in_french():
    error = refusal(validate_standard, malformed_standard())

    assert rendered(error, "fr") == MALFORMED_FRENCH
    assert error.errors == MALFORMED_ENGLISH  # the package's own English is unchanged


def write(folder, name, data):
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def no_french_in_the_survey(tmp_path):
    data = valid_survey_standard()
    data["worker_survey"] = {
        "languages": ["ne"],
        "questions": [{"code": "WS-1", "criterion": "C1.1", "answer_type": "yes_no"}],
    }
    return refusal(validate_standard, data)


def not_utf8(tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes("code: é".encode("latin-1"))
    return refusal(read_standard_file, path)


def an_error_in_the_extended_file(tmp_path):
    base = valid_standard()
    base["principles"][0]["criteria"][0]["weight"] = 0
    write(tmp_path, "mini-1.0.yaml", base)
    extending = {"extends": "mini-1.0.yaml", "code": "mini", "version": "1.1", "status": "draft"}
    return refusal(read_standard_file, write(tmp_path, "mini-1.1.yaml", extending))


FILE_LEVEL = [
    # (what is wrong, how to read it, its English, its French; {folder}: the test's folder)
    (
        "not a mapping",
        lambda tmp_path: refusal(validate_standard, ["a", "list"]),
        ["file: must be a mapping of fields"],
        ["fichier: doit être un ensemble de champs"],
    ),
    (
        "a missing file",
        lambda tmp_path: refusal(read_standard_file, tmp_path / "absent.yaml"),
        ["{folder}/absent.yaml: cannot be read (No such file or directory)"],
        ["{folder}/absent.yaml: ne peut pas être lu (No such file or directory)"],
    ),
    (
        "not UTF-8",
        not_utf8,
        ["{folder}/latin.yaml: not UTF-8 text"],
        ["{folder}/latin.yaml: n'est pas du texte UTF-8"],
    ),
    (
        "a YAML syntax error",
        lambda tmp_path: refusal(parse_standard, "code: mini\nversion: '1.0\n"),
        ["line 3, column 1: not valid YAML (found unexpected end of stream)"],
        ["ligne 3, colonne 1: YAML non valide (found unexpected end of stream)"],
    ),
    (
        "a duplicate key",
        lambda tmp_path: refusal(parse_standard, "code: mini\ncode: maxi\n"),
        ["line 2, column 1: duplicate key 'code'"],
        ["ligne 2, colonne 1: clé « code » en double"],
    ),
    (
        "survey languages",
        no_french_in_the_survey,
        [
            "worker_survey.languages: must include en and fr",
            "worker_survey.questions[0].text: required",
        ],
        [
            "worker_survey.languages: doit inclure en et fr",
            "worker_survey.questions[0].text: obligatoire",
        ],
    ),
    (
        "an error in the extended file",
        an_error_in_the_extended_file,
        ["extends: mini-1.0.yaml: principles[0].criteria[0].weight: must be greater than 0"],
        ["extends: dans mini-1.0.yaml, principles[0].criteria[0].weight: doit être supérieur à 0"],
    ),
]


@pytest.mark.parametrize(
    ("read", "english"),
    [(case[1], case[2]) for case in FILE_LEVEL],
    ids=[case[0] for case in FILE_LEVEL],
)
def test_problems_of_the_file_itself_in_english(tmp_path, read, english):
    error = read(tmp_path)

    expected = [line.format(folder=tmp_path) for line in english]
    assert rendered(error, "en") == expected == error.errors


@pytest.mark.parametrize(
    ("read", "french"),
    [(case[1], case[3]) for case in FILE_LEVEL],
    ids=[case[0] for case in FILE_LEVEL],
)
def test_problems_of_the_file_itself_in_french(tmp_path, read, french):
    error = read(tmp_path)

    assert rendered(error, "fr") == [line.format(folder=tmp_path) for line in french]


def test_one_problem_is_worded_alone():
    [problem] = refusal(validate_standard, None).problems

    with translation.override("en"):
        assert problem_text(problem) == "file: must be a mapping of fields"


# --- the command ----------------------------------------------------------------------------


def run_load_standard(*args) -> tuple[str, str]:
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("load_standard", *args, stdout=io.StringIO(), stderr=err)
    return str(caught.value), err.getvalue()


def test_load_standard_prints_the_problems_in_french_when_asked(tmp_path):
    path = write(tmp_path, "standard.yaml", malformed_standard())

    message, err = run_load_standard(str(path), "--language", "fr")

    assert err.splitlines() == MALFORMED_FRENCH
    assert message == f"{path}: 7 errors; nothing was written"


def test_load_standard_prints_the_problems_in_english_by_default(tmp_path):
    path = write(tmp_path, "standard.yaml", malformed_standard())

    message, err = run_load_standard(str(path))

    assert err.splitlines() == MALFORMED_ENGLISH
    assert message == f"{path}: 7 errors; nothing was written"


def test_load_standard_in_english_whatever_language_was_active(tmp_path):
    path = write(tmp_path, "standard.yaml", malformed_standard())

    with translation.override("fr"):
        _message, err = run_load_standard(str(path), "--language=en")

    assert err.splitlines() == MALFORMED_ENGLISH
