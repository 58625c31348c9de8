"""The French catalogue: complete, compiled, and covering every string the pages show."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client

LOCALE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES"
CATALOGUE = polib.pofile(str(LOCALE / "django.po"))


def _entries(catalogue) -> dict:
    return {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in catalogue
        if e.msgid and not e.obsolete and "fuzzy" not in e.flags
    }


def test_every_entry_is_translated_and_none_is_fuzzy():
    untranslated = [e.msgid for e in CATALOGUE if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in CATALOGUE if "fuzzy" in e.flags]
    assert (untranslated, fuzzy) == ([], [])


def test_the_committed_mo_file_is_compiled_from_the_po_file():
    """`make messages` (or `manage.py compile_translations`) recompiles it."""
    compiled = polib.mofile(str(LOCALE / "django.mo"))
    assert _entries(compiled) == _entries(CATALOGUE)
    assert compiled.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"


_TEMPLATE_STRING = re.compile(r"""{%\s*translate\s+(["'])(.+?)\1""")
_PYTHON_STRING = re.compile(r"""\b(?:_|gettext|gettext_lazy)\(\s*(["'])((?:(?!\1).)+)\1\s*[,)]""")


def _strings_in_code() -> set[str]:
    found = set()
    roots = [Path(settings.BASE_DIR) / d for d in ("config", "certification", "recruiters")]
    for root in roots:
        for template in root.rglob("templates/**/*.html"):
            found |= {m.group(2) for m in _TEMPLATE_STRING.finditer(template.read_text())}
        for module in list(root.glob("views/*.py")) + list(root.glob("views.py")):
            found |= {m.group(2) for m in _PYTHON_STRING.finditer(module.read_text())}
    return found


def test_every_string_of_the_pages_is_in_the_catalogue():
    """Fails when a page gains a string and `make messages` was not run."""
    known = {e.msgid for e in CATALOGUE}
    missing = sorted(s for s in _strings_in_code() if s.replace("\\'", "'") not in known)
    assert missing == []
    assert len(_strings_in_code()) > 200  # the scan found the pages' strings


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "french"),
    [
        ("/", "Le recrutement éthique, certifié"),
        ("/registry/", "Registre des agences certifiées"),
        ("/verify/", "Numéro du certificat"),
        ("/accounts/login/", "Mot de passe oublié ?"),
        ("/accounts/password-reset/", "Envoyer le lien"),
    ],
)
def test_public_pages_speak_french_to_a_french_browser(path, french):
    response = Client(headers={"accept-language": "fr"}).get(path)
    text = response.content.decode()
    assert '<html lang="fr">' in text
    assert french in text


_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def test_every_translation_keeps_the_placeholders_of_its_original():
    """A dropped or misspelt %(name)s would break the sentence, or the page, at run time."""
    wrong = []
    for entry in CATALOGUE:
        wanted = set(_PLACEHOLDER.findall(entry.msgid))
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            if set(_PLACEHOLDER.findall(text)) != wanted:
                wrong.append((entry.msgid, text))
    assert wrong == []
