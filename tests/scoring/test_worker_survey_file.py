"""The `worker_survey` section of the standard file: read, written back, and every malformed
variant refused with each error at its place. Pure: no database."""

import pytest
import yaml

from scoring.standard_file import (
    AskIf,
    StandardFileError,
    SurveyText,
    dump_json,
    dump_yaml,
    parse_standard,
    read_standard_file,
    validate_standard,
)
from tests.scoring.standard_data import valid_standard, valid_survey_standard

pytestmark = pytest.mark.outside_the_database


def errors_of(data) -> list[str]:
    with pytest.raises(StandardFileError) as caught:
        validate_standard(data)
    return caught.value.errors


def survey_question(data, index):
    return data["worker_survey"]["questions"][index]


def test_the_survey_is_read_into_its_specification():
    spec = validate_standard(valid_survey_standard())

    survey = spec.worker_survey
    assert survey.languages == ("en", "fr", "ne")
    assert [q.code for q in survey.questions] == [
        "WS-PAID",
        "WS-AMOUNT",
        "WS-FOR",
        "WS-PASSPORT",
        "WS-GENDER",
    ]
    paid, amount, paid_for, passport, gender = survey.questions
    assert (paid.criterion, paid.answer_type, paid.signal_answers) == ("C1.1", "yes_no", ("yes",))
    assert paid.answers == ("yes", "no")
    assert paid.help.get("ne") == "सबै गन्नुहोस्।"
    assert amount.ask_if == AskIf("WS-PAID", "yes")
    assert amount.signal_answers == () and amount.answers == ()
    assert [(c.code, c.fee_category) for c in paid_for.choices] == [
        ("medical", "medical"),
        ("visa", "administrative"),
        ("other", None),
    ]
    assert passport.raises_signal("agency") and not passport.raises_signal("me")
    assert paid_for.raises_signal(["medical"]) is False
    assert (gender.criterion, gender.optional_personal) == (None, True)
    assert survey.question("WS-PASSPORT") is passport
    assert survey.for_criterion("C1.1") == (paid, amount, paid_for)


def test_a_standard_without_a_survey_has_none_and_keeps_its_fingerprint():
    spec = validate_standard(valid_standard())

    assert spec.worker_survey is None
    assert "worker_survey" not in spec.to_dict()


def test_the_survey_is_written_back_and_read_again_unchanged():
    spec = validate_standard(valid_survey_standard())

    assert parse_standard(dump_yaml(spec)) == spec
    assert parse_standard(dump_json(spec)) == spec
    assert parse_standard(dump_yaml(spec)).content_sha256 == spec.content_sha256


def test_the_survey_is_part_of_the_fingerprint():
    spec = validate_standard(valid_survey_standard())
    changed = valid_survey_standard()
    survey_question(changed, 0)["text"]["ne"] = "पैसा तिर्नुभयो?"

    assert validate_standard(changed).content_sha256 != spec.content_sha256
    assert validate_standard(valid_standard()).content_sha256 != spec.content_sha256


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ne", "तिर्नुभयो?"),
        ("ne-np", "तिर्नुभयो?"),
        ("NE_NP", "तिर्नुभयो?"),
        ("fr", "Avez-vous payé ?"),
        ("sw", "Did you pay?"),
        ("", "Did you pay?"),
        (None, "Did you pay?"),
    ],
)
def test_a_text_in_a_language_falls_back_to_english(language, expected):
    text = validate_standard(valid_survey_standard()).worker_survey.questions[0].text

    assert text.get(language) == expected


def test_a_text_keeps_the_order_of_the_survey_languages():
    text = SurveyText((("en", "Yes"), ("fr", "Oui")))

    assert text.languages == ("en", "fr")
    assert list(text.to_dict()) == ["en", "fr"]


def set_text(index, language, value):
    return lambda d: survey_question(d, index)["text"].update({language: value})


def drop_choice_label_language(d):
    del survey_question(d, 2)["choices"][1]["label"]["ne"]


def swap_first_two_questions(d):
    questions = d["worker_survey"]["questions"]
    questions[0], questions[1] = questions[1], questions[0]


