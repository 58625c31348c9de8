"""The committed OpenAPI schema is the one the code generates, and it validates."""

import io

from django.core.management import call_command

from tests.conftest import PROJECT_DIR


def test_the_committed_schema_matches_the_generated_one_and_validates(tmp_path):
    generated = tmp_path / "openapi.yaml"

    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(generated),
        stderr=io.StringIO(),
    )

    committed = (PROJECT_DIR / "docs" / "openapi.yaml").read_text(encoding="utf-8")
    assert generated.read_text(encoding="utf-8") == committed, (
        "run `make schema` and commit docs/openapi.yaml"
    )
