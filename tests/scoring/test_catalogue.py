"""Catalogues from the database (one query per table) and from files, cached per version."""

import io

import pytest
import yaml
from django.core.management import call_command

from scoring.catalogue import catalogue_cache_clear, catalogue_from_file, catalogue_get
from scoring.models import Standard
from tests.scoring.standard_data import valid_standard

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    catalogue_cache_clear()
    yield
    catalogue_cache_clear()


def load(path):
    call_command("load_standard", str(path), stdout=io.StringIO(), stderr=io.StringIO())


def test_a_catalogue_from_the_database_equals_the_one_from_its_file(
    reference_standard_path, django_assert_num_queries
):
    load(reference_standard_path)
    from_file = catalogue_from_file(reference_standard_path)
    catalogue_cache_clear()

    with django_assert_num_queries(4):  # standard, principles, criteria, questions
        from_database = catalogue_get(code="fairrecruit-reference", version="1.0")

    assert from_database == from_file
    assert (
        len(from_database.principles),
        len(from_database.criteria),
        len(from_database.questions),
    ) == (7, 24, 68)


def test_a_cached_catalogue_costs_one_query(reference_standard_path, django_assert_num_queries):
    load(reference_standard_path)
    first = catalogue_get(code="fairrecruit-reference", version="1.0")

    with django_assert_num_queries(1):
        again = catalogue_get(code="fairrecruit-reference", version="1.0")

    assert again is first


def test_loading_a_new_version_never_changes_a_cached_older_one(tmp_path):
    data = valid_standard()
    data["status"] = "published"
    (tmp_path / "v1.yaml").write_text(yaml.safe_dump(data))
    load(tmp_path / "v1.yaml")
    old = catalogue_get(code="mini", version="1.0")
    data["version"] = "2.0"
    data["principles"][0]["criteria"][0]["weight"] = 7
    (tmp_path / "v2.yaml").write_text(yaml.safe_dump(data))

    load(tmp_path / "v2.yaml")
    new = catalogue_get(code="mini", version="2.0")

    assert catalogue_get(code="mini", version="1.0") is old
    assert old.criterion("A1").weight == 2
    assert new.criterion("A1").weight == 7


def test_a_reloaded_draft_is_never_served_stale(tmp_path):
    data = valid_standard()
    (tmp_path / "draft.yaml").write_text(yaml.safe_dump(data))
    load(tmp_path / "draft.yaml")
    before = catalogue_get(code="mini", version="1.0")
    data["principles"][0]["criteria"][0]["weight"] = 4
    (tmp_path / "draft.yaml").write_text(yaml.safe_dump(data))

    load(tmp_path / "draft.yaml")

    assert before.criterion("A1").weight == 2
    assert catalogue_get(code="mini", version="1.0").criterion("A1").weight == 4


def test_an_unknown_version_raises():
    with pytest.raises(Standard.DoesNotExist):
        catalogue_get(code="mini", version="9")
