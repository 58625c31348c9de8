"""The committed schema is a contract a standard generator can use: a Python client made
from docs/openapi.yaml by openapi-python-client, with no hand edits, does an employer's work
against the real application; and an independent validator passes the schema."""

import importlib
import subprocess
import sys
from pathlib import Path
from uuid import UUID

import httpx
import pytest
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

from recruiters import services as credentials
from tests.certification.world import World
from tests.conftest import PROJECT_DIR

SCHEMA = PROJECT_DIR / "docs" / "openapi.yaml"
GENERATOR = Path(sys.executable).with_name("openapi-python-client")
UNKNOWN = UUID("00000000-0000-4000-8000-000000000000")


@pytest.mark.outside_the_database
def test_the_schema_passes_an_independent_validator():
    from openapi_spec_validator import validate
    from openapi_spec_validator.readers import read_from_filename

    spec, _url = read_from_filename(str(SCHEMA))

    validate(spec)  # raises on the first violation of OpenAPI 3.0


@pytest.fixture(scope="module")
def fairrecruit_client(tmp_path_factory):
    """The package the generator writes, imported as it is."""
    folder = tmp_path_factory.mktemp("generated")
    config = folder / "config.yaml"
    config.write_text(
        "post_hooks: []\n"  # no formatter run: the code is used as generated
        "project_name_override: fairrecruit-client\n"
        "package_name_override: fairrecruit_client\n"
    )
    generated = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(SCHEMA),
            "--output-path",
            str(folder / "out"),
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    sys.path.insert(0, str(folder / "out"))
    try:
        yield importlib.import_module("fairrecruit_client")
    finally:
        sys.path.remove(str(folder / "out"))
        for name in [m for m in sys.modules if m.startswith("fairrecruit_client")]:
            del sys.modules[name]


@pytest.fixture
def app(settings):
    """The application in process, on the test's own connection (as Django's test client)."""
    settings.ALLOWED_HOSTS = ["fairrecruit.test"]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield httpx.WSGITransport(app=get_wsgi_application())
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def api(module: str):
    return importlib.import_module(f"fairrecruit_client.api.{module}")


def model(name: str):
    return getattr(importlib.import_module("fairrecruit_client.models"), name)


@pytest.mark.django_db
def test_a_generated_client_does_an_employers_work(fairrecruit_client, app):
    world = World()
    case = world.case_in("certified")
    _token, secret = credentials.personal_token_create(user=world.employer_member, name="ERP")
    base = {"base_url": "http://fairrecruit.test", "httpx_args": {"transport": app}}
    person = fairrecruit_client.AuthenticatedClient(token=secret, **base)
    public = fairrecruit_client.Client(**base)

    # The employer's developer learns its employer's public id, then makes a key.
    me = api("me.me_retrieve").sync(client=person)
    (membership,) = me.memberships
    new_key = api("employer_keys.employer_keys_create").sync(
        client=person,
        body=model("EmployerKeyCreateRequest")(employer=membership.organisation.id, name="ERP"),
    )
    keyed = fairrecruit_client.AuthenticatedClient(token=new_key.key, prefix="Api-Key", **base)

    # A status, then the same again with its ETag: 304 while nothing changed.
    status = api("agencies.agencies_status_retrieve")
    first = status.sync_detailed(public_id=world.agency.public_id, client=public)
    again = status.sync_detailed(
        public_id=world.agency.public_id, client=public, if_none_match=first.headers["ETag"]
    )
    assert first.status_code == 200 and first.parsed.status.value == "certified"
    assert first.parsed.certificate.number == case.certificate.number
    assert again.status_code == 304

    # A bulk check with a known, an unknown and a malformed supplier: a result for each.
    checked = api("supplier_checks.supplier_checks_create").sync(
        client=keyed,
        body=model("SupplierCheckRequestRequest")(
            suppliers=[
                {"id": str(world.agency.public_id)},
                {"id": str(UNKNOWN)},
                {"id": 12345},
            ]
        ),
    )
    assert [r.status.value for r in checked.results] == ["certified", "not_found", "invalid"]
    assert [(e.attr, e.code) for e in checked.results[2].errors] == [("id", "invalid")]

    # A watch, and a webhook with the secret shown once.
    watch = api("watchlist.watchlist_create").sync(
        client=keyed, body=model("WatchRequestRequest")(agency=world.agency.public_id)
    )
    assert watch.agency.id == world.agency.public_id
    hook = api("webhooks.webhooks_create").sync(
        client=keyed, body=model("WebhookCreateRequest")(url="https://93.184.216.34/hook")
    )
    assert hook.url == "https://93.184.216.34/hook" and len(hook.secret) >= 32

    # An error the client did not cause itself is read in the documented shape too.
    refused = api("webhooks.webhooks_create").sync_detailed(
        client=keyed, body=model("WebhookCreateRequest")(url="https://10.0.0.5/hook")
    )
    assert refused.status_code == 400
    assert [(e.attr, e.code) for e in refused.parsed.errors] == [("url", "invalid")]
