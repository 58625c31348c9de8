"""The standard file format: every malformed file is refused with each error at its place."""

from decimal import Decimal

import pytest
import yaml

from scoring.standard_file import (
    StandardFileError,
    dump_json,
    dump_yaml,
    parse_standard,
    validate_standard,
)
from tests.scoring.standard_data import valid_standard

pytestmark = pytest.mark.outside_the_database  # pure: no database at all


def errors_of(data) -> list[str]:
    with pytest.raises(StandardFileError) as caught:
        validate_standard(data)
    return caught.value.errors


def criterion(data, p, c):
    return data["principles"][p]["criteria"][c]


def question(data, p, c, q):
    return criterion(data, p, c)["questions"][q]


def test_valid_standard_builds_the_specification():
    spec = validate_standard(valid_standard())

    assert [p.code for p in spec.principles] == ["A", "C1", "C2"]
    assert [c.code for c in spec.criteria()] == ["A1", "C1.1", "C2.1"]
    assert [q.code for q in spec.questions()] == [
        "A1-01",
        "C1.1-01",
        "C1.1-02",
        "C1.1-03",
        "C1.1-04",
        "C2.1-01",
    ]
    c11 = spec.principles[1].criteria[0]
    assert (c11.weight, c11.zero_tolerance, c11.forced_labour_indicators) == (
        Decimal(3),
        True,
        ("debt_bondage",),
    )
    first = spec.principles[0].criteria[0].questions[0]
    assert (first.required, first.allow_not_applicable, first.expected) == (True, False, "yes")
    number = c11.questions[2]
    assert (number.minimum, number.maximum, number.allow_not_applicable) == (
        Decimal(100),
        Decimal(100),
        True,
    )
    assert c11.questions[3].required is False


def break_weight_to_zero_in_third_principle(d):
    criterion(d, 2, 0)["weight"] = 0


def misspell_weight(d):
    criterion(d, 0, 0)["weigth"] = criterion(d, 0, 0).pop("weight")


def duplicate_criterion_code(d):
    criterion(d, 2, 0)["code"] = "A1"


def duplicate_question_code(d):
    question(d, 1, 0, 2)["code"] = "C1.1-01"


def remove_french_title(d):
    del d["principles"][0]["title"]["fr"]


def add_second_worker_costs_question(d):
    second = question(d, 2, 0, 0)
    second["answer_type"] = "worker_costs"
    del second["rule"]


