"""Loading and exporting the standard through the management commands."""

import io
import json
import os
import subprocess
import sys

import pytest
import yaml
from django.core.management import CommandError, call_command

from scoring.models import Criterion, Principle, Question, Standard
from tests.conftest import PROJECT_DIR
from tests.scoring.standard_data import valid_standard

pytestmark = pytest.mark.django_db


def load(path) -> str:
    out = io.StringIO()
    call_command("load_standard", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def export(code, version, fmt="yaml") -> str:
    out = io.StringIO()
    call_command("export_standard", code, version, format=fmt, stdout=out)
    return out.getvalue()


def write(tmp_path, data, name="standard.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def snapshot() -> list[tuple]:
    """Every stored row of every standard, with ids and timestamps: any write shows."""
    return [
        *Standard.objects.order_by("pk").values_list(),
        *Principle.objects.order_by("pk").values_list(),
        *Criterion.objects.order_by("pk").values_list(),
        *Question.objects.order_by("pk").values_list(),
    ]


def test_reference_catalogue_loads_with_every_principle_criterion_and_text(reference_standard_path):
    assert load(reference_standard_path) == (
        "created: fairrecruit-reference 1.0 (published; 7 principles, 24 criteria, 68 questions)"
    )

    standard = Standard.objects.get(code="fairrecruit-reference", version="1.0")
    assert standard.status == Standard.Status.PUBLISHED
    assert list(standard.principles.values_list("code", "kind")) == [
        ("A", "overarching"),
        ("B", "overarching"),
        ("C1", "specific"),
        ("C2", "specific"),
        ("C3", "specific"),
        ("C4", "specific"),
        ("C5", "specific"),
    ]
    assert list(
        standard.criteria.order_by("principle__position", "position").values_list("code", flat=True)
    ) == [
        "A1",
        "A2",
        "A3",
        "A4",
        "A5",
        "B1",
        "B2",
        "B3",
        "B4",
        "B5",
        "C1.1",
        "C1.2",
        "C1.3",
        "C2.1",
        "C2.2",
        "C2.3",
        "C3.1",
        "C3.2",
        "C3.3",
        "C3.4",
        "C4.1",
        "C4.2",
        "C5.1",
        "C5.2",
    ]
    assert set(standard.criteria.filter(zero_tolerance=True).values_list("code", flat=True)) == {
        "A2",
        "A3",
        "C1.1",
        "C2.1",
        "C3.3",
    }
    assert standard.questions.count() >= 60
    assert list(
        standard.questions.filter(answer_type="worker_costs").values_list(
            "criterion__code", flat=True
        )
    ) == ["C1.1"]
    for criterion in standard.criteria.all():
        assert criterion.questions.exists(), criterion.code
    texts = [
        *standard.principles.values_list("title_en", "title_fr"),
        *standard.criteria.values_list("text_en", "text_fr"),
        *standard.questions.values_list("text_en", "text_fr"),
        *standard.questions.values_list("help_en", "help_fr"),
    ]
    assert all(en.strip() and fr.strip() and en != fr for en, fr in texts)


def test_loading_the_same_file_again_changes_nothing(reference_standard_path):
    load(reference_standard_path)
    before = snapshot()

    assert load(reference_standard_path).startswith("unchanged: fairrecruit-reference 1.0")
    assert snapshot() == before


def test_export_then_load_is_a_fixed_point_in_yaml_and_json(reference_standard_path, tmp_path):
    load(reference_standard_path)
    before = snapshot()
    exported_yaml = export("fairrecruit-reference", "1.0", "yaml")
    exported_json = export("fairrecruit-reference", "1.0", "json")
    (tmp_path / "again.yaml").write_text(exported_yaml, encoding="utf-8")
    (tmp_path / "again.json").write_text(exported_json, encoding="utf-8")

    assert load(tmp_path / "again.yaml").startswith("unchanged:")
    assert load(tmp_path / "again.json").startswith("unchanged:")
    assert snapshot() == before
    assert export("fairrecruit-reference", "1.0", "yaml") == exported_yaml
    assert json.loads(exported_json) == yaml.safe_load(exported_yaml)
    # The export is the source file's content: same data once both are parsed.
    assert yaml.safe_load(exported_yaml) == yaml.safe_load(reference_standard_path.read_text())


def test_export_writes_to_a_file(reference_standard_path, tmp_path):
    load(reference_standard_path)
    target = tmp_path / "out.json"

    call_command(
        "export_standard", "fairrecruit-reference", "1.0", format="json", output=str(target)
    )

    assert json.loads(target.read_text())["version"] == "1.0"


def test_export_of_an_unknown_version_fails():
    with pytest.raises(CommandError, match=r"no standard fairrecruit-reference 9\.9 is loaded"):
        export("fairrecruit-reference", "9.9")


def test_a_changed_published_version_is_refused_and_nothing_changes(tmp_path):
    data = valid_standard()
    data["status"] = "published"
    load(write(tmp_path, data))
    before = snapshot()
    data["principles"][0]["criteria"][0]["weight"] = 5

    with pytest.raises(CommandError) as caught:
        load(write(tmp_path, data))

    assert str(caught.value) == (
        f"{tmp_path / 'standard.yaml'}: mini 1.0 is published and already loaded with other content; "
        "a changed published standard needs a new version; nothing was written"
    )
    assert snapshot() == before


def test_a_published_version_cannot_go_back_to_draft(tmp_path):
    data = valid_standard()
    data["status"] = "published"
    load(write(tmp_path, data))
    data["status"] = "draft"

    with pytest.raises(CommandError, match="is published and already loaded"):
        load(write(tmp_path, data))

    assert Standard.objects.get().status == "published"


def test_a_new_version_loads_beside_the_old_one_which_stays_untouched(tmp_path):
    data = valid_standard()
    data["status"] = "published"
    load(write(tmp_path, data))
    before = snapshot()
    data["version"] = "1.1"
    data["principles"][0]["criteria"][0]["weight"] = 5

    assert load(write(tmp_path, data, "v11.yaml")).startswith("created: mini 1.1")

    after = snapshot()
    assert all(row in after for row in before)
    weights = dict(Criterion.objects.filter(code="A1").values_list("standard__version", "weight"))
    assert weights == {"1.0": 2, "1.1": 5}


def test_a_draft_is_replaced_whole_and_may_then_be_published(tmp_path):
    data = valid_standard()
    load(write(tmp_path, data))
    data["principles"][0]["criteria"][0]["questions"][0]["text"]["en"] = "Does it hold a licence?"
    del data["principles"][2]
    data["status"] = "published"

    assert load(write(tmp_path, data)).startswith("updated: mini 1.0 (published; 2 principles")

    standard = Standard.objects.get()
    assert standard.status == "published"
    assert list(standard.principles.values_list("code", flat=True)) == ["A", "C1"]
    assert Question.objects.get(code="A1-01").text_en == "Does it hold a licence?"
    assert not Question.objects.filter(code="C2.1-01").exists()


def test_a_malformed_file_writes_nothing_and_reports_every_error(tmp_path):
    data = valid_standard()
    data["principles"][2]["criteria"][0]["weight"] = 0
    data["principles"][1]["kind"] = "core"
    path = write(tmp_path, data)
    err = io.StringIO()

    with pytest.raises(CommandError) as caught:
        call_command("load_standard", str(path), stdout=io.StringIO(), stderr=err)

    assert str(caught.value) == f"{path}: 2 errors; nothing was written"
    assert err.getvalue().splitlines() == [
        "principles[1].kind: must be one of overarching, specific",
        "principles[2].criteria[0].weight: must be greater than 0",
    ]
    assert snapshot() == []


def test_a_missing_file_is_reported(tmp_path):
    with pytest.raises(CommandError, match="1 error; nothing was written"):
        load(tmp_path / "absent.yaml")


def test_the_command_exits_non_zero_on_a_malformed_file(tmp_path):
    """Through manage.py, as an operator runs it."""
    data = valid_standard()
    data["principles"][2]["criteria"][0]["weight"] = 0
    path = write(tmp_path, data)

    done = subprocess.run(
        [sys.executable, "manage.py", "load_standard", str(path)],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings_test",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        },
        check=False,
    )

    assert done.returncode == 1
    assert "principles[2].criteria[0].weight: must be greater than 0" in done.stderr
    assert "1 error; nothing was written" in done.stderr