MALFORMED = [
    # (what is wrong, how to break a valid survey, the exact errors)
    (
        "choice label missing a language",
        drop_choice_label_language,
        ["worker_survey.questions[2].choices[1].label.ne: required"],
    ),
    (
        "text empty in a language",
        set_text(0, "ne", "  "),
        ["worker_survey.questions[0].text.ne: must not be empty"],
    ),
    (
        "text in a language the survey does not list",
        set_text(0, "bn", "আপনি কি টাকা দিয়েছেন?"),
        ["worker_survey.questions[0].text.bn: not one of the survey's languages"],
    ),
    (
        "text not a mapping",
        lambda d: survey_question(d, 0).update(text="Did you pay?"),
        ["worker_survey.questions[0].text: must be a mapping of language to text"],
    ),
    (
        "help missing a language",
        lambda d: survey_question(d, 0)["help"].pop("fr"),
        ["worker_survey.questions[0].help.fr: required"],
    ),
    (
        "languages without French",
        lambda d: d["worker_survey"].update(languages=["en", "ne"]),
        [
            "worker_survey.languages: must include fr",
            *[
                f"worker_survey.questions[{index}].{where}.fr: not one of the survey's languages"
                for index, where in [
                    (0, "text"),
                    (0, "help"),
                    (1, "text"),
                    (2, "text"),
                    (2, "choices[0].label"),
                    (2, "choices[1].label"),
                    (2, "choices[2].label"),
                    (3, "text"),
                    (3, "choices[0].label"),
                    (3, "choices[1].label"),
                    (4, "text"),
                    (4, "choices[0].label"),
                    (4, "choices[1].label"),
                ]
            ],
        ],
    ),
    (
        "languages without English and French",
        lambda d: d.update(
            worker_survey={
                "languages": ["ne"],
                "questions": [
                    {
                        "code": "WS-1",
                        "criterion": "C1.1",
                        "answer_type": "yes_no",
                        "text": {"ne": "तिर्नुभयो?"},
                    }
                ],
            }
        ),
        ["worker_survey.languages: must include en and fr"],
    ),
    (
        "language code not a language",
        lambda d: d["worker_survey"]["languages"].append("Nepali"),
        [
            "worker_survey.languages[3]: 'Nepali' is not a language code (lower case, such as en, ne or pt-br)"
        ],
    ),
    (
        "language listed twice",
        lambda d: d["worker_survey"]["languages"].append("ne"),
        ["worker_survey.languages[3]: lists 'ne' twice"],
    ),
    (
        "survey without questions",
        lambda d: d["worker_survey"].update(questions=[]),
        ["worker_survey.questions: must not be empty"],
    ),
    (
        "survey not a mapping",
        lambda d: d.update(worker_survey=["WS-PAID"]),
        ["worker_survey: must be a mapping of fields"],
    ),
    (
        "field misspelt",
        lambda d: survey_question(d, 0).update(signals=survey_question(d, 0).pop("signal")),
        ["worker_survey.questions[0].signals: unknown field"],
    ),
    (
        "question code twice",
        lambda d: survey_question(d, 3).update(code="WS-PAID"),
        [
            "worker_survey.questions[3].code: duplicate survey question code 'WS-PAID' "
            "(first at worker_survey.questions[0])"
        ],
    ),
    (
        "unknown criterion",
        lambda d: survey_question(d, 3).update(criterion="C9.9"),
        ["worker_survey.questions[3].criterion: 'C9.9' is not a criterion of this standard"],
    ),
    (
        "criterion missing",
        lambda d: survey_question(d, 0).pop("criterion"),
        [
            "worker_survey.questions[0].criterion: required "
            "(only a personal question, optional_personal: true, has none)"
        ],
    ),
    (
        "answer type unknown",
        lambda d: survey_question(d, 0).update(answer_type="scale"),
        [
            "worker_survey.questions[0].answer_type: must be one of yes_no, choice, multi_choice, amount"
        ],
    ),
    (
        "choices on a yes_no question",
        lambda d: survey_question(d, 0).update(choices=survey_question(d, 3)["choices"]),
        ["worker_survey.questions[0].choices: only a choice or multi_choice question has choices"],
    ),
    (
        "choice question without choices",
        lambda d: survey_question(d, 3).pop("choices"),
        ["worker_survey.questions[3].choices: required for a choice question"],
    ),
    (
        "one choice only",
        lambda d: survey_question(d, 4)["choices"].pop(),
        ["worker_survey.questions[4].choices: must offer at least 2 choices"],
    ),
    (
        "choice code twice",
        lambda d: survey_question(d, 2)["choices"][2].update(code="medical"),
        ["worker_survey.questions[2].choices[2].code: duplicate choice 'medical'"],
    ),
    (
        "fee category unknown",
        lambda d: survey_question(d, 2)["choices"][0].update(fee_category="doctor"),
        [
            "worker_survey.questions[2].choices[0].fee_category: must be one of recruitment_fee, "
            "medical, insurance, skills_test, training, equipment, travel_lodging, administrative, "
            "illegitimate"
        ],
    ),
    (
        "ask_if pointing to a later question",
        swap_first_two_questions,
        [
            "worker_survey.questions[0].ask_if.question: 'WS-PAID' must be an earlier question of the survey"
        ],
    ),
    (
        "ask_if pointing to itself",
        lambda d: survey_question(d, 1)["ask_if"].update(question="WS-AMOUNT"),
        [
            "worker_survey.questions[1].ask_if.question: 'WS-AMOUNT' must be an earlier question of the survey"
        ],
    ),
    (
        "ask_if pointing to no question",
        lambda d: survey_question(d, 1)["ask_if"].update(question="WS-NONE"),
        ["worker_survey.questions[1].ask_if.question: 'WS-NONE' is not a question of the survey"],
    ),
    (
        "ask_if with an answer the question cannot have",
        lambda d: survey_question(d, 1)["ask_if"].update(answer="maybe"),
        [
            "worker_survey.questions[1].ask_if.answer: 'maybe' is not an answer of 'WS-PAID' (yes, no)"
        ],
    ),
    (
        "ask_if on an amount",
        lambda d: survey_question(d, 2).update(ask_if={"question": "WS-AMOUNT", "answer": "100"}),
        [
            "worker_survey.questions[2].ask_if.question: 'WS-AMOUNT' asks for an amount, not an answer"
        ],
    ),
    (
        "ask_if without its answer",
        lambda d: survey_question(d, 1)["ask_if"].pop("answer"),
        ["worker_survey.questions[1].ask_if.answer: required"],
    ),
    (
        "signal answer not a choice",
        lambda d: survey_question(d, 3)["signal"].update(answers=["employer"]),
        [
            "worker_survey.questions[3].signal.answers[0]: 'employer' is not one of the question's "
            "answers (me, agency)"
        ],
    ),
    (
        "signal answer neither yes nor no",
        lambda d: survey_question(d, 0)["signal"].update(answers=["sometimes"]),
        [
            "worker_survey.questions[0].signal.answers[0]: 'sometimes' is not one of the question's "
            "answers (yes, no)"
        ],
    ),
    (
        "signal with no answer",
        lambda d: survey_question(d, 0)["signal"].update(answers=[]),
        ["worker_survey.questions[0].signal.answers: must not be empty"],
    ),
    (
        "signal answer twice",
        lambda d: survey_question(d, 0)["signal"].update(answers=["yes", "yes"]),
        ["worker_survey.questions[0].signal.answers: lists an answer twice"],
    ),
    (
        "signal on an amount",
        lambda d: survey_question(d, 1).update(signal={"answers": ["yes"]}),
        [
            "worker_survey.questions[1].signal: an amount raises no signal (the question it follows does)"
        ],
    ),
    (
        "signal on a personal question without criterion",
        lambda d: survey_question(d, 4).update(signal={"answers": ["man"]}),
        [
            "worker_survey.questions[4].signal: a signal needs the question's criterion: the auditor "
            "checks it there"
        ],
    ),
    (
        "optional_personal not a boolean",
        lambda d: survey_question(d, 4).update(optional_personal="yes"),
        [
            "worker_survey.questions[4].optional_personal: must be true or false",
        ],
    ),
]


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [(case[1], case[2]) for case in MALFORMED],
    ids=[case[0] for case in MALFORMED],
)
def test_a_malformed_survey_is_refused_with_each_error_at_its_place(breakage, expected):
    data = valid_survey_standard()
    breakage(data)

    assert errors_of(data) == expected