MALFORMED = [
    # (what is wrong, how to break a valid file, the exact errors)
    (
        "weight zero",
        break_weight_to_zero_in_third_principle,
        ["principles[2].criteria[0].weight: must be greater than 0"],
    ),
    (
        "weight negative",
        lambda d: criterion(d, 0, 0).update(weight=-1),
        ["principles[0].criteria[0].weight: must be greater than 0"],
    ),
    (
        "weight not a number",
        lambda d: criterion(d, 0, 0).update(weight="heavy"),
        ["principles[0].criteria[0].weight: must be a number"],
    ),
    (
        "weight too precise",
        lambda d: criterion(d, 0, 0).update(weight=1.255),
        ["principles[0].criteria[0].weight: must have at most 2 decimal places"],
    ),
    (
        "weight a boolean",
        lambda d: criterion(d, 0, 0).update(weight=True),
        ["principles[0].criteria[0].weight: must be a number"],
    ),
    (
        "field misspelt",
        misspell_weight,
        [
            "principles[0].criteria[0].weigth: unknown field",
            "principles[0].criteria[0].weight: required",
        ],
    ),
    ("version missing", lambda d: d.pop("version"), ["version: required"]),
    (
        "version a number",
        lambda d: d.update(version=1.0),
        ['version: must be a string (quote it: "1.0")'],
    ),
    (
        "status unknown",
        lambda d: d.update(status="final"),
        ["status: must be one of draft, published"],
    ),
    (
        "standard code not a slug",
        lambda d: d.update(code="Mini Standard"),
        ["code: 'Mini Standard' is not a valid code (lower-case letters, digits and dashes)"],
    ),
    (
        "principle kind unknown",
        lambda d: d["principles"][1].update(kind="core"),
        ["principles[1].kind: must be one of overarching, specific"],
    ),
    ("French title missing", remove_french_title, ["principles[0].title.fr: required"]),
    (
        "English text empty",
        lambda d: criterion(d, 0, 0)["text"].update(en="  "),
        ["principles[0].criteria[0].text.en: must not be empty"],
    ),
    (
        "text not bilingual mapping",
        lambda d: question(d, 0, 0, 0).update(text="Licensed?"),
        ["principles[0].criteria[0].questions[0].text: must be a mapping of fields"],
    ),
    (
        "third language",
        lambda d: question(d, 0, 0, 0)["text"].update(es="¿Licencia?"),
        ["principles[0].criteria[0].questions[0].text.es: unknown field"],
    ),
    (
        "criterion code twice",
        duplicate_criterion_code,
        [
            "principles[2].criteria[0].code: duplicate criterion code 'A1' (first at principles[0].criteria[0])"
        ],
    ),
    (
        "question code twice",
        duplicate_question_code,
        [
            "principles[1].criteria[0].questions[2].code: duplicate question code 'C1.1-01' "
            "(first at principles[1].criteria[0].questions[0])"
        ],
    ),
    (
        "principle code twice",
        lambda d: d["principles"][2].update(code="C1"),
        ["principles[2].code: duplicate principle code 'C1' (first at principles[1])"],
    ),
    (
        "code with spaces",
        lambda d: question(d, 0, 0, 0).update(code="A1 01"),
        [
            "principles[0].criteria[0].questions[0].code: 'A1 01' is not a valid code "
            "(letters, digits, dots, dashes, underscores)"
        ],
    ),
    ("no principles", lambda d: d.update(principles=[]), ["principles: must not be empty"]),
    (
        "principles not a list",
        lambda d: d.update(principles={"A": {}}),
        ["principles: must be a list"],
    ),
    (
        "no criteria",
        lambda d: d["principles"][1].update(criteria=[]),
        ["principles[1].criteria: must not be empty"],
    ),
    (
        "no questions",
        lambda d: criterion(d, 2, 0).update(questions=[]),
        ["principles[2].criteria[0].questions: must not be empty"],
    ),
    (
        "zero_tolerance as yes",
        lambda d: criterion(d, 1, 0).update(zero_tolerance="yes"),
        ["principles[1].criteria[0].zero_tolerance: must be true or false"],
    ),
    (
        "unknown forced-labour indicator",
        lambda d: criterion(d, 1, 0).update(forced_labour_indicators=["debt"]),
        [
            "principles[1].criteria[0].forced_labour_indicators[0]: 'debt' is not a forced-labour indicator "
            "(one of abuse_of_vulnerability, deception, restriction_of_movement, isolation, "
            "physical_sexual_violence, intimidation_threats, retention_of_identity_documents, "
            "withholding_of_wages, debt_bondage, abusive_working_living_conditions, excessive_overtime)"
        ],
    ),
    (
        "answer type unknown",
        lambda d: question(d, 0, 0, 0).update(answer_type="boolean"),
        [
            "principles[0].criteria[0].questions[0].answer_type: must be one of yes_no, choice, number, "
            "worker_costs, text"
        ],
    ),
    (
        "yes_no without rule",
        lambda d: question(d, 0, 0, 0).pop("rule"),
        ["principles[0].criteria[0].questions[0].rule: required for a yes_no question"],
    ),
    (
        "yes_no expecting maybe",
        lambda d: question(d, 0, 0, 0).update(rule={"expected": "maybe"}),
        ["principles[0].criteria[0].questions[0].rule.expected: must be one of yes, no"],
    ),
    (
        "yes_no expecting a boolean",
        lambda d: question(d, 0, 0, 0).update(rule={"expected": True}),
        ["principles[0].criteria[0].questions[0].rule.expected: must be one of yes, no"],
    ),
    (
        "choices on a yes_no question",
        lambda d: question(d, 0, 0, 0).update(choices=[]),
        ["principles[0].criteria[0].questions[0].choices: only a choice question has choices"],
    ),
    (
        "compliant choice not offered",
        lambda d: question(d, 1, 0, 1).update(rule={"compliant_choices": ["none", "maybe"]}),
        [
            "principles[1].criteria[0].questions[1].rule.compliant_choices[1]: 'maybe' is not one of "
            "the question's choices"
        ],
    ),
    (
        "no compliant choice",
        lambda d: question(d, 1, 0, 1).update(rule={"compliant_choices": []}),
        ["principles[1].criteria[0].questions[1].rule.compliant_choices: must not be empty"],
    ),
    (
        "one choice only",
        lambda d: question(d, 1, 0, 1)["choices"].pop(),
        ["principles[1].criteria[0].questions[1].choices: must offer at least 2 choices"],
    ),
    (
        "number bounds crossed",
        lambda d: question(d, 1, 0, 2).update(rule={"min": 10, "max": 5}),
        ["principles[1].criteria[0].questions[2].rule.min: must not be greater than max"],
    ),
    (
        "number without bounds",
        lambda d: question(d, 1, 0, 2).update(rule={}),
        ["principles[1].criteria[0].questions[2].rule: give min, max or both"],
    ),
    (
        "rule on a text question",
        lambda d: question(d, 1, 0, 3).update(rule={"expected": "yes"}),
        [
            "principles[1].criteria[0].questions[3].rule: a text question takes no rule (text answers are not scored)"
        ],
    ),
    (
        "rule on worker costs",
        lambda d: question(d, 1, 0, 0).update(rule={"max": 0}),
        [
            "principles[1].criteria[0].questions[0].rule: a worker_costs question takes no rule "
            "(worker costs are compliant only when no worker bore any cost)"
        ],
    ),
    (
        "two worker_costs questions",
        add_second_worker_costs_question,
        [
            "principles[2].criteria[0].questions[0].answer_type: only one worker_costs question per standard "
            "(first at principles[1].criteria[0].questions[0])"
        ],
    ),
]


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [(case[1], case[2]) for case in MALFORMED],
    ids=[case[0] for case in MALFORMED],
)
def test_malformed_standard_reports_each_error_at_its_place(breakage, expected):
    data = valid_standard()
    breakage(data)

    assert errors_of(data) == expected


