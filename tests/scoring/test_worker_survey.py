"""The worker survey of the reference catalogue (version 1.1 = 1.0 and the survey): loaded,
stored, read back as immutable data, exported and loaded again unchanged; every text in
every one of the ten languages."""

import dataclasses
import io
import re
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from scoring.engine.vocabulary import WORKER_COST_CATEGORIES
from scoring.models import Criterion, Principle, Question, Standard, SurveyChoice, SurveyQuestion
from scoring.selectors import (
    standard_get,
    standard_spec_get,
    survey_question_text,
    survey_text,
    worker_survey_get,
)
from scoring.services import standard_load
from scoring.standard_file import read_standard_file, validate_standard
from tests.conftest import PROJECT_DIR
from tests.scoring.standard_data import valid_standard, valid_survey_standard

STANDARDS = PROJECT_DIR / "scoring" / "standards"
REFERENCE_1_0 = STANDARDS / "fairrecruit-reference-1.0.yaml"
REFERENCE_1_1 = STANDARDS / "fairrecruit-reference-1.1.yaml"
LANGUAGES = ["en", "fr", "ne", "bn", "si", "id", "tl", "vi", "sw", "ar"]


def load(path) -> str:
    out = io.StringIO()
    call_command("load_standard", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def export(code, version, fmt="yaml") -> str:
    out = io.StringIO()
    call_command("export_standard", code, version, format=fmt, stdout=out)
    return out.getvalue()


def snapshot() -> list[tuple]:
    """Every stored row of every standard, survey included: any write shows."""
    return [
        *Standard.objects.order_by("pk").values_list(),
        *Principle.objects.order_by("pk").values_list(),
        *Criterion.objects.order_by("pk").values_list(),
        *Question.objects.order_by("pk").values_list(),
        *SurveyQuestion.objects.order_by("pk").values_list(),
        *SurveyChoice.objects.order_by("pk").values_list(),
    ]


# --- the reference content, from the file alone --------------------------------------------


@pytest.mark.outside_the_database
def test_version_1_1_is_version_1_0_and_the_survey():
    old, new = read_standard_file(REFERENCE_1_0), read_standard_file(REFERENCE_1_1)

    assert (new.code, new.version, new.status) == ("fairrecruit-reference", "1.1", "published")
    assert (new.title, new.principles) == (old.title, old.principles)
    assert old.worker_survey is None
    assert new.worker_survey.languages == tuple(LANGUAGES)


def _text_mappings(node, path="worker_survey"):
    """Every mapping of the raw file that holds a text in languages: text, help, label."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("text", "help", "label"):
                yield f"{path}.{key}", value
            else:
                yield from _text_mappings(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _text_mappings(value, f"{path}[{index}]")


@pytest.mark.outside_the_database
def test_every_survey_text_is_given_in_each_of_the_ten_languages():
    # Read as plain YAML, not through the loader: this fails even if the checks did not.
    raw = yaml.safe_load(REFERENCE_1_1.read_text(encoding="utf-8"))["worker_survey"]
    assert raw["languages"] == LANGUAGES
    texts = list(_text_mappings(raw))
    # 12 questions, 6 helps, 28 choices
    assert len(texts) == 46

    problems = [
        f"{path}.{language}: {'missing' if language not in text else 'empty'}"
        for path, text in texts
        for language in LANGUAGES
        if not isinstance(text.get(language), str) or not text[language].strip()
    ]
    extra = [f"{path}: {sorted(set(text) - set(LANGUAGES))}" for path, text in texts]
    assert problems == []
    assert [line for line in extra if not line.endswith(": []")] == []


@pytest.mark.outside_the_database
def test_survey_texts_are_written_in_their_own_scripts():
    """A text pasted into the wrong language shows: each non-Latin language in its script."""
    scripts = {
        "ne": r"[\u0900-\u097F]",
        "bn": r"[\u0980-\u09FF]",
        "si": r"[\u0D80-\u0DFF]",
        "ar": r"[\u0600-\u06FF]",
    }
    survey = read_standard_file(REFERENCE_1_1).worker_survey
    texts = [q.text for q in survey.questions] + [
        c.label for q in survey.questions for c in q.choices
    ]
    texts += [q.help for q in survey.questions if q.help is not None]
    for text in texts:
        for language, script in scripts.items():
            assert re.search(script, text.get(language)), (language, text.get("en"))
        for language in ("fr", "id", "tl", "vi", "sw"):
            assert not re.search(r"[\u0600-\u06FF\u0900-\u0DFF]", text.get(language))


@pytest.mark.outside_the_database
def test_the_reference_survey_asks_what_domain_section_8_lists_mapped_to_its_criteria():
    survey = read_standard_file(REFERENCE_1_1).worker_survey

    assert [
        (q.code, q.criterion, q.answer_type, q.signal_answers, q.ask_if and q.ask_if.question)
        for q in survey.questions
    ] == [
        ("WS-PAID", "C1.1", "yes_no", ("yes",), None),
        ("WS-AMOUNT", "C1.1", "amount", (), "WS-PAID"),
        ("WS-PAID-TO", "C1.1", "multi_choice", (), "WS-PAID"),
        ("WS-PAID-FOR", "C1.1", "multi_choice", (), "WS-PAID"),
        ("WS-DEDUCTED", "C1.1", "yes_no", ("yes",), None),
        ("WS-PASSPORT", "C2.1", "choice", ("agency", "employer"), None),
        ("WS-CONTRACT", "C3.3", "choice", ("no",), None),
        ("WS-TRUTH", "C3.1", "yes_no", (), None),
        ("WS-FREE-TO-LEAVE", "C2.3", "yes_no", ("no",), None),
        ("WS-COMPLAIN", "C5.1", "yes_no", (), None),
        ("WS-AGE", None, "choice", (), None),
        ("WS-GENDER", None, "choice", (), None),
    ]
    assert [q.code for q in survey.questions if q.optional_personal] == ["WS-AGE", "WS-GENDER"]
    assert survey.question("WS-PAID-TO").answers == ("agency", "sub_agent", "someone_else")
    assert survey.question("WS-PASSPORT").answers == ("me", "agency", "employer", "someone_else")
    assert survey.question("WS-CONTRACT").answers == ("yes", "no", "no_contract")
    # "for what": every fee category of DOMAIN.md §3, in plain words, and something else
    paid_for = survey.question("WS-PAID-FOR")
    assert tuple(c.fee_category for c in paid_for.choices if c.fee_category) == (
        WORKER_COST_CATEGORIES
    )
    assert [c.code for c in paid_for.choices if c.fee_category is None] == ["other"]


# --- stored, read back, exported ------------------------------------------------------------


@pytest.mark.django_db
def test_the_reference_survey_loads_beside_version_1_0():
    assert load(REFERENCE_1_0).startswith("created: fairrecruit-reference 1.0 (published; ")
    assert load(REFERENCE_1_1) == (
        "created: fairrecruit-reference 1.1 (published; 7 principles, 24 criteria, 68 questions, "
        "12 worker survey questions in 10 languages)"
    )

    old, new = Standard.objects.order_by("version")
    assert (old.survey_languages, old.survey_questions.count()) == ([], 0)
    assert new.survey_languages == LANGUAGES
    assert list(new.survey_questions.order_by("position").values_list("code", "criterion__code"))[
        :2
    ] == [("WS-PAID", "C1.1"), ("WS-AMOUNT", "C1.1")]
    assert SurveyQuestion.objects.filter(criterion__standard=new).count() == 10
    assert SurveyChoice.objects.filter(question__standard=new).count() == 28
    assert new.criteria.count() == old.criteria.count() == 24


@pytest.mark.django_db
def test_the_newest_loaded_version_is_the_one_new_cases_take():
    from certification.services.assessment import newest_published

    load(REFERENCE_1_0)
    load(REFERENCE_1_1)

    assert newest_published().version == "1.1"


@pytest.mark.outside_the_database
def test_make_run_and_the_demo_load_the_newest_reference_version():
    from certification import demo

    newest = max(
        STANDARDS.glob("fairrecruit-reference-*.yaml"),
        key=lambda path: tuple(int(part) for part in path.stem.rsplit("-", 1)[1].split(".")),
    )
    makefile = (PROJECT_DIR / "Makefile").read_text(encoding="utf-8")
    [standard] = re.findall(r"^STANDARD := (.*)$", makefile, re.MULTILINE)

    assert Path(standard).name == newest.name == "fairrecruit-reference-1.1.yaml"
    assert demo.REFERENCE_FILE.name == newest.name


@pytest.mark.django_db
def test_export_then_load_of_the_survey_is_a_fixed_point_in_yaml_and_json(tmp_path):
    load(REFERENCE_1_0)
    load(REFERENCE_1_1)
    before = snapshot()
    exported_yaml = export("fairrecruit-reference", "1.1", "yaml")
    exported_json = export("fairrecruit-reference", "1.1", "json")
    (tmp_path / "again.yaml").write_text(exported_yaml, encoding="utf-8")
    (tmp_path / "again.json").write_text(exported_json, encoding="utf-8")

    assert load(tmp_path / "again.yaml").startswith("unchanged: fairrecruit-reference 1.1")
    assert load(tmp_path / "again.json").startswith("unchanged: fairrecruit-reference 1.1")
    assert load(REFERENCE_1_1).startswith("unchanged: fairrecruit-reference 1.1")
    assert snapshot() == before
    assert export("fairrecruit-reference", "1.1", "yaml") == exported_yaml
    exported = yaml.safe_load(exported_yaml)
    assert exported["worker_survey"] == read_standard_file(REFERENCE_1_1).worker_survey.to_dict()
    assert "extends" not in exported
    # 1.0 exports as it always did: no survey section
    assert "worker_survey" not in yaml.safe_load(export("fairrecruit-reference", "1.0"))


@pytest.mark.django_db
def test_the_stored_survey_reads_back_as_the_file_s_immutable_data(django_assert_num_queries):
    load(REFERENCE_1_1)
    standard = standard_get(code="fairrecruit-reference", version="1.1")

    with django_assert_num_queries(2):
        survey = worker_survey_get(standard=standard)

    from_file = read_standard_file(REFERENCE_1_1)
    assert survey == from_file.worker_survey
    assert standard_spec_get(standard=standard) == from_file
    assert standard_spec_get(standard=standard).content_sha256 == standard.content_sha256
    assert survey.questions[0].text.languages == tuple(LANGUAGES)
    with pytest.raises(dataclasses.FrozenInstanceError):
        survey.questions[0].code = "WS-OTHER"
    assert isinstance(survey.questions, tuple)
    assert isinstance(survey.question("WS-PASSPORT").choices, tuple)


@pytest.mark.django_db
def test_a_version_without_a_survey_reads_none(django_assert_num_queries):
    load(REFERENCE_1_0)
    standard = standard_get(code="fairrecruit-reference", version="1.0")

    with django_assert_num_queries(0):
        assert worker_survey_get(standard=standard) is None


@pytest.mark.django_db
def test_a_question_reads_in_the_worker_s_language_or_in_english():
    load(REFERENCE_1_1)
    survey = worker_survey_get(standard=standard_get(code="fairrecruit-reference", version="1.1"))
    paid = survey.question("WS-PAID")

    assert survey_question_text(paid, "ne") == "यो काम पाउन तपाईंले कसैलाई पैसा तिर्नुभयो?"
    assert survey_question_text(paid, "ar") == "هل دفعت مالاً لأي شخص لتحصل على هذا العمل؟"
    assert survey_question_text(paid, "fr-ca") == "Avez-vous payé quelqu'un pour avoir ce travail ?"
    assert survey_question_text(paid, "de") == "Did you pay anyone money to get this job?"
    assert survey_text(paid.help, "sw").startswith("Hesabu pesa zote")
    assert survey_text(survey.question("WS-TRUTH").help, "ne") == ""
    assert survey_text(survey.question("WS-PASSPORT").choice("me").label, "vi") == "Tôi tự giữ"


@pytest.mark.django_db
def test_a_draft_survey_is_replaced_whole_and_can_be_removed():
    first = standard_load(spec=validate_standard(valid_survey_standard()))
    assert first.outcome == "created"
    assert SurveyQuestion.objects.count() == 5

    changed = valid_survey_standard()
    changed["worker_survey"]["questions"].pop(1)  # the amount
    changed["worker_survey"]["languages"].remove("ne")
    for question in changed["worker_survey"]["questions"]:
        for text in (question["text"], question.get("help") or {}):
            text.pop("ne", None)
        for choice in question.get("choices", ()):
            choice["label"].pop("ne")
    second = standard_load(spec=validate_standard(changed))

    assert second.outcome == "updated"
    standard = Standard.objects.get()
    assert standard.survey_languages == ["en", "fr"]
    assert list(standard.survey_questions.values_list("code", flat=True)) == [
        "WS-PAID",
        "WS-FOR",
        "WS-PASSPORT",
        "WS-GENDER",
    ]
    assert worker_survey_get(standard=standard) == validate_standard(changed).worker_survey

    third = standard_load(spec=validate_standard(valid_standard()))

    assert third.outcome == "updated"
    standard.refresh_from_db()
    assert (standard.survey_languages, SurveyQuestion.objects.count()) == ([], 0)
    assert SurveyChoice.objects.count() == 0


@pytest.mark.django_db
def test_a_published_survey_cannot_change(tmp_path):
    data = valid_survey_standard()
    data["status"] = "published"
    standard_load(spec=validate_standard(data))
    before = snapshot()
    data["worker_survey"]["questions"][0]["text"]["ne"] = "पैसा तिर्नुभयो?"
    path = tmp_path / "changed.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    with pytest.raises(CommandError, match="is published and already loaded with other content"):
        load(path)

    assert snapshot() == before


@pytest.mark.django_db
def test_a_malformed_survey_writes_nothing(tmp_path):
    data = valid_survey_standard()
    del data["worker_survey"]["questions"][2]["choices"][1]["label"]["ne"]
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    err = io.StringIO()

    with pytest.raises(CommandError, match="1 error; nothing was written"):
        call_command("load_standard", str(path), stdout=io.StringIO(), stderr=err)

    assert err.getvalue().strip() == "worker_survey.questions[2].choices[1].label.ne: required"
    assert not Standard.objects.exists()