def test_survey_errors_come_with_the_rest_of_the_file():
    data = valid_survey_standard()
    data["status"] = "final"
    survey_question(data, 2)["choices"][0]["label"]["fr"] = ""

    assert errors_of(data) == [
        "status: must be one of draft, published",
        "worker_survey.questions[2].choices[0].label.fr: must not be empty",
    ]


def test_a_personal_question_may_be_mapped_to_a_criterion_and_raise_a_signal():
    data = valid_survey_standard()
    survey_question(data, 4).update(criterion="A1", signal={"answers": ["man"]})

    gender = validate_standard(data).worker_survey.questions[4]

    assert (gender.criterion, gender.signal_answers) == ("A1", ("man",))


# --- a version written as another plus changes (`extends`) ---------------------------------


def write(folder, name, data) -> None:
    (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_a_file_that_extends_another_takes_its_content_and_adds_its_own(tmp_path):
    base = valid_standard()
    base["status"] = "published"
    write(tmp_path, "mini-1.0.yaml", base)
    survey = valid_survey_standard()["worker_survey"]
    write(
        tmp_path,
        "mini-1.1.yaml",
        {
            "extends": "mini-1.0.yaml",
            "code": "mini",
            "version": "1.1",
            "status": "draft",
            "worker_survey": survey,
        },
    )

    spec = read_standard_file(tmp_path / "mini-1.1.yaml")
    base_spec = read_standard_file(tmp_path / "mini-1.0.yaml")

    assert (spec.code, spec.version, spec.status) == ("mini", "1.1", "draft")
    assert (spec.title, spec.principles) == (base_spec.title, base_spec.principles)
    assert spec.worker_survey == validate_standard(valid_survey_standard()).worker_survey
    # written out whole: the export stands alone
    assert "extends" not in dump_yaml(spec)
    assert parse_standard(dump_yaml(spec)) == spec


def test_a_file_that_extends_another_may_replace_its_sections(tmp_path):
    write(tmp_path, "mini-1.1.yaml", valid_survey_standard() | {"version": "1.1"})
    write(
        tmp_path,
        "mini-1.2.yaml",
        {
            "extends": "mini-1.1.yaml",
            "code": "mini",
            "version": "1.2",
            "status": "draft",
            "title": {"en": "Mini, second edition", "fr": "Mini, deuxième édition"},
        },
    )

    spec = read_standard_file(tmp_path / "mini-1.2.yaml")

    assert spec.title.en == "Mini, second edition"
    assert spec.worker_survey.questions[0].code == "WS-PAID"  # from 1.1


def test_an_error_in_the_extended_file_is_reported_with_its_name(tmp_path):
    base = valid_standard()
    base["principles"][0]["criteria"][0]["weight"] = 0
    write(tmp_path, "mini-1.0.yaml", base)
    write(
        tmp_path,
        "mini-1.1.yaml",
        {"extends": "mini-1.0.yaml", "code": "mini", "version": "1.1", "status": "draft"},
    )

    with pytest.raises(StandardFileError) as caught:
        read_standard_file(tmp_path / "mini-1.1.yaml")

    assert caught.value.errors == [
        "extends: mini-1.0.yaml: principles[0].criteria[0].weight: must be greater than 0"
    ]


def test_an_error_in_the_extending_file_is_reported_at_its_place(tmp_path):
    write(tmp_path, "mini-1.0.yaml", valid_standard())
    survey = valid_survey_standard()["worker_survey"]
    survey["questions"][3]["criterion"] = "C9.9"
    write(
        tmp_path,
        "mini-1.1.yaml",
        {
            "extends": "mini-1.0.yaml",
            "code": "mini",
            "version": "1.1",
            "worker_survey": survey,
        },
    )

    with pytest.raises(StandardFileError) as caught:
        read_standard_file(tmp_path / "mini-1.1.yaml")

    assert caught.value.errors == [
        "status: required",
        "worker_survey.questions[3].criterion: 'C9.9' is not a criterion of this standard",
    ]


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"a.yaml": {"extends": "a.yaml"}},
            "extends: a.yaml leads back to this file",
        ),
        (
            {"a.yaml": {"extends": "b.yaml"}, "b.yaml": {"extends": "a.yaml"}},
            "extends: b.yaml: extends: a.yaml leads back to this file",
        ),
        (
            {"a.yaml": {"extends": "../elsewhere/b.yaml"}},
            "extends: must name a standard file in the same folder "
            "(such as fairrecruit-reference-1.0.yaml)",
        ),
        (
            {"a.yaml": {"extends": "/etc/passwd"}},
            "extends: must name a standard file in the same folder "
            "(such as fairrecruit-reference-1.0.yaml)",
        ),
        (
            {"a.yaml": {"extends": "missing.yaml"}},
            "extends: missing.yaml: {folder}/missing.yaml: cannot be read (No such file or directory)",
        ),
    ],
    ids=["itself", "a cycle", "another folder", "an absolute path", "a missing file"],
)
def test_what_a_file_may_not_extend(tmp_path, files, expected):
    for name, data in files.items():
        write(tmp_path, name, {"code": "mini", "version": "9", "status": "draft", **data})

    with pytest.raises(StandardFileError) as caught:
        read_standard_file(tmp_path / "a.yaml")

    assert caught.value.errors == [expected.format(folder=tmp_path)]


def test_an_extending_file_needs_its_own_version(tmp_path):
    write(tmp_path, "mini-1.0.yaml", valid_standard())
    write(
        tmp_path,
        "copy.yaml",
        {"extends": "mini-1.0.yaml", "code": "mini", "version": "1.0", "status": "draft"},
    )

    with pytest.raises(StandardFileError) as caught:
        read_standard_file(tmp_path / "copy.yaml")

    assert caught.value.errors == [
        "version: '1.0' is the version of mini-1.0.yaml; give this one its own"
    ]


def test_a_text_alone_cannot_extend_a_file():
    text = "extends: fairrecruit-reference-1.0.yaml\n" + dump_yaml(
        validate_standard(valid_standard())
    )

    with pytest.raises(StandardFileError) as caught:
        parse_standard(text)

    assert caught.value.errors == [
        "extends: only a standard file read from its folder can extend another"
    ]