def test_every_error_is_reported_not_only_the_first():
    data = valid_standard()
    data["status"] = "final"
    criterion(data, 2, 0)["weight"] = 0
    question(data, 0, 0, 0)["rule"] = {"expected": "perhaps"}

    assert errors_of(data) == [
        "status: must be one of draft, published",
        "principles[0].criteria[0].questions[0].rule.expected: must be one of yes, no",
        "principles[2].criteria[0].weight: must be greater than 0",
    ]


@pytest.mark.parametrize("data", [[], "a standard", None, 42])
def test_a_file_that_is_not_a_mapping_is_refused(data):
    assert errors_of(data) == ["file: must be a mapping of fields"]


def test_yaml_syntax_error_names_line_and_column():
    text = "code: mini\nversion: '1.0\ntitle: {en: x, fr: y}\n"

    with pytest.raises(StandardFileError) as caught:
        parse_standard(text)

    [error] = caught.value.errors
    assert error.startswith("line 4, column 1: not valid YAML (found unexpected end of stream")


def test_duplicate_key_is_refused_with_its_line():
    text = yaml.safe_dump(valid_standard(), sort_keys=False).replace(
        "  weight: 2\n", "  weight: 2\n    weight: 0\n", 1
    )

    with pytest.raises(StandardFileError) as caught:
        parse_standard(text)

    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.strip() == "weight: 0")
    assert caught.value.errors == [f"line {line}, column 5: duplicate key 'weight'"]


def test_unquoted_yes_and_no_are_answers_not_booleans():
    text = dump_yaml(validate_standard(valid_standard())).replace(
        "expected: 'yes'", "expected: yes"
    )
    assert "expected: yes\n" in text

    spec = parse_standard(text)

    assert spec.principles[0].criteria[0].questions[0].expected == "yes"


def test_yaml_and_json_dumps_read_back_to_the_same_specification():
    spec = validate_standard(valid_standard())

    assert parse_standard(dump_yaml(spec)) == spec
    assert parse_standard(dump_json(spec)) == spec
    assert parse_standard(dump_yaml(spec)).content_sha256 == spec.content_sha256


def test_fingerprint_ignores_layout_but_not_content():
    spec = validate_standard(valid_standard())
    same = valid_standard()
    criterion(same, 0, 0)["weight"] = 2.0  # the same number written differently
    changed = valid_standard()
    criterion(changed, 0, 0)["text"]["fr"] = "Détient toutes ses licences."

    assert validate_standard(same).content_sha256 == spec.content_sha256
    assert validate_standard(changed).content_sha256 != spec.content_sha256
