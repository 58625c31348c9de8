"""Every word of the worker survey's pages in each of its ten languages (issue 15 §2)."""

import ast
import re

import polib
import pytest
from django.conf import settings
from django.utils import translation

from tests.conftest import PROJECT_DIR
from tests.scoring.test_worker_survey import LANGUAGES
from tests.web.survey.helpers import (
    CATALOGUED,
)

pytestmark = pytest.mark.django_db


# --- every word in every language ----------------------------------------------------------


SURVEY_FILES = [
    *sorted((PROJECT_DIR / "certification" / "templates" / "certification").glob("survey_*.html")),
    PROJECT_DIR / "certification" / "views" / "surveys.py",
    PROJECT_DIR / "certification" / "forms" / "surveys.py",
]
# The core's words to a worker: its answer checks and its refusal of a code.
CORE_PARTS = {
    "SurveyCodeRefused",
    "_clean_amount",
    "_clean_value",
    "survey_answers_clean",
    "survey_language",
}
_TEMPLATE_STRING = re.compile(r"""{%\s*translate\s+(["'])(.+?)\1\s*%}""")


def _gettext_calls(tree) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) in ("_", "gettext")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value)
    return found


def survey_page_strings() -> set[str]:
    found = set()
    for path in SURVEY_FILES:
        text = path.read_text()
        if path.suffix == ".html":
            assert "blocktranslate" not in text, path  # the scan reads {% translate %} only
            found |= {m.group(2) for m in _TEMPLATE_STRING.finditer(text)}
        else:
            found |= _gettext_calls(ast.parse(text))
    core = ast.parse((PROJECT_DIR / "monitoring" / "surveys.py").read_text())
    for node in core.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name in CORE_PARTS:
            found |= _gettext_calls(node)
    return found


def test_the_scan_finds_the_pages_and_the_core_s_words():
    strings = survey_page_strings()
    assert "Send my answers" in strings and "Yes" in strings  # a template, the form
    assert "Choose one of the survey's languages." in strings  # the view and the core
    assert "Write the amount as a number, for example 250 or 250.50." in strings
    assert "This code cannot be used. Check it, or ask for a new card." in strings
    assert len(strings) >= 30


def test_the_survey_pages_speak_the_survey_s_ten_languages():
    assert [code for code, _name in settings.SURVEY_LANGUAGES] == LANGUAGES
    assert settings.LANGUAGES == [("en", "English"), ("fr", "French")]  # the site's switcher
    for language in ("si", "tl"):  # unknown to Django: added to its LANG_INFO
        assert (
            translation.get_language_info(language)["name_local"]
            == dict(settings.SURVEY_LANGUAGES)[language]
        )


_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@pytest.mark.parametrize("language", CATALOGUED)
def test_every_word_of_the_survey_pages_is_translated(language):
    """Fails on any string of the survey pages (or the core's words to a worker) missing,
    empty or fuzzy in a catalogue, or losing a placeholder. The questions' own texts are the
    standard file's (tests/scoring/test_worker_survey.py checks all ten languages)."""
    folder = PROJECT_DIR / "locale" / language / "LC_MESSAGES"
    catalogue = polib.pofile(str(folder / "django.po"))
    entries = {e.msgid: e for e in catalogue if not e.obsolete and not e.msgctxt}
    problems = []
    for msgid in sorted(survey_page_strings()):
        entry = entries.get(msgid)
        if entry is None or not entry.msgstr.strip() or "fuzzy" in entry.flags:
            problems.append(f"{language}: {msgid!r} missing, empty or fuzzy")
        elif set(_PLACEHOLDER.findall(entry.msgstr)) != set(_PLACEHOLDER.findall(msgid)):
            problems.append(f"{language}: {msgid!r} loses a placeholder")
    assert problems == []
    mo = polib.mofile(str(folder / "django.mo"))
    compiled = {e.msgid: e.msgstr for e in mo if e.msgid and not e.msgctxt}
    wanted = {m: e.msgstr for m, e in entries.items() if m and e.translated()}
    assert compiled == wanted, "run manage.py compile_translations"


@pytest.mark.parametrize("language", [lang for lang in CATALOGUED if lang != "fr"])
def test_the_new_catalogues_hold_only_the_survey_s_words(language):
    """The corridors' languages are the survey's, not the site's: `make messages` updates
    the French catalogue alone and never fills these with the whole site's strings."""
    catalogue = polib.pofile(str(PROJECT_DIR / "locale" / language / "LC_MESSAGES" / "django.po"))
    assert {e.msgid for e in catalogue} <= survey_page_strings()
    assert "awaiting review by native speakers" in " ".join(catalogue.header.lower().split())
