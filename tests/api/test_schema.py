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


def test_the_interactive_documentation_is_served_without_any_outside_host(client):
    page = client.get("/api/v1/docs/").content.decode()

    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
